#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Lint the kernel module for every kernel of the test matrix:
# checkpatch --strict and kernel-doc on every source file, then a W=1
# build with sparse (C=1).  Exits non-zero on any finding: a checkpatch
# error, warning or check, a kernel-doc warning, or any compiler or
# sparse diagnostic.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
# Called from make (the lint rule is marked '+'), the kernel builds below
# share the parent's jobserver; nothing else of the parent's flags may
# reach them (-s would hide the sparse CHECK lines this script looks for).
# Without a usable jobserver they run at -j1, as when run by hand.
js=""
for w in ${MAKEFLAGS:-}; do
	case $w in
	-j*) js="$js $w" ;;
	--jobserver-auth=fifo:*) js="$js $w" ;;
	--jobserver-auth=*,*|--jobserver-fds=*,*)
		fds=${w#*=}
		# the parent closes them unless the rule is marked '+'
		[ -e "/proc/$$/fd/${fds%,*}" ] && [ -e "/proc/$$/fd/${fds#*,}" ] &&
			js="$js $w" ;;
	esac
done
unset MAKEFLAGS MFLAGS MAKELEVEL
case $js in *jobserver*) export MAKEFLAGS="$js" ;; esac
cp=${CHECKPATCH:-/usr/src/linux-source-6.1/scripts/checkpatch.pl}
status=0

fail() {
	echo "lint: $*" >&2
	status=1
}

[ -x "$cp" ] || [ -f "$cp" ] || {
	echo "lint: $cp missing; unpack scripts/checkpatch.pl, spelling.txt and const_structs.checkpatch from /usr/src/linux-source-6.1.tar.xz" >&2
	exit 1
}
command -v sparse >/dev/null || { echo "lint: sparse not installed (apt-get install sparse)" >&2; exit 1; }

# 1. checkpatch --strict, per file (kernel C, headers, Kbuild).
files="$(cd "$top" && find kmod -type f \( -name '*.c' -o -name '*.h' \) | sort)
include/uapi/linux/mbms_srtp.h"
for f in $files; do
	# compat.h is by design the one place that tests LINUX_VERSION_CODE
	ign=FILE_PATH_CHANGES
	[ "$f" = kmod/compat.h ] && ign=$ign,LINUX_VERSION_CODE,CONSTANT_COMPARISON
	out=$(cd "$top" && perl "$cp" --no-tree --strict --quiet \
		--ignore "$ign" -f "$f" 2>&1) ||
		{ echo "$out"; fail "checkpatch: $f"; }
done

# 2. kernel-doc on every documented function and struct.
kd=${KERNELDOC:-$(dirname "$cp")/kernel-doc}
if [ -f "$kd" ]; then
	out=$(cd "$top" && perl "$kd" -none -v $files 2>&1 |
		grep -v -e '^info:' -e 'Scanning doc for' || true)
	[ -z "$out" ] || { echo "$out"; fail "kernel-doc"; }
else
	fail "$kd missing; unpack scripts/kernel-doc from /usr/src/linux-source-6.1.tar.xz"
fi

# 3. W=1 + sparse build per kernel, from a clean object tree so that
#    every file is compiled (and checked) again.
kernels=${KVER:-$("$top/scripts/kernels.sh")}
[ -n "$kernels" ] || { echo "lint: no kernel headers installed" >&2; exit 1; }
for k in $kernels; do
	# a private copy: never delete the .ko others may be testing
	dir=$top/build/lint/$k
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$top/Kbuild" "$dir/"
	(cd "$top" && find kmod include -type f \( -name '*.c' -o -name '*.h' -o -name Kbuild \) \
		-exec cp --parents {} "$dir/" \;)
	log=$(make -C "/lib/modules/$k/build" M="$dir" W=1 C=1 modules 2>&1) ||
		{ echo "$log"; fail "build failed for $k"; continue; }
	echo "$log" | grep -q ' CHECK ' || fail "sparse did not run for $k"
	diag=$(echo "$log" | grep -E 'warning:|error:|note:' || true)
	if [ -n "$diag" ]; then
		echo "$diag"
		fail "compiler/sparse findings for $k"
	fi
done

[ $status -eq 0 ] && echo "lint: clean (checkpatch --strict, kernel-doc, W=1, sparse) for: $(echo $kernels)"
exit $status
