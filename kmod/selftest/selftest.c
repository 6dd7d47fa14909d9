// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test runner: every case runs even after a failure, each reports
 * one KTAP line, and any failure fails the module load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/printk.h>

#include "selftest.h"

struct mbms_selftest_case {
	const char *name;
	bool (*run)(void);
};

static const struct mbms_selftest_case mbms_selftest_cases[] = {
	{ "rfc3711_b2_aes_cm_keystream", mbms_selftest_aes_cm_b2 },
	{ "rfc3711_b3_key_derivation", mbms_selftest_kdf_b3 },
	{ "srtp_iv_layout", mbms_selftest_srtp_iv },
	{ "rfc2202_hmac_sha1", mbms_selftest_hmac },
	{ "roc_estimation", mbms_selftest_roc },
	{ "replay_window", mbms_selftest_window },
	{ "replay_window_4096", mbms_selftest_window_wide },
	{ "key_reserve_exact", mbms_selftest_key_reserve },
	{ "rx_nomem_counted", mbms_selftest_rx_nomem },
};

/**
 * mbms_selftest_run() - run every self test, print KTAP
 *
 * Return: 0 if all passed, -EINVAL otherwise.
 */
int mbms_selftest_run(void)
{
	unsigned int i, n = ARRAY_SIZE(mbms_selftest_cases), failed = 0;

	pr_info("KTAP version 1\n");
	pr_info("1..%u\n", n);
	for (i = 0; i < n; i++) {
		bool ok = mbms_selftest_cases[i].run();

		if (!ok)
			failed++;
		pr_info("%sok %u %s\n", ok ? "" : "not ", i + 1,
			mbms_selftest_cases[i].name);
	}
	if (failed)
		pr_err("selftest: %u of %u failed\n", failed, n);
	else
		pr_info("selftest: all %u passed\n", n);
	return failed ? -EINVAL : 0;
}
