#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The README's first command on a fresh Debian 12 machine (issue 13 item 1).
#
#   tests/fresh-machine.sh [--keep] [--cold] [--no-initramfs] [--debug]
#                                              (as root; make check-fresh)
#
# Builds a clean Debian 12 root with debootstrap (bookworm, from
# http://deb.debian.org/debian; none of our packages installed), copies a
# clean `git archive HEAD` of this checkout into it (/root/mbms-srtp),
# bind-mounts /proc, /sys and /dev and, as root inside the chroot, runs
# the README's first steps: `apt-get install make` (a fresh Debian 12 has
# no make), then `make demo`, once; then plain `make` in the same root.  The packages come from scripts/deps.sh, run by make
# inside the chroot.  KVM is never used (VM_RUN_KVM_DEV points nowhere).
#
# Pass = `make demo` exits 0 AND its verdict is PASS AND its log has no
# failure line, AND `make` then exits 0.  A failure line is, in the demo's
# own output format (scripts/demo.sh, verdict()):
#   ^FAIL:                                 the demo's verdict on failure
#   MSK requests: N sent, N ok, F failed   with F > 0 (the scenario
#                                          injects no HTTP fault)
#   ^make(\[N\])?: ***                     a make error
#   ^make: no kernel headers               the first-run bug of issue 13
# and the log must hold exactly one "^PASS: " line and the "MSK requests:
# ... 0 failed" line.
#
# --debug (make check-fresh DEBUG=1; issue 14): instead of the demo, the
# debug tier twice in the same root, whose /var/cache/mbms-srtp/ starts
# empty: `make check-debug QUICK=1` must build the debug kernel from
# linux-source-6.1 and pass (selftests and e2e); a second `make
# check-debug QUICK=1` must find it in the cache (no build line, the
# cache entry untouched) and pass.  FRESH_DEBUG_STAGES2 gives the second
# run other selftest stages (and skips its e2e suite): what it proves is
# the cache, which the first run's suites have already exercised.
# FRESH_DEBUG_FULL=1 makes the first run the whole profile (`make
# check-debug`, every selftest stage, about an hour more on 2 cores).
# Pass = both exit 0 with "all suites passed", the first built the
# kernel (its build time is printed), the second did not.  Logs:
# build/fresh-machine/debug-1.log, debug-2.log.
#
# Caches, in /var/cache/mbms-srtp/ (MBMS_FRESH_CACHE), so that a second run
# is quick: the debootstrapped base root as a tarball, and apt's .deb
# download cache (bind-mounted on the chroot's /var/cache/apt/archives,
# seeded with hard links from the host's).  Only downloads are cached:
# every package is still installed from scratch.  --cold ignores both.
# --keep keeps the root (its path is printed).  Logs: build/fresh-machine/.
set -euo pipefail

TOP=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
MIRROR=http://deb.debian.org/debian
SUITE=bookworm
CACHE=${MBMS_FRESH_CACHE:-/var/cache/mbms-srtp}
BASE=$CACHE/debootstrap-$SUITE-amd64.tar.zst
APTCACHE=$CACHE/apt-archives
LOG=$TOP/build/fresh-machine
keep=0 cold=0 no_initrd=0 debug=0

while [[ $# -gt 0 ]]; do
	case $1 in
	--keep) keep=1; shift ;;
	--cold) cold=1; shift ;;
	--no-initramfs) no_initrd=1; shift ;;
	--debug) debug=1; shift ;;
	-h|--help) sed -n '3,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	*) echo "fresh-machine.sh: unknown option '$1'" >&2; exit 2 ;;
	esac
done

[[ $(id -u) == 0 ]] || { echo "fresh-machine.sh: must run as root (debootstrap, chroot, mount)" >&2; exit 2; }
command -v debootstrap > /dev/null ||
	{ echo "fresh-machine.sh: debootstrap missing (scripts/deps.sh installs it)" >&2; exit 2; }
git -C "$TOP" rev-parse --verify -q HEAD > /dev/null ||
	{ echo "fresh-machine.sh: $TOP is not a git checkout (the test copies git archive HEAD)" >&2; exit 2; }

mkdir -p "$CACHE" "$LOG"
# One run at a time: runs share the caches and the logs.
exec 9> "$CACHE/fresh-machine.lock"
flock -n 9 || { echo "fresh-machine.sh: another run holds $CACHE/fresh-machine.lock" >&2; exit 2; }
root=$(mktemp -d /var/tmp/mbms-fresh.XXXXXX)
t_start=$SECONDS
step() { echo "==== $(date -u +%T) fresh-machine: $* ($((SECONDS - t_start))s)"; }

# Mounts under $root, deepest first.
mounts_under() {
	awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r
}

