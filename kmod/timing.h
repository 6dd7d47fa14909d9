/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-stage timing of the packet path, for `make bench` and profiling.
 * Off by default; while off each probe is a patched-out jump (static key),
 * so the packet path pays nothing.  See Documentation/performance.rst.
 */
#ifndef _MBMS_TIMING_H
#define _MBMS_TIMING_H

#include <linux/jump_label.h>
#include <linux/sched/clock.h>
#include <linux/types.h>

/**
 * enum mbms_timing_stage - where mbms_rx() spends its time
 * @MBMS_T_PREP: make writable, parse, key lookup by MKI, limits, replay
 *	pre-check
 * @MBMS_T_AUTH: HMAC-SHA1 over the packet and the tag comparison
 * @MBMS_T_DECRYPT: IV and AES-CM keystream over the payload
 * @MBMS_T_ACCOUNT: padding check, replay commit, key and session counters
 * @MBMS_T_STRIP: trailer removal, length and checksum fix-up
 * @MBMS_T_NR: number of stages
 */
enum mbms_timing_stage {
	MBMS_T_PREP,
	MBMS_T_AUTH,
	MBMS_T_DECRYPT,
	MBMS_T_ACCOUNT,
	MBMS_T_STRIP,
	MBMS_T_NR,
};

DECLARE_STATIC_KEY_FALSE(mbms_timing_on);

void mbms_timing_add(u64 *t, enum mbms_timing_stage stage);
void mbms_timing_done(u64 t0);

/* Start of a packet: a timestamp, or 0 when timing is off. */
static __always_inline u64 mbms_timing_start(void)
{
	if (static_branch_unlikely(&mbms_timing_on))
		return local_clock();
	return 0;
}

/* End of @stage: charge the time since *@t to it and restart *@t. */
static __always_inline void mbms_timing_mark(u64 *t,
					     enum mbms_timing_stage stage)
{
	if (static_branch_unlikely(&mbms_timing_on) && *t)
		mbms_timing_add(t, stage);
}

/* A packet that went through every stage: count it with its total. */
static __always_inline void mbms_timing_end(u64 t0)
{
	if (static_branch_unlikely(&mbms_timing_on) && t0)
		mbms_timing_done(t0);
}

#endif /* _MBMS_TIMING_H */
