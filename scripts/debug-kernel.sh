#!/bin/bash
# debug-kernel.sh: build (once per machine) the debug kernel of `make
# check-debug` from Debian's linux-source-6.1 and print its cache
# directory.
#
#   scripts/debug-kernel.sh [--check-config|--cached] [--rebuild]
#
# Config: `make allnoconfig` + scripts/debug-kernel.config (what the
# vm-run guest and our suites need, plus KASAN, KFENCE, UBSAN, lockdep,
# PROVE_RCU, kmemleak...), then olddefconfig; every line of the fragment
# must have survived, else we fail naming the lost ones.  --check-config
# stops there (seconds, no build).  --cached prints the directory only
# if that build is complete, else fails (it never builds).
#
# Cache: $MBMS_CACHE (default /var/cache/mbms-srtp)/debug-kernel/
#   linux-<pkgver>/           the unpacked source (shared by configs)
#   <pkgver>-<cfghash>/       one build:
#     build/                  the object tree (O=), for out-of-tree modules
#     bzImage                 the kernel image
#     modules/lib/modules/R/  modules_install (modules.builtin, .dep...)
#     kernelrelease, build-seconds (wall), build-cpu-seconds (user+sys)
#     done                    written last: the entry is complete
# <cfghash> hashes the fragment, so a config change builds a new entry.
# The build runs under `nice -n 10 make -j2` ($DEBUG_KERNEL_JOBS) and a
# lock: concurrent callers wait and share one build.  Progress goes to
# stderr and to <entry>/build.log.
set -euo pipefail

TOP=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
FRAG=$TOP/scripts/debug-kernel.config
TARBALL=/usr/src/linux-source-6.1.tar.xz
PKG=linux-source-6.1
CACHE=${MBMS_CACHE:-/var/cache/mbms-srtp}/debug-kernel
JOBS=${DEBUG_KERNEL_JOBS:-2}
PROG=debug-kernel.sh
# Called from our Makefile: its variables (KVER=, W=...) and jobserver
# are not the kernel build's business.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

die() { echo "$PROG: $*" >&2; exit 1; }
say() { echo "$PROG: $*" >&2; }

check_only=0
cached_only=0
rebuild=0
for a in "$@"; do
	case $a in
	--check-config) check_only=1 ;;
	--cached) cached_only=1 ;;
	--rebuild) rebuild=1 ;;
	-h|--help) sed -n '2,/^set -eu/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	*) die "unknown argument '$a' (see --help)" ;;
	esac
done

[ -r "$TARBALL" ] || die "$TARBALL missing (scripts/deps.sh installs $PKG)"
pkgver=$(dpkg-query -W -f='${Version}' "$PKG" 2>/dev/null) ||
	die "$PKG is not installed (scripts/deps.sh)"
cfghash=$(sha256sum "$FRAG" | cut -c1-12)
src=$CACHE/linux-$pkgver
entry=$CACHE/$pkgver-$cfghash
mkdir -p "$CACHE"

if [ $check_only = 0 ] && [ $rebuild = 0 ] && [ -e "$entry/done" ]; then
	echo "$entry"
	exit 0
fi
[ $cached_only = 0 ] || die "not built yet: $entry (run scripts/debug-kernel.sh)"

# What a kernel build needs beyond the module's packages: say so up front
# rather than as "flex: not found" from inside kconfig.
need=""
for t in flex bison gcc make bc perl; do
	command -v "$t" > /dev/null || need="$need $t"
done
[ -e /usr/include/gelf.h ] || need="$need libelf-dev(gelf.h)"
[ -z "$need" ] || die "cannot build the kernel, missing:$need (scripts/deps.sh installs them)"

exec {lock}>"$CACHE/lock" || die "cannot open $CACHE/lock"
if ! flock -n "$lock"; then
	say "another build holds $CACHE/lock: waiting"
	flock "$lock"
fi
if [ $check_only = 0 ] && [ $rebuild = 0 ] && [ -e "$entry/done" ]; then
	echo "$entry"
	exit 0
fi

# The source, once per package version.
if [ ! -e "$src/.unpacked" ]; then
	say "unpacking $TARBALL into $src"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$TARBALL" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.unpacked"
	mv "$src.tmp" "$src"
fi

# --check-config works in a scratch tree of its own: a complete entry's
# build tree and "done" are what make check-debug (and any guest running
# now) use, and must not be touched by a check.
if [ $check_only = 1 ]; then
	b=$(mktemp -d "$CACHE/check-config.XXXXXX")
	trap 'rm -rf "$b"' EXIT
	clog=$b/config.log
else
	b=$entry/build
	mkdir -p "$b"
	rm -f "$entry/done"
	clog=$entry/config.log
fi
kmake() { make -C "$src" O="$b" ARCH=x86_64 "$@"; }

# allnoconfig, the fragment on top, then olddefconfig: the same order as
# scripts/kconfig/merge_config.sh -m, without its noise.
kmake -s allnoconfig > /dev/null
cat "$FRAG" >> "$b/.config"
kmake -s olddefconfig > "$clog" 2>&1 || { cat "$clog" >&2; die "olddefconfig failed"; }

lost=""
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) grep -qxF -- "$line" "$b/.config" || lost="$lost
  want $line, got: $(grep -E "^(# )?${line%%=*}[= ]" "$b/.config" || echo absent)" ;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }; sym=${sym%% *}
		! grep -q "^$sym=" "$b/.config" || lost="$lost
  want $line, got: $(grep "^$sym=" "$b/.config")" ;;
	esac
done < "$FRAG"
[ -z "$lost" ] || die "options of $FRAG lost after olddefconfig (a dependency is missing):$lost"
say "config $cfghash: every option of $(basename "$FRAG") survived olddefconfig"
if [ $check_only = 1 ]; then
	echo "$entry"
	exit 0
fi

say "building $pkgver-$cfghash (nice -n 10 make -j$JOBS; log in $entry/build.log)"
# Wall time depends on what else runs; the CPU time (user + sys of the
# compilers) does not: on an idle machine the wall time is about it / JOBS.
t0=$(date +%s)
TIMEFORMAT='%U %S'
if ! { time nice -n 10 make -C "$src" O="$b" ARCH=x86_64 -j"$JOBS" bzImage modules \
	> "$entry/build.log" 2>&1; } 2> "$entry/cpu"; then
	tail -n 40 "$entry/build.log" >&2
	die "kernel build failed (full log: $entry/build.log)"
fi
rm -rf "$entry/modules"
kmake -s INSTALL_MOD_PATH="$entry/modules" modules_install >> "$entry/build.log" 2>&1 ||
	die "modules_install failed (log: $entry/build.log)"
t1=$(date +%s)
cp "$b/arch/x86/boot/bzImage" "$entry/bzImage"
kmake -s kernelrelease > "$entry/kernelrelease"
echo $((t1 - t0)) > "$entry/build-seconds"
cpu=$(awk '{ printf "%d", $1 + $2 }' "$entry/cpu")
echo "$cpu" > "$entry/build-cpu-seconds"
say "built $(cat "$entry/kernelrelease") in $((t1 - t0))s wall, ${cpu}s CPU (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
touch "$entry/done"
echo "$entry"
