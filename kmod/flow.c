// SPDX-License-Identifier: GPL-2.0
/*
 * Flow table.  Writers hold mbms_net.lock; the packet path reads the
 * rhashtable under RCU and frees happen after a grace period.
 *
 * Besides the rhashtable, each flow is on two lists, both written and
 * read under mbms_net.lock only: the namespace's flow_list (dumps, in
 * insertion order) and its session's flows list, so that deleting a
 * session, and so tearing down a namespace, costs O(flows of the
 * session) rather than a walk of every flow of the namespace.
 */
#include <linux/slab.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "cache.h"
#include "flow.h"
#include "hook.h"
#include "netns.h"
#include "session.h"

static const struct rhashtable_params mbms_flow_params = {
	.head_offset = offsetof(struct mbms_flow, node),
	.key_offset = offsetof(struct mbms_flow, key),
	.key_len = sizeof(struct mbms_flow_key),
	.automatic_shrinking = true,
};

/*
 * The datapath of a namespace exists only while it has flows: its first
 * flow registers our PRE_ROUTING hooks, its last unregisters them, so a
 * namespace (a container) without flows runs no code of ours per packet.
 *
 * IP reassembly comes with the hooks: without it fragments pass the hook
 * and are reassembled after it, so a forged plaintext datagram sent in
 * fragments would be delivered unauthenticated (Documentation/design.rst,
 * Threat model).  Both families, since a flow of either may be added
 * later; the defrag modules count their users per namespace, so
 * conntrack's own use is unaffected.  Defrag is enabled before the hooks
 * and disabled after them, so that no hook ever runs without it.
 */
static int mbms_datapath_enable(struct mbms_net *mn)
{
	struct net *net = mn->net;
	int err;

	err = nf_defrag_ipv4_enable(net);
	if (err)
		return err;
#if IS_ENABLED(CONFIG_IPV6)
	err = nf_defrag_ipv6_enable(net);
	if (err)
		goto err_v4;
#endif
	err = mbms_hooks_register(mn);
	if (err)
		goto err_v6;
	return 0;

err_v6:
#if IS_ENABLED(CONFIG_IPV6)
	nf_defrag_ipv6_disable(net);
err_v4:
#endif
	nf_defrag_ipv4_disable(net);
	return err;
}

/* Waits for running hook invocations (a grace period): lock held is fine. */
static void mbms_datapath_disable(struct mbms_net *mn)
{
	mbms_hooks_unregister(mn);
#if IS_ENABLED(CONFIG_IPV6)
	nf_defrag_ipv6_disable(mn->net);
#endif
	nf_defrag_ipv4_disable(mn->net);
}

/**
 * mbms_flow_table_init() - set up the flow table of a namespace
 * @mn: the namespace state
 *
 * Return: 0 or a negative errno.
 */
int mbms_flow_table_init(struct mbms_net *mn)
{
	INIT_LIST_HEAD(&mn->flow_list);
	atomic_set(&mn->nflows, 0);
	return rhashtable_init(&mn->flows, &mbms_flow_params);
}

/**
 * mbms_flow_table_destroy() - free the (empty) flow table
 * @mn: the namespace state; all flows already removed
 */
void mbms_flow_table_destroy(struct mbms_net *mn)
{
	WARN_ON(!list_empty(&mn->flow_list));
	rhashtable_destroy(&mn->flows);
}

/**
 * mbms_flow_add() - bind a flow to a session
 * @mn: the namespace state, lock held
 * @key: the match
 * @s: the session
 * @rtcp: the flow carries SRTCP
 *
 * Return: 0, -EEXIST if that exact match exists, -ENOSPC at
 * mbms_max_flows, or -ENOMEM.
 */
int mbms_flow_add(struct mbms_net *mn, const struct mbms_flow_key *key,
		  struct mbms_session *s, bool rtcp)
{
	struct mbms_flow *f;
	bool first;
	int err;

