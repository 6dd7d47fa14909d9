#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/check-kernel.sh (make check's kernel part) with a fake vm-run
# and bench: which VMs each kernel of the matrix gets.  Issue 14 wants
# the churn test on every kernel with 2 vCPUs (the packet path on one
# CPU, configuration on the other), but make check gave each kernel one
# single-vCPU VM, so churn ran on one CPU and max_packets_smp skipped
# ("needs 2 CPUs, has 1") on 6.1, 6.12 and 6.12-rt.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# check-kernel.sh finds vm-run, bench.sh and build/check from its own
# place: a copy of it in a fake tree runs the fakes and nothing else.
# Fake vm-run: one line per run, "KVER CPUS CMD...", and FAKE_FAIL names
# a selftest stage whose run exits 1.
mkdir -p "$tmp/top/scripts"
cp "$top/scripts/check-kernel.sh" "$tmp/top/scripts/"
printf '#!/bin/sh\nexit 0\n' > "$tmp/top/scripts/bench.sh"
cat > "$tmp/top/scripts/vm-run" <<'FAKE'
#!/bin/bash
k="" c=""
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) k=$2; shift 2 ;;
	--cpus) c=$2; shift 2 ;;
	--timeout) shift 2 ;;
	--) shift; break ;;
	*) shift ;;
	esac
done
echo "$k $c $*" >> "$FAKE_LOG"
case " $* " in *" ${FAKE_FAIL:-none} "*) exit 1 ;; esac
exit 0
FAKE
chmod +x "$tmp/top/scripts/vm-run" "$tmp/top/scripts/bench.sh"

run() {	# KVER...: check-kernel.sh with the fakes; its output in $tmp/out
	: > "$tmp/log"
	FAKE_LOG=$tmp/log "$tmp/top/scripts/check-kernel.sh" "$@" > "$tmp/out" 2>&1
}
check() {	# WHAT CONDITION...
	local what=$1
	shift
	if "$@"; then
		echo "ok: $what"
	else
		echo "FAIL: $what"
		fail=1
	fi
}
# shellcheck disable=SC2317  # called through check
has_run() {	# KVER CPUS PATTERN: a run of KVER with CPUS vCPUs matches PATTERN
	local k=${1//./\\.}
	grep -qE "^${k//+/\\+} $2 .*$3" "$tmp/log"
}

run 6.1.0-57-amd64 6.12.118+deb12-rt-amd64
rc=$?
check "all fake suites pass: exit 0" [ $rc = 0 ]
for k in 6.1.0-57-amd64 6.12.118+deb12-rt-amd64; do
	check "$k: selftests on 1 vCPU" has_run "$k" 1 "tests/selftests/run.sh$"
	check "$k: churn on 2 vCPUs" has_run "$k" 2 "tests/selftests/run.sh .*\bchurn\b"
	check "$k: max_packets_smp on 2 vCPUs" has_run "$k" 2 "tests/selftests/run.sh .*\bmax_packets_smp\b"
	check "$k: the 2-vCPU run ends with unload and leaks" has_run "$k" 2 "run.sh .* unload leaks$"
	check "$k: e2e" has_run "$k" 1 "tests/e2e/run.sh$"
done
check "summary names the smp suite" grep -q "smp@6.12-rt=" "$tmp/out"

FAKE_FAIL=churn run 6.1.0-57-amd64
rc=$?
check "a failing 2-vCPU run fails make check" [ $rc != 0 ]
check "and is named" grep -q "FAILED:.*smp@6.1.0-57-amd64" "$tmp/out"

# churn refuses one CPU, like max_packets_smp: it is a 2-vCPU test.
check "run.sh has a churn stage" grep -q '^stage_churn() {' "$top/tests/selftests/run.sh"
sed -n '/^stage_churn() {/,/^}/p' "$top/tests/selftests/run.sh" > "$tmp/churn"
check "churn: needs 2 CPUs" grep -q 'nproc) -ge 2 ]] || skip "needs 2 CPUs' "$tmp/churn"

[ $fail = 0 ] && echo "check_kernel_test: all passed"
exit $fail
