#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel part of `make check` (make check-kernel):
#
#   scripts/check-kernel.sh KVER...
#
# Every kernel of the matrix runs its suites (selftests, the SMP stages,
# e2e) in its own VMs, one after the other, all kernels side by side:
# the selftests and e2e get one vCPU (CHECK_VM_CPUS) and the CI machine
# has two cores, so two kernels take about as long as one and the three of
# the matrix (6.1, 6.12, 6.12-rt) about 1.5 times as long.  The stages
# that need two CPUs (churn: packets on one CPU, configuration on the
# other; max_packets_smp) skip on one, so each kernel also gets a short
# 2-vCPU run of them (issue 14: churn on every kernel with 2 vCPUs).
# Each kernel's output goes to our stdout with its series as a prefix
# ("[6.12-rt] ...") and, unprefixed, to build/check/<KVER>.log.  Then the
# bench smoke runs alone on the first kernel.  Every suite runs even when
# another fails; the summary names each suite that did not pass and the
# exit status says whether all did.
#
# Running VMs side by side is safe: vm-run gives every run its own scratch
# directory and builds its shared initramfs cache under a lock, and the
# suites' network namespaces, ports and /tmp files live inside their VM.
set -u

top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
out=$top/build/check
cpus=${CHECK_VM_CPUS:-1}
[ $# -gt 0 ] || { echo "check-kernel: no kernel given (see scripts/kernels.sh)" >&2; exit 1; }
mkdir -p "$out"
cd "$top" || exit 1

# suite name, vm-run timeout, vCPUs, command.  The selftests took 1661 s
# on the RT kernel with one vCPU on a host loaded 7x over (churn stage
# included): three VMs on two cores need the margin.
SUITES=("selftests 2400 $cpus tests/selftests/run.sh"
	"smp 900 2 tests/selftests/run.sh load max_packets_smp churn unload leaks"
	"e2e 900 $cpus tests/e2e/run.sh")

label() {	# 6.12.117+deb12-amd64 -> 6.12, 6.12.117+deb12-rt-amd64 -> 6.12-rt
	case $1 in
	*-rt-*) echo "$(echo "$1" | cut -d. -f1-2)-rt" ;;
	*) echo "$1" | cut -d. -f1-2 ;;
	esac
}

# One kernel's suites in sequence; $out/<KVER>.result gets one line per
# suite that passed, so a run killed half way is not counted as passing.
run_kernel() {
	local k=$1 s name tmo ncpu cmd t0 rc
	for s in "${SUITES[@]}"; do
		read -r name tmo ncpu cmd <<< "$s"
		echo "== $(date -u +%T) $name on $k ($ncpu vCPU)"
		t0=$SECONDS
		# shellcheck disable=SC2086  # cmd is a command and its arguments
		"$top/scripts/vm-run" --kernel "$k" --cpus "$ncpu" --timeout "$tmo" -- $cmd
		rc=$?
		if [ $rc = 0 ]; then
			echo "== $(date -u +%T) $name on $k: passed in $((SECONDS - t0))s"
			echo "$name passed $((SECONDS - t0))" >> "$out/$k.result"
		else
			echo "== $(date -u +%T) $name on $k: FAILED (exit $rc) after $((SECONDS - t0))s"
			echo "$name failed $((SECONDS - t0))" >> "$out/$k.result"
		fi
	done
}

# On SIGTERM/SIGINT stop the VMs we started (vm-run cleans up on TERM).
pids=()
kill_tree() {
	local c
	for c in $(pgrep -P "$1"); do
		kill_tree "$c"
	done
	kill -TERM "$1" 2>/dev/null
}
stop() {
	local p
	trap - TERM INT
	echo "check-kernel: interrupted; stopping the VMs" >&2
	for p in "${pids[@]}"; do
		kill_tree "$p"
	done
	exit 130
}
trap stop TERM INT

t_all=$SECONDS
for k in "$@"; do
	rm -f "$out/$k.result" "$out/$k.log"
	l=$(label "$k")
	(run_kernel "$k" 2>&1 | tee "$out/$k.log" | sed -u "s/^/[$l] /") &
	pids+=($!)
done
wait "${pids[@]}"
t_vms=$((SECONDS - t_all))

fail=""
summary=""
for k in "$@"; do
	for s in "${SUITES[@]}"; do
		read -r name _ <<< "$s"
		r=$(grep "^$name " "$out/$k.result" 2>/dev/null | tail -n1)
		case $r in
		"$name passed "*) summary+=" $name@$(label "$k")=${r##* }s" ;;
		"$name failed "*) fail+=" $name@$k"; summary+=" $name@$(label "$k")=FAILED" ;;
		*) fail+=" $name@$k"; summary+=" $name@$(label "$k")=not-run" ;;
		esac
	done
done
echo "check-kernel: suites on $# kernel(s) side by side took ${t_vms}s:$summary (logs: build/check/<KVER>.log)"

t0=$SECONDS
"$top/scripts/bench.sh" --smoke --kernel "$1" || fail+=" bench-smoke"
echo "check-kernel: bench smoke took $((SECONDS - t0))s"

if [ -n "$fail" ]; then
	echo "check-kernel: FAILED:$fail"
	exit 1
fi
echo "check-kernel: all suites passed on: $*"
