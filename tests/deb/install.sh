#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-deb: the Debian packages of build/deb (make deb) installed on
# this host with apt; DKMS must build the module for every kernel with
# headers.  Then each kernel of the matrix boots in a VM where modprobe
# loads the DKMS build and a stream decrypts (tests/deb/guest.sh).  Then
# the packages are purged and nothing of them may remain.
#
# The host ends as it started even when a step fails: the trap purges the
# packages and removes what the test added.  It refuses to run when an
# mbms-srtp package is installed already (it could not restore that).
#
# Other users of this host (VMs of other trees booting the host's root)
# insmod their own module by path; while the packages are installed the
# DKMS module is in /lib/modules/<K>/updates/dkms, and the module's
# genetlink alias would let the kernel autoload it (request_module) when
# a tool asks for the family with no module loaded.  A modprobe.d
# blacklist, for the duration of the test only, disables that alias;
# `modprobe mbms_srtp` by name (ours) still loads it.
#
# Environment: DEB_TEST_TIMEOUT (vm-run timeout per kernel, default 1200).
# shellcheck disable=SC2015  # "A && echo ok || nok": echo does not fail
set -u

top=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
cd "$top" || exit 1
blacklist=/etc/modprobe.d/mbms-srtp-deb-test.conf
apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=600)
export DEBIAN_FRONTEND=noninteractive
fail=0
vm=
say() { echo "== $(date -u +%T) check-deb: $*"; }
nok() { echo "check-deb: FAILED: $*"; fail=1; }

[ "$(id -u)" = 0 ] || { echo "check-deb: must run as root (apt-get)" >&2; exit 1; }
shopt -s nullglob
debs=("$top"/build/deb/mbms-srtp*.deb)
[ ${#debs[@]} -gt 0 ] || { echo "check-deb: no packages in build/deb (make deb)" >&2; exit 1; }
pkgs=()
for d in "${debs[@]}"; do
	pkgs+=("$(dpkg-deb -f "$d" Package)")
done
installed() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2> /dev/null | grep -q '^.i'; }
present() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2> /dev/null | grep -q '^.[^n]'; }
for p in "${pkgs[@]}"; do
	if present "$p"; then
		echo "check-deb: $p is installed already; purge it first (apt-get purge $p)" >&2
		exit 1
	fi
