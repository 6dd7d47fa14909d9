// SPDX-License-Identifier: GPL-2.0
/*
 * GSO skbs on a matched flow.
 *
 * UDP GRO (rx-udp-gro-forwarding, rx-gro-list) and a local sender's
 * UDP_SEGMENT super-packet forwarded as is over veth hand PRE_ROUTING one
 * skb that carries many SRTP packets, each with its own MKI and tag: each
 * must be authenticated and decrypted on its own.
 *
 * Why reinjection rather than decrypting the segments here: a netfilter
 * hook returns one verdict for one skb.  It cannot pass several skbs on to
 * the hooks after it (conntrack, nftables, ...) and to IP, and those must
 * still run, on plaintext.  So the GSO skb is segmented in software, as
 * nfnetlink_queue does, every segment is handed back to the stack with
 * netif_rx() and comes through PRE_ROUTING again as an ordinary packet
 * (decrypted there by the normal path, seen by every later hook), and the
 * GSO skb itself is consumed: NF_STOLEN.
 *
 * - No loop: segments are never GSO (checked anyway), and netif_rx() queues
 *   them to the backlog, which does no GRO.
 * - Order: netif_rx() appends the segments, in order, to this CPU's
 *   backlog queue; the device's later packets queue behind them.
 * - Memory: the segments are charged like any received skb and bounded by
 *   net.core.netdev_max_backlog; what overflows is dropped and counted by
 *   the core (/proc/net/softnet_stat).  The original is freed at once.
 * - Cost: only GSO skbs come here; the normal path allocates nothing.
 *
 * Segmentation starts from the link-layer header when there is one, so
 * that each segment carries it and packet taps see well-formed frames.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>

#include "compat.h"
#include "gso.h"
#include "rx.h"
#include "session.h"

/* A GSO skb that cannot be segmented: malformed, the usual on-fail rule. */
static unsigned int mbms_gso_fail(struct mbms_session *s)
{
	net_dbg_ratelimited("session %u: GSO packet not segmentable\n",
			    s->p.id);
	return mbms_rx_fail(s, MBMS_SRTP_STATS_A_MALFORMED);
}

/* Link-layer header length in front of skb->data, 0 if there is none. */
static unsigned int mbms_gso_mac_len(const struct sk_buff *skb)
{
	int len;

	if (!skb_mac_header_was_set(skb))
		return 0;
	len = skb->data - skb_mac_header(skb);
	return len > 0 && len <= skb_headroom(skb) ? len : 0;
}

/**
 * mbms_gso_reinject() - segment a GSO skb and reinject the segments
 * @skb: the GSO skb, skb->data at the network header, at PRE_ROUTING
 * @s: the session of its flow (RCU-protected)
 * @proto: htons(ETH_P_IP) or htons(ETH_P_IPV6)
 *
 * Return: NF_STOLEN (@skb consumed, its segments queued to the stack),
 * or, when it cannot be segmented, the session's on-fail verdict with
 * @skb unchanged and counted as malformed.
 */
unsigned int mbms_gso_reinject(struct sk_buff *skb, struct mbms_session *s,
			       __be16 proto)
{
	unsigned int mac_len = mbms_gso_mac_len(skb);
	struct sk_buff *segs, *seg, *next;

	/*
	 * Software segmentation into new skbs of anything else would WARN
	 * (it wants to fill in a checksum it was never given); UDP GRO and
	 * UDP_SEGMENT produce CHECKSUM_PARTIAL.  Fraglist GRO skbs split
	 * back into the skbs they were made of, whatever their checksum
	 * state.
	 */
	if (skb->ip_summed != CHECKSUM_PARTIAL &&
	    skb->ip_summed != CHECKSUM_UNNECESSARY &&
	    !(skb_shinfo(skb)->gso_type & SKB_GSO_FRAGLIST))
		return mbms_gso_fail(s);

	skb->protocol = proto;
	__skb_push(skb, mac_len);
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		/* the link-layer header and skb->data are as on entry */
		skb_set_mac_header(skb, 0);
		__skb_pull(skb, mac_len);
		return mbms_gso_fail(s);
	}

	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		if (unlikely(skb_is_gso(seg))) {
			kfree_skb(seg);
			mbms_stats_add(&s->stats, MBMS_SRTP_STATS_A_MALFORMED, 1);
			continue;
		}
		/*
		 * As a driver hands it over: data at the network header.  The
		 * segment keeps the dst and conntrack state copied from @skb:
		 * none from a device (we run before conntrack), and on
		 * loopback the output route that input needs (127/8 is a
		 * martian to input routing) and the conntrack entry of the
		 * sender, as @skb itself would have had.
		 */
		__skb_pull(seg, skb_network_offset(seg));
		seg->protocol = proto;
		netif_rx(seg);	/* frees it when the backlog is full */
	}
	mbms_stats_add(&s->stats, MBMS_SRTP_STATS_A_GSO_SEGMENTED, 1);
	consume_skb(skb);
	return NF_STOLEN;
}
