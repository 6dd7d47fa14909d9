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
# `uname -r`), MBMS_E2E_LOGS=DIR copies every stage's logs (mbmsd log,
# bmsc-sim JSON events, receiver results) to DIR at the end (e.g. a
# directory given to vm-run --rw), MBMS_TIME_SCALE=N (readiness waits N
# times longer, for the debug kernel; default 1).

set -u

top=${MBMS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${MBMS_BIN:-$top/build/userspace/bin}
ko=${MBMS_KO:-$top/build/kmod/$(uname -r)/kmod/mbms_srtp.ko}
bsf=$top/tests/fixtures/fake-bsf.sh
conf_in=$top/tests/e2e/mbmsd.conf.in

nsb=mbms-e2e-bmsc-$$
nsg=mbms-e2e-gw-$$
nsr=mbms-e2e-rx-$$
# Local files (a tmpfs in the VM): UNIX sockets do not work over 9p.
T=$(mktemp -d /tmp/mbms-e2e.XXXXXX)
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

# Under TCG every exec of a dynamically linked program costs 0.1-0.8 s
# (mbmsd ~0.8 s, jq ~0.5 s, ip ~0.4 s, measured in the 6.1 guest): the
# helpers below wait with bash builtins, batch the ip commands and read
# each JSON file with one jq per stage, instead of one per value.

# A sleep without a process: read(1) times out on a pipe nobody writes.
exec {nap_fd}<> <(:)
nap() { read -r -t "$1" -u "$nap_fd" _ || true; }

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

# MBMS_TIME_SCALE=N (make check-debug sets 4): every wait_until bound N
# times longer.  A debug kernel under TCG starts a process several times
# more slowly; a readiness wait must not fail from that alone.  The
# production kernels keep 1: nothing is loosened for them.
time_scale=${MBMS_TIME_SCALE:-1}
[[ $time_scale =~ ^[1-9][0-9]*$ ]] || { echo "MBMS_TIME_SCALE=$time_scale: not a positive integer" >&2; exit 2; }

wait_until() {	# wait_until SECONDS CMD...
	local end=$((SECONDS + $1 * time_scale))
	shift
	until "$@"; do
		((SECONDS < end)) || { pretty "timed out waiting for: $*"; return 1; }
		nap 0.1
	done
}

# log_has FILE TEXT: FILE has a line containing TEXT (no process).
log_has() {
	local l
	[[ -r $1 ]] || return 1
	while IFS= read -r l; do
		[[ $l == *"$2"* ]] && return 0
	done < "$1"
	return 1
}

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }

# Prefix each line with the time in seconds since the stage started (the
# same clock as bmsc-sim's "t", give or take its start-up).
stamp() {
	local l us
	while IFS= read -r l; do
		us=$((${EPOCHREALTIME/./} - ${t_stage/./}))
		printf '%4d.%03d %s\n' $((us / 1000000)) $((us / 1000 % 1000)) "$l"
	done
}

# Four ip(8) runs instead of twenty.
setup_net() {
	ip -b - <<-EOF || return 1
	netns add $nsb
	netns add $nsg
	netns add $nsr
	EOF
	ip -b - <<-EOF || return 1
	link add b0 netns $nsb type veth peer name g0 netns $nsg
	link add g1 netns $nsg type veth peer name r0 netns $nsr
	EOF
	ip -n "$nsb" -b - <<-EOF || return 1
	addr add 10.0.1.1/24 dev b0
	link set lo up
	link set b0 up
	route add 10.0.2.0/24 via 10.0.1.2
	route add 224.0.0.0/4 dev b0
	EOF
	# Multicast (the MTK group) leaves b0 and is joined on g0.
	ip -n "$nsg" -b - <<-EOF || return 1
	addr add 10.0.1.2/24 dev g0
	addr add 10.0.2.1/24 dev g1
	link set lo up
	link set g0 up
	link set g1 up
	route add 224.0.0.0/4 dev g0
	EOF
	ip -n "$nsr" -b - <<-EOF || return 1
	addr add 10.0.2.2/24 dev r0
	link set lo up
	link set r0 up
	route add default via 10.0.2.1
	EOF
	ng sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.g0.rp_filter=0 net.ipv4.conf.default.rp_filter=0
}

# Everything a stage started runs in one of its namespaces (one ip run
# lists them all).
cleanup_net() {
	local p j
	for p in $(printf 'netns pids %s\n' "$nsb" "$nsg" "$nsr" | ip -force -b - 2>/dev/null); do
		kill -9 "$p" 2>/dev/null
	done
	# Reap them quietly (no "Killed" job notices in the output).
	for j in $(jobs -p); do
		wait "$j" 2> /dev/null
	done
	nap 0.1
	printf 'netns del %s\n' "$nsb" "$nsg" "$nsr" | ip -force -b - 2>/dev/null
	return 0
}

