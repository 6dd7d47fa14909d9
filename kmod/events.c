// SPDX-License-Identifier: GPL-2.0
/*
 * KEY_NEEDED_NTF.  The packet path only records the event in the
 * session's slot for that reason (no allocation, one short lock taken at
 * most once per MBMS_SRTP_EVENT_MIN_INTERVAL_MS) and queues the netns
 * worker, which builds and multicasts the messages in process context.
 */
#include <linux/jiffies.h>
#include <linux/workqueue.h>

#include "events.h"
#include "netlink.h"
#include "netns.h"
#include "session.h"

/**
 * mbms_events_init() - initialise a session's event state
 * @ev: the state
 */
void mbms_events_init(struct mbms_events *ev)
{
	spin_lock_init(&ev->lock);
	ev->pending = 0;
	memset(ev->slot, 0, sizeof(ev->slot));
}

/**
 * mbms_event_raise() - note an event for the worker, rate-limited
 * @s: the session
 * @reason: enum mbms_srtp_event_reason
 * @msk_id: MSK ID to report
 * @mtk_id: MTK ID to report
 *
 * Callable from the packet path: never sleeps or allocates.  Events of one
 * reason closer than MBMS_SRTP_EVENT_MIN_INTERVAL_MS are dropped.
 */
void mbms_event_raise(struct mbms_session *s, unsigned int reason,
		      u32 msk_id, u16 mtk_id)
{
	unsigned long interval = msecs_to_jiffies(MBMS_SRTP_EVENT_MIN_INTERVAL_MS);
	struct mbms_events *ev = &s->events;
	struct mbms_event_slot *slot;
	unsigned long now = jiffies;
	unsigned long flags;
	bool queue = false;

	if (reason == MBMS_SRTP_EVENT_UNSPEC || reason > MBMS_SRTP_EVENT_MAX)
		return;
	slot = &ev->slot[reason];
	/* cheap unlocked test so a flood does not hammer the lock */
	if (READ_ONCE(slot->armed) &&
	    time_before(now, READ_ONCE(slot->last) + interval))
		return;

	spin_lock_irqsave(&ev->lock, flags);
	if (!slot->armed || !time_before(now, slot->last + interval)) {
		WRITE_ONCE(slot->last, now);
		WRITE_ONCE(slot->armed, true);
		slot->msk_id = msk_id;
		slot->mtk_id = mtk_id;
		__set_bit(reason, &ev->pending);
		queue = true;
	}
	spin_unlock_irqrestore(&ev->lock, flags);
	if (queue)
		queue_work(mbms_wq, &s->mn->event_work);
}

static void mbms_events_flush_session(struct mbms_net *mn,
				      struct mbms_session *s)
{
	struct mbms_events *ev = &s->events;
	struct mbms_event_slot snap[__MBMS_SRTP_EVENT_MAX];
	unsigned long pending, flags;
	unsigned int r;

	spin_lock_irqsave(&ev->lock, flags);
	pending = ev->pending;
	ev->pending = 0;
	memcpy(snap, ev->slot, sizeof(snap));
	spin_unlock_irqrestore(&ev->lock, flags);

	for_each_set_bit(r, &pending, __MBMS_SRTP_EVENT_MAX)
		mbms_genl_key_needed(mn->net, s->p.id, snap[r].msk_id,
				     snap[r].mtk_id, r);
}

/**
 * mbms_events_work() - the netns worker: send every pending event
 * @work: mbms_net.event_work
 */
void mbms_events_work(struct work_struct *work)
{
	struct mbms_net *mn = container_of(work, struct mbms_net, event_work);
	struct mbms_session *s;
	unsigned long id;

	mutex_lock(&mn->lock);
	xa_for_each(&mn->sessions, id, s)
		if (READ_ONCE(s->events.pending))
			mbms_events_flush_session(mn, s);
	mutex_unlock(&mn->lock);
}
