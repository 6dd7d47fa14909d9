/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state: sessions, flows, hooks, event worker.
 */
#ifndef _MBMS_NETNS_H
#define _MBMS_NETNS_H

#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/rhashtable.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

struct mbms_events_seen;

/**
 * struct mbms_net - everything mbms_srtp keeps for one netns
 * @net: the namespace
 * @lock: serialises configuration (netlink) and teardown
 * @sessions: session ID -> struct mbms_session, RCU-safe loads
 * @flows: flow key -> struct mbms_flow, looked up under RCU per packet
 * @flow_list: the same flows in insertion order, for dumps (under @lock)
 * @nflows: number of flows; 0 lets the hooks return at once
 * @nsessions: number of sessions (under @lock), against mbms_max_sessions
 * @nkeys: number of keys of all sessions (under @lock), against mbms_max_keys
 * @dump_gen: changes (under @lock) whenever a session, flow or key is added
 *	or removed; a dump that sees it change between two of its reply
 *	buffers flags them NLM_F_DUMP_INTR so that the reader starts again
 * @event_work: sends pending KEY_NEEDED notifications
 * @seen: unknown-MKI filter, allocated with the first session
 * @hook_ops: the IPv4 and IPv6 PRE_ROUTING hooks of this namespace
 */
struct mbms_net {
	struct net *net;
	struct mutex lock; /* configuration and teardown */
	struct xarray sessions;
	struct rhashtable flows;
	struct list_head flow_list;
	atomic_t nflows;
	unsigned int nsessions;
	unsigned int nkeys;
	unsigned int dump_gen;
	struct work_struct event_work;
	struct mbms_events_seen *seen;
	struct nf_hook_ops hook_ops[2];
};

extern unsigned int mbms_net_id;
extern unsigned int mbms_max_sessions;
extern unsigned int mbms_max_flows;
extern unsigned int mbms_max_keys;
extern struct workqueue_struct *mbms_wq;

static inline struct mbms_net *mbms_net(const struct net *net)
{
	return net_generic(net, mbms_net_id);
}

/* Note a configuration change for running dumps; never 0 (0: no check). */
static inline void mbms_net_changed(struct mbms_net *mn)
{
	lockdep_assert_held(&mn->lock);
	mn->dump_gen = mn->dump_gen + 1 ?: 1;
}

int mbms_netns_init(void);
void mbms_netns_exit(void);

#endif /* _MBMS_NETNS_H */
