#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fuzz smoke run for `make check`: build every libFuzzer target (clang,
# ASan/UBSan) and run each on its seed corpus for FUZZ_SECONDS (default 60;
# MBMS_FUZZ_SECONDS overrides it for quick local iterations).  A crash, a
# sanitizer report or a leak fails the run.
set -eu
TOP=${MBMS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
secs=${MBMS_FUZZ_SECONDS:-${FUZZ_SECONDS:-60}}
command -v clang >/dev/null || { echo "run-smoke: clang not installed (run scripts/deps.sh)"; exit 1; }
exec make --no-print-directory -C "$TOP/userspace" fuzz FUZZ_SECONDS="$secs"