cleanup() {
	local rc=$? p m
	set +e
	trap '' INT TERM	# a second signal must not cut the unmounting short
	[[ -z ${tailer:-} ]] || kill "$tailer" 2> /dev/null
	# Anything still running in the root (a make or QEMU of ours, after
	# an interrupt) holds its mounts.
	for p in /proc/[0-9]*; do
		[[ $(readlink "$p/root" 2> /dev/null) == "$root" ]] && kill -9 "${p#/proc/}" 2> /dev/null
	done
	sleep 0.5
	for m in $(mounts_under); do
		umount -R "$m" 2> /dev/null || umount -l "$m"
	done
	if [[ -n $(mounts_under) ]]; then
		echo "fresh-machine.sh: mounts left under $root, NOT removing it:" >&2
		mounts_under >&2
	elif [[ $keep == 1 ]]; then
		echo "fresh-machine.sh: root kept in $root"
	else
		rm -rf --one-file-system "$root"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. The clean Debian 12 root.
if [[ $cold == 0 && -s $BASE ]]; then
	step "unpacking the cached base root $BASE"
	tar -C "$root" --zstd --numeric-owner -xpf "$BASE"
else
	step "debootstrap $SUITE from $MIRROR"
	debootstrap --arch=amd64 "$SUITE" "$root" "$MIRROR" > "$LOG/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$LOG/debootstrap.log"; exit 1; }
	# As the Debian installer leaves it: main, updates and security.
	cat > "$root/etc/apt/sources.list" <<-SRC
	deb $MIRROR $SUITE main
	deb $MIRROR $SUITE-updates main
	deb http://security.debian.org/debian-security $SUITE-security main
	SRC
	rm -f "$root"/var/cache/apt/archives/*.deb
	if [[ $cold == 0 ]]; then
		tar -C "$root" --zstd --numeric-owner -cpf "$BASE.tmp" . && mv "$BASE.tmp" "$BASE"
	fi
fi
# As / is (mktemp made it 0700, and the tarball keeps that): apt's _apt
# user must reach its lists and cache ("Download is performed unsandboxed").
chmod 0755 "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# No daemon starts in a chroot (there is no init to own it).
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"

# --no-initramfs: Debian's own initramfs for each kernel installed is not
# built (update-initramfs diverted to true).  The VMs boot an initramfs of
# their own (scripts/vm-run), so nothing of ours uses it; under load its
# three builds are most of a run.  Faster, less faithful: off by default.
if [[ $no_initrd == 1 ]]; then
	chroot "$root" dpkg-divert --quiet --local --rename --add /usr/sbin/update-initramfs
	ln -s /bin/true "$root/usr/sbin/update-initramfs"
fi

# 2. The checkout, as a clone would have it.
mkdir -p "$root/root/mbms-srtp"
git -C "$TOP" archive HEAD | tar -C "$root/root/mbms-srtp" -xf -
step "copied $(git -C "$TOP" rev-parse --short HEAD) into $root/root/mbms-srtp"

# 3. Mounts.
mount --bind /proc "$root/proc"
mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys"
mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"
if [[ $cold == 0 ]]; then
	mkdir -p "$APTCACHE"
	[[ -n $(ls "$APTCACHE") ]] || cp -l /var/cache/apt/archives/*.deb "$APTCACHE"/ 2> /dev/null || true
	mount --bind "$APTCACHE" "$root/var/cache/apt/archives"
fi

in_root() {
	env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		VM_RUN_KVM_DEV=/nonexistent/kvm \
		chroot "$root" /bin/sh -c "cd /root/mbms-srtp && $1"
}

# In the background, then wait: bash runs a trap only once the foreground
# command ends, but interrupts a wait (a TERM must not wait for make demo).
in_root_bg() {	# command log
	in_root "$1" > "$2" 2>&1 &
	wait $!
}

# --debug: `make check-debug QUICK=1` twice (see the head of this file;
# FRESH_DEBUG_FULL=1: the first is the whole `make check-debug`).
# The debug kernel's cache is the root's own /var/cache/mbms-srtp/, empty
# in a fresh root: nothing of the host's cache is mounted in.
debug_tier() {
	local n rc t0 log entry stamp="" env2="" cmd secs=()
	local cmd1="make check-debug QUICK=1"

	[[ ${FRESH_DEBUG_FULL:-0} != 1 ]] || cmd1="make check-debug"
	for n in 1 2; do
		log=$LOG/debug-$n.log
		env2=""
		cmd="make check-debug QUICK=1"
		[[ $n != 1 ]] || cmd=$cmd1
		if [[ $n == 2 && -n ${FRESH_DEBUG_STAGES2:-} ]]; then
			env2="CHECK_DEBUG_STAGES='$FRESH_DEBUG_STAGES2' CHECK_DEBUG_E2E=0 "
		fi
		step "$cmd, run $n${env2:+ ($env2)}"
		t0=$SECONDS
		rc=0
		run_logged "$env2$cmd" "$log" || rc=$?
		secs+=($((SECONDS - t0)))
		[[ $rc == 0 ]] || fail+=("run $n: $cmd exited $rc")
		grep -q '^check-debug: all suites passed' "$log" ||
			fail+=("run $n: no 'all suites passed' line")
		entry=$(in_root 'scripts/debug-kernel.sh --cached' 2> /dev/null) || entry=""
		if [[ $n == 1 ]]; then
			grep -q '^debug-kernel.sh: building ' "$log" ||
				fail+=("run 1 did not build the debug kernel (root cache not empty?)")
			[[ -n $entry ]] || fail+=("run 1 left no complete cache entry")
			[[ -z $entry ]] || stamp=$(stat -c %Y "$root$entry/done")
			[[ -z $entry ]] || step "debug kernel built in $(cat "$root$entry/build-seconds")s wall, $(cat "$root$entry/build-cpu-seconds")s CPU"
		else
			! grep -q '^debug-kernel.sh: building ' "$log" ||
				fail+=("run 2 rebuilt the debug kernel instead of using the cache")
			[[ -n $entry && $(stat -c %Y "$root$entry/done") == "$stamp" ]] ||
				fail+=("run 2: the cache entry changed")
		fi
	done
	step "done: check-debug run 1 ${secs[0]}s, run 2 ${secs[1]}s, total $((SECONDS - t_start))s"
	if [[ ${#fail[@]} -gt 0 ]]; then
		echo "fresh-machine: FAIL: $(IFS=';'; echo "${fail[*]}")"
		return 1
	fi
	echo "fresh-machine: PASS: $cmd1 built the debug kernel and passed, then passed again from the cache, in a fresh Debian 12 root"
}

# run_logged CMD LOG: CMD in the root, its output into LOG and onto our
# stdout as it comes; returns CMD's status.
run_logged() {
	local rc=0
	: > "$2"
	tail -f "$2" & tailer=$!
	in_root_bg "$1" "$2" || rc=$?
	sleep 1; kill "$tailer" 2> /dev/null || true
	tailer=""
	return $rc
}

# 4. The README's first commands: the two packages a fresh Debian 12 has
# not (git is for the clone, which git archive stands in for here), then
# `make demo`, once.
step "apt-get install make (the README's first step)"
in_root_bg 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make > /dev/null' \
	"$LOG/apt-make.log" ||
	{ cat "$LOG/apt-make.log"; echo "fresh-machine: FAIL: cannot install make"; exit 1; }
fail=()
if [[ $debug == 1 ]]; then
	debug_tier
	exit
fi
step "make demo"
t0=$SECONDS
demo_rc=0
run_logged 'make demo' "$LOG/demo.log" || demo_rc=$?
demo_s=$((SECONDS - t0))
sed -i 's/\x1b\[[0-9;]*m//g' "$LOG/demo.log"
[[ $demo_rc == 0 ]] || fail+=("make demo exited $demo_rc")
[[ $(grep -c '^PASS: ' "$LOG/demo.log") == 1 ]] || fail+=("no PASS verdict")
grep -Eq 'MSK requests: [0-9]+ sent, [0-9]+ ok, 0 failed' "$LOG/demo.log" ||
	fail+=("no 'MSK requests: ... 0 failed' line")
if grep -En '^FAIL:|MSK requests: [0-9]+ sent, [0-9]+ ok, [1-9][0-9]* failed|^make(\[[0-9]+\])?: \*\*\*|^make: no kernel headers' \
	"$LOG/demo.log" > "$LOG/failure-lines.txt"; then
	fail+=("failure lines: $(tr '\n' '|' < "$LOG/failure-lines.txt")")
fi

# 5. Plain `make` in the same root, after the demo.
step "make (plain)"
t0=$SECONDS
set +e
in_root_bg 'make' "$LOG/make.log"
make_rc=$?
set -e
make_s=$((SECONDS - t0))
[[ $make_rc == 0 ]] || { tail -n 20 "$LOG/make.log"; fail+=("make exited $make_rc"); }

step "done: make demo ${demo_s}s (rc $demo_rc), make ${make_s}s (rc $make_rc), total $((SECONDS - t_start))s"
if [[ ${#fail[@]} -gt 0 ]]; then
	echo "fresh-machine: FAIL: $(IFS=';'; echo "${fail[*]}")"
	exit 1
fi
echo "fresh-machine: PASS: make demo PASS with no failure line, then make, in a fresh Debian 12 root"
