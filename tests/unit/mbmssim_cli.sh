#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mbms-sim's command line: the same seed writes the same files byte for
# byte, another seed different ones; the files sim.sh and the gnuplot
# scripts read are there with the expected columns; bad options fail with
# a message naming them.
set -eu

BIN=${MBMS_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/build/userspace/bin}
SIM=$BIN/mbms-sim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

args="--preset small --ues 400 --horizon 400 --offline-max 200"
"$SIM" $args --seed 5 --out "$work/a" -q 2>/dev/null
"$SIM" $args --seed 5 --out "$work/b" -q 2>/dev/null
"$SIM" $args --seed 6 --out "$work/c" -q 2>/dev/null

for f in summary.csv results.md rate.csv cdf-relaxed-jitter.csv \
	 cdf-relaxed-nojitter.csv cdf-strict-jitter.csv cdf-strict-nojitter.csv; do
	[ -s "$work/a/$f" ] || bad "$f missing or empty"
	cmp -s "$work/a/$f" "$work/b/$f" || bad "$f differs for the same seed"
done
ok "same seed, same files"
cmp -s "$work/a/summary.csv" "$work/c/summary.csv" && bad "seed 6 gave seed 5's summary"
ok "another seed, another summary"

[ "$(wc -l < "$work/a/summary.csv")" -eq 5 ] || bad "summary.csv: want a header and 4 rows"
head -n1 "$work/a/rate.csv" | grep -q '^t_s,relaxed_0s,relaxed_30s,strict_0s,strict_30s$' ||
	bad "rate.csv header: $(head -n1 "$work/a/rate.csv")"
grep -q '^| strict | 30 s |' "$work/a/results.md" || bad "results.md lacks the strict/jitter row"
ok "files and columns"

# stdout is the markdown table.
"$SIM" $args --policy strict --jitter-mode on 2>/dev/null >"$work/t.md"
[ "$(grep -c '^| strict' "$work/t.md")" -eq 1 ] || bad "--policy/--jitter-mode: $(cat "$work/t.md")"

for opt in "--ues 0" "--expired 1.5" "--lifetime normal:3" "--policy lax" \
	   "--preset huge" "--mtk-delta 20" "--capacity x" "extra"; do
	if "$SIM" $opt >/dev/null 2>"$work/err"; then
		bad "'$opt' accepted"
	elif [ ! -s "$work/err" ]; then
		bad "'$opt' failed without a message"
	fi
done
ok "bad options refused with a message"
"$SIM" --help | grep -q -- '--preset' || bad "--help"

[ $fail -eq 0 ] && echo "mbmssim_cli: all passed"
exit $fail
