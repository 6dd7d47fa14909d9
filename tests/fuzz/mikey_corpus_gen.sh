#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate the seed corpus of mikey_decode_fuzz: one small binary file per
# valid MBMS MIKEY message type, built by mikeytool with the keys the fuzz
# target uses, plus a few framing variants.  Usage:
#   tests/fuzz/mikey_corpus_gen.sh [MIKEYTOOL]
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
T=${1:-$TOP/build/userspace/bin/mikeytool}
D=$TOP/tests/fuzz/corpus/mikey_decode_fuzz
MUK=00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210
MSK=4d534b2d6b65792d30303031a55a0ff0
MTK=e1f97a0d3e018be0d64fa32c06de4139
SALT=0ec675ad498afeebb6960b3aabe6
RAND=a0a1a2a3a4a5a6a7a8a9aaabacadaeaf
ID="--idi bmsc.example.org --idr btid@bsf.example.org"
C="--key-domain 262001 --rand $RAND"

mkdir -p "$D"
rm -f "$D"/*
$T encode msk --muk $MUK --csb-id 1 --counter 1 $C $ID --msk-id 0x00050001 \
	--msk $MSK --seql 0 --sequ 100 --ssrc 0x11223344 --roc 0 -o "$D/msk-stream"
$T encode msk --muk $MUK --csb-id 2 --counter 2 $C $ID --msk-id 0x00050001 \
	--msk $MSK --seql 0 --sequ 100 --v --ssrc 1 --roc 9 --tag-len 4 -o "$D/msk-stream-v"
$T encode msk --muk $MUK --csb-id 3 --counter 3 $C $ID --msk-id 0x00060002 \
	--msk $MSK --seql 5 --sequ 9 --download -o "$D/msk-download"
$T encode msk --muk $MUK --csb-id 4 --counter 4 $C $ID --msk-id 0x00050001 \
	--validity-only --seql 10 --sequ 2 -o "$D/msk-validity"
$T encode mtk --msk $MSK --csb-id 5 --counter 5 $C --msk-id 0x00050001 \
	--mtk-id 1 --mtk $MTK --salt $SALT -o "$D/mtk-stream"
$T encode mtk --msk $MSK --csb-id 6 --counter 6 $C --msk-id 0x00050001 \
	--mtk-id 2 --mtk $MTK --download -o "$D/mtk-download"
$T encode solicited-pull --muk $MUK --csb-id 7 --counter 7 $C $ID \
	--key-group 5 -o "$D/solicited-pull"
$T encode verification --muk $MUK "$D/msk-stream-v" -o "$D/verification"
# decrypted key data (TEK+SALT, MTK) for the key-data parser
printf '\x00\x30\x00\x10%016d\x00\x0e%014d' 0 0 >"$D/keydata-mtk"
printf '\x00\x22\x00\x10%016d\x02\x00\x01\x02\x00\x64' 0 >"$D/keydata-msk"
# framing: payloads MBMS skips (CERT, CHASH, SIGN) after a bare HDR
printf '\x01\x00\x07\x00\x00\x00\x00\x01\x00\x01\x08\x00\x00\x02ab\x04\x00%020d\x10\x02zz' 0 >"$D/skipped-payloads"
printf '\x01\x00\x15\x00\x00\x00\x00\x01\x00\x01\x05\x42\x00\x03abc\x00\x02\x00\x00\x00\x05' >"$D/unknown-ext"
# Key ID EXT (type 3): entries in reverse order with an unknown Key ID type,
# next to a TESLA I-Key EXT (type 2), before T
printf '\x01\x00\x15\x00\x00\x00\x00\x01\x00\x01\x15\x02\x00\x01\xaa\x05\x03\x00\x16\x02\x00\x02\x00\x02\x07\x00\x01\xee\x01\x00\x04\x00\x05\x00\x01\x00\x00\x03\x26\x20\x01\x00\x02\x00\x00\x00\x05' >"$D/keyid-any-order"
# the hand-built vectors (tests/vectors/mikey/handbuilt.txt)
for v in msk mtk solicited-pull verification msk-rcc; do
	awk -v n=$v '$1 == "msg" && $2 == n { print $3 }' \
		"$TOP/tests/vectors/mikey/handbuilt.txt" | xxd -r -p >"$D/handbuilt-$v"
done
ls "$D" | wc -l
