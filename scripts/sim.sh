#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make sim: run mbms-sim (strict/relaxed x jitter off/on) with a preset and
# draw the plots.  Writes sim/results/<preset>/: summary.csv, results.md
# (parameters and the table), rate.csv, cdf-*.csv, rate.png, delay-cdf.png.
#
#   SIM_PRESET=default|large|small   (default: default)
#   SIM_ARGS="--seed 2 --jitter 10"  extra mbms-sim options
#   SIM_OUT=DIR                      output directory
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${MBMS_BIN:-$TOP/build/userspace/bin}
PRESET=${SIM_PRESET:-default}
OUT=${SIM_OUT:-$TOP/sim/results/$PRESET}

[ -x "$BIN/mbms-sim" ] || { echo "sim.sh: $BIN/mbms-sim missing: run make userspace" >&2; exit 1; }
command -v gnuplot >/dev/null ||
	{ echo "sim.sh: gnuplot missing: apt-get install gnuplot-nox (scripts/deps.sh)" >&2; exit 1; }

mkdir -p "$OUT"
# shellcheck disable=SC2086 # SIM_ARGS is a list of options
"$BIN/mbms-sim" --preset "$PRESET" --out "$OUT" ${SIM_ARGS:-}
gnuplot -e "dir='$OUT'" "$TOP/sim/rate.gp"
gnuplot -e "dir='$OUT'" "$TOP/sim/cdf.gp"
echo "sim.sh: results in $OUT (results.md, summary.csv, rate.png, delay-cdf.png)"
