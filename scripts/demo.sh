#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: a gateway decrypting an MBMS stream with no manual key
# handling, in a throwaway VM.
#
#   scripts/demo.sh [--kernel VERSION]     (default: 6.1)
#
# Builds what is missing, boots the VM and there starts, in three network
# namespaces (the topology of tests/e2e/run.sh):
#   bmsc  bmsc-sim: the BM-SC -- MSK push, an MTK every 4 s, a solicited
#         pull at 12 s, an SRTP stream (libsrtp2, 50 packets/s, ~20 s)
#   gw    mbms_srtp.ko + mbmsd: the gateway -- gets the keys, installs
#         them, the kernel decrypts the stream while forwarding it
#   rx    srtp-recv: a receiver behind the gateway, which checks every
#         packet against the plaintext the BM-SC protected
# mbmsd starts first: it must listen, with its GBA key, when bmsc-sim
# pushes the MSK at its t=0.  Its own start-up MSK request, sent before
# bmsc-sim listens, is retried within mbmsd's start-up grace
# (startup_grace in mbmsd.conf(5)), not failed: the scenario injects no
# HTTP fault, so any failed request makes the verdict FAIL.
# prints a live summary every 2 s (on a fixed grid) and ends with PASS or
# FAIL (exit 0/1).
#
# Environment: MBMS_DEMO_KERNEL (default 6.1), MBMS_DEMO_SECONDS (stream
# length, default 20).
set -u

TOP=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)

if [[ ${1:-} != --in-vm ]]; then
	kernel=${MBMS_DEMO_KERNEL:-6.1}
	while [[ $# -gt 0 ]]; do
		case $1 in
		--kernel) kernel=${2:?--kernel needs a value}; shift 2 ;;
		-h|--help) sed -n '3,/^set -u/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
		*) echo "demo.sh: unknown option '$1'" >&2; exit 2 ;;
		esac
	done
	kver=$("$TOP/scripts/kernels.sh" --resolve-image "$kernel") || kver=
	[[ -n $kver ]] || { echo "demo.sh: no installed kernel matches '$kernel' (scripts/deps.sh)" >&2; exit 1; }
	if [[ ! -r $TOP/build/kmod/$kver/kmod/mbms_srtp.ko ]]; then
		echo "== building the module for $kver"
		make -C "$TOP" -j2 module KVER="$kver" > /dev/null || exit 1
	fi
	for t in mbmsd bmsc-sim srtp-recv mbmsctl; do
		if [[ ! -x $TOP/build/userspace/bin/$t ]]; then
			echo "== building userspace"
			make -C "$TOP" -j2 userspace > /dev/null || exit 1
			break
		fi
	done
	echo "== booting a VM with Linux $kver (QEMU; under TCG this takes a minute)"
	cd "$TOP" || exit 1
	exec "$TOP/scripts/vm-run" --kernel "$kver" --timeout 400 -- scripts/demo.sh --in-vm
fi

# ---- inside the VM -----------------------------------------------------------

# Read by tests/e2e/run.sh, sourced below for its helpers.
# shellcheck disable=SC2034
MBMS_E2E_LIB=1
# shellcheck disable=SC2034
MBMS_TOP=$TOP
# shellcheck source=../tests/e2e/run.sh
. "$TOP/tests/e2e/run.sh"

secs=${MBMS_DEMO_SECONDS:-20}
pull_at=$((3 + secs / 2))

if [[ -t 1 ]]; then
	B=$'\e[1m' G=$'\e[32m' R=$'\e[31m' D=$'\e[2m' N=$'\e[0m'
else
	B='' G='' R='' D='' N=''
fi

say() { printf '%s\n' "$*"; }

