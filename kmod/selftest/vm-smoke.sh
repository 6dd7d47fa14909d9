#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module smoke test, run inside the test VM (scripts/vm-run) from the top
# of the checkout after `make module userspace`:
#
#   scripts/vm-run --kernel 6.1 -- kmod/selftest/vm-smoke.sh
#
# Loopback traffic from srtp-send (libsrtp2) through mbms_srtp.ko to
# srtp-recv, one KTAP line per stage; then teardown under traffic (netns
# deletion, rmmod).  The full suite lives in tests/selftests/.
set -u

K=$(uname -r)
B=build/userspace/bin
KO=build/kmod/$K/kmod/mbms_srtp.ko
CTL=$B/mbmsctl
KEY=e1f97a0d3e018be0d64fa32c06de4139
SALT=0ec675ad498afeebb6960b3aabe6
KEY2=2b7e151628aed2a6abf7158809cf4f3c
SALT2=f0f1f2f3f4f5f6f7f8f9fafbfcfd
TMP=${VM_SCRATCH:-/tmp}
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"; }
stage() { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }

stat_of() { # session counter
	$CTL -j session show "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); d=d[0] if isinstance(d,list) else d; print(d['stats']['$2'])"
}

# run_stream NAME RECV_ARGS -- SEND_ARGS: srtp-recv must see what it expects
run_stream() {
	local rargs=() sargs=() ready=$TMP/ready.$$ out=$TMP/recv.$$
	while [ "$1" != -- ]; do rargs+=("$1"); shift; done
	shift
	sargs=("$@")
	rm -f "$ready"
	$B/srtp-recv --timeout 20 --idle 1000 --ready-file "$ready" -j \
		"${rargs[@]}" > "$out" 2>&1 &
	local pid=$!
	for _ in $(seq 100); do [ -e "$ready" ] && break; sleep 0.1; done
	$B/srtp-send -q "${sargs[@]}" || { kill $pid; return 1; }
	wait $pid
	local rc=$?
	[ $rc -eq 0 ] || cat "$out"
	return $rc
}

setup_session() { # ID [session args...]
	local id=$1; shift
	$CTL session add "$id" "$@" &&
	$CTL key add session "$id" msk-id 0x00010001 mtk-id 1 key $KEY salt $SALT
}

echo "KTAP version 1"
ip link set lo up
stage "insmod selftest=1" insmod "$KO" selftest=1

S="--key $KEY --salt $SALT"
setup_session 1 && $CTL flow add session 1 dst 127.0.0.1 dport 5004
stage "srtp v4 decrypts" run_stream --listen 127.0.0.1 --port 5004 --strict $S --count 300 -- \
	--dst 127.0.0.1 --port 5004 $S --count 300
stage "packets counted" [ "$(stat_of 1 packets)" = 300 ]

# UDP_SEGMENT super-packets stay whole over lo: GSO skbs at the hook.
stage "udp gso decrypts" run_stream --listen 127.0.0.1 --port 5004 --strict $S --count 160 \
	--ssrc 77 -- --dst 127.0.0.1 --port 5004 $S --count 160 --ssrc 77 --gso 16
stage "gso segmented" [ "$(stat_of 1 gso_segmented)" -gt 0 ]

stage "srtp csrc+ext+padding" run_stream --listen 127.0.0.1 --port 5004 --strict $S --count 50 \
	--seq 1000 --csrc 3 --ext 2 --padding 7 -- --dst 127.0.0.1 --port 5004 $S --count 50 \
	--seq 1000 --csrc 3 --ext 2 --padding 7

stage "seq wrap (ROC 0->1)" run_stream --listen 127.0.0.1 --port 5004 --strict $S --count 200 \
	--seq 65500 --ssrc 7 -- --dst 127.0.0.1 --port 5004 $S --count 200 --seq 65500 --ssrc 7

stage "reorder within window" run_stream --listen 127.0.0.1 --port 5004 $S --count 256 --ssrc 9 -- \
	--dst 127.0.0.1 --port 5004 $S --count 256 --ssrc 9 --reorder 32
before=$(stat_of 1 replay)
stage "duplicates dropped" run_stream --listen 127.0.0.1 --port 5004 $S --count 100 --ssrc 11 -- \
	--dst 127.0.0.1 --port 5004 $S --count 100 --ssrc 11 --duplicate 10
