// SPDX-License-Identifier: GPL-2.0
/*
 * Per-stage timing of mbms_rx(), behind the module parameter "timing":
 *
 *   echo 1 > /sys/module/mbms_srtp/parameters/timing    (zeroes the sums)
 *   cat /sys/module/mbms_srtp/parameters/timing_stats
 *
 * Times are local_clock() nanoseconds, summed per CPU without atomics and
 * added up on read.  Only packets that were decrypted and handed on are
 * counted (n), so that the per-packet means are those of the work the
 * bench asks about; failures are left out.  The flow lookup in the hook
 * runs before mbms_rx() and is not included.
 */
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/kernel.h>

#include "timing.h"

/**
 * struct mbms_timing_cpu - one CPU's sums
 * @n: packets completed
 * @stage: nanoseconds per stage
 * @total: nanoseconds from entry to the end of the last stage
 */
struct mbms_timing_cpu {
	u64 n;
	u64 stage[MBMS_T_NR];
	u64 total;
};

DEFINE_STATIC_KEY_FALSE(mbms_timing_on);
static DEFINE_PER_CPU(struct mbms_timing_cpu, mbms_timing_sums);

static const char * const mbms_timing_names[MBMS_T_NR] = {
	[MBMS_T_PREP] = "prep",
	[MBMS_T_AUTH] = "auth",
	[MBMS_T_DECRYPT] = "decrypt",
	[MBMS_T_ACCOUNT] = "account",
	[MBMS_T_STRIP] = "strip",
};

void mbms_timing_add(u64 *t, enum mbms_timing_stage stage)
{
	u64 now = local_clock();

	this_cpu_add(mbms_timing_sums.stage[stage], now - *t);
	*t = now;
}

void mbms_timing_done(u64 t0)
{
	this_cpu_add(mbms_timing_sums.total, local_clock() - t0);
	this_cpu_inc(mbms_timing_sums.n);
}

static void mbms_timing_reset(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&mbms_timing_sums, cpu), 0,
		       sizeof(struct mbms_timing_cpu));
}

static int mbms_timing_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int err;

	err = kstrtobool(val, &on);
	if (err)
		return err;
	if (on) {
		/* packets in flight may still add to the old sums: noise */
		static_branch_disable(&mbms_timing_on);
		mbms_timing_reset();
		static_branch_enable(&mbms_timing_on);
	} else {
		static_branch_disable(&mbms_timing_on);
	}
	return 0;
}

static int mbms_timing_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%d\n",
			  static_key_enabled(&mbms_timing_on) ? 1 : 0);
}

static const struct kernel_param_ops mbms_timing_ops = {
	.set = mbms_timing_set,
	.get = mbms_timing_get,
};
module_param_cb(timing, &mbms_timing_ops, NULL, 0644);
MODULE_PARM_DESC(timing, "per-stage timing of the packet path (1: on, zeroes the sums)");

/* "n N prep NS auth NS decrypt NS account NS strip NS total NS": sums. */
static int mbms_timing_stats_get(char *buf, const struct kernel_param *kp)
{
	struct mbms_timing_cpu sum = { 0 };
	int cpu, i, len;

	for_each_possible_cpu(cpu) {
		const struct mbms_timing_cpu *c =
			per_cpu_ptr(&mbms_timing_sums, cpu);

		sum.n += READ_ONCE(c->n);
		for (i = 0; i < MBMS_T_NR; i++)
			sum.stage[i] += READ_ONCE(c->stage[i]);
		sum.total += READ_ONCE(c->total);
	}
	len = scnprintf(buf, PAGE_SIZE, "n %llu", sum.n);
	for (i = 0; i < MBMS_T_NR; i++)
		len += scnprintf(buf + len, PAGE_SIZE - len, " %s %llu",
				     mbms_timing_names[i], sum.stage[i]);
	len += scnprintf(buf + len, PAGE_SIZE - len, " total %llu\n", sum.total);
	return len;
}

static const struct kernel_param_ops mbms_timing_stats_ops = {
	.get = mbms_timing_stats_get,
};
module_param_cb(timing_stats, &mbms_timing_stats_ops, NULL, 0444);
MODULE_PARM_DESC(timing_stats, "per-stage timing sums in ns (read only)");