# One refresh of the live summary: one `mbmsd status -j` and one jq over
# it and bmsc-sim's events (under TCG every process start costs ~0.5 s).
show() {
	local t=$1 line1 line2
	status_ok || { say "  ${D}(mbmsd not answering)${N}"; return; }
	{ IFS= read -r line1; IFS= read -r line2; } < <(jq -n -r \
		--slurpfile st "$S/status.json" '
		$st[0] as $s |
		([inputs | select((.event | IN("srtp-key", "stats", "exit", "start", "http-listening") | not) and
			(.event != "mtk" or .repeat == false))] | last) as $e |
		"\($s.sessions[0].kernel.packets // 0)\t\($s.accepted.msk)\t\($s.counters.mtk_installed)\t\($s.counters.requests_sent) sent, \($s.counters.requests_ok) ok, \($s.counters.requests_failed) failed",
		(([$s.mtks[] | "MTK \(.mtk_id) of MSK \(.msk_id % 65536)"] | join(", ") |
			if . == "" then "none" else . end) + "; last: " +
		 (if $e == null then "" else "t=\($e.t)s " +
		  (if $e.event == "msk-push" then "BM-SC pushed MSK \($e.msk_id)"
		   elif $e.event == "mtk" then "BM-SC sent MTK \($e.mtk_id) of MSK \($e.msk_id)"
		   elif $e.event == "pull" then "BM-SC sent a solicited pull"
		   elif $e.event == "http-request" then "HTTP \($e.type) from the gateway: \($e.status)"
		   elif $e.event == "msk-new" then "BM-SC has a new MSK \($e.msk_id)"
		   else $e.event end) end))' "$S/bmsc.json" 2>/dev/null)
	IFS=$'\t' read -r pk msk inst req <<< "$line1"
	printf '  %s%3ss%s  decrypted %s%5s%s pkts | MSKs accepted %s | MTKs installed %s | MSK requests %s\n' \
		"$B" "$t" "$N" "$G" "$pk" "$N" "$msk" "$inst" "$req"
	printf '        %skernel keys: %s%s\n' "$D" "$line2" "$N"
}

# The live summary, every REFRESH s on a fixed grid from bmsc-sim's start
# (a refresh that overruns skips to the next tick instead of drifting).
REFRESH=2
live() {
	local t0_us=${EPOCHREALTIME/./} now_us next_us k=1
	# shellcheck disable=SC2154 # set by bmsc_start (run.sh)
	while kill -0 "$bmsc_pid" 2> /dev/null; do
		next_us=$((t0_us + k * REFRESH * 1000000))
		now_us=${EPOCHREALTIME/./}
		if ((now_us < next_us)); then
			nap "$(printf '%d.%06d' $(((next_us - now_us) / 1000000)) $(((next_us - now_us) % 1000000)))"
			kill -0 "$bmsc_pid" 2> /dev/null || break
		fi
		show $((k * REFRESH))
		now_us=${EPOCHREALTIME/./}
		k=$(( (now_us - t0_us) / (REFRESH * 1000000) + 1 ))
	done
}

demo() {
	check_tools || return 1
	load_module || { say "cannot load the module"; return 1; }
	S=$T/demo
	mkdir -p "$S"
	# shellcheck disable=SC2034 # the log time stamps of run.sh's stamp()
	t_stage=$EPOCHREALTIME
	setup_net
	say "${B}== network${N}: bmsc 10.0.1.1 -- gw 10.0.1.2 | 10.0.2.1 -- rx 10.0.2.2; stream 10.0.2.2:5004, MTKs to 232.1.1.1:2269"
	# The receiver precomputes the stream: start it while mbmsd starts.
	recv_start $((secs + 60)) $((PPS * secs))
	mbmsd_conf relaxed 1
	say "${B}== starting mbmsd${N} in gw (MUK policy relaxed; GBA from the fake BSF)"
	mbmsd_start || return 1
	mbmsd_ready || return 1
	say "   mbmsd has GBA key $(st '.muks[0].btid'); kernel session 1, flow 10.0.2.2:5004"
	recv_ready > /dev/null || return 1
	say "${B}== starting bmsc-sim${N}: ${secs}s stream, a new MTK every 4 s, solicited pull at ${pull_at}s; summary every ${REFRESH}s"
	bmsc_start --duration $((secs + 3)) --start 3 --mtk-period 4 --mtk-delta 1 \
		--mtk-repeat 1 --solicited-pull "$pull_at"
	live
	bmsc_wait || true
	recv_wait > /dev/null
	summary > "$S/summary.txt"
	verdict
}

verdict() {
	local sent match mism pulls req200 why=()
	sent=$(bm srtp_sent)
	match=$(rv match)
	mism=$(rv mismatch)
	pulls=${ST[accepted.solicited_pull]:-0}
	req200=$(jq -s '[.[] | select(.event == "http-request" and .type == "msk-request" and .status == 200)] | length' "$S/bmsc.json")
	say ""
	say "${B}== result${N}"
	say "   BM-SC sent $sent SRTP packets; the receiver got $match of them exactly the original plaintext, $mism wrong"
	say "   mbmsd: ${ST[accepted.msk]} MSKs and ${ST[accepted.mtk]} MTKs accepted (and ${ST[accepted.mtk_resend]} MTK resends), ${ST[counters.mtk_installed]} MTKs installed, $pulls solicited pull(s) accepted, $req200 MSK request(s) answered 200"
	say "   MSK requests: $(jq -r '"\(.counters.requests_sent) sent, \(.counters.requests_ok) ok, \(.counters.requests_failed) failed, \(.counters.requests_retried) retried before the BM-SC listened; now \(.requests[0].state), last outcome: \(.requests[0].last_outcome | if . == "" then "none" else . end)"' "$S/status.json")"
	# each request and outcome as mbmsd logged it; those sent before
	# bmsc-sim listened (retried within mbmsd's start-up grace, not
	# failed) are summed up in one line
	awk '/MSK request for key group/ {
		sub(/.*MSK request/, "     MSK request")
		if (/start-up grace/) { n++; pend = ""; next }
		if (pend != "") print pend
		pend = ""
		if (/0x[0-9a-f]+: /) print; else pend = $0
	}
	END {
		if (pend != "") print pend
		if (n) printf "     (%d request(s) sent before bmsc-sim listened: retried, start-up grace)\n", n
	}' "$S/mbmsd.log" | while IFS= read -r l; do say "$l"; done
	say "   rejected: $(jq -c '.rejected | with_entries(select(.value != 0))' "$S/status.json")"
	[[ $sent -gt 0 ]] || why+=("no stream was sent")
	[[ $match == "$sent" ]] || why+=("$((sent - match)) packets not decrypted")
	[[ $mism == 0 ]] || why+=("$mism wrong packets")
	[[ $pulls -ge 1 ]] || why+=("the solicited pull was not accepted")
	[[ $req200 -ge 1 ]] || why+=("no MSK request answered after the pull")
	# This scenario injects no HTTP fault: a failed MSK request is a
	# real failure (e.g. mbmsd asking before the BM-SC listens), not noise.
	[[ ${ST[counters.requests_failed]:-0} == 0 ]] ||
		why+=("${ST[counters.requests_failed]} MSK request(s) failed that the scenario did not inject")
	if [[ ${#why[@]} -eq 0 ]]; then
		say "${G}${B}PASS${N}: every packet decrypted in the kernel across ${ST[counters.mtk_installed]} MTKs and a solicited pull"
		return 0
	fi
	say "${R}${B}FAIL${N}: $(IFS=';'; echo "${why[*]}")"
	say "--- mbmsd log (last 15 lines)"
	tail -n 15 "$S/mbmsd.log"
	return 1
}

demo
rc=$?
# The cleanup kills the actors: keep bash's "Killed" job notices out of
# the output after the verdict.
exec 2> /dev/null
exit $rc
