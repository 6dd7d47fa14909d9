#!/bin/sh
# Print the kernels of the test matrix whose headers are installed, one per
# line: Debian 12's 6.1 and bookworm-backports' 6.12 (newest of each).
# With --images, print those that also have a bootable image in /boot.
# With --resolve K...: each K as a full version; a series prefix ("6.12")
# becomes the newest installed kernel of that series, and a K with no
# headers is printed unchanged (the build then names it).
set -eu
newest() {
	ls -d /lib/modules/"$1".*-amd64/build 2>/dev/null |
		sed 's|/lib/modules/||; s|/build$||' | sort -V | tail -n1
}
if [ "${1:-}" = --resolve ]; then
	shift
	for k in "$@"; do
		if [ -d "/lib/modules/$k/build" ]; then
			echo "$k"
		else
			v=$(newest "$k")
			echo "${v:-$k}"
		fi
	done
	exit 0
fi
for series in 6.1 6.12; do
	v=$(newest "$series")
	[ -n "$v" ] || continue
	if [ "${1:-}" = --images ] && [ ! -e "/boot/vmlinuz-$v" ]; then
		continue
	fi
	echo "$v"
done
