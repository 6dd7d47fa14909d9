#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Mutation check of the datapath-security tests: undo one defence at a
# time in a scratch copy of kmod/, build it, and run the KTAP stages that
# prove the defence.  Each must FAIL; a mutant that passes its stages
# means a test that cannot catch the regression it exists for.
#
#   tests/selftests/mutants.sh [--kernel 6.1] [MUTANT...]
#
# Mutants: frag (the hook lets fragments through, no defrag), ssrc (a new
# SSRC recycles a live slot when the table is full), limits (no per-netns
# limits), memcg (no memory-cgroup accounting), csum (no UDP checksum
# check), hooks (hooks registered whatever the flows), rcc (RFC 4771
# RCC packets not recognised), rcc_mac (an RCC packet's ROC taken without
# its MAC), rcc_commit (a packet without integrity moves the SSRC
# state).  Needs the
# userspace tools built (make userspace).  Prints one line per mutant;
# exit status 0 only if every mutant was caught.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=6.1
if [[ ${1:-} == --kernel ]]; then
	kernel=$2
	shift 2
fi
all=(frag ssrc limits memcg csum hooks rcc rcc_mac rcc_commit)
[[ $# -gt 0 ]] && all=("$@")
work=$(mktemp -d /tmp/mbms-mutants.XXXXXX)
trap 'rm -rf "$work"' EXIT
# A scratch tree: the real kmod/ is never touched.  The userspace tools
# and the VM's initramfs cache are shared with the real build.
tar -C "$top" --exclude=./build --exclude=./.git -cf - . | tar -C "$work" -xf -
mkdir -p "$work/build" "$top/build/vm"
ln -s "$top/build/userspace" "$work/build/userspace"
ln -s "$top/build/vm" "$work/build/vm"
cd "$work"

# edit FILE PERL-EXPR: apply one substitution that must change the file.
edit() {
	local before
	before=$(md5sum "$1")
	perl -0pi -e "$2" "$1"
	[[ $(md5sum "$1") != "$before" ]] || {
		echo "mutants: $1: pattern not found: $2" >&2
		exit 1
	}
}

mutate() {
	case $1 in
	frag)
		edit kmod/hook.c 's/return mbms_rx_fail\(flow->session, MBMS_SRTP_STATS_A_FRAGMENT\);/return NF_ACCEPT;/g'
		edit kmod/flow.c 's/err = nf_defrag_ipv4_enable\(net\);/err = 0;/; s/err = nf_defrag_ipv6_enable\(net\);/err = 0;/'
		stages=(frag_forged) ;;
	ssrc)
		edit kmod/session.c 's/(\tret = MBMS_SSRC_FULL;\n\tif \(!free\)\n)\t\tgoto out;/$1\t\tfree = &s->ssrcs[ssrc % s->p.max_ssrcs];/'
		stages=(ssrc_replay ssrc_evict) ;;
	limits)
		edit kmod/flow.c 's/if \(atomic_read\(&mn->nflows\) >= READ_ONCE\(mbms_max_flows\)\)/if (0)/'
		edit kmod/session.c 's/if \(mn->nsessions >= READ_ONCE\(mbms_max_sessions\)\)/if (0)/'
		edit kmod/netlink.c 's/mn->nkeys >= READ_ONCE\(mbms_max_keys\)\)/0)/'
		stages=(limits) ;;
	memcg)
		edit kmod/cache.c 's/\(SLAB_STORE_USER \| SLAB_ACCOUNT\)/(SLAB_STORE_USER)/'
		for f in kmod/flow.c kmod/key.c kmod/session.c kmod/stats.c; do
			edit "$f" 's/GFP_KERNEL_ACCOUNT/GFP_KERNEL/g'
		done
		edit kmod/netns.c 's/XA_FLAGS_ACCOUNT/0/'
		stages=(memcg) ;;
	csum)
		edit kmod/rx.c 's/(static bool mbms_rx_csum_bad\(.*?\n\{\n)/$1\treturn false;\n/s'
		stages=(csum_bad) ;;
	hooks)
		edit kmod/netns.c 's/(\treturn mbms_flow_table_init\(mn\);)/\tmbms_hooks_register(mn);\n$1/'
		edit kmod/netns.c 's/(#include "flow.h")/$1\n#include "hook.h"/'
		stages=(hooks_lazy) ;;
	rcc)
		edit kmod/rx.c 's/\tif \(!p->rcc_mode\)\n\t\treturn n;/\treturn n;/'
		stages=(rcc_late rcc_loss) ;;
	rcc_mac)
		edit kmod/rx.c 's/c->mac_len = p->rcc_mode == 3 \? 0 : n - 4;/c->mac_len = 0;/'
		stages=(rcc_forged) ;;
	rcc_commit)
		edit kmod/rx.c 's/if \(c.mac_len \|\| c.rcc\) \{/if (1) {/'
		stages=(rcc_plain) ;;
	*)
		echo "mutants: unknown mutant $1" >&2
		exit 1 ;;
	esac
}

survived=0
for m in "${all[@]}"; do
	rm -rf kmod
	cp -a "$top/kmod" kmod
	stages=()
	mutate "$m"
	if ! make -s module KVER="$kernel" > "$work/build-$m.log" 2>&1; then
		echo "mutant $m: does not build (see above)"; tail -5 "$work/build-$m.log"
		survived=1
		continue
	fi
	if scripts/vm-run --kernel "$kernel" --timeout 1200 -- \
		tests/selftests/run.sh load "${stages[@]}" > "$work/run-$m.log" 2>&1; then
		echo "mutant $m: SURVIVED (${stages[*]} passed without the defence)"
		survived=1
	else
		echo "mutant $m: caught by $(grep '^not ok' "$work/run-$m.log" | awk '{print $4}' | tr '\n' ' ')"
	fi
done
exit $survived
