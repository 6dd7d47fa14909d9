#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host checks of the VLC oracle (build/oracle/vlc-rcc-send):
# 1. with --rcc-mode 0 (VLC's plain RFC 3711 transform) it sends exactly
#    what srtp-send (libsrtp2) sends for the same stream options: two
#    independent implementations agree, across ROC wraps, MKI lengths and
#    both tags, so the oracle's plumbing (warm-up to the ROC, MKI splice,
#    pattern) is right;
# 2. (below, 3.) tests/vectors/rcc-vlc.txt is what the oracle writes today.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
oracle=${ORACLE:-$top/build/oracle/vlc-rcc-send}
send=${MBMS_BIN:-$top/build/userspace/bin}/srtp-send
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

K="--key 2b7e151628aed2a6abf7158809cf4f3c --salt f0f1f2f3f4f5f6f7f8f9fafbfcfd"
for suite in 80 32; do
	for s in "--seq 60000 --roc 5" "--seq 0" "--seq 65000 --mki-len 3" \
		"--seq 100 --roc 1000 --mki-len 0" "--seq 7 --roc 2 --padding 7 --csrc 3"; do
		# shellcheck disable=SC2086
		"$send" -q --out "$tmp/libsrtp" $K --suite $suite $s --count 3000 --payload-size 40
		# shellcheck disable=SC2086
		"$oracle" -q --dump "$tmp/vlc" --rcc-mode 0 $K --suite $suite $s \
			--count 3000 --payload-size 40
		if cut -d' ' -f4 "$tmp/vlc" | cmp -s - "$tmp/libsrtp"; then
			echo "ok: VLC = libsrtp2, tag $suite, $s"
		else
			echo "FAIL: VLC != libsrtp2, tag $suite, $s"
			fail=1
		fi
	done
done

# 3. srtp-send's RFC 4771 form (libsrtp2 + srtp_rcc_reframe()) is VLC's,
#    once srtp-send has --rcc-mode (issue 15, another branch).
if "$send" --help | grep -q -- --rcc-mode; then
	for suite in 80 32; do
		for mode in 1 2 3; do
			r=16
			[ $suite = 32 ] && r=5
			s="--seq 65000 --roc 7 --rcc-mode $mode --rcc-rate $r"
			# shellcheck disable=SC2086
			"$send" -q --out "$tmp/libsrtp" $K --suite $suite $s --count 1000 --payload-size 40
			# shellcheck disable=SC2086
			"$oracle" -q --dump "$tmp/vlc" $K --suite $suite $s --count 1000 --payload-size 40
			if cut -d' ' -f4 "$tmp/vlc" | cmp -s - "$tmp/libsrtp"; then
				echo "ok: VLC = srtp-send, tag $suite, $s"
			else
				echo "FAIL: VLC != srtp-send, tag $suite, $s"
				fail=1
			fi
		done
	done
else
	echo "skip: $send has no --rcc-mode yet: RCC forms not compared"
fi

ORACLE=$oracle "$top/tests/vectors/rcc-vlc.sh" > "$tmp/vectors"
if cmp -s "$tmp/vectors" "$top/tests/vectors/rcc-vlc.txt"; then
	echo "ok: tests/vectors/rcc-vlc.txt reproduced"
else
	echo "FAIL: the oracle no longer writes tests/vectors/rcc-vlc.txt"
	fail=1
fi
exit $fail
