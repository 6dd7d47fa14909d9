#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/vm-run without booting anything: a fake `vng` on PATH records
# its arguments and runs scripts/vm/guest-run on the host in place of the
# guest, so that we can check the vng command line vm-run builds, the
# exit status it passes through, the kernel-log check, the timeout, and
# the KVM decision (probe boot that hangs -> TCG, forced --kvm that hangs
# -> fails within the boot deadline).  A fake qemu-system-x86_64 records
# its arguments and fails the test if vm-run takes the plain QEMU path
# anywhere but --icount, which must take it.
set -u

TOP=${MBMS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
VMRUN=$TOP/scripts/vm-run
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

# vm-run needs an installed kernel image and its modules, even with vng.
kver=
for f in /boot/vmlinuz-*; do
	k=${f#/boot/vmlinuz-}
	[ -d "/lib/modules/$k" ] && { kver=$k; break; }
done
if [ -z "$kver" ]; then
	echo "skip: no kernel image in /boot with modules (scripts/deps.sh installs them)"
	exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/bin" "$work/rw" "$work/cache"
touch "$work/kvm"	# a writable stand-in for /dev/kvm

# The fake vng.  FAKE_VNG_MODE: run (default), hang (never boots),
# hang-kvm (hangs unless --disable-kvm, like KVM on a bad host), nostatus
# (exits without running anything).  FAKE_VNG_DMESG: the "guest" kernel log.
cat > "$work/bin/vng" <<'EOF'
#!/bin/bash
log=$FAKE_VNG_LOG.$$
printf '%s\n' "$@" > "$log"
exec_cmd= kvm=1
while [ $# -gt 0 ]; do
	case $1 in
	--exec) exec_cmd=$2; shift ;;
	--disable-kvm) kvm=0 ;;
	esac
	shift
done
case ${FAKE_VNG_MODE:-run} in
hang) exec sleep 6123 ;;
hang-kvm) [ $kvm = 0 ] || exec sleep 6123 ;;
nostatus) exit 0 ;;
esac
# what vng's init would do: run the command vm-run gave it
eval "$exec_cmd"
scratch=${exec_cmd##* }
printf '%s\n' "${FAKE_VNG_DMESG:-[    0.000000] Linux version fake}" > "$scratch/dmesg"
exit 0
EOF
cat > "$work/bin/qemu-system-x86_64" <<'EOF'
#!/bin/sh
echo "fake qemu-system-x86_64 called: vm-run took the plain QEMU path" >&2
printf '%s\n' "$@" > "$FAKE_VNG_LOG.qemu"
exit 99
EOF
chmod +x "$work/bin/vng" "$work/bin/qemu-system-x86_64"

export PATH=$work/bin:$PATH VM_RUN_CACHE=$work/cache FAKE_VNG_LOG=$work/vng
unset VM_RUN_NO_VNG
# Nothing here may wait for long, even when vm-run regresses.
export VM_RUN_TIMEOUT=20
export VM_RUN_KVM_DEV=$work/no-kvm

# vmrun NAME ARGS...: run vm-run, keep stdout, stderr and the status.
vmrun() {
	local name=$1
	shift
	rm -f "$work"/vng.*
	"$VMRUN" "$@" > "$work/$name.out" 2> "$work/$name.err" < /dev/null
	echo $? > "$work/$name.rc"
}
rc() { cat "$work/$1.rc"; }
# the arguments of the last vng call (the main run, not a probe)
args() { cat "$(ls -t "$work"/vng.[0-9]* | head -n1)"; }
no_qemu() { [ ! -e "$work/vng.qemu" ] || bad "$1: the plain QEMU path ran"; }

# 1. The command line, the environment, the working directory, the status.
cd "$work/rw" || exit 1
MBMS_T_VAR='a b' vmrun basic --kernel "$kver" --cpus 1 --mem 512 \
	--rw "$work/rw" -- sh -c 'echo "out:$MBMS_T_VAR:$(pwd)"; exit 3'
cd / || exit 1
[ "$(rc basic)" = 3 ] || bad "exit status 3 not passed through (got $(rc basic)): $(cat "$work/basic.err")"
grep -qx "out:a b:$work/rw" "$work/basic.out" ||
	bad "command output, MBMS_* or cwd lost: $(cat "$work/basic.out")"
mapfile -t a < <(args)
scratch=${a[${#a[@]} - 1]##* }
want=(--run "/boot/vmlinuz-$kver" --cpus 1 --memory 512M --rwdir "$scratch"
	--append "${a[9]}" --disable-kvm --rwdir "$(cd "$work/rw" && pwd -P)"
	--exec "/bin/bash $TOP/scripts/vm/guest-run $scratch")
[ "${a[*]}" = "${want[*]}" ] ||
	bad "vng command line: got '${a[*]}', want '${want[*]}'"
case ${a[9]} in
*console=ttyS0*"vm_scratch=$scratch"*) ;;
*) bad "--append lacks the console or vm_scratch: ${a[9]}" ;;
esac
case $scratch in
/*/vm-run.*) [ ! -e "$scratch" ] || bad "scratch $scratch left behind" ;;
*) bad "no scratch directory at the end of --exec: '$scratch'" ;;
esac
no_qemu basic
ok "vng command line, environment, cwd, exit status 3"

vmrun zero --kernel "$kver" -- true
[ "$(rc zero)" = 0 ] || bad "exit status 0 (got $(rc zero)): $(cat "$work/zero.err")"
ok "exit status 0"

# 2. A warning in the guest's kernel log fails a passing command.
FAKE_VNG_DMESG='[   1.0] WARNING: CPU: 0 PID: 1 at kmod/rx.c:10' \
	vmrun warn --kernel "$kver" -- true
[ "$(rc warn)" = 1 ] || bad "kernel warning: want exit 1, got $(rc warn)"
grep -q 'kernel warnings' "$work/warn.err" || bad "kernel warning not reported"
FAKE_VNG_DMESG='[   1.0] WARNING: x' vmrun warnok --kernel "$kver" --allow-warnings -- true
[ "$(rc warnok)" = 0 ] || bad "--allow-warnings: want 0, got $(rc warnok)"
ok "kernel log check"

# 3. A guest that never reports a status, one that never ends.
FAKE_VNG_MODE=nostatus vmrun nostatus --kernel "$kver" -- true
[ "$(rc nostatus)" = 125 ] || bad "no status: want 125, got $(rc nostatus)"
t0=$SECONDS
FAKE_VNG_MODE=hang vmrun hang --kernel "$kver" --timeout 2 -- true
[ "$(rc hang)" = 124 ] || bad "timeout: want 124, got $(rc hang)"
[ $((SECONDS - t0)) -le 10 ] || bad "timeout of 2s took $((SECONDS - t0))s"
grep -q TIMEOUT "$work/hang.err" || bad "timeout not reported"
ok "no status -> 125, timeout -> 124"

# 4. KVM.  --kvm with no KVM device: a clear error, no boot.
vmrun nokvm --kernel "$kver" --kvm -- true
[ "$(rc nokvm)" = 125 ] && grep -q 'not writable' "$work/nokvm.err" ||
	bad "--kvm without $VM_RUN_KVM_DEV: rc $(rc nokvm), $(cat "$work/nokvm.err")"
export VM_RUN_KVM_DEV=$work/kvm
vmrun kvm --kernel "$kver" --kvm -- true
[ "$(rc kvm)" = 0 ] || bad "--kvm: rc $(rc kvm)"
args | grep -qx -- --disable-kvm && bad "--kvm: vng got --disable-kvm"
# A forced KVM guest that hangs fails within the boot deadline.
t0=$SECONDS
FAKE_VNG_MODE=hang VM_RUN_KVM_BOOT_TIMEOUT=2 vmrun kvmhang --kernel "$kver" --kvm -- true
[ "$(rc kvmhang)" = 125 ] || bad "--kvm hang: want 125, got $(rc kvmhang)"
[ $((SECONDS - t0)) -le 10 ] || bad "--kvm hang took $((SECONDS - t0))s"
grep -q 'did not start CMD' "$work/kvmhang.err" || bad "--kvm hang: $(cat "$work/kvmhang.err")"
ok "--kvm: error without a device, KVM on vng, boot deadline"

# Automatic: the probe boot hangs under KVM -> TCG, quickly, with a message.
t0=$SECONDS
FAKE_VNG_MODE=hang-kvm VM_RUN_KVM_PROBE_TIMEOUT=2 vmrun probe --kernel "$kver" -- true
[ "$(rc probe)" = 0 ] || bad "probe fallback: rc $(rc probe): $(cat "$work/probe.err")"
[ $((SECONDS - t0)) -le 15 ] || bad "probe fallback took $((SECONDS - t0))s"
grep -q 'falling back to TCG' "$work/probe.err" || bad "probe fallback not reported"
args | grep -qx -- --disable-kvm || bad "probe failed but the run did not use --disable-kvm"
[ "$(sed -n 2p "$work/cache/kvm-probe-$kver")" = fail ] || bad "probe result not cached"
# ... and the next run reuses the result without probing again.
t0=$SECONDS
FAKE_VNG_MODE=hang-kvm VM_RUN_KVM_PROBE_TIMEOUT=2 vmrun probe2 --kernel "$kver" -- true
[ "$(rc probe2)" = 0 ] && [ $((SECONDS - t0)) -le 5 ] ||
	bad "cached probe: rc $(rc probe2) in $((SECONDS - t0))s"
grep -q 'using TCG' "$work/probe2.err" || bad "cached probe: no message"
# A probe that boots: KVM.
rm -f "$work/cache/kvm-probe-$kver"
vmrun probeok --kernel "$kver" -- true
[ "$(rc probeok)" = 0 ] || bad "probe ok: rc $(rc probeok)"
args | grep -qx -- --disable-kvm && bad "probe passed but the run used --disable-kvm"
grep -q 'using KVM' "$work/probeok.err" || bad "probe ok: no message"
no_qemu probe
ok "KVM probe: hang -> TCG with a message, cached; success -> KVM"

# 5. --icount: plain QEMU (vng cannot pass -icount), single-threaded TCG
# on the instruction counter, never KVM.
vmrun icountkvm --kernel "$kver" --icount --kvm -- true
[ "$(rc icountkvm)" = 125 ] && grep -q 'exclude each other' "$work/icountkvm.err" ||
	bad "--icount --kvm: rc $(rc icountkvm), $(cat "$work/icountkvm.err")"
no_qemu icountkvm
# The plain QEMU path builds an initramfs around a static busybox.
if file -b /bin/busybox 2>/dev/null | grep -q 'statically linked'; then
	# a usable KVM device ($work/kvm, from section 4) must not matter
	vmrun icount --kernel "$kver" --cpus 1 --icount --timeout 5 -- true
	[ -e "$work/vng.qemu" ] || bad "--icount did not take the plain QEMU path"
	[ "$(rc icount)" = 125 ] || bad "--icount with a QEMU that fails: want 125, got $(rc icount)"
	q=$(tr '\n' ' ' < "$work/vng.qemu" 2>/dev/null)
	case $q in
	*"-accel tcg,thread=single -icount shift=0,sleep=on "*) ;;
	*) bad "--icount: QEMU arguments lack the instruction counter: $q" ;;
	esac
	case $q in *kvm*) bad "--icount with a KVM device: QEMU got KVM: $q" ;; esac
	grep -q 'warning: --icount' "$work/icount.err" && bad "--icount --cpus 1 warned"
	vmrun icount2 --kernel "$kver" --cpus 2 --icount --timeout 5 -- true
	grep -q 'warning: --icount with 2 vCPUs' "$work/icount2.err" ||
		bad "--icount --cpus 2: no warning: $(cat "$work/icount2.err")"
	ok "--icount: plain QEMU, tcg,thread=single, -icount shift=0; not KVM; warns with 2 vCPUs"
else
	echo "skip: --icount path (no static /bin/busybox for the plain QEMU initramfs)"
fi

# No fake guest may outlive its run.
pgrep -f "^sleep 6123$" > /dev/null && bad "a hung fake guest was left running"

[ $fail = 0 ] && echo "vm_run_test: all passed"
exit $fail
