/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KEY_NEEDED notifications: raised on the packet path without allocating,
 * sent by a per-netns work item, rate-limited per session and reason.
 */
#ifndef _MBMS_EVENTS_H
#define _MBMS_EVENTS_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/mbms_srtp.h>

struct mbms_session;
struct mbms_net;
struct work_struct;

/**
 * struct mbms_event_slot - latest event of one reason
 * @last: jiffies when it was last raised
 * @armed: @last is meaningful
 * @msk_id: MSK ID to report
 * @mtk_id: MTK ID to report
 */
struct mbms_event_slot {
	unsigned long last;
	bool armed;
	u32 msk_id;
	u16 mtk_id;
};

/**
 * struct mbms_events - per-session event state
 * @lock: protects the slots and @pending
 * @pending: bit per enum mbms_srtp_event_reason waiting for the worker
 * @slot: per reason
 */
struct mbms_events {
	spinlock_t lock; /* slots and pending; packet path and worker */
	unsigned long pending;
	struct mbms_event_slot slot[__MBMS_SRTP_EVENT_MAX];
};

void mbms_events_init(struct mbms_events *ev);
void mbms_event_raise(struct mbms_session *s, unsigned int reason,
		      u32 msk_id, u16 mtk_id);
void mbms_events_work(struct work_struct *work);

#endif /* _MBMS_EVENTS_H */
