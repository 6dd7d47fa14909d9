// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU per-session counters.
 */
#include <linux/percpu.h>

#include "stats.h"

/**
 * mbms_stats_init() - allocate zeroed per-CPU counters
 * @st: the counters to set up
 *
 * Return: 0 or -ENOMEM.
 */
int mbms_stats_init(struct mbms_stats *st)
{
	int cpu;

	st->pcpu = alloc_percpu_gfp(struct mbms_stats_pcpu, GFP_KERNEL_ACCOUNT);
	if (!st->pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(st->pcpu, cpu)->syncp);
	return 0;
}

/**
 * mbms_stats_free() - release counters set up by mbms_stats_init()
 * @st: the counters
 */
void mbms_stats_free(struct mbms_stats *st)
{
	free_percpu(st->pcpu);
	st->pcpu = NULL;
}

/**
 * mbms_stats_add() - add to one counter on the local CPU
 * @st: the counters
 * @attr: which one, as its uapi MBMS_SRTP_STATS_A_* attribute
 * @v: amount to add
 *
 * Safe from any context: preemption is disabled around the update so the
 * per-CPU copy cannot change under us.
 */
void mbms_stats_add(struct mbms_stats *st, unsigned int attr, u64 v)
{
	struct mbms_stats_pcpu *p = get_cpu_ptr(st->pcpu);

	u64_stats_update_begin(&p->syncp);
	u64_stats_add(&p->c[MBMS_STAT(attr)], v);
	u64_stats_update_end(&p->syncp);
	put_cpu_ptr(st->pcpu);
}

/**
 * mbms_stats_sum() - sum every counter over all CPUs
 * @st: the counters
 * @out: receives MBMS_STAT_NUM sums, indexed by MBMS_STAT(attr)
 */
void mbms_stats_sum(struct mbms_stats *st, u64 out[MBMS_STAT_NUM])
{
	unsigned int start, i;
	u64 tmp[MBMS_STAT_NUM];
	int cpu;

	memset(out, 0, sizeof(u64) * MBMS_STAT_NUM);
	for_each_possible_cpu(cpu) {
		const struct mbms_stats_pcpu *p = per_cpu_ptr(st->pcpu, cpu);

		do {
			start = u64_stats_fetch_begin(&p->syncp);
			for (i = 0; i < MBMS_STAT_NUM; i++)
				tmp[i] = u64_stats_read(&p->c[i]);
		} while (u64_stats_fetch_retry(&p->syncp, start));
		for (i = 0; i < MBMS_STAT_NUM; i++)
			out[i] += tmp[i];
	}
}
