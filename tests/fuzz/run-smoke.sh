#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fuzz smoke run for `make check`: build every libFuzzer target (clang,
# ASan/UBSan) and run each on its seed corpus.  The MIKEY decoder, which
# parses datagrams from anyone on the bearer, gets FUZZ_SECONDS (default
# 60); the other targets get FUZZ_OTHER_SECONDS (default 20) each, to keep
# `make check` within its time budget.  MBMS_FUZZ_SECONDS sets both, for
# quick local iterations.  A crash, a sanitizer report or a leak fails the
# run.  `make fuzz FUZZ_SECONDS=N` runs every target for N seconds.
set -eu
TOP=${MBMS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
main=${MBMS_FUZZ_SECONDS:-${FUZZ_SECONDS:-60}}
other=${MBMS_FUZZ_SECONDS:-${FUZZ_OTHER_SECONDS:-20}}
command -v clang >/dev/null || { echo "run-smoke: clang not installed (run scripts/deps.sh)"; exit 1; }
# Run from inside make: drop the parent's flags so only the list is printed.
fuzzers=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$TOP/userspace" print-fuzzers)
for f in $fuzzers; do
	[ "$f" = mikey_decode_fuzz ] || export "FUZZ_SECONDS_$f=$other"
done
exec make --no-print-directory -C "$TOP/userspace" fuzz FUZZ_SECONDS="$main"
