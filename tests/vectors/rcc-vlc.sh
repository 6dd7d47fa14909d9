#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Write the RFC 4771 known-answer vectors, tests/vectors/rcc-vlc.txt, from
# the VLC oracle (build/oracle/vlc-rcc-send, see scripts/vlc-oracle.sh):
#
#   scripts/vlc-oracle.sh && tests/vectors/rcc-vlc.sh > tests/vectors/rcc-vlc.txt
#
# Each case: 10 packets from SEQ 65531 at ROC 5, so that the stream wraps
# to ROC 6 in the middle and, with R = 3 or 4, RCC packets (SEQ mod R = 0)
# fall just before, at and after the wrap.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
oracle=${ORACLE:-$top/build/oracle/vlc-rcc-send}
[ -x "$oracle" ] || { echo "rcc-vlc.sh: no $oracle (run scripts/vlc-oracle.sh)" >&2; exit 1; }

KEY=e1f97a0d3e018be0d64fa32c06de4139
SALT=0ec675ad498afeebb6960b3aabe6
MSK=0x01020304
MTK=0x0506
SSRC=0x12345678

cat <<EOF
# RFC 4771 (RCC) known-answer vectors from VLC's SRTP code: Debian 12's
# vlc $(sed -n 's/^vlc \([^ ]*\).*/\1/p' "$top/build/oracle/PROVENANCE"), modules/access/rtp/srtp.c,
# built by scripts/vlc-oracle.sh.  Written by:
#   tests/vectors/rcc-vlc.sh > tests/vectors/rcc-vlc.txt
# AES-CM-128 with HMAC-SHA1, master key $KEY,
# master salt $SALT, SSRC $SSRC (in each packet's header).
#
# case MODE TAG_BITS RATE MKI_HEX ("-": no MKI)
#   the oracle's command line follows as a comment
# pkt SEQ ROC PLAINTEXT_HEX WIRE_HEX
#   WIRE = encrypted packet || MKI || trailer, the trailer being (RFC 4771)
#   ROC || MAC truncated by 4 bytes on RCC packets in modes 1 and 2,
#   ROC alone on RCC packets in mode 3, the full tag on other packets in
#   mode 2, nothing on other packets in modes 1 and 3.
EOF

# One case: MODE TAG_BITS RATE MKI_LEN, then the oracle's tag option;
# the stream is the same for every case but for $seed.
emit_case() {
	c_mode=$1 c_tag=$2 c_rate=$3 c_mki=$4
	shift 4
	set -- --rcc-mode "$c_mode" --rcc-rate "$c_rate" "$@" \
		--key "$KEY" --salt "$SALT" --msk-id "$MSK" --mtk-id "$MTK" \
		--mki-len "$c_mki" --ssrc "$SSRC" --seq 65531 --roc 5 \
		--count 10 --payload-size 24 --seed "$seed"
	mkihex=$(printf '%08x%04x' "$MSK" "$MTK" | tail -c $((2 * c_mki)))
	echo
	echo "case $c_mode $c_tag $c_rate ${mkihex:--}"
	echo "# vlc-rcc-send --dump - -q $*"
	"$oracle" --dump - -q "$@" | sed 's/^/pkt /'
}

seed=0
for mki in 6 0; do
	for tag in 80 32; do
		for rate in 4 3; do
			for mode in 1 2 3; do
				# MKI 0: one rate is enough; both tags, since
				# with the 4-byte one the RCC packets' trailer
				# (ROC, 0-byte MAC) is all there is after the
				# payload.
				[ "$mki" = 0 ] && [ "$rate" = 3 ] && continue
				seed=$((seed + 1))
				emit_case "$mode" "$tag" "$rate" "$mki" --suite "$tag"
			done
		done
	done
done

# TS 33.246 6.6.2.1 NOTE 3: in RCCm1 and RCCm2 "a MAC of 10 octets ... and
# a ROC of 4 octets": a 14-byte (112-bit) tag.  A block of its own.
echo
echo "# 14-byte tag (TAG_BITS 112, vlc-rcc-send --tag-len 14): TS 33.246 6.6.2.1 NOTE 3"
# Seeds of their own (16 on), so that cases added to the loop above do
# not change these vectors.
seed=15
for mki in 6 0; do
	for mode in 1 2; do
		seed=$((seed + 1))
		emit_case "$mode" 112 4 "$mki" --tag-len 14
	done
done
