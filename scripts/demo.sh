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
# prints a live summary every second or two and ends with PASS or FAIL (exit 0/1).
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
	kver=$(cd /boot && ls -d vmlinuz-"$kernel" vmlinuz-"$kernel".* vmlinuz-"$kernel"-* 2>/dev/null |
		sed 's/^vmlinuz-//' | sort -V | tail -n1)
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

# The latest noteworthy bmsc-sim event, in words.
last_event() {
	jq -r 'select((.event | IN("srtp-key", "stats", "exit", "start", "http-listening") | not) and
			(.event != "mtk" or .repeat == false)) |
		"t=\(.t)s " + (if .event == "msk-push" then "BM-SC pushed MSK \(.msk_id)"
		elif .event == "mtk" then "BM-SC sent MTK \(.mtk_id) of MSK \(.msk_id)"
		elif .event == "pull" then "BM-SC sent a solicited pull"
		elif .event == "http-request" then "HTTP \(.type) from the gateway: \(.status)"
		elif .event == "msk-new" then "BM-SC has a new MSK \(.msk_id)"
		else .event end)' "$S/bmsc.json" 2>/dev/null | tail -n 1
}

show() {
	local t=$1 pk msk inst req keys
	status_ok || { say "  ${D}(mbmsd not answering)${N}"; return; }
	# One jq per refresh: under TCG every process start is expensive.
	IFS=$'\t' read -r pk msk inst req keys < <(jq -r '[(.sessions[0].kernel.packets // 0),
		.accepted.msk, .counters.mtk_installed,
		"\(.counters.requests_ok) ok of \(.counters.requests_sent)",
		([.mtks[] | "MTK \(.mtk_id) of MSK \(.msk_id % 65536)"] | join(", ") |
			if . == "" then "none" else . end)] | @tsv' "$S/status.json")
	printf '  %s%3ss%s  decrypted %s%5s%s pkts | MSKs accepted %s | MTKs installed %s | MSK requests %s\n' \
		"$B" "$t" "$N" "$G" "$pk" "$N" "$msk" "$inst" "$req"
	printf '        %skernel keys: %s; last: %s%s\n' "$D" "$keys" "$(last_event)" "$N"
}

demo() {
	local t0 el
	check_tools || return 1
	load_module || { say "cannot load the module"; return 1; }
	S=$T/demo
	mkdir -p "$S"
	# shellcheck disable=SC2034 # the log time stamps of run.sh's stamp()
	t_stage=$EPOCHREALTIME
	setup_net
	say "${B}== network${N}: bmsc 10.0.1.1 -- gw 10.0.1.2 | 10.0.2.1 -- rx 10.0.2.2; stream 10.0.2.2:5004, MTKs to 232.1.1.1:2269"
	mbmsd_conf relaxed 1
	say "${B}== starting mbmsd${N} in gw (MUK policy relaxed; GBA from the fake BSF)"
	mbmsd_start || return 1
	mbmsd_ready || return 1
	say "   mbmsd has GBA key $(st '.muks[0].btid'); kernel session 1, flow 10.0.2.2:5004"
	recv_start $((secs + 30)) || return 1
	say "${B}== starting bmsc-sim${N}: ${secs}s stream, a new MTK every 4 s, solicited pull at ${pull_at}s"
	bmsc_start --duration $((secs + 3)) --start 3 --mtk-period 4 --mtk-delta 1 \
		--mtk-repeat 1 --solicited-pull "$pull_at"
	t0=$SECONDS
	# shellcheck disable=SC2154 # set by bmsc_start (run.sh)
	while kill -0 "$bmsc_pid" 2> /dev/null; do
		sleep 1
		el=$((SECONDS - t0))
		show "$el"
	done
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
	pulls=$(st .accepted.solicited_pull)
	req200=$(jq -s '[.[] | select(.event == "http-request" and .type == "msk-request" and .status == 200)] | length' "$S/bmsc.json")
	say ""
	say "${B}== result${N}"
	say "   BM-SC sent $sent SRTP packets; the receiver got $(rv received), $match of them exactly the original plaintext, $mism wrong"
	say "   mbmsd: $(st .accepted.msk) MSKs and $(st .accepted.mtk) MTKs accepted, $(st .counters.mtk_installed) MTKs installed, $pulls solicited pull(s) accepted, $req200 MSK request(s) answered 200"
	say "   rejected (normal: periodic MTK resends): $(jq -c '.rejected | with_entries(select(.value != 0))' "$S/status.json")"
	[[ $sent -gt 0 ]] || why+=("no stream was sent")
	[[ $match == "$sent" ]] || why+=("$((sent - match)) packets not decrypted")
	[[ $mism == 0 ]] || why+=("$mism wrong packets")
	[[ $pulls -ge 1 ]] || why+=("the solicited pull was not accepted")
	[[ $req200 -ge 1 ]] || why+=("no MSK request answered after the pull")
	if [[ ${#why[@]} -eq 0 ]]; then
		say "${G}${B}PASS${N}: every packet decrypted in the kernel across $(st .counters.mtk_installed) MTKs and a solicited pull"
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
