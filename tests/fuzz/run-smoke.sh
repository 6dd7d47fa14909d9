#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fuzz smoke run for `make check`: build every libFuzzer target (clang,
# ASan/UBSan) and run each on its seed corpus, about a minute in all.  The
# MIKEY decoder, which parses datagrams from anyone on the bearer, gets
# FUZZ_SECONDS (default 20); the other targets get FUZZ_OTHER_SECONDS
# (default 10) each.  FUZZ_SECONDS_<target> (e.g.
# FUZZ_SECONDS_mbmsd_xml_fuzz=120) still sets one target's time, and
# MBMS_FUZZ_SECONDS sets every target's, for quick local iterations.  A
# crash, a sanitizer report or a leak fails the run.  This only catches
# rot: real fuzzing is `make fuzz FUZZ_SECONDS=N` (N seconds per target,
# default 60), see README.md.
set -eu
TOP=${MBMS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
main=${MBMS_FUZZ_SECONDS:-${FUZZ_SECONDS:-20}}
other=${MBMS_FUZZ_SECONDS:-${FUZZ_OTHER_SECONDS:-10}}
command -v clang >/dev/null || { echo "run-smoke: clang not installed (run scripts/deps.sh)"; exit 1; }
# Run from inside make: drop the parent's flags so only the list is printed.
fuzzers=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$TOP/userspace" print-fuzzers)
for f in $fuzzers; do
	[ "$f" != mikey_decode_fuzz ] || continue
	# an explicit FUZZ_SECONDS_<target> wins
	[ -n "$(printenv "FUZZ_SECONDS_$f" || true)" ] || export "FUZZ_SECONDS_$f=$other"
done
# make check's jobserver reaches us (its rule is marked '+'), so the
# fuzzers, if not built yet, build in parallel.
exec make --no-print-directory -C "$TOP/userspace" fuzz FUZZ_SECONDS="$main"
