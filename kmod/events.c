// SPDX-License-Identifier: GPL-2.0
/*
 * KEY_NEEDED_NTF.  The packet path only records an event (no allocation)
 * and queues the netns worker, which builds and multicasts the messages
 * in process context.
 *
 * Unknown MKIs go through two stages.  The per-netns filter (struct
 * mbms_events_seen) lets an MKI through only when it is seen again while
 * it still holds its hashed slot: the missing key of a live stream names
 * the same MKI in every packet, a flood of random MKIs never repeats one,
 * so a random flood raises nothing.  Then each session reports at most
 * MBMS_EVENT_MKI_RECORDS distinct MKIs per MBMS_SRTP_EVENT_MIN_INTERVAL_MS,
 * each MKI again once per interval while its packets keep coming.  Why a
 * flood cannot take the real MKI's slot for long: design.rst, "Key-needed
 * events".
 *
 * Soft-limit events are not rate-limited: each key raises each of them
 * once (enum mbms_key_flags *_SENT), so there are at most two per key.
 * The packet path marks the key (*_PENDING) and the worker sends what is
 * marked, so two keys crossing their limits together both get theirs.
 */
#include <linux/bitops.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/workqueue.h>

#include "events.h"
#include "key.h"
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
	memset(ev->mki, 0, sizeof(ev->mki));
}

/**
 * mbms_events_net_prepare() - allocate the netns's unknown-MKI filter
 * @mn: the namespace state, lock held
 *
 * Called before the first session is created, so that every packet that
 * finds a session finds the filter; kept until the namespace goes.
 *
 * Return: 0 or -ENOMEM.
 */
int mbms_events_net_prepare(struct mbms_net *mn)
{
	struct mbms_events_seen *seen;

	lockdep_assert_held(&mn->lock);
	if (mn->seen)
		return 0;
	seen = kvzalloc(sizeof(*seen), GFP_KERNEL_ACCOUNT);
	if (!seen)
		return -ENOMEM;
	get_random_bytes(&seen->key, sizeof(seen->key));
	/* pairs with mbms_event_seen_again(): the key before the pointer */
	smp_store_release(&mn->seen, seen);
	return 0;
}

/**
 * mbms_events_net_free() - free the filter
 * @mn: the namespace state; its hooks are gone
 */
void mbms_events_net_free(struct mbms_net *mn)
{
	kvfree(mn->seen);
	mn->seen = NULL;
}

/*
 * Stage one: true if (session, MKI) holds its slot from an earlier packet.
 * Lockless: a slot is one word, and two CPUs racing for a free slot only
 * decide which of them holds it.  The 16-bit timestamps wrap after 65536
 * jiffies; a slot idle that long may look busy for one hold time, which
 * only delays the MKI that wants it.
 */
static bool mbms_event_seen_again(const struct mbms_session *s,
				  u32 msk_id, u16 mtk_id)
{
	/* pairs with mbms_events_net_prepare(): see the hash key it set */
	struct mbms_events_seen *seen = smp_load_acquire(&s->mn->seen);
	u16 hold = msecs_to_jiffies(MBMS_EVENT_SEEN_HOLD_MS);
	u16 now = (u16)jiffies;
	u32 h, fp, old;
	u32 *slot;

	if (WARN_ON_ONCE(!seen))
		return false;
	h = hsiphash_3u32(s->p.id, msk_id, mtk_id, &seen->key);
	slot = &seen->slot[h & (MBMS_EVENT_SEEN_SLOTS - 1)];
	fp = h & 0xffff0000;
	old = READ_ONCE(*slot);
	if ((old & 0xffff0000) == fp) {
		/* ours, however long ago: nobody wanted the slot since */
		if ((u16)old != now)
			WRITE_ONCE(*slot, fp | now);
		return true;
	}
	if (old && (u16)(now - (u16)old) < hold)
		return false;	/* another MKI, seen within the hold time */
	WRITE_ONCE(*slot, fp | now);
	return false;
}

/* Does record @r hold this MKI?  Also read without ev->lock. */
static bool mbms_event_mki_is(const struct mbms_event_mki *r, u32 msk_id,
			      u16 mtk_id)
{
	return READ_ONCE(r->used) && READ_ONCE(r->msk_id) == msk_id &&
	       READ_ONCE(r->mtk_id) == mtk_id;
}

/* Was @r reported within the interval before @now? */
static bool mbms_event_mki_fresh(const struct mbms_event_mki *r,
				 unsigned long now)
{
	return time_before(now, READ_ONCE(r->last) +
			   msecs_to_jiffies(MBMS_SRTP_EVENT_MIN_INTERVAL_MS));
}

/* Stage two, under ev->lock: the record to report this MKI in, or -1. */
static int mbms_event_mki_record(struct mbms_events *ev, u32 msk_id,
				 u16 mtk_id, unsigned long now)
{
	struct mbms_event_mki *r;
	int i, free = -1;

	for (i = 0; i < MBMS_EVENT_MKI_RECORDS; i++) {
		r = &ev->mki[i];
		if (mbms_event_mki_is(r, msk_id, mtk_id))
			return mbms_event_mki_fresh(r, now) ? -1 : i;
		/* a record still waiting for the worker is not free */
		if (free < 0 && !test_bit(i, &ev->pending) &&
		    (!r->used || !mbms_event_mki_fresh(r, now)))
			free = i;
	}
	return free;
}

