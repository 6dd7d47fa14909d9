#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The variations of Documentation/evaluation.rst beyond `make sim`: each is
# the default preset (seed 1) with one or two options changed.  Writes
# sim/results/scenarios.md (one markdown table per variation).
#   sim/scenarios.sh [OUTFILE]
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
SIM=${MBMS_BIN:-$TOP/build/userspace/bin}/mbms-sim
OUT=${1:-$TOP/sim/results/scenarios.md}

run() {
	title=$1
	shift
	printf '\n## %s\n\n`mbms-sim --preset default %s`\n\n' "$title" "$*"
	"$SIM" --preset default "$@" 2>/dev/null
}

{
	echo "# mbms-sim: variations of the default scenario (seed 1)"
	run "mbmsd's default jitter window (10 s)" --jitter 10
	run "A BM-SC that never overloads (20000 requests/s)" --capacity 20000
	run "Pulls paced by the BM-SC at 500/s" --pull-rate 500
	run "Pushes overtaking the HTTP response (push 20 ms, RTT/2 50 ms)" --push-delay 0.02
	run "Responses within one rate-limit window (max queue wait 0.5 s)" --queue-max 0.5 --jitter-mode off
	run "What-if: an unknown MSK in an MTK message triggers (delta 2 s)" --mtk-trigger
	run "What-if: ... with delta 8 s, jitter 5 s, ample capacity" --mtk-trigger --mtk-delta 8 --jitter 5 --capacity 20000
	run "Short GBA keys (fixed 120 s lifetime)" --lifetime fixed:120 --jitter-mode on
	for e in 0 0.1 0.6 1; do
		run "MUKs expired at the change: $e" --expired $e --jitter-mode on
	done
} >"$OUT"
echo "scenarios.sh: wrote $OUT"