# The first key a kernel session gets allocates the crypto transforms,
# which may load modules (modprobe over 9p takes seconds under TCG): do
# that once, in a scratch namespace, so that mbmsd's first MTK is not late
# for reasons that have nothing to do with it.
load_module() {
	local w=mbms-e2e-warm-$$
	[[ -e /sys/module/mbms_srtp ]] && return 0
	# insmod does not load its dependencies, the IP defragmenters
	modprobe -a nf_defrag_ipv4 nf_defrag_ipv6 && insmod "$ko" || return 1
	ip netns add "$w"
	ip netns exec "$w" "$bin/mbmsctl" session add 1 > /dev/null &&
		ip netns exec "$w" "$bin/mbmsctl" key add session 1 msk-id 0x00010001 \
			mtk-id 1 key 2b7e151628aed2a6abf7158809cf4f3c \
			salt f0f1f2f3f4f5f6f7f8f9fafbfcfd > /dev/null
	ip netns del "$w"
}

cleanup() {
	cleanup_net
	if [[ -n ${MBMS_E2E_LOGS:-} ]]; then
		mkdir -p "$MBMS_E2E_LOGS" &&
			(cd "$T" && find . -name '*.log' -o -name '*.json' -o -name '*.err' -o -name '*.conf' |
				cpio -pdm --quiet "$MBMS_E2E_LOGS") &&
			echo "# logs copied to $MBMS_E2E_LOGS"
	fi
	rm -rf "$T"
}
trap cleanup EXIT

# ---- the three actors ----------------------------------------------------

