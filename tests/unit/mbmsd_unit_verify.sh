#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# contrib/systemd/mbmsd.service through `systemd-analyze verify` (works
# without a running systemd, e.g. in a container): unknown keys, bad
# values, a wrong Type= or capability name all fail the test, as does any
# warning.  ExecStart= points at the installed path; the test points it
# at the built binary, so that verify also checks that it exists and is
# executable.  Skipped (exit 0, said so) where systemd-analyze is missing.
set -u

top=${MBMS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${MBMS_BIN:-$top/build/userspace/bin}
unit=$top/contrib/systemd/mbmsd.service

if ! command -v systemd-analyze > /dev/null 2>&1; then
	echo "mbmsd_unit_verify: SKIP: systemd-analyze not installed"
	exit 0
fi
[ -x "$bin/mbmsd" ] || { echo "mbmsd_unit_verify: $bin/mbmsd not built"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
sed "s|/usr/local/sbin/mbmsd|$bin/mbmsd|g" "$unit" > "$tmp/mbmsd.service"
grep -q "$bin/mbmsd" "$tmp/mbmsd.service" || {
	echo "mbmsd_unit_verify: FAIL: ExecStart= no longer /usr/local/sbin/mbmsd"
	exit 1
}
# The unit's promises, checked as text (verify does not judge them).
for want in '^Type=notify$' '^CapabilityBoundingSet=CAP_NET_ADMIN$' \
	'^NoNewPrivileges=yes$' '^ProtectSystem=strict$' '^StateDirectoryMode=0700$'; do
	grep -q "$want" "$unit" || { echo "mbmsd_unit_verify: FAIL: no $want in $unit"; exit 1; }
done
out=$(systemd-analyze verify --man=no --recursive-errors=no "$tmp/mbmsd.service" 2>&1)
rc=$?
if [ $rc -ne 0 ] || [ -n "$out" ]; then
	printf '%s\n' "$out" | sed 's/^/mbmsd_unit_verify: /'
	echo "mbmsd_unit_verify: FAIL: systemd-analyze verify exit $rc"
	exit 1
fi
echo "mbmsd_unit_verify: ok: systemd-analyze verify $unit"
