#!/bin/sh
# Print the kernels of the test matrix whose headers are installed, one per
# line: Debian 12's 6.1, bookworm-backports' 6.12 and its PREEMPT_RT build
# 6.12-rt (newest of each series).
# With --images, print those that also have a bootable image in /boot.
# With --resolve K...: each K as a full version; a series ("6.12",
# "6.12-rt") becomes the newest installed kernel of that series, and a K
# with no headers is printed unchanged (the build then names it).
# With --resolve-image K: K as the full version of an image in /boot, or
# nothing and exit 1 (vm-run and demo.sh boot it).
# A series "X" never picks an RT kernel (6.12.118+deb12-rt-amd64 would sort
# after 6.12.118+deb12-amd64); "X-rt" picks only RT kernels.
# KERNELS_ROOT (default /) is for tests/unit/kernels_test.sh.
set -eu
MATRIX="6.1 6.12 6.12-rt"
R=${KERNELS_ROOT:-}

pick() {	# SERIES, versions on stdin -> the newest version of SERIES
	while read -r v; do
		case $1 in
		*-rt) case $v in "${1%-rt}".*-rt-amd64) echo "$v" ;; esac ;;
		*) case $v in
			*-rt-*) ;;
			"$1".*-amd64|"$1"-*-amd64) echo "$v" ;;
			esac ;;
		esac
	done | sort -V | tail -n1
}
headers() { ls -d "$R"/lib/modules/*/build 2>/dev/null | sed 's|^.*/lib/modules/||; s|/build$||'; }
images() { ls -d "$R"/boot/vmlinuz-* 2>/dev/null | sed 's|^.*/boot/vmlinuz-||'; }

case ${1:-} in
--resolve)
	shift
	for k in "$@"; do
		if [ -d "$R/lib/modules/$k/build" ]; then
			echo "$k"
		else
			v=$(headers | pick "$k")
			echo "${v:-$k}"
		fi
	done
	exit 0 ;;
--resolve-image)
	[ $# = 2 ] || { echo "kernels.sh: --resolve-image takes one kernel" >&2; exit 2; }
	if [ -e "$R/boot/vmlinuz-$2" ]; then
		echo "$2"
		exit 0
	fi
	v=$(images | pick "$2")
	[ -n "$v" ] || exit 1
	echo "$v"
	exit 0 ;;
esac
for series in $MATRIX; do
	v=$(headers | pick "$series")
	[ -n "$v" ] || continue
	if [ "${1:-}" = --images ] && [ ! -e "$R/boot/vmlinuz-$v" ]; then
		continue
	fi
	echo "$v"
done