stage "replay counted" [ "$(stat_of 1 replay)" -gt "$before" ]

before=$(stat_of 1 auth_failed)
run_stream --listen 127.0.0.1 --port 5004 $S --count 100 --ssrc 13 --expect 50 -- \
	--dst 127.0.0.1 --port 5004 $S --count 100 --ssrc 13 --tamper tag --tamper-first 0 --tamper-every 2 >/dev/null
stage "bad tags dropped and counted" [ "$(( $(stat_of 1 auth_failed) - before ))" = 50 ]

setup_session 2 on-fail pass mki-len 2 suite aes-cm-128-hmac-sha1-32 &&
	$CTL flow add session 2 dst 127.0.0.1 dport 5006
stage "sha1-32, mki-len 2" run_stream --listen 127.0.0.1 --port 5006 --strict $S --count 50 \
	--mki-len 2 --suite aes-cm-128-hmac-sha1-32 -- --dst 127.0.0.1 --port 5006 $S --count 50 \
	--mki-len 2 --suite aes-cm-128-hmac-sha1-32
run_stream --listen 127.0.0.1 --port 5006 $S --count 20 --mki-len 2 --suite aes-cm-128-hmac-sha1-32 --ssrc 5 -- \
	--dst 127.0.0.1 --port 5006 $S --count 20 --mki-len 2 --suite aes-cm-128-hmac-sha1-32 --ssrc 5 \
	--tamper payload >/dev/null
stage "on-fail pass counts passed" [ "$(stat_of 2 passed)" = 20 ]

setup_session 3 && $CTL flow add session 3 dst 127.0.0.1 dport 5008 rtcp
stage "srtcp decrypts" run_stream --listen 127.0.0.1 --port 5008 --strict $S --count 50 --rtcp -- \
	--dst 127.0.0.1 --port 5008 $S --count 50 --rtcp
stage "rtcp counted" [ "$(stat_of 3 rtcp_packets)" = 50 ]

setup_session 4 mki-len 0 && $CTL flow add session 4 dst ::1 dport 5010
stage "ipv6, no MKI" run_stream --listen ::1 --port 5010 --strict $S --count 50 --mki-len 0 -- \
	--dst ::1 --port 5010 $S --count 50 --mki-len 0

$CTL -j monitor > "$TMP/mon.$$" 2>&1 &
mon=$!
sleep 0.5
run_stream --listen 127.0.0.1 --port 5004 --key $KEY2 --salt $SALT2 --msk-id 0x00020002 --mtk-id 9 --count 20 --expect 1 -- \
	--dst 127.0.0.1 --port 5004 --key $KEY2 --salt $SALT2 --msk-id 0x00020002 --mtk-id 9 --count 20 >/dev/null
sleep 0.5
kill $mon
stage "unknown MKI event" grep -q "unknown-mki" "$TMP/mon.$$"
stage "unknown MKI counted" [ "$(stat_of 1 unknown_mki)" = 20 ]

# a flood of unknown MKIs: at most one event per 100 ms (plus one)
$CTL -j monitor > "$TMP/mon4.$$" 2>&1 &
mon=$!
sleep 0.5
t0=$(date +%s%N)
$B/srtp-send -q --dst 127.0.0.1 --port 5004 --key $KEY2 --salt $SALT2 \
	--msk-id 0x00030003 --mtk-id 7 --count 2000 --ssrc 41
t1=$(date +%s%N)
sleep 0.5
kill $mon
nev=$(grep -c "unknown-mki" "$TMP/mon4.$$")
bound=$(( (t1 - t0) / 100000000 + 2 ))
echo "# 2000 unknown-MKI packets in $(( (t1 - t0) / 1000000 )) ms -> $nev events (bound $bound)"
stage "unknown MKI events rate-limited" [ "$nev" -ge 1 -a "$nev" -le "$bound" ]
$CTL key add session 1 msk-id 0x00020002 mtk-id 9 key $KEY2 salt $SALT2
stage "key switch (eviction by max-keys 2)" run_stream --listen 127.0.0.1 --port 5004 --strict \
	$S --key2 $KEY2 --salt2 $SALT2 --msk-id2 0x00020002 --mtk-id2 9 --switch-at 50 --count 100 --ssrc 21 -- \
	--dst 127.0.0.1 --port 5004 $S --key2 $KEY2 --salt2 $SALT2 --msk-id2 0x00020002 --mtk-id2 9 --switch-at 50 --count 100 --ssrc 21

