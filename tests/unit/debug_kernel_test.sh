#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/debug-kernel.sh without building a kernel: a fake unpacked
# source whose Makefile only writes an empty .config, in a cache of our
# own (MBMS_CACHE).  Checks that
#   1. --check-config leaves a complete cache entry alone (it used to
#      delete its "done" and rerun allnoconfig in its build tree, so the
#      next make check-debug rebuilt the kernel and a running one lost it);
#   2. a machine without flex, bison or libelf-dev gets one message naming
#      what is missing, before anything is unpacked or built (a fresh
#      Debian 12 failed with "flex: not found" from inside kconfig).
set -u

TOP=${MBMS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
DK=$TOP/scripts/debug-kernel.sh
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

if ! pkgver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
	[ ! -r /usr/src/linux-source-6.1.tar.xz ]; then
	echo "skip: needs linux-source-6.1 (scripts/deps.sh)"
	exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
export MBMS_CACHE=$work/cache
cache=$MBMS_CACHE/debug-kernel
src=$cache/linux-$pkgver
entry=$cache/$pkgver-$(sha256sum "$TOP/scripts/debug-kernel.config" | cut -c1-12)

# The fake source: allnoconfig writes an empty .config (the script then
# appends the fragment, so every option "survives"), olddefconfig keeps it.
mkdir -p "$src"
touch "$src/.unpacked"
printf '%s\n' 'allnoconfig:' '	@mkdir -p $(O) && : > $(O)/.config' \
	'olddefconfig:' '	@true' > "$src/Makefile"

# 1. A complete entry, then --check-config.
mkdir -p "$entry/build"
echo "the built tree's config" > "$entry/build/.config"
echo 6.1.0-fake-debug > "$entry/kernelrelease"
touch "$entry/done"
out=$("$DK" --check-config 2> "$work/err")
rc=$?
[ $rc = 0 ] && [ "$out" = "$entry" ] ||
	bad "--check-config: rc $rc, printed '$out': $(cat "$work/err")"
grep -q 'survived olddefconfig' "$work/err" || bad "--check-config checked nothing: $(cat "$work/err")"
[ -e "$entry/done" ] || bad "--check-config deleted the complete entry's 'done' (the next run rebuilds)"
[ "$(cat "$entry/build/.config")" = "the built tree's config" ] ||
	bad "--check-config rewrote the built tree's .config"
[ "$("$DK" --cached 2>&1)" = "$entry" ] || bad "--cached after --check-config: $("$DK" --cached 2>&1)"
[ -z "$(find "$cache" -maxdepth 1 -name 'check-config.*')" ] || bad "--check-config left its scratch tree"
ok "--check-config leaves a complete cache entry as it was"

# 2. No flex: a PATH with every tool of the system's but flex.
mkdir -p "$work/bin"
for d in /usr/local/bin /usr/bin /bin /usr/sbin /sbin; do
	for f in "$d"/*; do
		n=${f##*/}
		[ "$n" != flex ] && [ ! -e "$work/bin/$n" ] && ln -s "$f" "$work/bin/$n"
	done
done
rm -rf "$entry"
PATH=$work/bin "$DK" > "$work/out" 2> "$work/err"
rc=$?
[ $rc != 0 ] && grep -q 'missing: flex (scripts/deps.sh installs them)' "$work/err" ||
	bad "no flex: rc $rc: $(cat "$work/err")"
[ -e "$entry/build" ] && bad "no flex: a build started"
ok "no flex: one message naming it, nothing built"

[ $fail = 0 ] && echo "debug_kernel_test: all passed"
exit $fail
