#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end tests: bmsc-sim (the network), mbmsd + mbms_srtp.ko (the
# gateway) and srtp-recv (a receiver behind it), KTAP output.  Run as root
# in a throwaway VM:
#
#   scripts/vm-run --kernel K -- tests/e2e/run.sh [STAGE...]
#
#   ┌──────────────────┐      ┌──────────────────────────┐      ┌───────────────┐
#   │ $nsb: bmsc       │      │ $nsg: gw                 │      │ $nsr: rx      │
#   │  bmsc-sim        │      │  mbms_srtp.ko PRE_ROUTING│      │  srtp-recv    │
#   │  HTTP :8080      │      │  mbmsd, ip_forward=1     │      │               │
#   │  b0 10.0.1.1/24 ─┼──────┼─ g0 10.0.1.2  g1 10.0.2.1┼──────┼─ r0 10.0.2.2  │
#   └──────────────────┘      └──────────────────────────┘      └───────────────┘
#
#   SRTP stream: unicast 10.0.2.2:5004, routed through gw, whose module
#   decrypts it in PRE_ROUTING before forwarding (no multicast routing
#   daemon is needed, and the receiver sees exactly what a host behind a
#   real gateway would).  MTK messages: multicast 232.1.1.1:2269 out of b0,
#   joined by mbmsd in gw.  MSK pushes and solicited pulls: 10.0.1.2:2269.
#   MSK requests: HTTP from gw to 10.0.1.1:8080.
#
# Each stage gets fresh namespaces, a fresh key store and a fresh fake-BSF
# counter (so mbmsd's first bootstrap is fake1@bsf.test, which bmsc-sim is
# told about with --gba-cmd).  srtp-recv regenerates the plaintext of
# every packet bmsc-sim sends (same --pattern-seed, SSRC, sizes) and counts
# exact matches.
#
# Environment: MBMS_TOP (default: two levels up), MBMS_BIN (default
# $MBMS_TOP/build/userspace/bin), MBMS_KO (default the module built for
# `uname -r`), MBMS_E2E_KEEP=1 keeps the work directory (logs) and prints
# its path, MBMS_E2E_DIR puts it there (e.g. a vm-run --rw directory).

set -u

