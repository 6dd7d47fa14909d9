/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flows: (family, dst, dport, optional src) -> session, in a per-netns
 * rhashtable read under RCU on the packet path.
 */
#ifndef _MBMS_FLOW_H
#define _MBMS_FLOW_H

#include <linux/in6.h>
#include <linux/rhashtable.h>
#include <linux/types.h>

struct mbms_net;
struct mbms_session;

union mbms_addr {
	__be32 v4;
	struct in6_addr v6;
};

/**
 * struct mbms_flow_key - hash key; all bytes, padding included, defined
 * @family: AF_INET or AF_INET6
 * @pad: zero
 * @dport: destination port, network order
 * @dst: destination address (v4 uses the first 4 bytes, the rest zero)
 * @src: source address, all zero for "any source"
 */
struct mbms_flow_key {
	u8 family;
	u8 pad;
	__be16 dport;
	union mbms_addr dst;
	union mbms_addr src;
};

/**
 * struct mbms_flow - one flow
 * @node: in mbms_net.flows
 * @key: the match
 * @list: in mbms_net.flow_list
 * @session_list: in @session's flows list, so that deleting a session
 *	costs only its own flows
 * @session: target session; the flow is removed before the session is freed
 * @rtcp: packets are SRTCP
 * @rcu: frees the flow after a grace period
 */
struct mbms_flow {
	struct rhash_head node;
	struct mbms_flow_key key;
	struct list_head list;
	struct list_head session_list;
	struct mbms_session *session;
	bool rtcp;
	struct rcu_head rcu;
};

int mbms_flow_table_init(struct mbms_net *mn);
void mbms_flow_table_destroy(struct mbms_net *mn);
int mbms_flow_add(struct mbms_net *mn, const struct mbms_flow_key *key,
		  struct mbms_session *s, bool rtcp);
int mbms_flow_del(struct mbms_net *mn, const struct mbms_flow_key *key);
void mbms_flow_del_session(struct mbms_net *mn, struct mbms_session *s);
struct mbms_flow *mbms_flow_lookup(struct mbms_net *mn,
				   struct mbms_flow_key *key);

#endif /* _MBMS_FLOW_H */
