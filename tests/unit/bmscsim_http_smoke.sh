#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Loopback smoke test of bmsc-sim's MSK-request endpoint: bmsc-sim listens
# on 127.0.0.1 (ephemeral port), curl POSTs an mbmsMSKRequest with HTTP
# Digest.  The Digest password, base64(MRK), is computed here with openssl
# from Ks_NAF, independently of bmsc-sim and libmikey.
#
# Asserts: 401 with the 3GPP realm without credentials; 200 and an
# mbmsMSKResponse with the right credentials, followed by a MIKEY push;
# 401 for a wrong password and an unknown B-TID; 400 for a malformed body;
# 401 "negotiation indication required" with --demand-rebootstrap; and the
# request count bmsc-sim reports.  Everything is bounded by timeouts.
set -eu

BIN=${MBMS_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/build/userspace/bin}
SIM=$BIN/bmsc-sim
KS=1111111111111111111111111111111111111111111111111111111111111111
BTID=tid1@bsf.example.org
FQDN=bmsc.example.org

for tool in curl openssl jq; do
	command -v $tool >/dev/null || { echo "SKIP: $tool missing"; exit 77; }
done

work=${SMOKE_WORK:-$(mktemp -d)}
sim_pid=
cleanup() {
	if [ -n "$sim_pid" ]; then
		kill "$sim_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	sed 's/^/  sim: /' "$work/err" >&2 || true
	sed 's/^/  json: /' "$work/out" >&2 || true
	exit 1
}
pass() { echo "ok: $*"; }

printf 'btid=%s\nks_naf=%s\nlifetime=3600\nnaf_id=%s\n' "$BTID" "$KS" "$FQDN" \
	> "$work/gba"
