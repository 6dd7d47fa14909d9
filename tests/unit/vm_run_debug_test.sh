#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/vm-run --kernel debug without building or booting anything: a
# fake cache entry of scripts/debug-kernel.sh and a fake
# qemu-system-x86_64 that, instead of a guest, writes what guest-run
# would into the scratch share (status, kernel log, the kmemleak report or
# a failed rmmod).  Checks the QEMU command line (image from the cache,
# kmemleak=on, the modules bound on /lib/modules, 2048 MB,
# --panic-on-warn) and the verdicts on the debug kernel's reports.
set -u

TOP=${MBMS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
VMRUN=$TOP/scripts/vm-run
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

if ! file -b /bin/busybox 2>/dev/null | grep -q 'statically linked' ||
	! pkgver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
	[ ! -r /usr/src/linux-source-6.1.tar.xz ]; then
	echo "skip: needs busybox-static and linux-source-6.1 (scripts/deps.sh)"
	exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/bin" "$work/vmcache"
export PATH=$work/bin:$PATH VM_RUN_CACHE=$work/vmcache VM_RUN_NO_VNG=1
export VM_RUN_TIMEOUT=20 VM_RUN_KVM_DEV=$work/no-kvm FAKE_LOG=$work/qemu.args

# vmrun NAME ARGS...: run vm-run, keep stdout, stderr and the status.
vmrun() {
	local name=$1
	shift
	rm -f "$FAKE_LOG"
	"$VMRUN" "$@" > "$work/$name.out" 2> "$work/$name.err" < /dev/null
	echo $? > "$work/$name.rc"
}
rc() { cat "$work/$1.rc"; }

# 1. No cached build: fail at once, build nothing.
MBMS_CACHE=$work/nocache vmrun nobuild --kernel debug -- true
[ "$(rc nobuild)" = 125 ] && grep -q 'debug kernel is not built' "$work/nobuild.err" ||
	bad "no cached build: rc $(rc nobuild), $(cat "$work/nobuild.err")"
[ -e "$FAKE_LOG" ] && bad "no cached build: QEMU ran"
[ -e "$work/nocache/debug-kernel/lock" ] && bad "no cached build: a build started"
ok "--kernel debug without a cached build: 125, no build"

# 2. A fake cache entry: what debug-kernel.sh leaves, all drivers built in.
export MBMS_CACHE=$work/cache
kver=6.1.0-fake-debug
entry=$MBMS_CACHE/debug-kernel/$pkgver-$(sha256sum "$TOP/scripts/debug-kernel.config" | cut -c1-12)
mods=$entry/modules/lib/modules/$kver
mkdir -p "$mods"
echo "$kver" > "$entry/kernelrelease"
echo fake > "$entry/bzImage"
: > "$mods/modules.dep"
printf 'kernel/drivers/virtio/virtio_pci.ko\nkernel/net/9p/9pnet_virtio.ko\nkernel/fs/9p/9p.ko\n' > "$mods/modules.builtin"
touch "$entry/done"

# The fake QEMU: FAKE_RC is the command's status; FAKE_DMESG the kernel
# log; FAKE_LEAK a kmemleak report, or "missing", or "rmmod" (the module
# did not unload, the report stays empty).
cat > "$work/bin/qemu-system-x86_64" <<'EOF2'
#!/bin/bash
printf '%s\n' "$@" > "$FAKE_LOG"
append= smp=1
while [ $# -gt 0 ]; do
	[ "$1" != -append ] || append=$2
	[ "$1" != -smp ] || smp=$2
	shift
done
scratch=$(printf '%s\n' $append | sed -n 's/^vm_scratch=//p')
echo "${FAKE_UPTIME0:-1.0}" > "$scratch/started"
# FAKE_UPTIME1: the guest's uptime after CMD, written 2.5 s later.
if [ -n "${FAKE_UPTIME1:-}" ]; then
	sleep 2.5
	echo "$FAKE_UPTIME1" > "$scratch/ended"
fi
echo "${FAKE_CPUS:-$smp}" > "$scratch/cpus"
echo "${FAKE_RC:-0}" > "$scratch/status"
case ${FAKE_LEAK:-} in
missing) echo "/sys/kernel/debug/kmemleak missing or kmemleak off" > "$scratch/kmemleak.missing" ;;
rmmod) echo "rmmod mbms_srtp: ERROR: Module mbms_srtp is in use" > "$scratch/rmmod.failed"
	: > "$scratch/kmemleak" ;;