/* lockless: was this MKI reported within the interval? */
static bool mbms_event_mki_recent(struct mbms_events *ev, u32 msk_id,
				  u16 mtk_id, unsigned long now)
{
	int i;

	for (i = 0; i < MBMS_EVENT_MKI_RECORDS; i++)
		if (mbms_event_mki_is(&ev->mki[i], msk_id, mtk_id) &&
		    mbms_event_mki_fresh(&ev->mki[i], now))
			return true;
	return false;
}

/**
 * mbms_event_unknown_mki() - a packet named a key the session lacks
 * @s: the session
 * @msk_id: MSK ID from the MKI
 * @mtk_id: MTK ID from the MKI
 *
 * Callable from the packet path: never sleeps or allocates.  The lock is
 * taken only for an MKI that passed the filter and was not reported
 * within the interval.
 */
void mbms_event_unknown_mki(struct mbms_session *s, u32 msk_id, u16 mtk_id)
{
	struct mbms_events *ev = &s->events;
	unsigned long now = jiffies;
	unsigned long flags;
	int i;

	if (!mbms_event_seen_again(s, msk_id, mtk_id) ||
	    mbms_event_mki_recent(ev, msk_id, mtk_id, now))
		return;

	spin_lock_irqsave(&ev->lock, flags);
	i = mbms_event_mki_record(ev, msk_id, mtk_id, now);
	if (i >= 0) {
		WRITE_ONCE(ev->mki[i].last, now);
		WRITE_ONCE(ev->mki[i].msk_id, msk_id);
		WRITE_ONCE(ev->mki[i].mtk_id, mtk_id);
		WRITE_ONCE(ev->mki[i].used, true);
		set_bit(i, &ev->pending);
	}
	spin_unlock_irqrestore(&ev->lock, flags);
	if (i >= 0)
		queue_work(mbms_wq, &s->mn->event_work);
}

/**
 * mbms_event_key_soft() - a key crossed a soft limit
 * @s: the key's session
 * @key: the key
 * @pending_bit: MBMS_KEY_SOFT_PACKETS_PENDING or _LIFETIME_PENDING
 *
 * Callable from the packet path.  The caller raises each soft event of a
 * key once; it waits in the key until the worker sends it.
 */
void mbms_event_key_soft(struct mbms_session *s, struct mbms_key *key,
			 unsigned int pending_bit)
{
	set_bit(pending_bit, &key->flags);
	/* the worker clears the session bit before it looks at the keys */
	smp_mb__before_atomic();
	set_bit(MBMS_EVENT_PENDING_SOFT, &s->events.pending);
	queue_work(mbms_wq, &s->mn->event_work);
}

static void mbms_events_flush_soft(struct mbms_net *mn, struct mbms_session *s)
{
	struct mbms_key *k;
	unsigned int i;

	for (i = 0; i < MBMS_SRTP_MAX_KEYS_MAX; i++) {
		k = rcu_dereference_protected(s->keys[i],
					      lockdep_is_held(&mn->lock));
		if (!k)
			continue;
		if (test_and_clear_bit(MBMS_KEY_SOFT_PACKETS_PENDING, &k->flags))
			mbms_genl_key_needed(mn->net, s->p.id, k->msk_id,
					     k->mtk_id,
					     MBMS_SRTP_EVENT_KEY_SOFT_PACKETS);
		if (test_and_clear_bit(MBMS_KEY_SOFT_LIFETIME_PENDING, &k->flags))
			mbms_genl_key_needed(mn->net, s->p.id, k->msk_id,
					     k->mtk_id,
					     MBMS_SRTP_EVENT_KEY_SOFT_LIFETIME);
	}
}

static void mbms_events_flush_session(struct mbms_net *mn,
				      struct mbms_session *s)
{
	struct mbms_events *ev = &s->events;
	struct mbms_event_mki snap[MBMS_EVENT_MKI_RECORDS];
	unsigned long pending, flags;
	unsigned int i;

	if (test_and_clear_bit(MBMS_EVENT_PENDING_SOFT, &ev->pending))
		mbms_events_flush_soft(mn, s);

	spin_lock_irqsave(&ev->lock, flags);
	pending = ev->pending & GENMASK(MBMS_EVENT_MKI_RECORDS - 1, 0);
	for_each_set_bit(i, &pending, MBMS_EVENT_MKI_RECORDS)
		clear_bit(i, &ev->pending);	/* the soft bit is set unlocked */
	memcpy(snap, ev->mki, sizeof(snap));
	spin_unlock_irqrestore(&ev->lock, flags);

	for_each_set_bit(i, &pending, MBMS_EVENT_MKI_RECORDS)
		mbms_genl_key_needed(mn->net, s->p.id, snap[i].msk_id,
				     snap[i].mtk_id, MBMS_SRTP_EVENT_UNKNOWN_MKI);
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
