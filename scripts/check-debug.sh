#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel suites on the debug kernel (make check-debug):
#
#   scripts/check-debug.sh
#
# The selftests, then the e2e suite, each in its own `vm-run --kernel
# debug` (2 vCPUs).  vm-run fails a run whose guest log has any KASAN,
# KFENCE, UBSAN, lockdep, RCU, BUG or WARNING report, or whose module
# does not unload, or whose kmemleak scan (after the unload) names the
# module; it prints the report.  Every suite runs even when another
# fails; KTAP SKIP lines are listed with their reasons.  Output also goes
# to build/check/debug.log.
#
# Environment: PANIC_ON_WARN=1 (vm-run --panic-on-warn),
# CHECK_DEBUG_SELFTESTS_TIMEOUT (default 5400 s) and
# CHECK_DEBUG_E2E_TIMEOUT (default 2700 s): KASAN and lockdep under TCG
# make a guest several times slower than on a production kernel.
set -u

top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
out=$top/build/check
mkdir -p "$out"
cd "$top" || exit 1

dk=$("$top/scripts/debug-kernel.sh" --cached) || exit 1
kver=$(cat "$dk/kernelrelease")
ko=$top/build/kmod/$kver/kmod/mbms_srtp.ko
[ -r "$ko" ] || { echo "check-debug: $ko missing (make module-debug)" >&2; exit 1; }

opts=(--kernel debug --cpus 2)
[ "${PANIC_ON_WARN:-0}" = 0 ] || opts+=(--panic-on-warn)

# suite name, vm-run timeout, command
SUITES=("selftests ${CHECK_DEBUG_SELFTESTS_TIMEOUT:-5400} tests/selftests/run.sh"
	"e2e ${CHECK_DEBUG_E2E_TIMEOUT:-2700} tests/e2e/run.sh")

run() {
	local s name tmo cmd t0 rc fail="" summary=""
	echo "check-debug: kernel $kver from $dk (built in $(cat "$dk/build-seconds" 2>/dev/null || echo ?)s wall, $(cat "$dk/build-cpu-seconds" 2>/dev/null || echo ?)s CPU)"
	t_all=$SECONDS
	for s in "${SUITES[@]}"; do
		read -r name tmo cmd <<< "$s"
		echo "== $(date -u +%T) $name on the debug kernel $kver"
		t0=$SECONDS
		# shellcheck disable=SC2086  # cmd is a command and its arguments
		"$top/scripts/vm-run" "${opts[@]}" --timeout "$tmo" -- $cmd 2>&1 |
			tee "$out/debug-$name.log"
		rc=${PIPESTATUS[0]}
		if [ "$rc" = 0 ]; then
			summary+=" $name=$((SECONDS - t0))s"
		else
			fail+=" $name"
			summary+=" $name=FAILED(exit $rc, $((SECONDS - t0))s)"
		fi
		grep -E '^(not )?ok [0-9]+ .*# SKIP' "$out/debug-$name.log" |
			sed "s/^/check-debug: $name skipped: /"
	done
	echo "check-debug: took $((SECONDS - t_all))s:$summary (logs: build/check/debug-*.log)"
	if [ -n "$fail" ]; then
		echo "check-debug: FAILED:$fail"
		return 1
	fi
	echo "check-debug: all suites passed on the debug kernel"
}

run 2>&1 | tee "$out/debug.log"
exit "${PIPESTATUS[0]}"
