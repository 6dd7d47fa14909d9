/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-session counters, one copy per CPU so that the packet path never
 * writes a cache line shared with another CPU.
 */
#ifndef _MBMS_STATS_H
#define _MBMS_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <linux/mbms_srtp.h>

/*
 * Counter index = uapi attribute - MBMS_SRTP_STATS_A_PACKETS.  The index
 * of MBMS_SRTP_STATS_A_PAD is unused: counters added later follow it.
 */
#define MBMS_STAT(attr)		((attr) - MBMS_SRTP_STATS_A_PACKETS)
#define MBMS_STAT_NUM		MBMS_STAT(__MBMS_SRTP_STATS_A_MAX)

struct mbms_stats_pcpu {
	u64_stats_t c[MBMS_STAT_NUM];
	struct u64_stats_sync syncp;
};

struct mbms_stats {
	struct mbms_stats_pcpu __percpu *pcpu;
};

int mbms_stats_init(struct mbms_stats *st);
void mbms_stats_free(struct mbms_stats *st);
void mbms_stats_add(struct mbms_stats *st, unsigned int attr, u64 v);
void mbms_stats_sum(struct mbms_stats *st, u64 out[MBMS_STAT_NUM]);

#endif /* _MBMS_STATS_H */
