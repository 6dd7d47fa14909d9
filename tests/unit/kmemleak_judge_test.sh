#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/vm/kmemleak-judge on hand-made kmemleak reports in the format of
# mm/kmemleak.c (print_unreferenced): which records it attributes to the
# module, and its exit status.
set -u
TOP=${MBMS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
judge=$TOP/scripts/vm/kmemleak-judge
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

# record COMM FRAME...: one unreferenced object with these frames.
record() {
	local comm=$1 f
	shift
	cat <<REC
unreferenced object 0xffff888005e4c000 (size 192):
  comm "$comm", pid 321, jiffies 4294937356 (age 12.340s)
  hex dump (first 32 bytes):
    6d 62 6d 73 5f 73 65 73 73 69 6f 6e 00 00 00 00  mbms_session....
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................
  backtrace:
REC
	for f in "$@"; do
		echo "    $f"
	done
}
kernel_frames=('[<ffffffff8123abcd>] __kmalloc+0x4d/0x150' '[<ffffffff81a00010>] genl_rcv_msg+0x1f0/0x3a0')

# case NAME WANT-STATUS WANT-RECORDS: judge $work/r, check both.
check() {
	local name=$1 want=$2 want_n=$3 rc=0 n
	"$judge" "$work/r" > "$work/out" 2> "$work/err" || rc=$?
	n=$(grep -c '^unreferenced object' "$work/out")
	if [ "$rc" = "$want" ] && [ "$n" = "$want_n" ]; then
		echo "ok: $name"
	else
		echo "FAIL: $name: exit $rc (want $want), $n record(s) of ours (want $want_n): $(cat "$work/err")"
		fail=1
	fi
}

: > "$work/r"
check "empty report: no leak" 0 0

record modprobe "${kernel_frames[@]}" > "$work/r"
check "the kernel's own leak (module name only in the hex dump): not ours" 0 0

{
	record modprobe "${kernel_frames[@]}"
	record mbmsctl "${kernel_frames[0]}" '[<ffffffffa0012345>] 0xffffffffa0012345' "${kernel_frames[1]}"
} > "$work/r"
check "a frame in the unloaded module (bare address): ours" 1 1

record mbmsctl "${kernel_frames[0]}" '[<ffffffffa0012345>] mbms_session_new+0x45/0x200 [mbms_srtp]' > "$work/r"
check "a frame naming the loaded module: ours" 1 1

{
	record mbmsctl "${kernel_frames[0]}" '[<ffffffffa0012345>] 0xffffffffa0012345'
	record ksoftirqd/0 "${kernel_frames[0]}" '[<ffffffffa0013000>] mbms_rx+0x10/0x80'
} > "$work/r"
check "two of ours" 1 2

exit $fail