done
mapfile -t kernels < <(scripts/kernels.sh --images)
[ ${#kernels[@]} -gt 0 ] || { echo "check-deb: no kernel of the matrix installed" >&2; exit 1; }

tmp=$(mktemp -d /tmp/mbms-check-deb.XXXXXX)
dpkg-query -W -f='${Package}\n' | sort > "$tmp/before"
printf '%s\n' "${pkgs[@]}" > "$tmp/ours"
find /lib/modules -name 'mbms_srtp.ko*' | sort > "$tmp/ko-before"
mok=()	# DKMS's module signing key, made on its first signed build
for f in /var/lib/dkms/mok.key /var/lib/dkms/mok.pub; do
	[ -e "$f" ] || mok+=("$f")
done

purge() {
	local p left=()
	for p in "${pkgs[@]}"; do
		present "$p" && left+=("$p")
	done
	[ ${#left[@]} -eq 0 ] || apt-get purge "${apt_opts[@]}" "${left[@]}"
}

# shellcheck disable=SC2317  # the trap calls it
restore() {
	local extra
	trap - EXIT INT TERM
	if [ -n "${vm:-}" ]; then	# vm-run stops its guest on TERM
		kill "$vm" 2> /dev/null
		wait "$vm"
	fi
	purge > /dev/null 2>&1
	# Packages apt pulled in for ours (none when deps.sh ran): only those
	# our apt-get set up, not what others may install meanwhile.
	extra=$(sed -n 's/^Setting up \([^: ]*\).*/\1/p' "$tmp/apt.log" 2> /dev/null |
		sort -u | comm -13 "$tmp/before" - | grep -vx -F -f "$tmp/ours")
	# shellcheck disable=SC2086
	[ -z "$extra" ] || apt-get purge "${apt_opts[@]}" $extra > /dev/null 2>&1
	[ ${#mok[@]} -eq 0 ] || rm -f "${mok[@]}"
	rm -f "$blacklist"
	rm -rf "$tmp"
}
trap restore EXIT
trap 'exit 130' INT TERM

cat > "$blacklist" << 'CONF'
# Written by mbms-srtp's tests/deb/install.sh for the duration of its run,
# removed after it: no autoload of the packaged module by its genetlink
# alias in other test VMs that share this root (they insmod their own).
blacklist mbms_srtp
CONF

# 1. Install: DKMS builds and installs the module for each kernel.
say "apt-get install ${debs[*]##*/}"
t0=$SECONDS
apt-get install "${apt_opts[@]}" "${debs[@]}" > "$tmp/apt.log" 2>&1
rc=$?
cat "$tmp/apt.log"
[ $rc = 0 ] || nok "apt-get install (exit $rc)"
say "installed in $((SECONDS - t0))s"
dkms status mbms-srtp 2> /dev/null
# Every kernel with headers, not only the matrix: debug and RT ones too.
for b in /lib/modules/*/build; do
	k=${b#/lib/modules/}
	k=${k%/build}
	if dkms status -m mbms-srtp -k "$k" 2> /dev/null | grep -q ': installed'; then
		echo "ok - DKMS installed mbms-srtp for $k"
	else
		nok "DKMS did not install mbms-srtp for $k"
	fi
done
for p in "${pkgs[@]}"; do
	installed "$p" || nok "$p not installed"
	dpkg -L "$p" 2> /dev/null
done | sort -u > "$tmp/files"

# 2. Each kernel: modprobe loads the DKMS build, a stream decrypts.
if [ $fail = 0 ]; then
	for k in "${kernels[@]}"; do
		say "VM on $k"
		t1=$SECONDS
		# In the background: a signal runs the trap now, not after the VM.
		scripts/vm-run --kernel "$k" --timeout "${DEB_TEST_TIMEOUT:-1200}" -- \
			tests/deb/guest.sh &
		vm=$!
		wait "$vm"
		rc=$?
		vm=
		if [ $rc = 0 ]; then
			say "$k passed in $((SECONDS - t1))s"
		else
			nok "guest test on $k"
		fi
	done
fi

# 3. Purge: nothing of the packages may remain.
say "apt-get purge ${pkgs[*]}"
t2=$SECONDS
purge || nok "apt-get purge"
say "purged in $((SECONDS - t2))s"
s=$(dkms status mbms-srtp 2> /dev/null)
[ -z "$s" ] && echo "ok - dkms status mbms-srtp is empty" || nok "dkms status after purge: $s"
[ ! -e /var/lib/dkms/mbms-srtp ] || nok "/var/lib/dkms/mbms-srtp remains"
for p in "${pkgs[@]}"; do
	! present "$p" || nok "$p still known to dpkg: $(dpkg-query -W -f='${db:Status-Abbrev}' "$p")"
done
remain=$(while read -r f; do
	[ -d "$f" ] || [ ! -e "$f" ] || echo "$f"
done < "$tmp/files")
[ -z "$remain" ] && echo "ok - no file of the packages remains ($(wc -l < "$tmp/files") paths checked)" ||
	nok "files remain after purge: $remain"
ko=$(find /lib/modules -name 'mbms_srtp.ko*' | sort | comm -13 "$tmp/ko-before" -)
[ -z "$ko" ] && echo "ok - no mbms_srtp module left in /lib/modules" || nok "modules remain: $ko"
for k in "${kernels[@]}"; do
	! grep -q mbms_srtp "/lib/modules/$k/modules.dep" ||
		nok "/lib/modules/$k/modules.dep still names mbms_srtp"
done

say "$([ $fail = 0 ] && echo passed || echo FAILED) in $SECONDS s"
exit $fail
