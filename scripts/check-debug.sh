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
# CHECK_DEBUG_SELFTESTS_TIMEOUT (default 9000 s, 5400 s with QUICK) and
# CHECK_DEBUG_E2E_TIMEOUT (default 2700 s): KASAN and lockdep under TCG
# make a guest several times slower than on a production kernel.
# CHECK_DEBUG_STAGES: the selftest stages to run (default: all of them).
# CHECK_DEBUG_E2E=0: skip the e2e suite (said in the summary).
# CHECK_DEBUG_QUICK=1 (`make check-debug QUICK=1`, what .ci/run runs
# with MBMS_CI_DEBUG=1): the stages of QUICK_STAGES below instead of the
# whole suite: every code path of the module once under KASAN, lockdep
# and kmemleak.  Both profiles use 2,000-packet streams (MBMS_PACKETS)
# and readiness waits 4 times longer (MBMS_TIME_SCALE).  Measured on this
# 2-core host: the full selftests 5,259 s at load 2 to 3 (one CPU then,
# before ACPI), the quick ones 2,296 s at load 2 to 4; README, "The
# debug kernel", has the rest.
set -u

# The quick tier: load and unload, the decrypt path in every direction it
# takes (v4, v6, multicast, SRTCP, RFC 4771, cloned and GSO skbs,
# fragments), every way a packet is refused (tamper, replay, forged ROC,
# bad checksum), the netlink parsers and dumps, namespaces, memory
# accounting and limits, SSRC eviction, events, the concurrent churn and
# the namespace deleted under traffic, then kmemleak.  What it leaves
# out repeats these paths with more packets or other counts.
QUICK_STAGES="load rtp rcc_forged replay tamper ipv6 srtcp nl_malformed
	nl_dump_resume nl_netns memcg limits userns cloned_skb gso csum_bad
	ssrc_evict events_soft frag_forged frag_genuine frag_pass hooks_lazy
	churn netns_delete unload leaks"

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

stages=${CHECK_DEBUG_STAGES:-}
profile=full
if [ "${CHECK_DEBUG_QUICK:-0}" = 1 ]; then
	profile=quick
	stages=${CHECK_DEBUG_STAGES:-$QUICK_STAGES}
fi
# Both profiles: 2,000-packet streams instead of 10,000.  What this tier
# looks for (a KASAN, lockdep or RCU report, a leak) shows on the first
# packets through a path; the counts at full size are checked on the
# production kernels by make check.  MBMS_PACKETS=10000 for the full size.
export MBMS_PACKETS=${MBMS_PACKETS:-2000}
# Readiness waits (wait_until, wait_for_file) 4 times longer: measured, a
# process start in this guest takes 5 times as long as on Debian's kernel
# (0.21 s against 0.04 s for /bin/true, idle host), and the e2e suite's
# 30-second waits for mbmsd ran out under a loaded host.
export MBMS_TIME_SCALE=${MBMS_TIME_SCALE:-4}
stages=$(tr -s " \t\n" "   " <<< "$stages" | sed "s/^ //; s/ $//")

# suite name, vm-run timeout, command
# the full selftests took 5,259 s once: 9,000 s leaves room for a loaded host
tmo=9000
[ "$profile" = full ] || tmo=5400
SUITES=("selftests ${CHECK_DEBUG_SELFTESTS_TIMEOUT:-$tmo} tests/selftests/run.sh $stages")
if [ "${CHECK_DEBUG_E2E:-1}" = 0 ]; then
	e2e_note=" e2e=SKIPPED(CHECK_DEBUG_E2E=0)"
else
	e2e_note=""
	SUITES+=("e2e ${CHECK_DEBUG_E2E_TIMEOUT:-2700} tests/e2e/run.sh")
fi

run() {
	local s name tmo cmd t0 rc fail="" summary=""
	echo "check-debug: kernel $kver from $dk (built in $(cat "$dk/build-seconds" 2>/dev/null || echo ?)s wall, $(cat "$dk/build-cpu-seconds" 2>/dev/null || echo ?)s CPU)"
	echo "check-debug: $profile profile: selftests ${stages:-(all stages)}${MBMS_PACKETS:+, MBMS_PACKETS=$MBMS_PACKETS}"
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
	echo "check-debug: took $((SECONDS - t_all))s:$summary$e2e_note (logs: build/check/debug-*.log)"
	if [ -n "$fail" ]; then
		echo "check-debug: FAILED:$fail"
		return 1
	fi
	echo "check-debug: all suites passed on the debug kernel"
}

run 2>&1 | tee "$out/debug.log"
exit "${PIPESTATUS[0]}"
