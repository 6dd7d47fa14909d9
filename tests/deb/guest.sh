#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside a vm-run guest, after tests/deb/install.sh installed the packages
# on the host: modprobe finds the DKMS build of mbms_srtp in
# /lib/modules/<K>/updates/dkms, loads it (the module's own known-answer
# tests pass) and it decrypts a libsrtp2 stream (run.sh stages load and
# rtp, MBMS_KO=installed); the packaged mbmsctl talks to it, and asking
# for the netlink family loads it unless blacklisted.
# shellcheck disable=SC2015  # "A && echo ok || nok": echo does not fail
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
k=$(uname -r)
want=/lib/modules/$k/updates/dkms/mbms_srtp.ko
log=$(mktemp /tmp/deb-guest.XXXXXX)
fail=0
ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; fail=1; }

path=$(modinfo -n mbms_srtp 2> /dev/null)
# DKMS compresses the module when the kernel's are (.ko.xz).
case $path in
"$want" | "$want".*) ok "modinfo -n mbms_srtp: $path" ;;
*) nok "modinfo -n mbms_srtp: '$path', expected $want" ;;
esac

# The module's genetlink alias: asking for the family with no module
# loaded autoloads it (request_module), except while install.sh's
# blacklist stands, which keeps other VMs sharing the host root from
# picking the packaged module.  The guest's own tmpfs over
# /etc/modprobe.d (the host's stays) lifts the blacklist here.
family() { /usr/bin/mbmsctl -j session show > /dev/null 2>&1; }
loaded() { [ -d /sys/module/mbms_srtp ]; }
rmmod mbms_srtp 2> /dev/null
if ! family && ! loaded; then
	ok "blacklisted: no autoload of the packaged module"
else
	nok "the packaged module was autoloaded in spite of the blacklist"
fi
if mount -t tmpfs none /etc/modprobe.d; then
	family && loaded && ok "autoload by the genetlink alias" ||
		nok "no autoload by the genetlink alias"
	umount /etc/modprobe.d
	rmmod mbms_srtp 2> /dev/null
else
	nok "cannot mount a tmpfs on /etc/modprobe.d"
fi

MBMS_KO=installed MBMS_PACKETS=${MBMS_PACKETS:-1000} \
	"$top/tests/selftests/run.sh" load rtp > "$log" 2>&1
rc=$?
cat "$log"
[ $rc = 0 ] && ok "run.sh load rtp with the installed module" ||
	nok "run.sh load rtp with the installed module (exit $rc)"
# modprobe -v (run.sh's insmod_ko) printed what it loaded.
grep -q "insmod $want" "$log" && ok "modprobe loaded $want" ||
	nok "modprobe did not load $want"

out=$(/usr/bin/mbmsctl -j session show 2>&1) && ok "/usr/bin/mbmsctl: $out" ||
	nok "/usr/bin/mbmsctl session show: $out"
rmmod mbms_srtp || nok "rmmod mbms_srtp"
rm -f "$log"
exit $fail
