// SPDX-License-Identifier: GPL-2.0
/*
 * Per-netns setup and teardown.
 *
 * Teardown order matters: unregister the hooks first (waits for running
 * invocations), then stop the event worker (nothing can queue it any
 * more), then delete sessions, whose memory is freed from mbms_wq after a
 * grace period; module exit waits for those with rcu_barrier() and by
 * destroying mbms_wq.
 */
#include <linux/slab.h>

#include "events.h"
#include "flow.h"
#include "hook.h"
#include "netns.h"
#include "session.h"

unsigned int mbms_net_id __read_mostly;

static int __net_init mbms_net_init(struct net *net)
{
	struct mbms_net *mn = mbms_net(net);
	int err;

	mn->net = net;
	mutex_init(&mn->lock);
	xa_init(&mn->sessions);
	INIT_WORK(&mn->event_work, mbms_events_work);
	err = mbms_flow_table_init(mn);
	if (err)
		return err;
	err = mbms_hooks_register(mn);
	if (err)
		goto err_flows;
	return 0;

err_flows:
	mbms_flow_table_destroy(mn);
	return err;
}

static void __net_exit mbms_net_exit(struct net *net)
{
	struct mbms_net *mn = mbms_net(net);

	mbms_hooks_unregister(mn);
	cancel_work_sync(&mn->event_work);
	mutex_lock(&mn->lock);
	mbms_session_delete_all(mn);
	mutex_unlock(&mn->lock);
	mbms_flow_table_destroy(mn);
	xa_destroy(&mn->sessions);
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