PW=$(printf '\001mbms-mrk\000\010' |
	openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KS" -binary | base64)
[ "$PW" = "IT0hyzSo0sCl9vi7V+ncqJd77QhRJm8Lc1deRARAutI=" ] ||
	fail "openssl computed an unexpected MRK ($PW)"

cat > "$work/req.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<mbmsMSKRequest xmlns="urn:3GPP:metadata:2005:MBMS:mskRequest">
  <MSK><keyDomainID>APEQ</keyDomainID><MSKID>AAEAAA==</MSKID></MSK>
  <MSK><keyDomainID>APEQ</keyDomainID><MSKID>AAEAIw==</MSKID></MSK>
</mbmsMSKRequest>
EOF
printf '<mbmsMSKRequest' > "$work/bad.xml"

# start_sim EXTRA_ARGS...: run bmsc-sim, wait for its port.  The UE's
# keys come from $work/gba unless GBA_ARGS says otherwise; it accepts
# curl's qop auth (--digest-qop any) unless QOP_ARGS says otherwise.
start_sim() {
	: > "$work/out"
	# UE port 9 (discard): the MIKEY push goes nowhere that listens.
	# --duration bounds the run; no timeout(1) in between, so that
	# signals reach bmsc-sim itself.
	# shellcheck disable=SC2086
	"$SIM" -j --duration 25 --fqdn "$FQDN" \
		--ue 127.0.0.1:9 ${GBA_ARGS:---gba-file $work/gba} \
		--http 127.0.0.1:0 ${QOP_ARGS---digest-qop any} "$@" \
		> "$work/out" 2> "$work/err" &
	sim_pid=$!
	i=0
	port=
	while [ $i -lt 50 ]; do
		port=$(jq -r 'select(.event == "http-listening") | .port' \
			"$work/out" 2>/dev/null | head -n1)
		[ -n "$port" ] && break
		kill -0 "$sim_pid" 2>/dev/null || fail "bmsc-sim exited early"
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$port" ] || fail "bmsc-sim did not report its HTTP port"
	URL="http://127.0.0.1:$port/keymanagement?requesttype=msk-request"
}

# wait_event JQ-CONDITION: up to 15 s for a matching event.
wait_event() {
	i=0
	while [ $i -lt 150 ]; do
		[ "$(jq -s "[.[] | select($1)] | length" "$work/out")" != 0 ] &&
			return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "no event matching $1"
}

stop_sim() {
	kill -TERM "$sim_pid"
	wait "$sim_pid" || fail "bmsc-sim exit status $?"
	sim_pid=
}

# post FILE [curl args...]: prints the HTTP status of the last response.
post() {
	f=$1
	shift
	curl -s --max-time 5 -A "bmsc-sim-smoke 3gpp-gba" -o "$work/body" \
		-D "$work/hdr" -w '%{http_code}' -X POST \
		-H 'Content-Type: application/mbms-msk+xml' \
		--data-binary "@$f" "$@" "$URL"
}

# TS 33.246 Annex H: by default the BM-SC takes qop auth-int only, which
# curl cannot do on a POST: curl 7.88 answers qop=auth-int but leaves the
# body out of its digest, so the BM-SC, which hashes the body, refuses it.
QOP_ARGS="" start_sim
code=$(post "$work/req.xml" --digest -u "$BTID:$PW")
[ "$code" = 401 ] || fail "qop auth under --digest-qop auth-int: expected 401, got $code"
grep -qi '^WWW-Authenticate: Digest .*qop="auth-int"' "$work/hdr" ||
	fail "the challenge does not ask for qop auth-int"
wait_event '.event == "http-request" and (.reason | test("qop is not auth-int|wrong Digest response"))'
pass "curl's Digest (no body hash) refused when auth-int is required"
stop_sim

# The rest speaks curl's qop auth (start_sim adds --digest-qop any).
start_sim

code=$(post "$work/req.xml")
[ "$code" = 401 ] || fail "no credentials: expected 401, got $code"
grep -qi "^WWW-Authenticate: Digest .*realm=\"3GPP-bootstrapping@$FQDN\"" \
	"$work/hdr" || fail "401 without the 3GPP Digest challenge"
pass "401 with realm 3GPP-bootstrapping@$FQDN without credentials"

# curl --digest: one unauthenticated request, then the authenticated one.
code=$(post "$work/req.xml" --digest -u "$BTID:$PW")
[ "$code" = 200 ] || fail "right credentials: expected 200, got $code"
grep -qi '^Content-Type: application/mbms-msk-response+xml' "$work/hdr" ||
	fail "200 without the mbms-msk-response content type"
grep -q '<mbmsMSKResponse xmlns="urn:3GPP:metadata:2005:MBMS:mskResponse">' \
	"$work/body" || fail "no mbmsMSKResponse in the body"
grep -qi '^Authentication-Info: rspauth="[0-9a-f]\{32\}", qop=auth' "$work/hdr" ||
	fail "200 without Authentication-Info rspauth"
if [ "$(grep -c '<ResponseCode>200 OK</ResponseCode>' "$work/body")" != 1 ] ||
	[ "$(grep -c '<ResponseCode>404 Not Found</ResponseCode>' "$work/body")" != 1 ]; then
	fail "expected one 200 (current MSK) and one 404 (Key Number 0x23)"
fi
pass "200 with Digest B-TID/base64(MRK), response codes 200 + 404"

code=$(post "$work/req.xml" --digest -u "$BTID:wrong$PW")
[ "$code" = 401 ] || fail "wrong password: expected 401, got $code"
code=$(post "$work/req.xml" --digest -u "nosuch@bsf:$PW")
[ "$code" = 401 ] || fail "unknown B-TID: expected 401, got $code"
pass "401 for a wrong password and for an unknown B-TID"

code=$(post "$work/bad.xml" --digest -u "$BTID:$PW")
[ "$code" = 400 ] || fail "malformed XML: expected 400, got $code"
pass "400 for a malformed request body"

# The MSK push that follows the 200 must have happened before we stop.
wait_event '.event == "msk-push" and .counter == 2'
stop_sim
exitev=$(jq -c 'select(.event == "exit")' "$work/out")
[ -n "$exitev" ] || fail "no exit event"
# 1 + 2 (digest) + 2 + 2 + 2 = 9 requests, one of them a 200.
n=$(echo "$exitev" | jq .http_requests)
[ "$n" = 9 ] || fail "bmsc-sim counted $n HTTP requests, expected 9"
[ "$(echo "$exitev" | jq .http_200)" = 1 ] || fail "http_200 != 1"
[ "$(echo "$exitev" | jq .http_401)" = 7 ] || fail "http_401 != 7"
[ "$(echo "$exitev" | jq .http_400)" = 1 ] || fail "http_400 != 1"
[ "$(jq -s '[.[] | select(.event == "http-request")] | length' "$work/out")" = 9 ] ||
	fail "not one http-request event per request"
# Two pushes: the scheduled one at 0 and the one the request asked for.
[ "$(echo "$exitev" | jq .msk_sent)" = 2 ] ||
	fail "expected 2 MSK pushes, got $(echo "$exitev" | jq .msk_sent)"
grep -q "HTTP requests 9 " "$work/err" || fail "no request count in the log"
pass "request count 9 in the JSON exit event and the log; MSK pushed after 200"

# Re-bootstrap demanded: a correct request with the initial key gets 401.
start_sim --demand-rebootstrap
code=$(post "$work/req.xml" --digest -u "$BTID:$PW")
[ "$code" = 401 ] || fail "stale key: expected 401, got $code"
stop_sim
nir=$(jq -s '[.[] | select(.event == "http-request" and .status == 401 and
	(.reason | test("negotiation indication required")))] | length' "$work/out")
[ "$nir" = 1 ] || fail "no 'negotiation indication required' verdict"
[ "$(jq 'select(.event == "exit") | .http_requests' "$work/out")" = 2 ] ||
	fail "expected 2 requests in the re-bootstrap run"
pass "401 negotiation indication required with --demand-rebootstrap"

