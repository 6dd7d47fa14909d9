#!/bin/sh
# Print the kernels of the test matrix whose headers are installed, one per
# line: Debian 12's 6.1 and bookworm-backports' 6.12 (newest of each).
# With --images, print those that also have a bootable image in /boot.
set -eu
for series in 6.1 6.12; do
	v=$(ls -d /lib/modules/"$series".*-amd64/build 2>/dev/null |
		sed 's|/lib/modules/||; s|/build$||' | sort -V | tail -n1)
	[ -n "$v" ] || continue
	if [ "${1:-}" = --images ] && [ ! -e "/boot/vmlinuz-$v" ]; then
		continue
	fi
	echo "$v"
done
