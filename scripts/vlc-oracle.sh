#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the independent RFC 4771 oracle, build/oracle/vlc-rcc-send: VLC's
# SRTP code (modules/access/rtp/srtp.c of Debian 12's vlc source package)
# linked with our small main, tests/oracle/vlc_rcc_send.c.  No VLC code is
# kept in this repository: the source package is fetched, verified and
# cached here at build time (Documentation/design.rst, "RFC 4771 oracle").
#
#   scripts/vlc-oracle.sh            fetch (once), verify, extract, build
#   scripts/vlc-oracle.sh --fetch    only fetch and verify into the cache
#
# Trust: apt fetches the .dsc and the Debian tarball itself, checking them
# against the Sources index that Debian's archive key signs; the .dsc's
# SHA-256 is also pinned below (it was taken from that signed index), and
# every other file is checked against the .dsc's Checksums-Sha256.  A file
# apt cannot get (the orig tarball is only in the security archive's pool
# on some mirrors) is downloaded from the pool and checked the same way.
#
# Environment: MBMS_CACHE (default /var/cache/mbms-srtp), CC.
set -eu

VLC_VERSION=3.0.23-0+deb12u1
VLC_UPSTREAM=3.0.23
# SHA-256 of vlc_3.0.23-0+deb12u1.dsc in bookworm/main's Sources index.
DSC_SHA256=9b715c1878fe3fddf408cf7044e95fdc15c2a18b6de038c94dc8bdac348e8ab5
MIRROR=http://deb.debian.org
POOLS="$MIRROR/debian/pool/main/v/vlc $MIRROR/debian-security/pool/updates/main/v/vlc"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
SRTP_FILES="modules/access/rtp/srtp.c modules/access/rtp/srtp.h"

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${MBMS_CACHE:-/var/cache/mbms-srtp}
dir=$cache/vlc/$VLC_VERSION
dsc=vlc_$VLC_VERSION.dsc
out=$top/build/oracle
CC=${CC:-cc}

die() { echo "vlc-oracle: $*" >&2; exit 1; }
say() { echo "vlc-oracle: $*" >&2; }