top=${MBMS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${MBMS_BIN:-$top/build/userspace/bin}
ko=${MBMS_KO:-$top/build/kmod/$(uname -r)/kmod/mbms_srtp.ko}
bsf=$top/tests/fixtures/fake-bsf.sh
conf_in=$top/tests/e2e/mbmsd.conf.in

nsb=mbms-e2e-bmsc-$$
nsg=mbms-e2e-gw-$$
nsr=mbms-e2e-rx-$$
T=$(mktemp -d "${MBMS_E2E_DIR:-${VM_SCRATCH:-/tmp}}/mbms-e2e.XXXXXX")
chmod 700 "$T"

# Reproducible MSKs and MTKs (test keys only).
SEED=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
# The pattern of the stream; srtp-recv needs some key to build the wire
# form it also recognises: any will do, the gateway must deliver plaintext.
DUMMY_KEY=(--key 00000000000000000000000000000000 --salt 0000000000000000000000000000)
PSEED=7
PPS=50

pretty() { echo "# $*"; }
nb() { ip netns exec "$nsb" "$@"; }
ng() { ip netns exec "$nsg" "$@"; }
nr() { ip netns exec "$nsr" "$@"; }

expect() {	# expect WHAT GOT WANT
	[[ $2 == "$3" ]] && return 0
	pretty "$1: got '$2', want '$3'"
	return 1
}

# expect_range WHAT GOT MIN MAX
expect_range() {
	[[ $2 =~ ^[0-9]+$ ]] && (($2 >= $3 && $2 <= $4)) && return 0
	pretty "$1: got '$2', want $3..$4"
	return 1
}

wait_until() {	# wait_until SECONDS CMD...
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		((SECONDS < end)) || { pretty "timed out waiting for: $*"; return 1; }
		sleep 0.2
	done
}

now_ms() { date +%s%3N; }

setup_net() {
	local n
	ip netns add "$nsb"
	ip netns add "$nsg"
	ip netns add "$nsr"
	ip -n "$nsb" link add b0 type veth peer name g0 netns "$nsg"
	ip -n "$nsg" link add g1 type veth peer name r0 netns "$nsr"
	ip -n "$nsb" addr add 10.0.1.1/24 dev b0
	ip -n "$nsg" addr add 10.0.1.2/24 dev g0
	ip -n "$nsg" addr add 10.0.2.1/24 dev g1
	ip -n "$nsr" addr add 10.0.2.2/24 dev r0
	for n in "$nsb" "$nsg" "$nsr"; do
		ip -n "$n" link set lo up
	done
	ip -n "$nsb" link set b0 up
	ip -n "$nsg" link set g0 up
	ip -n "$nsg" link set g1 up
	ip -n "$nsr" link set r0 up
	ip -n "$nsb" route add 10.0.2.0/24 via 10.0.1.2
	ip -n "$nsr" route add default via 10.0.2.1
	# Multicast (the MTK group) leaves b0 and is joined on g0.
	ip -n "$nsb" route add 224.0.0.0/4 dev b0
	ip -n "$nsg" route add 224.0.0.0/4 dev g0
	ng sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.g0.rp_filter=0 net.ipv4.conf.default.rp_filter=0
}

kill_ns() {
	local p
	for p in $(ip netns pids "$1" 2>/dev/null); do
		kill -9 "$p" 2>/dev/null
	done
}

cleanup_net() {
	kill_ns "$nsb"
	kill_ns "$nsg"
	kill_ns "$nsr"
	sleep 0.2
	ip netns del "$nsb" 2>/dev/null
	ip netns del "$nsg" 2>/dev/null
	ip netns del "$nsr" 2>/dev/null
	return 0
}

load_module() {
	lsmod | grep -q "^mbms_srtp " || insmod "$ko"
}

cleanup() {
	cleanup_net
	if [[ ${MBMS_E2E_KEEP:-0} == 1 ]]; then
		echo "# logs kept in $T"
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT

# ---- the three actors ----------------------------------------------------

# mbmsd_conf POLICY JITTER: write $S/mbmsd.conf from the fixture.
mbmsd_conf() {
	sed -e "s|@TOP@|$top|g" -e "s|@T@|$S|g" -e "s|@POLICY@|$1|g" \
		-e "s|@JITTER@|$2|g" "$conf_in" > "$S/mbmsd.conf"
	mkdir -p "$S/state"
	chmod 700 "$S/state"
}

# mbmsd_start: start mbmsd in gw (appending to $S/mbmsd.log).
mbmsd_start() {
	FAKE_BSF_COUNTER=$S/bsf.counter FAKE_BSF_LIFETIME=${BSF_LIFETIME:-3600} \
		FAKE_BSF_NAF_ID=bmsc.test \
		ip netns exec "$nsg" "$bin/mbmsd" -c "$S/mbmsd.conf" -d \
		>> "$S/mbmsd.log" 2>&1 &
	mbmsd_pid=$!
	wait_until 30 status_ok || { tail -n 20 "$S/mbmsd.log" | sed 's/^/# mbmsd: /'; return 1; }
}

status_ok() { "$bin/mbmsd" status -j -c "$S/mbmsd.conf" > "$S/status.json" 2> /dev/null; }

# st JQ: a value from a fresh `mbmsd status -j`.
st() {
	status_ok || { echo "?"; return 0; }
	jq -r "$1" "$S/status.json"
}

# bmsc_start ARGS...: bmsc-sim in bmsc with the common options; the JSON
# events go to $S/bmsc.json.  The UE is gw, its keys those of the fake
# BSF's first bootstrap.
bmsc_start() {
	FAKE_BSF_NAF_ID=bmsc.test ip netns exec "$nsb" "$bin/bmsc-sim" -j \
		--fqdn bmsc.test --key-domain 00f110 --key-group 1 --seed "$SEED" \
		--ue 10.0.1.2 --gba-cmd "$bsf fake1@bsf.test" --bsf-lookup "$bsf" \
		--http 10.0.1.1:8080 --stream 10.0.2.2:5004 \
		--mtk-dest 232.1.1.1:2269 --mcast-if 10.0.1.1 \
		--pps "$PPS" --pattern-seed "$PSEED" "$@" \
		> "$S/bmsc.json" 2> "$S/bmsc.log" &
	bmsc_pid=$!
}

bmsc_wait() {
	local rc=0
	wait "$bmsc_pid" || rc=$?
	[[ $rc -eq 0 ]] || { pretty "bmsc-sim exited $rc"; tail -n 5 "$S/bmsc.log" | sed 's/^/# bmsc-sim: /'; }
	return $rc
}

# A counter of bmsc-sim's exit event.
bm() { jq -r "select(.event == \"exit\") | .$1" "$S/bmsc.json"; }

# recv_start SECONDS: srtp-recv in rx for at most SECONDS.
recv_start() {
	rm -f "$S/ready"
	nr "$bin/srtp-recv" -j --listen 10.0.2.2 --port 5004 \
		--seed "$PSEED" --count $((PPS * ($1 + 5))) --expect 1000000000 \
		--timeout "$1" --idle 4000 --ready-file "$S/ready" "${DUMMY_KEY[@]}" \
		> "$S/recv.json" 2> "$S/recv.err" &
	recv_pid=$!
	wait_until 10 test -e "$S/ready"
}

recv_wait() {
	wait "$recv_pid" || true
	[[ -s $S/recv.err ]] && sed 's/^/# recv: /' "$S/recv.err" | head -n 5
	pretty "receiver: $(jq -c '{received,match,duplicate,encrypted,mismatch}' "$S/recv.json")"
}

rv() { jq -r ".$1" "$S/recv.json"; }

# Things counted by bmsc-sim's events.
ev_count() { jq -s "[.[] | select($1)] | length" "$S/bmsc.json"; }

summary() {
	pretty "bmsc-sim: $(jq -c 'select(.event == "exit") | {http_requests, http_msk_requests, http_200, http_401, http_503, http_dropped, msk_sent, mtk_sent, pull_sent, srtp_sent}' "$S/bmsc.json")"
	if status_ok; then
		pretty "mbmsd accepted: $(jq -c .accepted "$S/status.json")"
		pretty "mbmsd rejected: $(jq -c '.rejected | with_entries(select(.value != 0))' "$S/status.json")"
		pretty "mbmsd counters: $(jq -c '.counters | with_entries(select(.value != 0))' "$S/status.json")"
	fi
}

# The whole stream of a run reached the receiver decrypted, exactly.
expect_all_decrypted() {
	local sent
	sent=$(bm srtp_sent)
	[[ $sent -gt 0 ]] || { pretty "bmsc-sim sent no SRTP"; return 1; }
	expect "$1: packets decrypted" "$(rv match)" "$sent"
	expect "$1: received" "$(rv received)" "$sent"
}

# ---- stages ----------------------------------------------------------------

# Stage 1: MSK push, MTKs on the bearer, the kernel decrypts: the receiver
# gets exactly the plaintext of every packet across 3 MTK rollovers and
# one MSK rollover (MTKs at 3, 5.5, 8 = new MSK, 10.5 s; stream 3..13 s).
stage_happy() {
	mbmsd_conf relaxed 1
	mbmsd_start
	recv_start 40
	bmsc_start --duration 13 --start 3 --mtk-period 2.5 --mtk-delta 1 \
		--mtk-repeat 1 --msk-rollover 8 --msk-lead 2
	bmsc_wait
	recv_wait
	summary
	expect_all_decrypted happy
	expect "mismatch" "$(rv mismatch)" 0
	expect "MTK keys used (srtp-key events)" "$(ev_count '.event == "srtp-key"')" 4
	expect "MSKs pushed" "$(( $(bm msk_sent) >= 2 ))" 1
	expect "MSKs accepted" "$(( $(st .accepted.msk) >= 2 ))" 1
	expect "MTKs installed" "$(st .counters.mtk_installed)" 4
	expect "kernel packets" "$(st '.sessions[0].kernel.packets')" "$(bm srtp_sent)"
}

# ---- runner ------------------------------------------------------------------

all_stages=(happy)
stages=("${all_stages[@]}")
[[ $# -gt 0 ]] && stages=("$@")

for tool in mbmsd bmsc-sim srtp-recv mbmsctl; do
	[[ -x $bin/$tool ]] || { echo "Bail out! missing $bin/$tool"; exit 1; }
done
[[ -r $ko ]] || { echo "Bail out! no module at $ko"; exit 1; }
cp "$ko" "$T/mbms_srtp.ko"
ko=$T/mbms_srtp.ko

echo "KTAP version 1"
echo "1..${#stages[@]}"
pass=0
fail=0
n=0
for s in "${stages[@]}"; do
	n=$((n + 1))
	if ! declare -F "stage_$s" > /dev/null; then
		echo "not ok $n $s # unknown stage"
		fail=$((fail + 1))
		continue
	fi
	load_module
	S=$T/$s
	mkdir -p "$S"
	chmod 700 "$S"
	t0=$(date +%s)
	setup_net
	(
		set -eE
		trap 'pretty "FAILED: line $LINENO: $BASH_COMMAND"' ERR
		"stage_$s"
	)
	rc=$?
	if [[ $rc -ne 0 ]]; then
		pretty "--- mbmsd log (last 25 lines) ---"
		tail -n 25 "$S/mbmsd.log" 2>/dev/null | sed 's/^/# /'
		pretty "--- bmsc-sim log (last 15 lines) ---"
		tail -n 15 "$S/bmsc.log" 2>/dev/null | sed 's/^/# /'
	fi
	cleanup_net
	pretty "$s took $(($(date +%s) - t0))s"
	if [[ $rc -eq 0 ]]; then
		echo "ok $n $s"
		pass=$((pass + 1))
	else
		echo "not ok $n $s"
		fail=$((fail + 1))
	fi
done
echo "# $pass passed, $fail failed"
[[ $fail -eq 0 ]]
