// SPDX-License-Identifier: GPL-2.0
/*
 * PRE_ROUTING hooks: find the flow of a UDP packet and hand it to rx.c.
 *
 * Priority: right after defragmentation, and before conntrack, raw and
 * mangle see the packet, so that they see plaintext.  A namespace with
 * flows has nf_defrag enabled (flow.c), so a datagram that arrived in IP
 * fragments reaches us whole and is authenticated like any other: an
 * SRTP packet cannot be authenticated piecewise, and fragments left alone
 * would be reassembled after us and delivered unauthenticated.  A
 * fragment that still reaches us (reassembly lets a few through: a first
 * fragment without all headers, a jumbogram) is refused if its UDP header
 * names a flow; a later fragment names none, and without its first one
 * it can never be delivered.
 * GSO skbs (UDP GRO, UDP_SEGMENT over veth) of a matched flow are split
 * and their segments reinjected, see gso.c.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "flow.h"
#include "gso.h"
#include "hook.h"
#include "netns.h"
#include "rx.h"
#include "session.h"
#include "stats.h"

static unsigned int mbms_hook_v4(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct mbms_net *mn = priv;
	struct mbms_flow_key key;
	const struct udphdr *uh;
	const struct iphdr *iph;
	struct mbms_flow *flow;
	unsigned int thoff;

	if (!atomic_read(&mn->nflows))
		return NF_ACCEPT;
	iph = ip_hdr(skb);
	/* a later fragment has no UDP header: see the comment at the top */
	if (iph->protocol != IPPROTO_UDP || (iph->frag_off & htons(IP_OFFSET)))
		return NF_ACCEPT;
	thoff = skb_network_offset(skb) + ip_hdrlen(skb);
	if (!pskb_may_pull(skb, thoff + sizeof(*uh)))
		return NF_ACCEPT;
	iph = ip_hdr(skb);
	uh = (const struct udphdr *)(skb->data + thoff);

	memset(&key, 0, sizeof(key));
	key.family = AF_INET;
	key.dport = uh->dest;
	key.dst.v4 = iph->daddr;
	key.src.v4 = iph->saddr;
	flow = mbms_flow_lookup(mn, &key);
	if (!flow)
		return NF_ACCEPT;
	if (unlikely(ip_is_fragment(iph)))
		return mbms_rx_fail(flow->session, MBMS_SRTP_STATS_A_FRAGMENT);
	if (unlikely(IPCB(skb)->frag_max_size))
		mbms_stats_add(&flow->session->stats,
			       MBMS_SRTP_STATS_A_FRAG_REASSEMBLED, 1);
	if (unlikely(skb_is_gso(skb)))
		return mbms_gso_reinject(skb, flow->session, htons(ETH_P_IP));
	return mbms_rx(skb, flow, thoff);
}

static unsigned int mbms_hook_v6(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct mbms_net *mn = priv;
	const struct ipv6hdr *ip6h;
	struct mbms_flow_key key;
	const struct udphdr *uh;
	struct mbms_flow *flow;
	unsigned int thoff = 0;
	int hflags = 0;

	if (!atomic_read(&mn->nflows))
		return NF_ACCEPT;
	/* a later fragment has no UDP header: -ENOENT */
	if (ipv6_find_hdr(skb, &thoff, IPPROTO_UDP, NULL, &hflags) !=
	    IPPROTO_UDP)
		return NF_ACCEPT;
	if (!pskb_may_pull(skb, thoff + sizeof(*uh)))
		return NF_ACCEPT;
	ip6h = ipv6_hdr(skb);
	uh = (const struct udphdr *)(skb->data + thoff);

	memset(&key, 0, sizeof(key));
	key.family = AF_INET6;
	key.dport = uh->dest;
	key.dst.v6 = ip6h->daddr;
	key.src.v6 = ip6h->saddr;
	flow = mbms_flow_lookup(mn, &key);
	if (!flow)
		return NF_ACCEPT;
	/* atomic fragments too: defrag strips their header (RFC 6946) */
	if (unlikely(hflags & IP6_FH_F_FRAG))
		return mbms_rx_fail(flow->session, MBMS_SRTP_STATS_A_FRAGMENT);
	if (unlikely(IP6CB(skb)->frag_max_size))
		mbms_stats_add(&flow->session->stats,
			       MBMS_SRTP_STATS_A_FRAG_REASSEMBLED, 1);
	if (unlikely(skb_is_gso(skb)))
		return mbms_gso_reinject(skb, flow->session, htons(ETH_P_IPV6));
	return mbms_rx(skb, flow, thoff);
}

/**
 * mbms_hooks_register() - register the hooks of one namespace
 * @mn: the namespace state
 *
 * Called with the namespace's first flow (mbms_flow_add()); the hooks
 * still return at once on a zero flow count, which covers the window
 * while the last flow is being removed.
 *
 * Return: 0 or a negative errno.
 */
int mbms_hooks_register(struct mbms_net *mn)
{
	struct nf_hook_ops *ops = mn->hook_ops;

	ops[0] = (struct nf_hook_ops) {
		.hook = mbms_hook_v4,
		.priv = mn,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_CONNTRACK_DEFRAG + 1,
	};
	ops[1] = (struct nf_hook_ops) {
		.hook = mbms_hook_v6,
		.priv = mn,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_CONNTRACK_DEFRAG + 1,
	};
	return nf_register_net_hooks(mn->net, ops, ARRAY_SIZE(mn->hook_ops));
}

/**
 * mbms_hooks_unregister() - unregister the hooks of one namespace
 * @mn: the namespace state
 *
 * Returns after every running hook invocation has finished
 * (nf_unregister_net_hooks() waits for a grace period).
 */
void mbms_hooks_unregister(struct mbms_net *mn)
{
	nf_unregister_net_hooks(mn->net, mn->hook_ops,
				ARRAY_SIZE(mn->hook_ops));
}
