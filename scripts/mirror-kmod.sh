#!/bin/sh
# Mirror the module sources into build/kmod/KVER so that each kernel of the
# matrix builds in its own tree.  Copies only what changed (cp -u).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
k=${1:?usage: mirror-kmod.sh KVER}
dst=$top/build/kmod/$k
mkdir -p "$dst"
cp -u "$top/Kbuild" "$dst/"
(cd "$top" && find kmod include -type f \( -name '*.c' -o -name '*.h' -o -name Kbuild \) -print) |
while read -r f; do
	mkdir -p "$dst/$(dirname "$f")"
	cp -u "$top/$f" "$dst/$f"
done