# 503 + Retry-After window.
start_sim --fault http-503@0-20 --retry-after 7
code=$(post "$work/req.xml" --digest -u "$BTID:$PW")
[ "$code" = 503 ] || fail "http-503 fault: expected 503, got $code"
grep -qi '^Retry-After: 7' "$work/hdr" || fail "503 without Retry-After: 7"
stop_sim
pass "503 with Retry-After during an http-503 window"

# BM-SC down: connections dropped (counted), then refused (not counted:
# nobody listens), then served again on the same port.  Each step waits
# for the simulator's own event, so a slow machine cannot reorder them.
start_sim --fault http-drop@0-6 --fault http-refuse@6-9
code=$(post "$work/req.xml" || true)
[ "$code" = 000 ] || fail "http-drop: expected no answer, got $code"
wait_event '.event == "fault" and .kind == "http-refuse" and .phase == "begin"'
code=$(post "$work/req.xml" || true)
[ "$code" = 000 ] || fail "http-refuse: expected no answer, got $code"
wait_event '.event == "fault" and .kind == "http-refuse" and .phase == "end"'
code=$(post "$work/req.xml")
[ "$code" = 401 ] || fail "after the outage: expected 401, got $code"
head -c 20000 /dev/zero | tr '\0' x > "$work/big.xml"
code=$(post "$work/big.xml")
[ "$code" = 413 ] || fail "20 kB body: expected 413, got $code"
kill -USR1 "$sim_pid"
wait_event '.event == "stats"'
[ "$(jq 'select(.event == "stats") | .http_requests' "$work/out")" = 3 ] ||
	fail "SIGUSR1 stats: expected 3 requests (dropped, 401, 413)"
stop_sim
[ "$(jq 'select(.event == "exit") | .http_dropped' "$work/out")" = 1 ] ||
	fail "expected 1 dropped request"
[ "$(jq -s '[.[] | select(.event == "http-listening")] | length' "$work/out")" = 2 ] ||
	fail "the listener did not come back after http-refuse"
pass "http-drop (counted, no answer), http-refuse (no listener), recovery, 413"
# The fake BSF as Zn stand-in, and the seed's rule: after a solicited pull
# protected with an expired MUK, the next request must use fresh GBA keys.
FAKE_BSF=${MBMS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/fixtures/fake-bsf.sh
if [ -x "$FAKE_BSF" ]; then
	export FAKE_BSF_COUNTER="$work/bsf-counter" FAKE_BSF_SEED=smoke-seed
	mrk_of() { # B-TID -> base64(MRK), via the fake BSF and openssl
		ks=$("$FAKE_BSF" "$1" | sed -n 's/^ks_naf=//p')
		printf '\001mbms-mrk\000\010' |
			openssl dgst -sha256 -mac HMAC -macopt "hexkey:$ks" -binary |
			base64
	}
	GBA_ARGS="--bsf-lookup $FAKE_BSF" start_sim --fault pull-expired@4
	code=$(post "$work/req.xml" --digest -u "old@bsf.test:$(mrk_of old@bsf.test)")
	[ "$code" = 200 ] || fail "B-TID from the BSF lookup: expected 200, got $code"
	wait_event '.event == "pull"'
	pulls=$(jq -s '[.[] | select(.event == "pull" and
		.btid == "old@bsf.test" and .muk_expired == true)] | length' \
		"$work/out")
	[ "$pulls" = 1 ] || fail "no expired-MUK solicited pull to old@bsf.test"
	code=$(post "$work/req.xml" --digest -u "old@bsf.test:$(mrk_of old@bsf.test)")
	[ "$code" = 401 ] || fail "old key after the pull: expected 401, got $code"
	code=$(post "$work/req.xml" --digest -u "new@bsf.test:$(mrk_of new@bsf.test)")
	[ "$code" = 200 ] || fail "fresh key after the pull: expected 200, got $code"
	wait_event '.event == "msk-push" and .btid == "new@bsf.test"'
	stop_sim
	exitev=$(jq -c 'select(.event == "exit")' "$work/out")
	# 2 + 2 + 2 requests; pushes: for the first 200 (the UE had no key at
	# the start, so the scheduled push waited for it) and the second.
	[ "$(echo "$exitev" | jq .http_requests)" = 6 ] ||
		fail "expected 6 requests, got $(echo "$exitev" | jq .http_requests)"
	[ "$(echo "$exitev" | jq .http_200)" = 2 ] || fail "http_200 != 2"
	pushes=$(jq -s '[.[] | select(.event == "msk-push")] | map(.btid)' "$work/out" | jq -c .)
	[ "$pushes" = '["old@bsf.test","new@bsf.test"]' ] ||
		fail "MSK pushes went to $pushes"
	pass "BSF lookup; expired-MUK pull; 401 for the old key, 200 for a fresh one"
else
	echo "skip: $FAKE_BSF missing (BSF lookup case)"
fi
echo "bmscsim_http_smoke: all passed"
