// SPDX-License-Identifier: GPL-2.0
/*
 * mbms_srtp: in-place SRTP/SRTCP decryption of 3GPP MBMS streams.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <linux/mbms_srtp.h>

#include "cache.h"
#include "crypto.h"
#include "netlink.h"
#include "netns.h"
#include "selftest/selftest.h"

struct workqueue_struct *mbms_wq;

static bool selftest;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "run the self tests at load; fail the load on error");

static int __init mbms_init(void)
{
	int err;

	err = mbms_crypto_init();
	if (err)
		return err;
	if (selftest) {
		err = mbms_selftest_run();
		if (err)
			goto err_crypto;
	}

	err = mbms_caches_create();
	if (err)
		goto err_crypto;
	mbms_wq = alloc_workqueue("mbms_srtp", WQ_UNBOUND, 0);
	if (!mbms_wq) {
		err = -ENOMEM;
		goto err_caches;
	}
	err = mbms_netns_init();
	if (err)
		goto err_wq;
	/* last: userspace may configure us as soon as the family exists */
	err = mbms_genl_init();
	if (err)
		goto err_netns;
	return 0;

err_netns:
	mbms_netns_exit();
err_wq:
	rcu_barrier();
	destroy_workqueue(mbms_wq);
err_caches:
	mbms_caches_destroy();
err_crypto:
	mbms_crypto_exit();
	return err;
}

static void __exit mbms_exit(void)
{
	mbms_genl_exit();
	mbms_netns_exit();
	/* queue_rcu_work() frees are call_rcu() first, then mbms_wq */
	rcu_barrier();
	destroy_workqueue(mbms_wq);
	/* last: a leaked session, flow or key makes this WARN */
	mbms_caches_destroy();
	mbms_crypto_exit();
}

module_init(mbms_init);
module_exit(mbms_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("In-kernel SRTP decryption for 3GPP MBMS (TS 33.246)");
MODULE_AUTHOR("mbms-srtp authors");
MODULE_ALIAS_GENL_FAMILY(MBMS_SRTP_GENL_NAME);
