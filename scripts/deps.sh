#!/bin/sh
# Install the Debian packages mbms-srtp needs to build, test and benchmark.
#
# Idempotent and quiet when everything is already there.  Adds the
# bookworm-backports suite (for the 6.12 and 6.12-rt test kernels) on the
# same mirror that the machine's existing Debian sources already use.
set -eu

[ "$(id -u)" -eq 0 ] || { echo "deps.sh: must run as root (apt-get)" >&2; exit 1; }

PKGS="build-essential pkg-config bc kmod cpio busybox-static qemu-system-x86
 linux-image-amd64 linux-headers-amd64 linux-source-6.1 sparse
 libnl-3-dev libnl-genl-3-dev libsrtp2-dev libssl-dev libcurl4-openssl-dev
 libxml2-dev libmicrohttpd-dev libinih-dev libsystemd-dev
 iproute2 ethtool nftables procps clang llvm tshark gnuplot-nox python3 jq xxd
 python3-prometheus-client linux-source-6.12 python3-yaml python3-jsonschema
 dkms curl openssl linux-perf libgcrypt20-dev debhelper dh-dkms lintian
 debootstrap zstd file
 flex bison libelf-dev"
# flex, bison, libelf-dev: the debug kernel's build (scripts/debug-kernel.sh:
# kconfig's lexer and parser, objtool).  A fresh Debian 12 has none of them
# and linux-source-6.1 does not pull them in (make check-fresh DEBUG=1).

# Kernel packages of the test matrix beyond Debian 12's 6.1: the 6.12
# backports kernel and its PREEMPT_RT build (where softirqs run in threads
# and spinlocks sleep), newest of each.  The "-unsigned" image packages
# hold the same vmlinuz as the signed ones without the shim dependencies.
# NAME IMAGE_RE HEADERS_RE, one kernel a line.
MATRIX_KERNELS='6.12 ^linux-image-6\.12\.[0-9.-]*\+deb12-amd64-unsigned$ ^linux-headers-6\.12\.[0-9.-]*\+deb12-amd64$
6.12-rt ^linux-image-6\.12\.[0-9.-]*\+deb12-rt-amd64-unsigned$ ^linux-headers-6\.12\.[0-9.-]*\+deb12-rt-amd64$'

say() { [ -n "${quiet_done:-}" ] || echo "deps.sh: $*"; }

# 1. bookworm-backports on the same mirror as the existing Debian source.
add_backports() {
	if grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null; then
		return 1
	fi
	mirror=$(grep -rhs '^URIs:.*debian' /etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -v security | head -n1 | awk '{print $2}')
	[ -n "$mirror" ] || mirror=$(grep -hs '^deb .*debian' /etc/apt/sources.list 2>/dev/null |
		grep -v security | head -n1 | awk '{print $2}')
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
	say "adding bookworm-backports from $mirror"
	cat > /etc/apt/sources.list.d/mbms-srtp-backports.sources <<SRC
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	return 0
}

missing() {
	for p in $PKGS; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
	done
}

installed_like() {	# RE: is a package whose name matches RE installed?
	dpkg-query -W -f='${Package} ${Status}\n' 'linux-*' 2>/dev/null |
		grep 'install ok installed$' | cut -d' ' -f1 | grep -Eq "$1"
}

updated=
apt_update() {
	[ -n "$updated" ] && return 0
	apt-get update -qq >/dev/null || apt-get update
	updated=1
}

need=$(missing)
if add_backports; then
	apt_update
fi

export DEBIAN_FRONTEND=noninteractive
if [ -n "$need" ]; then
	say "installing:" $need
	apt_update
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

while read -r name img_re hdr_re; do
	installed_like "$img_re" && installed_like "$hdr_re" && continue
	apt_update
	img=$(apt-cache pkgnames linux-image-6.12 | grep -E "$img_re" | sort -V | tail -n1)
	hdr=$(apt-cache pkgnames linux-headers-6.12 | grep -E "$hdr_re" | sort -V | tail -n1)
	if [ -z "$img" ] || [ -z "$hdr" ]; then
		echo "deps.sh: no $name kernel found in bookworm-backports" >&2
		exit 1
	fi
	say "installing the $name kernel: $img $hdr"
	apt-get install -y -qq --no-install-recommends -t bookworm-backports \
		"$img" "$hdr" < /dev/null > /dev/null
done <<EOF
$MATRIX_KERNELS
EOF

# checkpatch.pl and kernel-doc come from the kernel source tarball; unpack only that part.
if [ ! -x /usr/src/linux-source-6.1/scripts/checkpatch.pl ] ||
   [ ! -x /usr/src/linux-source-6.1/scripts/kernel-doc ]; then
	tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n1)
	if [ -n "$tarball" ]; then
		say "unpacking checkpatch.pl from $tarball"
		tar -C /usr/src -xf "$tarball" \
			linux-source-6.1/scripts/checkpatch.pl \
			linux-source-6.1/scripts/spelling.txt \
			linux-source-6.1/scripts/const_structs.checkpatch \
			linux-source-6.1/scripts/kernel-doc 2>/dev/null || true
	fi
fi
exit 0