# mbmsd_conf POLICY JITTER: write $S/mbmsd.conf from the fixture.
mbmsd_conf() {
	local l
	mkdir -p "$S/state"
	chmod 700 "$S/state"
	while IFS= read -r l; do
		l=${l//@TOP@/$top}
		l=${l//@T@/$S}
		l=${l//@POLICY@/$1}
		l=${l//@JITTER@/$2}
		printf '%s\n' "$l"
	done < "$conf_in" > "$S/mbmsd.conf"
}

# mbmsd_start: start mbmsd in gw (appending to $S/mbmsd.log); returns
# once it listens (its log says so; no status round trip needed).
mbmsd_start() {
	local n=0
	[[ -e $S/mbmsd.log ]] && n=$(wc -l < "$S/mbmsd.log")
	FAKE_BSF_COUNTER=$S/bsf.counter FAKE_BSF_LIFETIME=${BSF_LIFETIME:-3600} \
		FAKE_BSF_NAF_ID=bmsc.test \
		ip netns exec "$nsg" "$bin/mbmsd" -c "$S/mbmsd.conf" -d \
		> >(stamp >> "$S/mbmsd.log") 2>&1 &
	mbmsd_pid=$!
	wait_until 30 mbmsd_listening "$n" || { tail -n 20 "$S/mbmsd.log" | sed 's/^/# mbmsd: /'; return 1; }
}

# mbmsd_listening SKIP: a "listening" line after the first SKIP lines.
mbmsd_listening() {
	local l i=0
	kill -0 "$mbmsd_pid" 2>/dev/null || { pretty "mbmsd exited"; return 2; }
	[[ -r $S/mbmsd.log ]] || return 1
	while IFS= read -r l; do
		((i++ < $1)) && continue
		[[ $l == *"mbmsd: listening on"* ]] && return 0
	done < "$S/mbmsd.log"
	return 1
}

# mbmsd_ready: mbmsd has its first GBA key, so a push to it will verify
# (the key is registered and saved before this line is logged).
mbmsd_ready() {
	wait_until 30 log_has "$S/mbmsd.log" "GBA bootstrap: B-TID"
}

status_ok() { "$bin/mbmsd" status -j -c "$S/mbmsd.conf" > "$S/status.json" 2> /dev/null; }

# st JQ: a value from a fresh `mbmsd status -j` (two execs: use snap()
# and the ST array where a stage needs several values).
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
		--ue 10.0.1.2 --gba-cmd "FAKE_BSF_LIFETIME=${BMSC_GBA_LIFETIME:-3600} $bsf fake1@bsf.test" \
		--bsf-lookup "$bsf" \
		--http 10.0.1.1:8080 --stream 10.0.2.2:5004 \
		--mtk-dest 232.1.1.1:2269 --mcast-if 10.0.1.1 \
		--pps "$PPS" --pattern-seed "$PSEED" "$@" \
		> "$S/bmsc.json" 2> "$S/bmsc.log" &
	bmsc_pid=$!
	t_bmsc=$EPOCHREALTIME
	echo "$t_bmsc" > "$S/bmsc.t0"
}

bmsc_wait() {
	local rc=0
	wait "$bmsc_pid" || rc=$?
	[[ $rc -eq 0 ]] || { pretty "bmsc-sim exited $rc"; tail -n 5 "$S/bmsc.log" | sed 's/^/# bmsc-sim: /'; }
	return $rc
}

# recv_start SECONDS PACKETS: srtp-recv in rx, started early (its
# start-up takes seconds under TCG: it precomputes every packet it may
# see, so PACKETS is kept tight and RECV_EXTRA (default 10) covers
# sequence numbers taken by packets it never gets; it overlaps mbmsd's
# start-up); recv_ready
# waits for it.  It stops after PACKETS datagrams, SECONDS at the latest.
# PACKETS is at least what bmsc-sim will send; once bmsc-sim is done,
# recv_wait sends the receiver SIGUSR1: it takes what is queued and stops
# once nothing more arrives for 200 ms, instead of waiting for an idle
# timeout longer than any gap a stage expects.  A packet the gateway let
# through undecrypted (real keys) counts as a mismatch.
recv_start() {
	rm -f "$S/ready"
	t_recv=$EPOCHREALTIME
	nr "$bin/srtp-recv" -j --listen 10.0.2.2 --port 5004 \
		--seed "$PSEED" --count $(($2 + ${RECV_EXTRA:-10})) --expect "$2" \
		--timeout "$1" --idle $(($1 * 1000)) --ready-file "$S/ready" "${DUMMY_KEY[@]}" \
		${RECV_SEQ:+--seq "$RECV_SEQ"} \
		> "$S/recv.json" 2> "$S/recv.err" &
	recv_pid=$!
}

recv_ready() {
	wait_until 30 test -e "$S/ready" || return 1
	pretty "receiver ready $(( (${EPOCHREALTIME/./} - ${t_recv/./}) / 1000 )) ms after its start"
}

# recv_stop: the stream is over (bmsc-sim exited): let the last packets
# through the gateway, then tell srtp-recv to finish (SIGUSR1).
recv_stop() {
	local p
	nap 0.3
	kill -0 "$recv_pid" 2>/dev/null || return 0
	# $recv_pid is the subshell running nr; srtp-recv is its child (or,
	# when bash exec'd it, $recv_pid itself).
	p=$(pgrep -P "$recv_pid" srtp-recv || echo "$recv_pid")
	kill -USR1 "$p" 2>/dev/null || true
}

recv_wait() {
	recv_stop
	wait "$recv_pid" || true
	[[ -s $S/recv.err ]] && sed 's/^/# recv: /' "$S/recv.err" | head -n 5
	return 0
}

# Seconds (ms resolution) of the first bmsc-sim event matching JQ, or "".
ev_t() { jq -s -r "[.[] | select($1)][0].t // empty" "$S/bmsc.json"; }

# Things counted by bmsc-sim's events.
ev_count() { jq -s "[.[] | select($1)] | length" "$S/bmsc.json"; }

# monitor_start: `mbmsctl -j monitor` in gw into $S/monitor.json.
monitor_start() {
	ng "$bin/mbmsctl" -j monitor > >(stamp > "$S/monitor.json") 2>&1 &
}

# snap: one `mbmsd status -j`, one `mbmsctl stats`, then ONE jq over
# them, bmsc-sim's events and the receiver's result: prints the summary
# and fills BM (bmsc-sim's exit counters), RV (receiver) and ST (mbmsd
# status, keys as the jq paths used below).
declare -A BM RV ST
snap() {
	local k v
	status_ok || echo '{}' > "$S/status.json"
	ng "$bin/mbmsctl" -j stats session 1 > "$S/kstats.json" 2>&1 || echo '[]' > "$S/kstats.json"
	BM=() RV=() ST=()
	while IFS=$'\t' read -r k v; do
		case $k in
		'#') pretty "$v" ;;
		bm.*) BM[${k#bm.}]=$v ;;
		rv.*) RV[${k#rv.}]=$v ;;
		st.*) ST[${k#st.}]=$v ;;
		esac
	done < <(jq -n -r --slurpfile st "$S/status.json" \
		--slurpfile ks "$S/kstats.json" --slurpfile rv "$S/recv.json" '
		([inputs | select(.event == "exit")][0] // {}) as $x |
		($st[0] // {}) as $s | ($rv[0] // {}) as $r |
		["#", "receiver: \($r | {received,match,duplicate,encrypted,mismatch} | tojson)"],
		["#", "kernel: \(($ks[0] // [])[0] | tojson)"],
		["#", "bmsc-sim: \($x | {http_requests, http_msk_requests, http_200, http_401, http_503, http_dropped, msk_sent, mtk_sent, pull_sent, srtp_sent} | tojson)"],
		["#", "mbmsd accepted: \($s.accepted | tojson)"],
		["#", "mbmsd rejected: \($s.rejected // {} | with_entries(select(.value != 0)) | tojson)"],
		["#", "mbmsd counters: \($s.counters // {} | with_entries(select(.value != 0)) | tojson)"],
		($x | to_entries[] | ["bm.\(.key)", .value]),
		($r | to_entries[] | select(.value | type != "object" and type != "array") | ["rv.\(.key)", .value]),
		($s.accepted // {} | to_entries[] | ["st.accepted.\(.key)", .value]),
		($s.rejected // {} | to_entries[] | ["st.rejected.\(.key)", .value]),
		($s.counters // {} | to_entries[] | ["st.counters.\(.key)", .value]),
		["st.kernel.packets", ($s.sessions[0].kernel.packets // "?")],
		["st.kernel.unknown_mki", ($s.sessions[0].kernel.unknown_mki // "?")],
		["st.kernel.roc_unknown", (($ks[0] // [])[0].roc_unknown // "?")],
		["st.msks", ($s.msks // [] | length)],
		["st.msk2", ([$s.msks[]? | select(.msk_id == 65538)] | length)],
		["st.muk.btid", ($s.muks[0].btid // "?")],
		["st.mtks", ([$s.mtks[]? | .mtk_id] | tojson)]
		| @tsv' "$S/bmsc.json")
}

# Kept for scripts/demo.sh: the summary lines only.
summary() { snap; }

bm() { echo "${BM[$1]:-?}"; }
rv() { echo "${RV[$1]:-?}"; }

# The whole stream of a run reached the receiver decrypted, exactly
# (srtp_sent includes the packets of the srtp-unknown-msk fault), and
# nothing else came through the gateway.
expect_all_decrypted() {
	local sent
	sent=$(( ${BM[srtp_sent]:-0} - ${BM[srtp_unknown_msk]:-0} ))
	[[ $sent -gt 0 ]] || { pretty "bmsc-sim sent no SRTP"; return 1; }
	expect "$1: packets decrypted" "${RV[match]}" "$sent"
	expect "$1: received" "${RV[received]}" "$sent"
	expect "$1: undecrypted" "${RV[encrypted]}" 0
	expect "$1: duplicates" "${RV[duplicate]}" 0
	expect "$1: mismatches" "${RV[mismatch]}" 0
}

# A timing bound, stated in the output: VALUE (seconds, decimals) <= MAX.
expect_le() {	# expect_le WHAT VALUE MAX
	pretty "$1: $2 s (bound $3 s)"
	[[ -n $2 ]] && (( $(echo "$2 <= $3" | bc) )) && return 0
	pretty "$1: $2 s is above the bound $3 s"
	return 1
}

# ---- stages ----------------------------------------------------------------
#
# Timing: the MTK period, delta, resend period and jitter windows below
# are short so that the suite fits in ~3 minutes per kernel, and every
# timing bound a stage checks is derived from them with slack for a
# loaded machine (the output states each bound and the measured value).
# Common schedule: the stream starts at START s after bmsc-sim does; MTK
# messages are sent DELTA s before use and resent every REPEAT s.
START=2
DELTA=1
REPEAT=0.5

# bmsc_stream D ARGS...: bmsc-sim for D seconds with the common schedule.
bmsc_stream() {
	local d=$1
	shift
	bmsc_start --duration "$d" --start "$START" --mtk-delta "$DELTA" \
		--mtk-repeat "$REPEAT" "$@"
}

# recv_for D: the receiver for a D-second bmsc-sim run.
recv_for() { recv_start $(($1 + 60)) $((PPS * ($1 - START))); }

# Stage 1: MSK push, MTKs on the bearer, the kernel decrypts: the receiver
# gets exactly the plaintext of every packet across 3 MTK rollovers and
# one MSK rollover (MTKs in use from 2, 3.5, 5 = new MSK, 6.5 s; stream
# 2..8 s; MTK messages resent every 0.5 s).
stage_happy() {
	local d=8
	recv_for $d
	mbmsd_conf relaxed 1
	mbmsd_start
	mbmsd_ready
	monitor_start
	recv_ready
	bmsc_stream $d --mtk-period 1.5 --msk-rollover 5 --msk-lead 1.5
	bmsc_wait
	recv_wait
	snap
	expect_all_decrypted happy
	expect "mismatch" "$(rv mismatch)" 0
	expect "MTK keys used (srtp-key events)" "$(ev_count '.event == "srtp-key"')" 4
	expect "MSKs pushed" "$(( ${BM[msk_sent]:-0} >= 2 ))" 1
	expect "MSKs accepted" "$(( ${ST[accepted.msk]:-0} >= 2 ))" 1
	expect "MTKs installed" "${ST[counters.mtk_installed]}" 4
	expect "kernel packets" "${ST[kernel.packets]}" "$(bm srtp_sent)"
	# Resends are the normal broadcast: recorded, never counted as attacks.
	expect_range "MTK resends accepted" "${ST[accepted.mtk_resend]}" 1 1000
	expect "rejected replays" "${ST[rejected.replay]:-0}" 0
	# No HTTP fault here: the start-up request sent before bmsc-sim
	# listened is a retry (start-up grace), never a failed request.
	expect "failed MSK requests" "${ST[counters.requests_failed]:-0}" 0
}

# MSK requests (HTTP, any answer) that bmsc-sim saw after time T.
# (The Digest round trip's first, credential-less 401 is not counted.)
http_after() {
	jq -s --argjson t "$1" '[.[] | select(.event == "http-request" and
		.type == "msk-request" and .t > $t and
		((.reason // "") | test("no Digest credentials") | not))] | length' \
		"$S/bmsc.json"
}

# Stage 2: a solicited pull with an expired MUK.  The UE's GBA key lives
# 14 s; the BM-SC is told the same expiry; the MSK rollover is announced
# only by a solicited pull (--msk-delivery pull) sent ~1 s after the MUK
# expired, protected with that expired MUK, 6 s before the new MSK is
# used (PULL_LEAD 5 s MSK lead + 1 s MTK delta: jitter, GBA and HTTP must
# fit).  The stream runs from 4 s before the rollover to 5 s (relaxed) or
# 8 s (strict) after it, whatever the MUK's remaining life.
#   relaxed: accepted, GBA bootstrap again, one successful MSK request,
#            the new MSK pushed under the fresh MUK, nothing lost.
#   strict:  rejected (muk-expired); the new MSK's packets are unknown
#            to the kernel until the unknown-MKI path fetches the MSK.
PULL_LEAD=5
PULL_PRE=4
pull_run() {	# pull_run POLICY
	local left d post=5
	# strict: room for the recovery (bounded below) and a second after.
	[[ $1 == strict ]] && post=8
	BSF_LIFETIME=14
	recv_start 90 $((PPS * (PULL_PRE + post)))
	mbmsd_conf "$1" 1
	mbmsd_start
	mbmsd_ready
	monitor_start
	# Everything slow happens before the MUK's remaining life is read:
	# from here to the MSK push at bmsc-sim's start is one exec.
	recv_ready
	left=$(( ($(st '.muks[0].expires_ms - .now_ms') + 999) / 1000 ))
	roll=$((left + 1 + PULL_LEAD + DELTA))
	d=$((roll + post))
	# The MSK push at bmsc-sim's start must still find the MUK valid.
	((left >= 4)) || { pretty "too slow: the MUK has only ${left}s left"; return 1; }
	pretty "$1: the MUK expires in ${left}s; MSK rollover at ${roll}s, announced by a solicited pull $((PULL_LEAD + DELTA)) s before"
	BMSC_GBA_LIFETIME=$left bmsc_start --duration "$d" \
		--start $((roll - PULL_PRE)) --mtk-delta "$DELTA" \
		--mtk-repeat "$REPEAT" --mtk-period 1 --msk-rollover "$roll" \
		--msk-lead "$PULL_LEAD" --msk-delivery pull
	bmsc_wait
	recv_wait
	snap
	read -r t_pull t_use t_push n_req n_200 expired p2 < <(jq -s -r '
		([.[] | select(.event == "pull")][0]) as $p |
		([.[] | select(.event == "srtp-key" and .msk_id == "00010002")][0]) as $u |
		[$p.t, $u.t,
		 ([.[] | select(.event == "msk-push" and .msk_id == "00010002")][0].t // "never"),
		 ([.[] | select(.event == "http-request" and .type == "msk-request" and .t > $p.t and
			((.reason // "") | test("no Digest credentials") | not))] | length),
		 ([.[] | select(.event == "http-request" and .type == "msk-request" and .t > $p.t and .status == 200)] | length),
		 $p.muk_expired, $u.packet] | map(. // "none") | @tsv' "$S/bmsc.json")
	sent=${BM[srtp_sent]}
	lost=$((sent - ${RV[match]:-0}))
	pretty "$1: pull at ${t_pull}s (BM-SC: MUK expired $expired), new MSK in use at ${t_use}s, pushed at ${t_push}s; MSK requests after the pull: $n_req ($n_200 answered 200); packets lost: $lost of $sent (~$((lost * 1000 / PPS)) ms)"
	[[ $t_pull != none && $t_use != none ]]
}

# Requests after T that bmsc-sim refused because the key was stale (401
# "negotiation indication required").
stale_after() {
	jq -s --argjson t "$1" '[.[] | select(.event == "http-request" and .t > $t
		and .status == 401 and ((.reason // "") | test("negotiation indication")))] | length' \
		"$S/bmsc.json"
}

stage_pull_relaxed() {
	pull_run relaxed
	expect "accepted pulls under the expired MUK" "${ST[accepted.solicited_pull_expired_muk]}" 1
	expect "GBA bootstraps" "${ST[counters.bootstraps]}" 2
	# Exactly one MSK request after the pull, answered 200, and the new
	# MSK pushed before it was used: the stream continues unbroken.
	expect "MSK requests answered 200 after the pull" "$n_200" 1
	expect "MSK requests after the pull with the stale MUK" "$(stale_after "$t_pull")" 0
	[[ $t_push != never ]] || { pretty "the new MSK was never pushed"; return 1; }
	# Recovery time: the new MSK must be there before its first packet;
	# the budget is the pull's lead (MSK lead + MTK delta).
	expect_le "relaxed: from the pull to the new MSK's push" \
		"$(echo "$t_push - $t_pull" | bc)" "$(echo "$t_use - $t_pull" | bc)"
	expect_all_decrypted pull_relaxed
}

stage_pull_strict() {
	local t_req jitter=1 gba slack=2
	pull_run strict
	# The fresh GBA bootstrap before the request: the BSF's time, not
	# mbmsd's (the fake BSF is a shell script: seconds under a loaded TCG),
	# measured from mbmsd's log and added to the bounds below.
	gba=$(awk '/GBA bootstrap first/ { s = $1 } /GBA bootstrap: B-TID fake2@/ { print $1 - s; exit }' "$S/mbmsd.log")
	[[ -n $gba ]] || gba=2
	pretty "strict: the second GBA bootstrap took ${gba} s"
	expect "accepted pulls under the expired MUK" "${ST[accepted.solicited_pull_expired_muk]}" 0
	expect_range "rejected muk-expired" "${ST[rejected.muk-expired]}" 1 100
	# The pull itself causes no request: the first one after it comes
	# from the unknown-MKI path, after the new MSK is in use.
	t_req=$(ev_t ".event == \"http-request\" and .type == \"msk-request\" and .t > $t_pull and .status == 200")
	[[ -n $t_req ]] || { pretty "no MSK request after the pull"; return 1; }
	(( $(echo "$t_req > $t_use" | bc) )) || { pretty "request at $t_req before the new MSK was used at $t_use"; return 1; }
	expect_range "MSK requests after the pull" "$n_req" 1 3
	expect "mismatch" "$(rv mismatch)" 0
	# Recovery time, from the configuration: the unknown-MKI event (the
	# kernel sends at most one per 100 ms), a request within the jitter
	# window after a GBA bootstrap (the MUK expired; measured above),
	# then HTTP and the push (1 s) and the next MTK resend; plus 2 s of
	# slack for a loaded machine.
	expect_le "strict: from the new MSK's first packet to its request" \
		"$(echo "$t_req - $t_use" | bc)" "$(echo "$jitter + 0.1 + $gba + $slack" | bc)"
	expect_le "strict: stream lost" "$(echo "scale=2; $lost / $PPS" | bc)" \
		"$(echo "$jitter + 0.1 + $gba + 1 + $REPEAT + $slack" | bc)"
	# Recovered: packets were lost, and the stream was decrypted again
	# for at least a second before the end.
	expect_range "lost packets" "$lost" 1 $((sent / 2))
	expect_range "decrypted after the rollover" "$(( ${RV[match]:-0} - p2 ))" "$PPS" 100000
}

# Stage 3: forged and replayed MSK, MTK and solicited-pull messages during a
# normal run, with MTK resends on (every 0.5 s): all rejected and counted,
# no HTTP request, nothing lost.  The MTK replay is the first message of
# the newest MTK again, byte for byte, after resends with newer counters.
stage_forged() {
	local d=6
	recv_for $d
	mbmsd_conf relaxed 1
	mbmsd_start
	mbmsd_ready
	recv_ready
	bmsc_stream $d --mtk-period 1.5 \
		--fault msk-forged-mac@2.5 --fault msk-replay@2.8 \
		--fault mtk-forged-mac@3.1 --fault mtk-replay@3.4 \
		--fault mtk-unknown-msk@3.7 --fault pull-unauth@4
	bmsc_wait
	recv_wait
	snap
	expect "faults injected" "$(bm faults)" 6
	expect "MSK requests after the first fault" "$(http_after 2.5)" 0
	# Every genuine push accepted (one, or two when mbmsd's start-up
	# request, retried while the BM-SC was not up yet, reached it as it
	# started), and nothing else.
	expect "accepted MSKs (= genuine pushes)" "${ST[accepted.msk]}" "$(bm msk_sent)"
	expect_range "genuine pushes" "$(bm msk_sent)" 1 2
	expect "accepted pulls" "${ST[accepted.solicited_pull]}" 0
	expect_range "rejected auth (forged MSK, MTK, pull)" "${ST[rejected.auth]}" 3 3
	expect_range "rejected replay (MSK and MTK replays)" "${ST[rejected.replay]}" 2 2
	expect_range "rejected unknown-msk" "${ST[rejected.unknown-msk]}" 1 1
	expect_range "MTK resends accepted (not attacks)" "${ST[accepted.mtk_resend]}" 1 1000
	expect "failed MSK requests (no HTTP fault)" "${ST[counters.requests_failed]:-0}" 0
	expect_all_decrypted forged
}

# Stage 4: the BM-SC's HTTP endpoint drops every request from 3 s to 9 s
# while the stream moves, at 3.5 s, to an MSK nobody pushed
# (--msk-delivery none): the unknown-MKI path asks, with backoff (2, 4,
# 8 s, half of each random) and jitter (1 s), a bounded number of times,
# and gets the MSK once the endpoint answers again.
stage_bmsc_down() {
	local d=20 t_use t_ok times p2
	recv_for $d
	mbmsd_conf relaxed 1
	mbmsd_start
	mbmsd_ready
	recv_ready
	bmsc_stream $d --mtk-period 1.5 --msk-rollover 3.5 --msk-delivery none \
		--fault http-drop@3-9
	bmsc_wait
	recv_wait
	snap
	read -r t_use t_ok p2 < <(jq -s -r '[
		([.[] | select(.event == "srtp-key" and .msk_id == "00010002")][0] | .t, .packet),
		([.[] | select(.event == "http-request" and .type == "msk-request" and .status == 200 and .t > 3)][0].t // "never")]
		| [.[0], .[2], .[1]] | map(. // "none") | @tsv' "$S/bmsc.json")
	times=$(jq -s -r '[.[] | select(.event == "http-request" and .t > 3 and .t < 9) | .t] | map(tostring) | join(" ")' "$S/bmsc.json")
	pretty "new MSK in use at ${t_use}s; requests while down at: $times; first 200 at ${t_ok}s"
	# Bounded: with 1 s jitter and exponential backoff, 2 or 3 in the
	# 5.5 s after the rollover; never more than 6.
	expect_range "requests while down" "$(bm http_dropped)" 2 6
	[[ $t_ok != never && $t_use != none ]] || { pretty "no successful request after the endpoint came back"; return 1; }
	# Recovery: the first request after 9 s, at most one backoff step
	# (8 s) after the endpoint returned, plus 1 s of slack.
	(( $(echo "$t_ok >= 9" | bc) )) || { pretty "a request succeeded while the endpoint was down"; return 1; }
	expect_le "first answered request" "$t_ok" $((9 + 8 + 1))
	# Everything before the rollover, and at least a second after recovery.
	pretty "decrypted: $(rv match) packets, $p2 of them before the rollover"
	expect_range "decrypted after recovery" "$(( ${RV[match]:-0} - p2 ))" "$PPS" 100000
	expect "mismatch" "$(rv mismatch)" 0
	expect "MSK 2 held" "${ST[msk2]}" 1
}

# Stage 5: kill -9 of mbmsd mid-stream (once MTK 2 is installed) and an
# immediate restart: the key store gives back the MUK and the MSK, the next
# MTKs are installed, nothing is fetched again and the stream stays
# decrypted.  An MTK message sent while mbmsd is down is caught from its
# next resend (every 0.5 s), so only packets within the downtime plus a
# resend period and a second of slack may be lost (the restart itself
# takes seconds under TCG).
stage_kill9() {
	local d=9 t_kill down_ms sent lost
	recv_for $d
	mbmsd_conf relaxed 1
	mbmsd_start
	mbmsd_ready
	recv_ready
	bmsc_stream $d --mtk-period 1.5
	wait_until 30 log_has "$S/mbmsd.log" "MTK 2 of MSK 0x00010001 installed"
	t_kill=${EPOCHREALTIME/./}
	kill -9 "$mbmsd_pid"
	wait "$mbmsd_pid" 2>/dev/null || true
	pretty "mbmsd killed once MTK 2 was installed"
	mbmsd_start
	down_ms=$(( (${EPOCHREALTIME/./} - t_kill) / 1000 ))
	bmsc_wait
	recv_wait
	snap
	sent=${BM[srtp_sent]}
	lost=$((sent - ${RV[match]:-0}))
	pretty "kill9: mbmsd down for ${down_ms} ms (restart until it listens); $lost of $sent packets lost"
	# The restarted daemon's own counters: keys restored, none fetched.
	expect "MSKs held after the restart" "${ST[msks]}" 1
	expect "MUK restored" "${ST[muk.btid]}" fake1@bsf.test
	expect "MSK requests by the restarted mbmsd" "${ST[counters.requests_sent]:-0}" 0
	expect "GBA bootstraps by the restarted mbmsd" "${ST[counters.bootstraps]:-0}" 0
	expect_range "MTKs installed by the restarted mbmsd" "${ST[counters.mtk_installed]}" 1 5
	# Only what an MTK first sent while mbmsd was down can cost: at most
	# the downtime plus one resend period (0.5 s) and 1 s of slack.
	expect_range "packets lost" "$lost" 0 $(( (down_ms + 1500) * PPS / 1000 ))
	expect "mismatch" "$(rv mismatch)" 0
}

# Stage 6: a burst of 300 packets under an MSK nobody has: the kernel
# reports unknown MKIs, mbmsd asks the BM-SC at most once for that key
# group within the 3 s jitter window, and the real stream is untouched.
stage_unknown_burst() {
	local d=9
	RECV_EXTRA=310 recv_for $d
	mbmsd_conf relaxed 3
	mbmsd_start
	mbmsd_ready
	recv_ready
	bmsc_stream $d --mtk-period 1.5 --fault srtp-unknown-msk@3x300
	bmsc_wait
	recv_wait
	snap
	expect "unknown-MSK packets sent" "$(bm srtp_unknown_msk)" 300
	expect_range "kernel unknown_mki" "${ST[kernel.unknown_mki]}" 300 300
	expect_range "MSK requests after the burst" "$(http_after 3)" 1 1
	expect "mismatch" "$(rv mismatch)" 0
	expect_all_decrypted unknown_burst
}

# A broadcast that has been running for ~20 minutes when mbmsd joins: at
# 50 pps, ROC 5 is 5 * 65536 / 50 s = 109 min; any ROC > 0 is "after 2^16
# packets", which is what matters (issue 15).  The stream starts at ROC 5,
# SEQ 65400 and wraps to ROC 6 after 136 packets.
LATE=(--roc 5 --seq 65400)

# late_join D PRE ARGS...: mbmsd, then the stream (LATE and ARGS); every
# packet must be decrypted exactly from packet PRE on, the PRE before it
# dropped by the kernel.
late_join() {
	local d=$1 pre=$2 sent
	shift 2
	RECV_SEQ=65400 recv_for "$d"
	mbmsd_conf relaxed 1
	mbmsd_start
	mbmsd_ready
	recv_ready
	bmsc_stream "$d" --mtk-period 1.5 "${LATE[@]}" "$@"
	bmsc_wait
	recv_wait
	snap
	sent=$(bm srtp_sent)
	if [[ $pre == 0 ]]; then
		expect_all_decrypted "${FUNCNAME[0]}"
	else
		expect "late joiner: decrypted" "$(rv match)" $((sent - pre))
		expect "late joiner: received" "$(rv received)" $((sent - pre))
		expect "late joiner: garbled" "$(rv mismatch)" 0
		expect "late joiner: dropped, ROC not known" "${ST[kernel.roc_unknown]}" "$pre"
	fi
	expect "kernel packets" "${ST[kernel.packets]}" $((sent - pre))
}

# Stage 7: late joiner, RFC 3711 only: what makes it work is the ROC of
# the MSK message's SRTP-ID map (RFC 3830 §6.1.1), which mbmsd installs
# with every MTK (KEY_ROC); without it the kernel starts at ROC 0 and
# every packet fails authentication.
stage_late_join_map() {
	late_join 6 0
	log_has "$S/mbmsd.log" "kernel: adding session 1" ||
		{ pretty "no session added"; return 1; }
	if log_has "$S/mbmsd.log" "RFC 4771"; then
		pretty "an RFC 4771 session for a plain stream"
		return 1
	fi
}

# Stage 8: late joiner, RFC 4771 (issue 15): the MSK message's SP says
# RCCm1, R 16 and its SRTP-ID map says ROC 0 (--no-map-roc), so only the
# ROC in the RCC packets tells the kernel where the stream is; mbmsd makes
# the kernel session RCC from the SP alone.  The 8 packets before the
# first RCC packet (SEQ 65408) carry no integrity in RCCm1 and the ROC is
# not known yet: the kernel drops them (roc_unknown), never garbles them.
stage_late_join_rcc() {
	late_join 6 8 --rcc-mode 1 --rcc-rate 16 --no-map-roc
	log_has "$S/mbmsd.log" "kernel: adding session 1 (RFC 4771 RCCm1, R 16)" ||
		{ pretty "mbmsd did not make session 1 RCCm1, R 16"; return 1; }
}

# Stage 9: late joiner, RFC 4771 with TS 33.246 §6.6.2.1 NOTE 3's 14-byte
# tag (ROC and a 10-byte MAC): the MSK message's SP says RCCm1, R 16 and
# SRTP tag length 14 (parameter 11); mbmsd must give the kernel session a
# 14-byte tag (before, the 80-bit suite: every RCC packet failed).
stage_late_join_tag14() {
	late_join 6 8 --rcc-mode 1 --rcc-rate 16 --tag-len 14 --no-map-roc
	log_has "$S/mbmsd.log" "SRTP tag length now 14" ||
		{ pretty "mbmsd did not give session 1 a 14-byte tag"; return 1; }
}

# ---- runner ------------------------------------------------------------------

# Tools and module present; one module image for the whole run.
check_tools() {
	local tool
	for tool in mbmsd bmsc-sim srtp-recv mbmsctl; do
		[[ -x $bin/$tool ]] || { echo "Bail out! missing $bin/$tool"; return 1; }
	done
	[[ -r $ko ]] || { echo "Bail out! no module at $ko"; return 1; }
	cp "$ko" "$T/mbms_srtp.ko"
	ko=$T/mbms_srtp.ko
}

# scripts/demo.sh sources this file for the helpers above.
[[ ${MBMS_E2E_LIB:-0} == 1 ]] && return 0

all_stages=(happy pull_relaxed pull_strict forged bmsc_down kill9 unknown_burst
	late_join_map late_join_rcc late_join_tag14)
stages=("${all_stages[@]}")
[[ $# -gt 0 ]] && stages=("$@")
check_tools || exit 1

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
	t_stage=$EPOCHREALTIME
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
