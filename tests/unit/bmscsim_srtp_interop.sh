#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bmsc-sim's SRTP stream against srtp-recv (libsrtp2 reference stream of
# the traffic tools), on loopback: every packet must be byte-identical to
# the SRTP packet srtp-send would build ("encrypted" in srtp-recv's terms)
# with the MTK, salt and MKI bmsc-sim used -- across a sequence number wrap
# (ROC 0 -> 1) and across the scheduled MTK change at packet 50, which must
# keep the ROC.  MTK material is derived here from --seed with openssl
# (HMAC-SHA-256(seed, "mtk"/"mtk-salt" || index be64 || block be32)).
set -eu

BIN=${MBMS_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/build/userspace/bin}
for f in "$BIN/bmsc-sim" "$BIN/srtp-recv"; do
	[ -x "$f" ] || { echo "SKIP: $f not built"; exit 77; }
done
for tool in openssl jq; do
	command -v $tool >/dev/null || { echo "SKIP: $tool missing"; exit 77; }
done

SEED=0101010101010101010101010101010101010101010101010101010101010101
work=$(mktemp -d)
recv_pid=
cleanup() {
	if [ -n "$recv_pid" ]; then
		kill "$recv_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# derive LABEL INDEX(0|1) BYTES
derive() {
	{ printf '%s' "$1"; printf '\000\000\000\000\000\000\000'
	  if [ "$2" = 1 ]; then printf '\001'; else printf '\000'; fi
	  printf '\000\000\000\000'; } |
		openssl dgst -sha256 -mac HMAC -macopt "hexkey:$SEED" -hex |
		sed 's/.*= //' | cut -c1-$(($3 * 2))
}

# run NAME SIM-ARGS -- RECV-ARGS: both on a fresh port, check the result.
run() {
	name=$1
	shift
	sim_args=
	while [ "$1" != -- ]; do
		sim_args="$sim_args $1"
		shift
	done
	shift
	port=$((42000 + $$ % 1000))
	rm -f "$work/ready"
	"$BIN/srtp-recv" --listen 127.0.0.1 --port "$port" --count 100 \
		--timeout 15 --idle 1500 --ready-file "$work/ready" -j "$@" \
		> "$work/recv.json" &
	recv_pid=$!
	i=0
	while [ ! -e "$work/ready" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e "$work/ready" ] || fail "$name: srtp-recv not ready"
	# shellcheck disable=SC2086
	"$BIN/bmsc-sim" -q --seed "$SEED" --duration 3 --start 1 \
		--mtk-delta 0.5 --stream "127.0.0.1:$port" $sim_args ||
		fail "$name: bmsc-sim failed"
	wait "$recv_pid" || fail "$name: srtp-recv exit status $?"
	recv_pid=
	enc=$(jq .encrypted "$work/recv.json")
	[ "$enc" = 100 ] || fail "$name: $(cat "$work/recv.json")"
	echo "ok: $name: 100 of 100 packets identical to the reference"
}

K0=$(derive mtk 0 16)
S0=$(derive mtk-salt 0 14)
K1=$(derive mtk 1 16)
S1=$(derive mtk-salt 1 14)

run "one MTK across the seq wrap" --seq 65500 -- \
	--seq 65500 --key "$K0" --salt "$S0"
run "MTK change at packet 50 after the wrap, tag 4" --seq 65520 \
	--mtk-period 1 --tag-len 4 -- \
	--seq 65520 --key "$K0" --salt "$S0" --key2 "$K1" --salt2 "$S1" \
	--switch-at 50 --suite aes-cm-128-hmac-sha1-32
# RFC 4771: with --rcc-mode the stream goes out in that form (the ROC,
# 0 then 1 across the wrap, in every R-th tag), as srtp-send frames it.
run "RCCm1, R 16, across the seq wrap" --seq 65500 --rcc-mode 1 --rcc-rate 16 -- \
	--seq 65500 --key "$K0" --salt "$S0" --rcc-mode 1 --rcc-rate 16
run "RCCm3, R 7, tag 4, MTK change at packet 50" --seq 65520 --mtk-period 1 \
	--tag-len 4 --rcc-mode 3 --rcc-rate 7 -- \
	--seq 65520 --key "$K0" --salt "$S0" --key2 "$K1" --salt2 "$S1" \
	--switch-at 50 --suite aes-cm-128-hmac-sha1-32 --rcc-mode 3 --rcc-rate 7
# RCCm1/RCCm2 with the 4-byte tag: the RCC packets carry the ROC and a
# 0-byte MAC (RFC 4771 truncates the MAC by 4 bytes).
run "RCCm1, R 16, tag 4, across the seq wrap" --seq 65500 --tag-len 4 \
	--rcc-mode 1 --rcc-rate 16 -- \
	--seq 65500 --key "$K0" --salt "$S0" --suite aes-cm-128-hmac-sha1-32 \
	--rcc-mode 1 --rcc-rate 16
run "RCCm2, R 5, tag 4, MTK change at packet 50" --seq 65520 --mtk-period 1 \
	--tag-len 4 --rcc-mode 2 --rcc-rate 5 -- \
	--seq 65520 --key "$K0" --salt "$S0" --key2 "$K1" --salt2 "$S1" \
	--switch-at 50 --suite aes-cm-128-hmac-sha1-32 --rcc-mode 2 --rcc-rate 5
# TS 33.246 6.6.2.1 NOTE 3: RCCm1/RCCm2 with a 14-byte tag (ROC and a
# 10-byte MAC on RCC packets, the full 14-byte tag on RCCm2's others).
run "RCCm2, R 16, tag 14, across the seq wrap" --seq 65500 --tag-len 14 \
	--rcc-mode 2 --rcc-rate 16 -- \
	--seq 65500 --key "$K0" --salt "$S0" --tag-len 14 --rcc-mode 2 --rcc-rate 16
echo "bmscsim_srtp_interop: all passed"