# key limits: 7/8 of max-packets raises an event, the limit expires the key
$CTL -j monitor > "$TMP/mon2.$$" 2>&1 &
mon=$!
$CTL session add 5 && $CTL flow add session 5 dst 127.0.0.1 dport 5012 &&
	$CTL key add session 5 msk-id 0x00010001 mtk-id 1 key $KEY salt $SALT max-packets 80
sleep 0.5
run_stream --listen 127.0.0.1 --port 5012 $S --count 100 --expect 80 -- \
	--dst 127.0.0.1 --port 5012 $S --count 100 >/dev/null
sleep 0.5
kill $mon
stage "max-packets: soft event at 7/8" grep -q "key-soft-packets" "$TMP/mon2.$$"
stage "max-packets: key_expired counted" [ "$(stat_of 5 key_expired)" = 20 ]
stage "max-packets: key shown expired" bash -c "$CTL key show session 5 | grep -q expired"

# lifetime: 4 s, so the soft event comes at 3.5 s and expiry at 4 s
$CTL -j monitor > "$TMP/mon3.$$" 2>&1 &
mon=$!
$CTL session add 6 && $CTL flow add session 6 dst 127.0.0.1 dport 5014 &&
	$CTL key add session 6 msk-id 0x00010001 mtk-id 1 key $KEY salt $SALT lifetime 4
run_stream --listen 127.0.0.1 --port 5014 $S --count 120 --expect 200 -- \
	--dst 127.0.0.1 --port 5014 $S --count 120 --rate 20 >/dev/null
kill $mon
stage "lifetime: soft event at 7/8" grep -q "key-soft-lifetime" "$TMP/mon3.$$"
stage "lifetime: key_expired counted" [ "$(stat_of 6 key_expired)" -gt 0 ]

# cloned skbs: an AF_PACKET tap on lo makes every received skb shared
stage "cloned skbs decrypt" run_stream --listen 127.0.0.1 --port 5004 --strict $S --count 100 \
	--ssrc 31 --tap lo -- --dst 127.0.0.1 --port 5004 $S --count 100 --ssrc 31

# teardown under traffic: a netns with keys and flows, fed over a veth
# from the init netns, deleted mid-stream
ip netns add mbms-t
ip link add mbt0 type veth peer name mbt1 netns mbms-t
ip addr add 10.99.0.1/24 dev mbt0
ip link set mbt0 up
ip -n mbms-t addr add 10.99.0.2/24 dev mbt1
ip -n mbms-t link set mbt1 up
ip -n mbms-t link set lo up
ip netns exec mbms-t $CTL session add 1
ip netns exec mbms-t $CTL flow add session 1 dst 10.99.0.2 dport 5004
ip netns exec mbms-t $CTL key add session 1 msk-id 0x00010001 mtk-id 1 key $KEY salt $SALT
$B/srtp-send -q --dst 10.99.0.2 --port 5004 $S --count 1000000 &
sp=$!
before=0
for _ in $(seq 100); do	# until traffic is being decrypted (TCG is slow)
	before=$(ip netns exec mbms-t $CTL -j session show 1 |
		grep -o '"packets": *[0-9]*' | head -1 | grep -o '[0-9]*$')
	[ "${before:-0}" -gt 0 ] && break
	sleep 0.2
done
ip netns del mbms-t
sleep 1
kill $sp 2>/dev/null
wait $sp 2>/dev/null
echo "# packets decrypted before deletion: $before"
stage "netns deleted under traffic" [ "${before:-0}" -gt 0 ]

base=$(stat_of 1 packets)
$B/srtp-send -q --dst 127.0.0.1 --port 5004 $S --count 1000000 --ssrc 99 &
sp=$!
for _ in $(seq 100); do	# until this stream is being decrypted
	[ "$(stat_of 1 packets)" -gt "$base" ] && break
	sleep 0.2
done
echo "# session 1 packets before rmmod: $(stat_of 1 packets) (was $base)"
stage "rmmod under traffic" rmmod mbms_srtp
kill $sp 2>/dev/null
wait $sp 2>/dev/null
stage "no warnings in dmesg" bash -c '! dmesg | grep -E "WARNING|BUG|Oops|leak|Objects remaining"'
echo "1..$n"
[ $failed -eq 0 ]