sha_ok() {	# sha_ok FILE SHA256
	[ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

# The SHA-256 the .dsc gives for FILE.
dsc_sha() {
	awk -v f="$1" '/^Checksums-Sha256:/ { on = 1; next }
		/^[^ ]/ { on = 0 } on && $3 == f { print $1 }' "$dir/$dsc"
}

# apt-get source --download-only with a private apt state: deb-src lines
# for bookworm and bookworm-security, signed by Debian's archive key.  A
# partial failure (one file missing on the mirror) is not fatal here.
apt_fetch() {
	[ -z "${apt_done:-}" ] || return 0
	apt_done=1
	a=$cache/apt
	mkdir -p "$a/lists/partial" "$a/cache/archives/partial"
	cat > "$a/sources.list" <<EOF
deb-src [signed-by=$KEYRING] $MIRROR/debian bookworm main
deb-src [signed-by=$KEYRING] $MIRROR/debian-security bookworm-security main
EOF
	set -- -o Dir::Etc::SourceList="$a/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists="$a/lists" \
		-o Dir::Cache="$a/cache" -o APT::Sandbox::User="$(id -un)" \
		-o Debug::NoLocking=1
	say "apt: fetching vlc $VLC_VERSION source (verified against the signed Sources index)"
	apt-get -qq "$@" update > "$a/update.log" 2>&1 ||
		{ say "apt-get update failed (see $a/update.log)"; return 0; }
	(cd "$dir" && apt-get -q "$@" source --download-only "vlc=$VLC_VERSION") \
		> "$a/source.log" 2>&1 ||
		say "apt-get source did not get every file (see $a/source.log)"
	return 0
}

pool_fetch() {	# pool_fetch FILE SHA256
	for p in $POOLS; do
		say "downloading $p/$1"
		curl -fsSL -o "$dir/$1.part" "$p/$1" || continue
		if sha_ok "$dir/$1.part" "$2"; then
			mv "$dir/$1.part" "$dir/$1"
			return 0
		fi
		say "$p/$1: SHA-256 mismatch, ignored"
	done
	rm -f "$dir/$1.part"
	return 1
}

fetch() {
	mkdir -p "$dir"
	if ! sha_ok "$dir/$dsc" "$DSC_SHA256"; then
		apt_fetch
		sha_ok "$dir/$dsc" "$DSC_SHA256" || pool_fetch "$dsc" "$DSC_SHA256" ||
			die "cannot get $dsc with SHA-256 $DSC_SHA256"
	fi
	for f in "vlc_$VLC_UPSTREAM.orig.tar.xz" "vlc_$VLC_VERSION.debian.tar.xz"; do
		want=$(dsc_sha "$f")
		[ -n "$want" ] || die "$dsc lists no $f"
		sha_ok "$dir/$f" "$want" && continue
		# A copy put in the cache by hand (src/) is used if it checks out.
		if sha_ok "$cache/src/$f" "$want"; then
			cp "$cache/src/$f" "$dir/$f"
			continue
		fi
		apt_fetch
		sha_ok "$dir/$f" "$want" || pool_fetch "$f" "$want" ||
			die "cannot get $f with SHA-256 $want"
	done
}

# srtp.c and srtp.h as Debian builds them: if a Debian patch touches
# them, the whole source is unpacked with its patches applied.
extract() {
	src=$dir/src
	[ -f "$src/.complete" ] && return 0
	rm -rf "$src" "$dir/tmp"
	mkdir -p "$dir/tmp"
	tar -C "$dir/tmp" -xJf "$dir/vlc_$VLC_VERSION.debian.tar.xz" debian
	touching=
	if [ -f "$dir/tmp/debian/patches/series" ]; then
		# A series line is a patch name, optionally followed by options.
		touching=$(awk '!/^#/ && NF { print $1 }' "$dir/tmp/debian/patches/series" |
			while read -r p; do
				grep -qE '^\+\+\+ [^[:space:]]*modules/access/rtp/srtp\.[ch]' \
					"$dir/tmp/debian/patches/$p" && printf ' %s' "$p"
			done || true)
	fi
	if [ -n "$touching" ]; then
		say "Debian patches touching srtp.c:$touching: unpacking the patched source"
		# Checksums were verified above; there is no keyring for the
		# maintainer's signature on a fresh machine.
		(cd "$dir/tmp" && dpkg-source --no-check -x "$dir/$dsc" vlc) > /dev/null
		base=$dir/tmp/vlc
	else
		say "no Debian patch touches srtp.c: extracting it from the orig tarball"
		tar -C "$dir/tmp" -xJf "$dir/vlc_$VLC_UPSTREAM.orig.tar.xz" \
			--wildcards '*/modules/access/rtp/srtp.[ch]'
		base=$dir/tmp/vlc-$VLC_UPSTREAM
	fi
	for f in $SRTP_FILES; do
		install -D -m 0644 "$base/$f" "$src/$f"
	done
	{
		echo "vlc $VLC_VERSION (Debian 12), .dsc SHA-256 $DSC_SHA256"
		echo "Debian patches applied to srtp.c/srtp.h:${touching:- none}"
		sha256sum "$src/modules/access/rtp/srtp.c" "$src/modules/access/rtp/srtp.h"
	} > "$src/PROVENANCE"
	rm -rf "$dir/tmp"
	touch "$src/.complete"
}

build() {
	src=$dir/src
	mkdir -p "$out/obj"
	gcry=$(pkg-config --libs libgcrypt 2>/dev/null || echo -lgcrypt)
	ours="-std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
		-Wmissing-prototypes -Wformat=2 -D_GNU_SOURCE -fstack-protector-strong \
		-I$top/include/uapi -I$top/userspace/include -I$top/tests/tools \
		-I$src/modules/access/rtp"
	# VLC's file as VLC builds it: GNU C, without our -Werror.  Its
	# rtp_crypt() shifts a promoted uint16_t left by 16 (a signed int),
	# which ISO C leaves undefined and GCC defines ("Integers" in its
	# manual); UBSan says so (shift-base), nothing else of it does.
	$CC -std=gnu99 -O2 -g -D_GNU_SOURCE -c -o "$out/obj/vlc_srtp.o" \
		"$src/modules/access/rtp/srtp.c"
	objs="$out/obj/vlc_srtp.o"
	for c in tests/oracle/vlc_rcc_send.c tests/tools/stream_opts.c \
		tests/tools/rtp_pattern.c tests/tools/net_util.c \
		userspace/common/hex.c userspace/common/num.c \
		userspace/common/secret.c; do
		o=$out/obj/$(basename "$c" .c).o
		# shellcheck disable=SC2086
		$CC $ours -c -o "$o" "$top/$c"
		objs="$objs $o"
	done
	# shellcheck disable=SC2086
	$CC -o "$out/vlc-rcc-send" $objs $gcry
	cp "$src/PROVENANCE" "$out/PROVENANCE"
	say "built $out/vlc-rcc-send from $(head -n1 "$src/PROVENANCE")"
}

fetch
[ "${1:-}" = --fetch ] && exit 0
extract
build
