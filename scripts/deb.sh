#!/bin/sh
# Build the Debian packages (debian/) into build/deb/: mbms-srtp-dkms,
# mbms-srtp-tools, mbms-srtp-dev, with their .changes and .buildinfo.
# The build runs in a copy of the tree, build/deb/src (the files git
# tracks plus new ones it does not ignore), so the checkout stays clean.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/deb
src=$out/src
rm -rf "$out"
mkdir -p "$src"
cd "$top"
if git rev-parse --git-dir > /dev/null 2>&1; then
	git ls-files -z -c -o --exclude-standard |
		tar --null -T - --ignore-failed-read -cf - | tar -C "$src" -xf -
else
	tar --exclude=./build -cf - . | tar -C "$src" -xf -
fi
# Our make's jobserver does not reach dpkg-buildpackage: its own -j.
cd "$src"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	DEB_BUILD_OPTIONS="parallel=${DEB_JOBS:-2} ${DEB_BUILD_OPTIONS:-}" \
	nice dpkg-buildpackage -b -us -uc --no-pre-clean
ls -1 "$out"/*.deb