*) cat "${FAKE_LEAK:-/dev/null}" > "$scratch/kmemleak" ;;
esac
printf '%s\n' "${FAKE_DMESG:-[    0.000000] kmemleak: Kernel memory leak detector initialized}" > "$scratch/dmesg"
EOF2
chmod +x "$work/bin/qemu-system-x86_64"

vmrun clean --kernel debug -- true
q=$(tr '\n' ' ' < "$FAKE_LOG" 2>/dev/null)
[ "$(rc clean)" = 0 ] || bad "clean debug run: rc $(rc clean): $(cat "$work/clean.err")"
case $q in *"-kernel $entry/bzImage "*) ;; *) bad "QEMU did not get the cached image: $q" ;; esac
case $q in *" -m 2048 "*) ;; *) bad "debug guest memory is not 2048 MB: $q" ;; esac
case $q in *" kmemleak=on "*) ;; *) bad "no kmemleak=on: $q" ;; esac
case $q in *" vm_modroot=$entry/modules/lib/modules "*) ;; *) bad "no vm_modroot: $q" ;; esac
case $q in *panic_on_warn*) bad "panic_on_warn without --panic-on-warn: $q" ;; esac
grep -q 'kmemleak: 0 record(s) of mbms_srtp' "$work/clean.err" ||
	bad "clean run: no kmemleak verdict: $(cat "$work/clean.err")"
ok "--kernel debug: cached image, 2048 MB, kmemleak=on, modules root; the boot log's kmemleak line is no finding"

# A kernel that brings up fewer CPUs than asked (the debug kernel without
# ACPI ran every 2-vCPU stage on one CPU, silently): the run fails.
FAKE_CPUS=1 vmrun onecpu --kernel debug --cpus 2 -- true
[ "$(rc onecpu)" = 1 ] && grep -q 'FAIL: the guest had 1 CPU(s), --cpus asked for 2' "$work/onecpu.err" ||
	bad "a guest with 1 of 2 CPUs: rc $(rc onecpu): $(cat "$work/onecpu.err")"
vmrun twocpu --kernel debug --cpus 2 -- true
[ "$(rc twocpu)" = 0 ] || bad "a guest with its 2 CPUs: rc $(rc twocpu): $(cat "$work/twocpu.err")"
ok "a guest with fewer CPUs than --cpus fails the run"

vmrun pow --kernel debug --panic-on-warn --mem 3000 -- true
q=$(tr '\n' ' ' < "$FAKE_LOG" 2>/dev/null)
case $q in *" panic_on_warn=1 "*) ;; *) bad "--panic-on-warn: $q" ;; esac
case $q in *" -m 3000 "*) ;; *) bad "--mem with --kernel debug ignored: $q" ;; esac
ok "--panic-on-warn, --mem"

leak() {	# a kmemleak record whose last frame is FRAME
	printf '%s\n' 'unreferenced object 0xffff888005e4c000 (size 192):' \
		'  comm "mbmsctl", pid 321, jiffies 4294937356 (age 12.340s)' \
		'  backtrace:' '    [<ffffffff8123abcd>] __kmalloc+0x4d/0x150' "    $1"
}
leak '[<ffffffffa0012345>] 0xffffffffa0012345' > "$work/ours"
leak '[<ffffffff81a00010>] genl_rcv_msg+0x1f0/0x3a0' > "$work/theirs"
FAKE_LEAK=$work/ours vmrun ours --kernel debug -- true
[ "$(rc ours)" = 1 ] && grep -q 'FAIL: kmemleak: 1 record(s) of mbms_srtp' "$work/ours.err" &&
	grep -q 'unreferenced object' "$work/ours.err" ||
	bad "a leak of the module: rc $(rc ours): $(cat "$work/ours.err")"
FAKE_LEAK=$work/theirs vmrun theirs --kernel debug -- true
[ "$(rc theirs)" = 0 ] && grep -q '0 record(s) of mbms_srtp, 1 of the kernel' "$work/theirs.err" ||
	bad "a leak of the kernel only: rc $(rc theirs): $(cat "$work/theirs.err")"
FAKE_LEAK=$work/ours FAKE_RC=3 vmrun ours3 --kernel debug -- true
[ "$(rc ours3)" = 3 ] || bad "a leak after a failed command must keep its status 3, got $(rc ours3)"
ok "kmemleak: the module's leak fails the run and is printed, the kernel's is counted"

FAKE_LEAK=missing vmrun missing --kernel debug -- true
[ "$(rc missing)" = 1 ] && grep -q 'no kmemleak scan' "$work/missing.err" ||
	bad "no kmemleak scan: rc $(rc missing): $(cat "$work/missing.err")"
