/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KEY_NEEDED notifications: raised on the packet path without allocating,
 * sent by a per-netns work item.  Unknown MKIs are filtered so that a
 * flood of random ones cannot hide the MKI that is really missing;
 * soft-limit events are kept per key until sent.  See design.rst,
 * "Key-needed events".
 */
#ifndef _MBMS_EVENTS_H
#define _MBMS_EVENTS_H

#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/mbms_srtp.h>

struct mbms_key;
struct mbms_session;
struct mbms_net;
struct work_struct;

/*
 * Unknown-MKI filter, one per netns: MBMS_EVENT_SEEN_SLOTS words, each a
 * 16-bit fingerprint of (session, MKI) and the low 16 bits of jiffies
 * when that MKI was last seen.  An MKI is reported only when seen again
 * while it still holds its slot; a slot not refreshed for
 * MBMS_EVENT_SEEN_HOLD_MS may be taken by another MKI.
 */
#define MBMS_EVENT_SEEN_SLOTS	4096	/* power of 2 */
#define MBMS_EVENT_SEEN_HOLD_MS	(2 * MBMS_SRTP_EVENT_MIN_INTERVAL_MS)

/**
 * struct mbms_events_seen - the per-netns unknown-MKI filter
 * @key: keyed hash, random per netns, so senders cannot aim at slots
 * @slot: fingerprint << 16 | jiffies & 0xffff, 0 = free
 */
struct mbms_events_seen {
	hsiphash_key_t key;
	u32 slot[MBMS_EVENT_SEEN_SLOTS];
};

/* distinct unknown MKIs reported per session and interval, at most */
#define MBMS_EVENT_MKI_RECORDS	4
/* bit of mbms_events.pending: a key of the session has a soft event */
#define MBMS_EVENT_PENDING_SOFT	MBMS_EVENT_MKI_RECORDS

/**
 * struct mbms_event_mki - an unknown MKI reported recently
 * @last: jiffies when it was last reported
 * @used: the record holds an MKI
 * @msk_id: MSK ID to report
 * @mtk_id: MTK ID to report
 */
struct mbms_event_mki {
	unsigned long last;
	bool used;
	u32 msk_id;
	u16 mtk_id;
};

/**
 * struct mbms_events - per-session event state
 * @lock: protects @mki
 * @pending: bit i < MBMS_EVENT_MKI_RECORDS: @mki[i] waits for the
 *	worker; MBMS_EVENT_PENDING_SOFT: some key has a soft event pending
 * @mki: unknown MKIs reported in the last interval
 */
struct mbms_events {
	spinlock_t lock; /* @mki; packet path and worker */
	unsigned long pending;
	struct mbms_event_mki mki[MBMS_EVENT_MKI_RECORDS];
};

void mbms_events_init(struct mbms_events *ev);
int mbms_events_net_prepare(struct mbms_net *mn);
void mbms_events_net_free(struct mbms_net *mn);
void mbms_event_unknown_mki(struct mbms_session *s, u32 msk_id, u16 mtk_id);
void mbms_event_key_soft(struct mbms_session *s, struct mbms_key *key,
			 unsigned int pending_bit);
void mbms_events_work(struct work_struct *work);

#endif /* _MBMS_EVENTS_H */
