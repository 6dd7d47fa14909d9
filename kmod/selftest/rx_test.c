// SPDX-License-Identifier: GPL-2.0
/*
 * Packet-path accounting that no packet test can reach: the exact key
 * packet limit (a race between CPUs) and the count of a failed
 * skb_ensure_writable() (an atomic allocation failure; Debian kernels
 * have no fault injection).
 */
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/slab.h>

#include "../key.h"
#include "../rx.h"
#include "../session.h"
#include "selftest.h"

/**
 * mbms_selftest_key_reserve() - limits taken one unit at a time, exactly
 *
 * Return: true on success.
 */
bool mbms_selftest_key_reserve(void)
{
	struct mbms_key *k = kzalloc(sizeof(*k), GFP_KERNEL);
	bool ok = true;
	unsigned int i;
	u64 n = 0;

	if (!k)
		return false;
	k->max_packets = 3;
	for (i = 1; i <= 3; i++)
		ok &= mbms_key_reserve(k, false, &n) && n == i;
	ok &= !mbms_key_reserve(k, false, &n);
	ok &= atomic64_read(&k->packets) == 3;
	mbms_key_unreserve(k, false);	/* a dropped packet gives it back */
	ok &= mbms_key_reserve(k, false, &n) && n == 3;
	ok &= !mbms_key_reserve(k, true, &n);

	/* no max-packets: RFC 3711 limits, SRTCP's own as well */
	k->max_packets = 0;
	atomic64_set(&k->packets, MBMS_KEY_SRTP_LIMIT - 1);
	ok &= mbms_key_reserve(k, false, &n) && n == MBMS_KEY_SRTP_LIMIT;
	ok &= !mbms_key_reserve(k, false, &n);
	atomic64_set(&k->packets, 0);
	atomic64_set(&k->rtcp_packets, MBMS_KEY_SRTCP_LIMIT - 1);
	ok &= mbms_key_reserve(k, true, &n);
	ok &= !mbms_key_reserve(k, true, &n);
	ok &= atomic64_read(&k->packets) == 1;	/* refused: nothing taken */
	ok &= mbms_key_reserve(k, false, &n) && n == 2;
	kfree(k);
	return ok;
}

static u64 mbms_selftest_stat(struct mbms_session *s, unsigned int attr)
{
	u64 sum[MBMS_STAT_NUM];

	mbms_stats_sum(&s->stats, sum);
	return sum[MBMS_STAT(attr)];
}

/*
 * A packet that cannot be made writable is counted as nomem and follows
 * on-fail.  skb_ensure_writable() fails for want of memory, or, as here,
 * when asked for more bytes than the packet has: the same error path.
 */

/**
 * mbms_selftest_rx_nomem() - an skb that cannot be made writable counts
 *
 * Return: true on success.
 */
bool mbms_selftest_rx_nomem(void)
{
	struct mbms_session *s = kzalloc(sizeof(*s), GFP_KERNEL);
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);
	unsigned int v = NF_ACCEPT;
	bool ok = true;

	if (!s || !skb || mbms_stats_init(&s->stats)) {
		ok = false;
		goto out;
	}
	skb_put_zero(skb, 32);
	s->p.on_fail = MBMS_SRTP_ON_FAIL_DROP;
	ok &= !mbms_rx_writable(s, skb, 33, &v) && v == NF_DROP;
	ok &= mbms_selftest_stat(s, MBMS_SRTP_STATS_A_NOMEM) == 1;
	s->p.on_fail = MBMS_SRTP_ON_FAIL_PASS;
	ok &= !mbms_rx_writable(s, skb, 33, &v) && v == NF_ACCEPT;
	ok &= mbms_selftest_stat(s, MBMS_SRTP_STATS_A_NOMEM) == 2;
	ok &= mbms_selftest_stat(s, MBMS_SRTP_STATS_A_PASSED) == 1;
	ok &= mbms_rx_writable(s, skb, 32, &v);
	ok &= mbms_selftest_stat(s, MBMS_SRTP_STATS_A_NOMEM) == 2;
out:
	if (s && s->stats.pcpu)
		mbms_stats_free(&s->stats);
	kfree(s);
	kfree_skb(skb);
	return ok;
}