FAKE_LEAK=rmmod vmrun rmmod --kernel debug -- true
[ "$(rc rmmod)" = 1 ] && grep -q 'did not unload' "$work/rmmod.err" ||
	bad "rmmod failed: rc $(rc rmmod): $(cat "$work/rmmod.err")"
ok "no kmemleak scan, or a module that does not unload: the run fails"

for r in 'BUG: KFENCE: use-after-free read in mbms_rx+0x1/0x2 [mbms_srtp]' \
	'BUG: KASAN: slab-use-after-free in mbms_key_lookup+0x1/0x2' \
	'WARNING: possible circular locking dependency detected' \
	'WARNING: suspicious RCU usage' \
	'BUG: sleeping function called from invalid context at mm/slab.h:1' \
	'UBSAN: shift-out-of-bounds in kmod/replay.c:40:3' \
	'ODEBUG: free active (active state 0) object type: timer_list'; do
	FAKE_DMESG="[   12.000000] $r" vmrun report --kernel debug -- true
	[ "$(rc report)" = 1 ] && grep -qF "$r" "$work/report.err" ||
		bad "report '$r': rc $(rc report), $(cat "$work/report.err")"
done
ok "KFENCE, KASAN, lockdep, RCU, atomic sleep, UBSAN, ODEBUG reports fail the run and are printed"

# The guest's clock (any kernel on the plain QEMU path).  The debug
# guest once calibrated its TSC at 84 MHz on a 2.09 GHz host: its clock
# ran 25 times fast, every timeout of the tests was 25 times short, and
# nothing said so.  vm-run passes the host's TSC frequency
# (tsc_early_khz=) and fails a guest whose clock does not keep time.
vmrun tsc --kernel debug -- true
q=$(tr '\n' ' ' < "$FAKE_LOG" 2>/dev/null)
if grep -qw constant_tsc /proc/cpuinfo; then
	[[ $q =~ \ tsc_early_khz=[1-9][0-9]{5,7}\  ]] || bad "no tsc_early_khz= under TCG: $q"
fi
vmrun tsc_icount --kernel debug --icount --cpus 1 -- true
q=$(tr '\n' ' ' < "$FAKE_LOG" 2>/dev/null)
case $q in *tsc_early_khz=*) bad "tsc_early_khz= under --icount (its TSC counts instructions): $q" ;; esac
ok "TCG guests get the host's TSC frequency (tsc_early_khz=), --icount guests do not"

FAKE_UPTIME1=60.0 vmrun fast --kernel debug -- true
[ "$(rc fast)" = 1 ] && grep -q "FAIL: the guest's clock does not keep time: 59.0 s of guest time passed in 2.[5-9] s" "$work/fast.err" ||
	bad "a guest clock 20 times fast: rc $(rc fast): $(cat "$work/fast.err")"
FAKE_UPTIME1=1.9 vmrun slow --kernel debug -- true
[ "$(rc slow)" = 1 ] && grep -q "does not keep time: 0.9 s of guest time passed in 2.[5-9] s" "$work/slow.err" ||
	bad "a guest clock 3 times slow: rc $(rc slow): $(cat "$work/slow.err")"
FAKE_UPTIME1=60.0 FAKE_RC=3 vmrun fast3 --kernel debug -- true
[ "$(rc fast3)" = 3 ] || bad "a fast clock after a failed command must keep its status 3, got $(rc fast3)"
FAKE_UPTIME1=3.6 vmrun keeps --kernel debug -- true
[ "$(rc keeps)" = 0 ] || bad "a guest clock that keeps time: rc $(rc keeps): $(cat "$work/keeps.err")"
FAKE_UPTIME0=400.0 vmrun early --kernel debug -- true
[ "$(rc early)" = 1 ] && grep -q "does not keep time: the guest was up 400.0 s when QEMU had run 0\.[0-9] s" "$work/early.err" ||
	bad "a guest up 400 s after a boot of under a second: rc $(rc early): $(cat "$work/early.err")"
FAKE_UPTIME1=60.0 vmrun fast_icount --kernel debug --icount --cpus 1 -- true
[ "$(rc fast_icount)" = 0 ] || bad "--icount's clock counts instructions, not judged: rc $(rc fast_icount): $(cat "$work/fast_icount.err")"
ok "a guest clock that runs fast or slow over CMD, or was up longer than QEMU ran, fails the run (not under --icount)"

[ $fail = 0 ] && echo "vm_run_debug_test: all passed"
exit $fail