	lockdep_assert_held(&mn->lock);
	if (atomic_read(&mn->nflows) >= READ_ONCE(mbms_max_flows))
		return -ENOSPC;
	f = kmem_cache_zalloc(mbms_flow_cache, GFP_KERNEL_ACCOUNT);
	if (!f)
		return -ENOMEM;
	f->key = *key;
	f->session = s;
	f->rtcp = rtcp;
	first = !atomic_read(&mn->nflows);	/* stable: writers hold the lock */
	if (first) {
		err = mbms_datapath_enable(mn);
		if (err) {
			kmem_cache_free(mbms_flow_cache, f);
			return err;
		}
	}
	err = rhashtable_lookup_insert_fast(&mn->flows, &f->node,
					    mbms_flow_params);
	if (err) {
		if (first)
			mbms_datapath_disable(mn);
		kmem_cache_free(mbms_flow_cache, f);
		return err;
	}
	list_add_tail(&f->list, &mn->flow_list);
	list_add_tail(&f->session_list, &s->flows);
	s->nflows++;
	atomic_inc(&mn->nflows);
	mbms_net_changed(mn);
	return 0;
}

static void mbms_flow_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(mbms_flow_cache,
			container_of(head, struct mbms_flow, rcu));
}

/*
 * Unpublish @f from the packet path, take it off both lists and free it
 * after a grace period: a reader that found it keeps a valid flow (and,
 * through it, session) until its RCU read section ends.
 */
static void mbms_flow_unlink(struct mbms_net *mn, struct mbms_flow *f)
{
	lockdep_assert_held(&mn->lock);
	rhashtable_remove_fast(&mn->flows, &f->node, mbms_flow_params);
	list_del(&f->list);
	list_del(&f->session_list);
	f->session->nflows--;
	mbms_net_changed(mn);
	if (atomic_dec_and_test(&mn->nflows))
		mbms_datapath_disable(mn);
	/* call_rcu(), not kfree_rcu(): rcu_barrier() at exit waits for it */
	call_rcu(&f->rcu, mbms_flow_free_rcu);
}

/**
 * mbms_flow_del() - remove the flow with exactly this match
 * @mn: the namespace state, lock held
 * @key: the match as added
 *
 * Return: 0 or -ENOENT.
 */
int mbms_flow_del(struct mbms_net *mn, const struct mbms_flow_key *key)
{
	struct mbms_flow *f;

	lockdep_assert_held(&mn->lock);
	f = rhashtable_lookup_fast(&mn->flows, key, mbms_flow_params);
	if (!f)
		return -ENOENT;
	mbms_flow_unlink(mn, f);
	return 0;
}

/**
 * mbms_flow_del_session() - remove every flow bound to a session
 * @mn: the namespace state, lock held
 * @s: the session
 *
 * Walks only @s's own flows.  Packets already past the lookup keep using
 * @s until their RCU read section ends; the session is freed only after
 * a grace period.
 */
void mbms_flow_del_session(struct mbms_net *mn, struct mbms_session *s)
{
	struct mbms_flow *f, *tmp;

	lockdep_assert_held(&mn->lock);
	list_for_each_entry_safe(f, tmp, &s->flows, session_list)
		mbms_flow_unlink(mn, f);
}

/**
 * mbms_flow_lookup() - find the flow of a packet
 * @mn: the namespace state
 * @key: the packet's exact match; its @src is zeroed if the exact match
 *	fails and the any-source flow is tried
 *
 * Caller holds rcu_read_lock().
 *
 * Return: the flow or NULL.
 */
struct mbms_flow *mbms_flow_lookup(struct mbms_net *mn,
				   struct mbms_flow_key *key)
{
	struct mbms_flow *f;

	f = rhashtable_lookup(&mn->flows, key, mbms_flow_params);
	if (f)
		return f;
	memset(&key->src, 0, sizeof(key->src));
	return rhashtable_lookup(&mn->flows, key, mbms_flow_params);
}
