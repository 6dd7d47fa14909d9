#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Interop: every MBMS MIKEY message type built by mikeytool is written into a
# pcap (UDP port 2269, the MIKEY port) and dissected by Wireshark's MIKEY
# dissector (tshark).  Asserts: every frame is MIKEY, no malformed-packet or
# expert error/warning, and HDR, EXT, T, RAND, ID, SP, KEMAC and V fields
# carry the values the messages were built from.
#
# Needs tshark (scripts/deps.sh installs it) and python3.
set -eu

TOP=${MBMS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${MBMS_BIN:-$TOP/build/userspace/bin}
T=$BIN/mikeytool
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

command -v tshark >/dev/null || { echo "mikey_tshark: tshark not installed (run scripts/deps.sh)"; exit 1; }

MUK=00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210
MSK=4d534b2d6b65792d30303031a55a0ff0
MTK=e1f97a0d3e018be0d64fa32c06de4139
SALT=0ec675ad498afeebb6960b3aabe6
RAND=a0a1a2a3a4a5a6a7a8a9aaabacadaeaf
IDI=bmsc.mbms.mnc001.mcc262.3gppnetwork.org
IDR=AQIDBAUGBwgJCgsMDQ4PEA==@bsf.mnc001.mcc262.3gppnetwork.org
common="--key-domain 262001 --rand $RAND"

# frame 1..7, in this order
$T encode msk --muk $MUK --csb-id 0x1a2b3c4d --counter 100 $common --idi $IDI \
	--idr $IDR --msk-id 0x00050001 --msk $MSK --seql 0 --sequ 100 --v \
	--ssrc 0xdeadbeef --roc 3 --tag-len 4 >"$work/1"
$T encode msk --muk $MUK --csb-id 0x1a2b3c4e --counter 101 $common --idi $IDI \
	--idr $IDR --msk-id 0x00050002 --msk $MSK --seql 0 --sequ 200 \
	--download >"$work/2"
$T encode msk --muk $MUK --csb-id 0x1a2b3c4f --counter 102 $common --idi $IDI \
	--idr $IDR --msk-id 0x00050001 --validity-only --seql 7 --sequ 5 >"$work/3"
$T encode mtk --msk $MSK --csb-id 0x00000011 --counter 7 $common \
	--msk-id 0x00050001 --mtk-id 1 --mtk $MTK --salt $SALT >"$work/4"
$T encode mtk --msk $MSK --csb-id 0x00000012 --counter 8 $common \
	--msk-id 0x00050002 --mtk-id 2 --mtk $MTK --download >"$work/5"
$T encode solicited-pull --muk $MUK --csb-id 0x77777777 --counter 103 $common \
	--idi $IDI --idr $IDR --key-group 5 >"$work/6"
$T encode verification --muk $MUK "$work/1" >"$work/7"

# frames 8..12: the hand-built vectors (tests/vectors/mikey/handbuilt.txt)
i=8
for v in msk mtk solicited-pull verification msk-rcc; do
	awk -v n=$v '$1 == "msg" && $2 == n { print $3 }' \
		"$TOP/tests/vectors/mikey/handbuilt.txt" >"$work/$i"
	i=$((i + 1))
done

cat "$work"/[1-7] "$work"/8 "$work"/9 "$work"/10 "$work"/11 "$work"/12 | python3 "$TOP/tests/interop/mikey_pcap.py" "$work/m.pcap"

tshark -r "$work/m.pcap" -V >"$work/V.txt" 2>/dev/null
n=$(tshark -r "$work/m.pcap" -Y mikey 2>/dev/null | wc -l)
[[ $n -eq 12 ]] || { echo "FAIL: $n of 12 frames dissected as MIKEY"; fail=1; }
if grep -nE "Malformed|Expert Info \((Error|Warning)|\[Dissector bug" "$work/V.txt"; then
	echo "FAIL: tshark reports malformed packets or expert errors"
	fail=1
fi

# Every field the checks below read, dissected once into a table.
FIELDS=(mikey.version mikey.type mikey.v.set mikey.prf_func mikey.csb_id
	mikey.cs_count mikey.cs_id_map_type mikey.srtp_id.ssrc mikey.srtp_id.roc
	mikey.ext.type mikey.ext.data mikey.t.ts_type mikey.rand.len
	mikey.rand.data mikey.id.data mikey.id.type mikey.sp.proto_type
	mikey.sp.encr_alg mikey.sp.auth_alg mikey.sp.salt_len mikey.sp.kd_rate
	mikey.sp.auth_tag_len mikey.sp.param.type mikey.sp.patam.value
	mikey.kemac.encr_alg mikey.kemac.mac_alg
	mikey.kemac.mac mikey.kemac.key_data_len mikey.v.auth_alg
	mikey.v.ver_data)
declare -A col
args=()
for i in "${!FIELDS[@]}"; do
	col[${FIELDS[$i]}]=$((i + 2))
	args+=(-e "${FIELDS[$i]}")
done
tshark -r "$work/m.pcap" -T fields -E separator=/t -E aggregator=, \
	-e frame.number "${args[@]}" >"$work/fields.tsv" 2>/dev/null

# field F of frame N must equal V
check() {
	local frame=$1 field=$2 want=$3 got
	[[ -n ${col[$field]:-} ]] || { echo "BUG: $field not in FIELDS"; fail=1; return; }
	got=$(awk -F'\t' -v f="$frame" -v c="${col[$field]}" '$1 == f { print $c }' \
		"$work/fields.tsv")
	if [[ "$got" != "$want" ]]; then
		echo "FAIL: frame $frame $field: got '$got', want '$want'"
		fail=1
	fi
}

# HDR
for f in 1 2 3 4 5 6; do check $f mikey.version 1; check $f mikey.type 0; done
check 7 mikey.type 1
check 1 mikey.v.set 1
for f in 2 3 4 5 6 7; do check $f mikey.v.set 0; done
check 1 mikey.prf_func 0
check 1 mikey.csb_id 0x1a2b3c4d
check 4 mikey.csb_id 0x00000011
check 6 mikey.csb_id 0x77777777
check 7 mikey.csb_id 0x1a2b3c4d
check 1 mikey.cs_count 1
check 1 mikey.cs_id_map_type 0
check 1 mikey.srtp_id.ssrc 0xdeadbeef
check 1 mikey.srtp_id.roc 0x00000003
# the verification message has #CS 0 and the Empty map (TS 33.246 §6.4.5.2)
for f in 2 4 5 6 7; do check $f mikey.cs_count 0; check $f mikey.cs_id_map_type 1; done
# EXT: General Extension type 3 = Key ID (RFC 4563), entries type(8) |
# len(16) | value: 0 Key Domain ID, 1 MSK ID, 2 MTK ID.  Wireshark 4.0's
# dissector knows only EXT types 0 (Vendor-ID) and 1 (SDP-IDs), so it does
# not decode Key ID entries: the raw data bytes are checked; if a tshark
# that names type 3 is installed, its name is checked too.
for f in 1 2 3 4 5 6; do check $f mikey.ext.type 3; done
check 1 mikey.ext.data 00000326200101000400050001
check 4 mikey.ext.data 000003262001010004000500010200020001
check 6 mikey.ext.data 00000326200101000400050000
if tshark -G values 2>/dev/null | grep -qP '^V\tmikey\.ext\.type\t3\t'; then
	name=$(tshark -G values 2>/dev/null | awk -F'\t' '$2 == "mikey.ext.type" && $3 == 3 { print $4 }')
	[[ $name == *"Key ID"* ]] || { echo "FAIL: tshark names EXT type 3 '$name'"; fail=1; }
else
	echo "mikey_tshark: note: this tshark does not decode Key ID (EXT type 3); raw bytes checked"
fi
check 8 mikey.ext.data 00000326200101000400050001
check 9 mikey.ext.data 000003262001010004000500010200020001
check 10 mikey.ext.type 3
check 11 mikey.cs_id_map_type 1
# T
for f in 1 4 6 7; do check $f mikey.t.ts_type 2; done
# RAND
check 1 mikey.rand.len 16
check 1 mikey.rand.data $RAND
check 6 mikey.rand.data $RAND
check 4 mikey.rand.data ""
# ID
check 1 mikey.id.data "$IDI,$IDR"
check 1 mikey.id.type "0,0"
check 6 mikey.id.data "$IDI,$IDR"
check 7 mikey.id.data "$IDR"
check 4 mikey.id.data ""
# SP (streaming only)
check 1 mikey.sp.proto_type 0
check 1 mikey.sp.encr_alg 1
check 1 mikey.sp.auth_alg 1
check 1 mikey.sp.salt_len 14
check 1 mikey.sp.kd_rate 0
check 1 mikey.sp.auth_tag_len 4
check 2 mikey.sp.proto_type ""
# RFC 4771 (hand-built msk-rcc): auth alg 3 (RCCm2) and parameter 13 =
# 0x0010; Wireshark 4.0 names neither ("Unknown", "Text item"), so the
# numbers are checked ("patam" is the field's name in Wireshark 4.0).
check 12 mikey.sp.auth_alg 3
check 12 mikey.sp.param.type 0,1,2,3,4,5,6,7,8,10,11,13
check 12 mikey.sp.patam.value 01,10,03,14,0e,00,00,01,01,01,0a,0010
# KEMAC
for f in 1 2 3 4 5 6; do
	check $f mikey.kemac.encr_alg 1
	check $f mikey.kemac.mac_alg 1
	mac=$(tail -c 41 "$work/$f" | head -c 40)
	check $f mikey.kemac.mac "$mac"
done
check 1 mikey.kemac.key_data_len 26
check 3 mikey.kemac.key_data_len 10
check 4 mikey.kemac.key_data_len 36
check 5 mikey.kemac.key_data_len 20
check 6 mikey.kemac.key_data_len 0
# V
check 7 mikey.v.auth_alg 1
check 7 mikey.v.ver_data "$(tail -c 41 "$work/7" | head -c 40)"

# Independent decryption of the KEMAC of frames 1 and 4 (Python stdlib PRF
# + openssl enc): the key data must hold the MSK / MTK and salt.
xxd -r -p "$work/1" "$work/1.bin"
xxd -r -p "$work/4" "$work/4.bin"
pt=$(python3 "$TOP/tests/unit/mikey_prf_check.py" --message "$work/1.bin" --key $MUK)
[[ $pt == "00220010${MSK}020000020064" ]] || {
	echo "FAIL: independent decryption of the MSK message gave $pt"; fail=1; }
pt=$(python3 "$TOP/tests/unit/mikey_prf_check.py" --message "$work/4.bin" --key $MSK --rand $RAND)
[[ $pt == "00300010${MTK}000e${SALT}" ]] || {
	echo "FAIL: independent decryption of the MTK message gave $pt"; fail=1; }

if [[ $fail -ne 0 ]]; then
	echo "mikey_tshark: FAILED"
	exit 1
fi
echo "mikey_tshark: 12 messages (5 hand-built) dissected by $(tshark -v 2>/dev/null | head -1 | cut -d' ' -f1-2), all fields as built"
