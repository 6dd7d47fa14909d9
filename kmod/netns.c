// SPDX-License-Identifier: GPL-2.0
/*
 * Per-netns setup and teardown.
 *
 * The hooks are not registered here but with the namespace's first flow
 * (flow.c), so that a namespace without flows costs no per-packet work.
 *
 * Teardown order matters: deleting the sessions deletes their flows, and
 * the last flow unregisters the hooks (waiting for running invocations);
 * then stop the event worker (nothing can queue it any more).  Sessions
 * are freed from mbms_wq after a grace period; module exit waits for
 * those with rcu_barrier() and by destroying mbms_wq.
 */
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "events.h"
#include "flow.h"
#include "netns.h"
#include "session.h"

unsigned int mbms_net_id __read_mostly;

/*
 * Per-netns limits.  Memory is charged to the caller's memory cgroup
 * (GFP_KERNEL_ACCOUNT), but root in the initial cgroup has no limit, the
 * flow rhashtable's buckets are not charged, and every object costs
 * packet-path work (a larger flow table, a longer key walk).  The defaults
 * leave room above the largest configuration we measure (make bench:
 * 100,000 sessions, each with one flow and one key; a real MBMS gateway
 * serves a few hundred user services) while capping one namespace at
 * about 130,000 sessions x ~3 kB, 260,000 flows x ~0.2 kB and 260,000
 * keys x ~0.4 kB: roughly 0.5 GB in all.  Flows default to two per session (RTP and RTCP), keys
 * to two (the current MTK and the next one).  Writable at run time (0644);
 * lowering a limit refuses new objects and keeps existing ones.
 */
unsigned int mbms_max_sessions __read_mostly = 131072;
module_param_named(max_sessions, mbms_max_sessions, uint, 0644);
MODULE_PARM_DESC(max_sessions, "sessions per network namespace at most");

unsigned int mbms_max_flows __read_mostly = 262144;
module_param_named(max_flows, mbms_max_flows, uint, 0644);
MODULE_PARM_DESC(max_flows, "flows per network namespace at most");

unsigned int mbms_max_keys __read_mostly = 262144;
module_param_named(max_keys, mbms_max_keys, uint, 0644);
MODULE_PARM_DESC(max_keys, "keys per network namespace at most");

static int __net_init mbms_net_init(struct net *net)
{
	struct mbms_net *mn = mbms_net(net);

	mn->net = net;
	mutex_init(&mn->lock);
	mn->dump_gen = 1;
	xa_init_flags(&mn->sessions, XA_FLAGS_ACCOUNT);
	INIT_WORK(&mn->event_work, mbms_events_work);
	return mbms_flow_table_init(mn);
}

static void __net_exit mbms_net_exit(struct net *net)
{
	struct mbms_net *mn = mbms_net(net);

	mutex_lock(&mn->lock);
	mbms_session_delete_all(mn);
	mutex_unlock(&mn->lock);
	cancel_work_sync(&mn->event_work);
	mbms_flow_table_destroy(mn);
	xa_destroy(&mn->sessions);
	mbms_events_net_free(mn);
}

static struct pernet_operations mbms_net_ops = {
	.init = mbms_net_init,
	.exit = mbms_net_exit,
	.id = &mbms_net_id,
	.size = sizeof(struct mbms_net),
};

/**
 * mbms_netns_init() - register the pernet operations
 *
 * Return: 0 or a negative errno.
 */
int mbms_netns_init(void)
{
	return register_pernet_subsys(&mbms_net_ops);
}

/**
 * mbms_netns_exit() - tear down every namespace's state
 */
void mbms_netns_exit(void)
{
	unregister_pernet_subsys(&mbms_net_ops);
}
