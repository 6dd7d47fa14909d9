#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/kernels.sh on a fake /boot and /lib/modules: the matrix, and a
# series never resolving to another series' kernel.  With Debian's RT
# kernel installed next to the 6.12 one, "6.12" picked
# 6.12.118+deb12-rt-amd64 (it sorts last), so `make module KVER=6.12`
# and `vm-run --kernel 6.12` silently built and booted the RT kernel.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
fail=0
mkdir -p "$root/boot"
for v in 6.1.0-56-amd64 6.1.0-57-amd64 6.12.117+deb12-amd64 \
	6.12.118+deb12-amd64 6.12.117+deb12-rt-amd64 6.12.118+deb12-rt-amd64; do
	mkdir -p "$root/lib/modules/$v/build"
	touch "$root/boot/vmlinuz-$v"
done
rm "$root/boot/vmlinuz-6.1.0-57-amd64"	# headers only: not bootable

k() { KERNELS_ROOT=$root "$top/scripts/kernels.sh" "$@" | tr '\n' ' '; }
check() {	# WHAT GOT WANT
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		echo "FAIL: $1: got '$2', want '$3'"
		fail=1
	fi
}
check "matrix" "$(k)" "6.1.0-57-amd64 6.12.118+deb12-amd64 6.12.118+deb12-rt-amd64 "
check "bootable matrix" "$(k --images)" "6.12.118+deb12-amd64 6.12.118+deb12-rt-amd64 "
check "--resolve series" "$(k --resolve 6.1 6.12 6.12-rt)" \
	"6.1.0-57-amd64 6.12.118+deb12-amd64 6.12.118+deb12-rt-amd64 "
check "--resolve full and unknown" "$(k --resolve 6.12.117+deb12-rt-amd64 7.0)" \
	"6.12.117+deb12-rt-amd64 7.0 "
check "--resolve-image series" \
	"$(k --resolve-image 6.1) $(k --resolve-image 6.12) $(k --resolve-image 6.12-rt)" \
	"6.1.0-56-amd64  6.12.118+deb12-amd64  6.12.118+deb12-rt-amd64 "
KERNELS_ROOT=$root "$top/scripts/kernels.sh" --resolve-image 6.2 > /dev/null
check "--resolve-image of nothing installed fails" "$?" 1
[ $fail = 0 ] && echo "kernels_test: all passed"
exit $fail
