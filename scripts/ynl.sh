#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own netlink CLI, ynl (tools/net/ynl/cli.py), and its spec
# schemas, taken from Debian's linux-source-6.12 package (scripts/deps.sh
# installs it; 6.1's source has no ynl CLI) into build/ynl, once:
#
#   scripts/ynl.sh            extract if needed, print build/ynl
#
# Stage ynl of tests/selftests/run.sh drives the mbms_srtp family with it
# from Documentation/netlink/specs/mbms_srtp.yaml alone.
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
out=$top/build/ynl
src=$(ls /usr/src/linux-source-6.1[2-9]*.tar.xz 2> /dev/null | sort -V | tail -n1 || true)
[[ -n $src ]] || { echo "ynl.sh: no /usr/src/linux-source-6.12 tarball (scripts/deps.sh)" >&2; exit 1; }
stamp=$out/.source
if [[ ! -r $out/tools/net/ynl/cli.py || $(cat "$stamp" 2> /dev/null) != "$src" ]]; then
	rm -rf "$out"
	mkdir -p "$out"
	top_dir=$(basename "$src" .tar.xz)	# linux-source-6.12
	tar -C "$out" --strip-components=1 -xf "$src" \
		"$top_dir/tools/net/ynl" \
		--wildcards "$top_dir/Documentation/netlink/*.yaml"
	echo "$src" > "$stamp"
fi
echo "$out"
