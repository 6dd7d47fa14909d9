#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mikeytool: exit statuses, JSON fields, hex and binary input, -o, @FILE keys.
set -u

TOP=${MBMS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${MBMS_BIN:-$TOP/build/userspace/bin}
T=$BIN/mikeytool
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# expect STATUS CMD...: run, compare the exit status
expect() {
	local want=$1; shift
	"$@" >"$work/out" 2>"$work/err"
	local rc=$?
	if [[ $rc -eq $want ]]; then ok; else bad "'$*' exited $rc, want $want: $(cat "$work/err")"; fi
}
# field JSONFILE JQ-PATH WANT
field() {
	local got
	got=$(jq -r "$2" "$1")
	if [[ "$got" == "$3" ]]; then ok; else bad "$2 = '$got', want '$3'"; fi
}

MUK=00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210
MSK=4d534b2d6b65792d30303031a55a0ff0
MTK=e1f97a0d3e018be0d64fa32c06de4139
SALT=0ec675ad498afeebb6960b3aabe6
RAND=a0a1a2a3a4a5a6a7a8a9aaabacadaeaf
WRONG=ff112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210

expect 0 $T --help
grep -q "encode solicited-pull" "$work/out" && ok || bad "--help lacks the grammar"
expect 2 $T
expect 2 $T frobnicate
expect 2 $T encode
expect 2 $T encode nonsense

# MSK message, streaming, V bit; key from a file
echo $MUK >"$work/muk"
expect 0 $T encode msk --muk @"$work/muk" --csb-id 0x1a2b3c4d --counter 100 \
	--rand $RAND --idi bmsc.example.org --idr btid@bsf.example.org \
	--key-domain 262001 --msk-id 0x00050001 --msk $MSK --seql 0 --sequ 100 \
	--v --ssrc 0xdeadbeef --roc 0
cp "$work/out" "$work/msk.hex"
expect 0 $T decode -j --muk $MUK "$work/msk.hex"
cp "$work/out" "$work/msk.json"
field "$work/msk.json" .type msk
field "$work/msk.json" .csb_id 439041101
field "$work/msk.json" .counter 100
field "$work/msk.json" .key_domain 262001
field "$work/msk.json" .msk_id 327681
field "$work/msk.json" .mtk_id null
field "$work/msk.json" .rand $RAND
field "$work/msk.json" .idi bmsc.example.org
field "$work/msk.json" .idr btid@bsf.example.org
field "$work/msk.json" .v true
field "$work/msk.json" .mac_ok true
field "$work/msk.json" .key $MSK
field "$work/msk.json" .seql 0
field "$work/msk.json" .sequ 100
# without a key: no mac_ok, no key
expect 0 $T decode -j "$work/msk.hex"
field "$work/out" .mac_ok null
field "$work/out" .key null
# wrong key: mac_ok false, exit 3, no key printed
expect 3 $T decode -j --muk $WRONG "$work/msk.hex"
field "$work/out" .mac_ok false
field "$work/out" .key null
# stdin, and binary via -o
expect 0 $T decode - <"$work/msk.hex"
expect 0 $T encode msk --muk $MUK --csb-id 1 --counter 1 --rand $RAND \
	--idi a --idr b --key-domain 262001 --msk-id 0x00050001 --msk $MSK \
	--seql 0 --sequ 1 --download -o "$work/dl.bin"
[[ $(head -c 1 "$work/dl.bin" | xxd -p) == 01 ]] && ok || bad "-o did not write binary"
# -o - writes the same binary message to stdout, never a file named '-'
(cd "$work" && expect 0 $T encode msk --muk $MUK --csb-id 1 --counter 1 --rand $RAND \
	--idi a --idr b --key-domain 262001 --msk-id 0x00050001 --msk $MSK \
	--seql 0 --sequ 1 --download -o -)
cmp -s "$work/out" "$work/dl.bin" && ok || bad "-o - did not write the message to stdout"
[[ ! -e $work/- ]] && ok || bad "-o - wrote a file named '-'"
expect 0 $T decode -j --muk $MUK "$work/dl.bin"
field "$work/out" .download true
field "$work/out" .cs_map empty
# verification answer, then decoded
expect 0 $T encode verification --muk $MUK "$work/msk.hex"
cp "$work/out" "$work/ver.hex"
expect 0 $T decode -j "$work/ver.hex"
field "$work/out" .type verification
field "$work/out" .csb_id 439041101
field "$work/out" .idr btid@bsf.example.org
expect 0 $T decode -j --muk $MUK --init "$work/msk.hex" "$work/ver.hex"
field "$work/out" .mac_ok true
expect 3 $T decode -j --muk $WRONG --init "$work/msk.hex" "$work/ver.hex"
field "$work/out" .mac_ok false
expect 2 $T decode --muk $MUK "$work/ver.hex"		# --init missing
expect 2 $T decode --init "$work/msk.hex" "$work/ver.hex"	# --muk missing
expect 3 $T encode verification --muk $WRONG "$work/msk.hex"
expect 1 $T encode verification --muk $MUK "$work/dl.bin"	# no V bit

# MTK message
expect 0 $T encode mtk --msk $MSK --rand $RAND --csb-id 9 --counter 7 \
	--key-domain 262001 --msk-id 0x00050001 --mtk-id 3 --mtk $MTK --salt $SALT
cp "$work/out" "$work/mtk.hex"
expect 0 $T decode -j --msk $MSK --rand $RAND "$work/mtk.hex"
field "$work/out" .type mtk
field "$work/out" .mtk_id 3
field "$work/out" .msk_id 327681
field "$work/out" .counter 7
field "$work/out" .mac_ok true
field "$work/out" .key $MTK
field "$work/out" .salt $SALT
field "$work/out" .rand null
expect 3 $T decode -j --msk $MSK --rand ${RAND/a0/00} "$work/mtk.hex"
field "$work/out" .mac_ok false
expect 2 $T decode --muk $MUK "$work/mtk.hex"		# wrong kind of key
expect 2 $T decode --msk $MSK "$work/mtk.hex"		# --rand missing
expect 2 $T encode mtk --msk $MSK --rand $RAND --csb-id 9 --counter 7 \
	--key-domain 262001 --msk-id 0x00050001 --mtk-id 3 --mtk $MTK	# no salt/download: build error
# solicited pull
expect 0 $T encode solicited-pull --muk $MUK --csb-id 5 --counter 9 \
	--rand $RAND --idi bmsc.example.org --idr btid --key-domain 262001 \
	--key-group 5
cp "$work/out" "$work/pull.hex"
expect 0 $T decode -j --muk $MUK "$work/pull.hex"
field "$work/out" .type solicited-pull
field "$work/out" .key_group 5
field "$work/out" .key_number 0
field "$work/out" .mac_ok true
field "$work/out" .encr_len 0

# malformed input: message and exit 1
printf '01ff' >"$work/short.hex"
expect 1 $T decode "$work/short.hex"
grep -q "HDR: truncated" "$work/err" && ok || bad "no reason for a short message"
printf 'zz' >"$work/junk"
expect 1 $T decode "$work/junk"
expect 1 $T decode "$work/does-not-exist"
# argument errors name the option
expect 2 $T encode msk --muk 00 --csb-id 1
grep -q -- "--muk" "$work/err" && ok || bad "bad --muk not named"
expect 2 $T encode mtk --v
expect 2 $T encode msk --muk $MUK --csb-id 99999999999 --counter 1
grep -q "out of range" "$work/err" && ok || bad "range error not explained"

# Hand-built vectors (tests/vectors/mikey/handbuilt.py, from the spec
# tables): decoded and verified, and re-encoded byte for byte.
HB=$TOP/tests/vectors/mikey/handbuilt.txt
IDI=bmsc.mbms.mnc001.mcc262.3gppnetwork.org
IDR='AQIDBAUGBwgJCgsMDQ4PEA==@bsf.mnc001.mcc262.3gppnetwork.org'
vec() { awk -v n="$1" '$1 == "msg" && $2 == n { print $3 }' "$HB"; }
# same NAME: the last command's output equals the vector
same() {
	if [[ "$(tr -d ' \n' <"$work/out")" == "$(vec "$1")" ]]; then ok; else bad "encoded $1 differs from the hand-built vector"; fi
}
vec msk >"$work/hb-msk.hex"
vec mtk >"$work/hb-mtk.hex"
vec solicited-pull >"$work/hb-pull.hex"
vec verification >"$work/hb-ver.hex"
expect 0 $T decode -j --muk $MUK "$work/hb-msk.hex"
field "$work/out" .key_domain 262001
field "$work/out" .msk_id 327681
expect 0 $T decode -j --msk $MSK --rand $RAND "$work/hb-mtk.hex"
field "$work/out" .type mtk
field "$work/out" .mtk_id 1
expect 0 $T decode -j --muk $MUK "$work/hb-pull.hex"
field "$work/out" .type solicited-pull
expect 0 $T decode -j "$work/hb-ver.hex"
field "$work/out" .type verification
expect 0 $T encode msk --muk $MUK --csb-id 0x1a2b3c4d --counter 100 \
	--rand $RAND --idi $IDI --idr "$IDR" --key-domain 262001 \
	--msk-id 0x00050001 --msk $MSK --seql 0 --sequ 100 --v \
	--ssrc 0xdeadbeef --roc 0
same msk
expect 0 $T encode mtk --msk $MSK --rand $RAND --csb-id 0x5a5a0001 \
	--counter 7 --key-domain 262001 --msk-id 0x00050001 --mtk-id 1 \
	--mtk $MTK --salt $SALT
same mtk
expect 0 $T encode solicited-pull --muk $MUK --csb-id 0x77777777 \
	--counter 101 --rand 5fa1a2a3a4a5a6a7a8a9aaabacadaeaf --idi $IDI \
	--idr "$IDR" --key-domain 262001 --key-group 5
same solicited-pull
expect 0 $T encode verification --muk $MUK "$work/hb-msk.hex"
same verification
# RFC 4771 in the SP (TS 33.246 §6.6.2.1): RCCm2, R = 16
vec msk-rcc >"$work/hb-rcc.hex"
expect 0 $T decode -j --muk $MUK "$work/hb-rcc.hex"
field "$work/out" .mac_ok true
field "$work/out" '.sp[0].rcc_mode' rccm2
field "$work/out" '.sp[0].roc_tx_rate' 16
expect 0 $T decode "$work/hb-rcc.hex"
grep -q "integrity transform rccm2, ROC transmission rate R = 16" "$work/out" &&
	ok || bad "text decode does not show R"
expect 0 $T encode msk --muk $MUK --csb-id 0x1a2b3c4e --counter 102 \
	--rand $RAND --idi $IDI --idr "$IDR" --key-domain 262001 \
	--msk-id 0x00050001 --msk $MSK --seql 0 --sequ 100 \
	--ssrc 0xdeadbeef --roc 0 --rcc-mode 2 --rcc-rate 16
same msk-rcc
# RCCm1 and RCCm2 with the 4-byte tag (HMAC-SHA1-32): encoded and decoded
# as given (the RCC packets then carry the ROC and a 0-byte MAC)
for mode in 1 2; do
	expect 0 $T encode msk --muk $MUK --csb-id 0x1a2b3c4e --counter 102 \
		--rand $RAND --idi $IDI --idr "$IDR" --key-domain 262001 \
		--msk-id 0x00050001 --msk $MSK --seql 0 --sequ 100 \
		--ssrc 0xdeadbeef --roc 0 --tag-len 4 --rcc-mode $mode --rcc-rate 16
	cp "$work/out" "$work/rcc32.hex"
	expect 0 $T decode -j --muk $MUK "$work/rcc32.hex"
	field "$work/out" '.sp[0].rcc_mode' rccm$mode
	field "$work/out" '.sp[0].roc_tx_rate' 16
	field "$work/out" '.sp[0].params."11"' 04
done
# without RFC 4771 parameters: none, R absent
expect 0 $T decode -j "$work/hb-msk.hex"
field "$work/out" '.sp[0].rcc_mode' none
field "$work/out" '.sp[0].roc_tx_rate' null
# R = 0 in the SP (bytes 205..206 of the vector): named, exit 1
sed 's/0d020010/0d020000/' "$work/hb-rcc.hex" >"$work/r0.hex"
expect 1 $T decode -j "$work/r0.hex"
grep -q "parameter 13) is 0" "$work/err" && ok || bad "R = 0 not named"
field "$work/out" '.sp[0].rcc_error' "SP: ROC transmission rate (parameter 13) is 0 (RFC 4771: R >= 1)"
expect 2 $T encode msk --muk $MUK --csb-id 1 --counter 1 --rcc-rate 0
grep -q -- "--rcc-rate" "$work/err" && ok || bad "--rcc-rate 0 not named"
expect 2 $T encode msk --muk $MUK --csb-id 1 --counter 1 --rcc-mode 4
grep -q "out of range" "$work/err" && ok || bad "--rcc-mode 4 not refused"

echo "mikey_tool_test: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
