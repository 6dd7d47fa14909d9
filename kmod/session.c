// SPDX-License-Identifier: GPL-2.0
/*
 * Session lifetime and per-SSRC slot management.
 *
 * SSRC slots (RFC 3711 section 3.3.2: the replay list of an SSRC must be
 * kept for as long as the key can authenticate its packets).  A slot is
 * taken by an SSRC's first authenticated packet and remembers which of
 * the session's keys authenticated packets in it.  It is freed only when
 * all of those keys have been removed: a removed key can never
 * authenticate a packet again, so nothing can be replayed into the state
 * that is forgotten.  While every slot holds such live state, a new SSRC
 * is refused (fail closed, counted as ssrc_full) rather than recycling a
 * slot, which would let its recorded packets be accepted again or
 * re-learn a stream past a ROC wrap with the wrong ROC.
 *
 * A session is reachable from the packet path only through its flows, so
 * deleting it removes the flows and keys first and frees it after an RCU
 * grace period, from a work item because freeing transforms may sleep.
 */
#include <linux/bitmap.h>
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "cache.h"
#include "flow.h"
#include "key.h"
#include "netns.h"
#include "session.h"

static void mbms_session_free(struct mbms_session *s)
{
	kvfree(s->ssrcs);
	mbms_stats_free(&s->stats);
	kmem_cache_free(mbms_session_cache, s);
}

static void mbms_session_free_work(struct work_struct *work)
{
	struct mbms_session *s = container_of(to_rcu_work(work),
					      struct mbms_session, rwork);

	mbms_session_free(s);
}

static int mbms_session_alloc_ssrcs(struct mbms_session *s)
{
	size_t longs = BITS_TO_LONGS(s->p.window);
	size_t sz = sizeof(struct mbms_ssrc) +
		    2 * longs * sizeof(unsigned long);
	unsigned long *bits;
	unsigned int i;
	void *mem;

	/* slots first, then 2 bitmaps per slot, in one allocation */
	mem = kvzalloc(s->p.max_ssrcs * sz, GFP_KERNEL_ACCOUNT);
	if (!mem)
		return -ENOMEM;
	s->ssrcs = mem;
	bits = (unsigned long *)(s->ssrcs + s->p.max_ssrcs);
	for (i = 0; i < s->p.max_ssrcs; i++) {
		struct mbms_ssrc *x = &s->ssrcs[i];

		spin_lock_init(&x->lock);
		x->rtp.size = s->p.window;
		x->rtp.bits = bits;
		bits += longs;
		x->rtcp.size = s->p.window;
		x->rtcp.bits = bits;
		bits += longs;
	}
	return 0;
}

/**
 * mbms_session_create() - create a session
 * @mn: the namespace state, lock held
 * @p: parameters, validated by the netlink policy, defaults applied
 *
 * Return: 0, -EEXIST if the ID is in use, -ENOSPC at mbms_max_sessions,
 * or -ENOMEM.
 */
int mbms_session_create(struct mbms_net *mn,
			const struct mbms_session_params *p)
{
	struct mbms_session *s;
	int err;

	lockdep_assert_held(&mn->lock);
	if (mn->nsessions >= READ_ONCE(mbms_max_sessions))
		return -ENOSPC;
	err = mbms_events_net_prepare(mn);
	if (err)
		return err;
	s = kmem_cache_zalloc(mbms_session_cache, GFP_KERNEL_ACCOUNT);
	if (!s)
		return -ENOMEM;
	s->p = *p;
	s->p.window = round_up(p->window, 64);
	s->srtp_tag_len = p->tag_len;
	s->mn = mn;
	INIT_LIST_HEAD(&s->flows);
	spin_lock_init(&s->slot_lock);
	mbms_events_init(&s->events);
	INIT_RCU_WORK(&s->rwork, mbms_session_free_work);

	err = mbms_stats_init(&s->stats);
	if (err)
		goto err_free;
	err = mbms_session_alloc_ssrcs(s);
	if (err)
		goto err_free;
	err = xa_insert(&mn->sessions, p->id, s, GFP_KERNEL_ACCOUNT);
	if (err == -EBUSY)
		err = -EEXIST;
	if (err)
		goto err_free;
	mn->nsessions++;
	mbms_net_changed(mn);
	return 0;

err_free:
	mbms_session_free(s);
	return err;
}

/**
 * mbms_session_find() - session by ID
 * @mn: the namespace state, lock held
 * @id: session ID
 *
 * Return: the session or NULL.
 */
struct mbms_session *mbms_session_find(struct mbms_net *mn, u32 id)
{
	lockdep_assert_held(&mn->lock);
	return xa_load(&mn->sessions, id);
}

static void mbms_session_destroy(struct mbms_net *mn, struct mbms_session *s)
{
	lockdep_assert_held(&mn->lock);
	mbms_flow_del_session(mn, s);
	WARN_ON_ONCE(s->nflows);
	mbms_key_remove_all(s);
	xa_erase(&mn->sessions, s->p.id);
	mn->nsessions--;
	mbms_net_changed(mn);
	queue_rcu_work(mbms_wq, &s->rwork);
}

/**
 * mbms_session_delete() - delete a session with its flows and keys
 * @mn: the namespace state, lock held
 * @id: session ID
 *
 * Return: 0 or -ENOENT.
 */
int mbms_session_delete(struct mbms_net *mn, u32 id)
{
	struct mbms_session *s = mbms_session_find(mn, id);

	if (!s)
		return -ENOENT;
	mbms_session_destroy(mn, s);
	return 0;
}

/**
 * mbms_session_delete_all() - delete every session of a namespace
 * @mn: the namespace state, lock held
 */
void mbms_session_delete_all(struct mbms_net *mn)
{
	struct mbms_session *s;
	unsigned long id;

	lockdep_assert_held(&mn->lock);
	xa_for_each(&mn->sessions, id, s) {
		mbms_session_destroy(mn, s);
		cond_resched();	/* may be 100,000s of sessions */
	}
}

/* Lockless scan; no slot at or above the high-water mark is in use. */
static struct mbms_ssrc *mbms_ssrc_find(struct mbms_session *s, u32 ssrc)
{
	unsigned int i, n = READ_ONCE(s->ssrcs_hwm);

	for (i = 0; i < n; i++) {
		struct mbms_ssrc *x = &s->ssrcs[i];

		if (READ_ONCE(x->used) && READ_ONCE(x->ssrc) == ssrc)
			return x;
	}
	return NULL;
}

/**
 * mbms_ssrc_precheck() - estimate the index and check it against replay
 * @s: the session
 * @ssrc: the packet's SSRC
 * @rtcp: SRTCP (check the SRTCP window) or SRTP
 * @given: *@index is the packet's own: the SRTCP index, or the carried
 *	ROC || SEQ of an RFC 4771 RCC packet; else it is estimated
 * @need_roc: the packet has no integrity: refuse it (MBMS_SSRC_NO_ROC)
 *	unless the SSRC already has SRTP state, whose ROC was authenticated
 * @seq: SRTP sequence number
 * @key_roc: ROC to use for an SSRC without SRTP state yet
 * @index: the packet's index if @given; else receives the estimate
 *
 * Runs before authentication and changes nothing.  A given index is
 * checked against the window as it is, however far it lies from the
 * state: that is how an RCC packet corrects a wrong ROC.  Slots are scanned
 * without a lock (a handful of cache lines) and the match is confirmed
 * under the slot lock, since a slot can be recycled.
 *
 * Return: MBMS_REPLAY_OK, MBMS_REPLAY_DUP, MBMS_REPLAY_OLD or
 * MBMS_SSRC_NO_ROC.
 */
int mbms_ssrc_precheck(struct mbms_session *s, u32 ssrc, bool rtcp,
		       bool given, bool need_roc, u16 seq, u32 key_roc,
		       u64 *index)
{
	struct mbms_ssrc *x = mbms_ssrc_find(s, ssrc);
	int ret = need_roc ? MBMS_SSRC_NO_ROC : MBMS_REPLAY_OK;
	s64 est;

	if (!given)
		*index = ((u64)key_roc << 16) | seq;
	if (!x)
		return ret;

	spin_lock_bh(&x->lock);
	if (!x->used || x->ssrc != ssrc)
		goto out;
	if (given) {
		ret = mbms_window_check(rtcp ? &x->rtcp : &x->rtp, *index);
		goto out;
	}
	if (!x->rtp.valid)
		goto out;
	ret = MBMS_REPLAY_OK;
	est = mbms_roc_estimate(x->rtp.top, seq);
	if (est < 0) {
		ret = MBMS_REPLAY_OLD;
		goto out;
	}
	*index = est;
	ret = mbms_window_check(&x->rtp, *index);
out:
	spin_unlock_bh(&x->lock);
	return ret;
}

/*
 * The key is checked under the slot lock: mbms_ssrc_forget_key() marks it
 * removed before it takes the slot locks, so either this packet is
 * recorded before the key's bit is cleared, or it sees the mark.  No
 * packet under a removed key can thus land in a slot that was freed.
 */
static int mbms_ssrc_record(struct mbms_ssrc *x, const struct mbms_key *key,
			    bool rtcp, u64 index)
{
	struct mbms_window *w = rtcp ? &x->rtcp : &x->rtp;
	int ret;

	lockdep_assert_held(&x->lock);
	if (test_bit(MBMS_KEY_REMOVED, &key->flags))
		return MBMS_SSRC_KEY_GONE;
	ret = mbms_window_check(w, index);
	if (ret == MBMS_REPLAY_OK) {
		mbms_window_update(w, index);
		x->keys |= BIT(key->slot);
	}
	return ret;
}

/* Slow path of mbms_ssrc_commit(): a new SSRC takes the lowest free slot. */
static int mbms_ssrc_claim(struct mbms_session *s, const struct mbms_key *key,
			   u32 ssrc, bool rtcp, u64 index)
{
	struct mbms_ssrc *x, *free = NULL;
	unsigned int i, n;
	int ret;

	spin_lock_bh(&s->slot_lock);
	for (i = 0; i < s->ssrcs_hwm; i++) {
		x = &s->ssrcs[i];
		if (x->used && x->ssrc == ssrc)
			goto record;	/* claimed meanwhile by another CPU */
	}
	for (i = 0; i < s->p.max_ssrcs && !free; i++)
		if (!s->ssrcs[i].used)
			free = &s->ssrcs[i];
	ret = MBMS_SSRC_FULL;
	if (!free)
		goto out;
	/*
	 * The slot is published only once the packet is recorded, so a key
	 * removed meanwhile (KEY_GONE) cannot leave a slot with no key bit,
	 * which nothing would ever free.
	 */
	x = free;
	spin_lock(&x->lock);
	mbms_window_reset(&x->rtp);
	mbms_window_reset(&x->rtcp);
	x->keys = 0;
	WRITE_ONCE(x->ssrc, ssrc);
	ret = mbms_ssrc_record(x, key, rtcp, index);
	if (ret == MBMS_REPLAY_OK) {
		WRITE_ONCE(x->used, true);
		n = atomic_inc_return(&s->nssrcs);
		if (n > s->ssrcs_hwm)
			WRITE_ONCE(s->ssrcs_hwm, n);
	}
	spin_unlock(&x->lock);
	goto out;
record:
	spin_lock(&x->lock);
	ret = mbms_ssrc_record(x, key, rtcp, index);
	spin_unlock(&x->lock);
out:
	spin_unlock_bh(&s->slot_lock);
	return ret;
}

/**
 * mbms_ssrc_commit() - record an authenticated packet
 * @s: the session
 * @key: the key the packet authenticated under
 * @ssrc: the packet's SSRC
 * @rtcp: SRTCP or SRTP
 * @index: the authenticated index
 *
 * Called only after the tag verified, so forged packets can neither move
 * the windows nor take slots.  A known SSRC takes only its own slot lock;
 * a new one takes the session's slot lock to claim a free slot, and is
 * refused when there is none (no slot holding live state is recycled).
 * The replay check is repeated here because another CPU may have accepted
 * the same index since mbms_ssrc_precheck().
 *
 * Return: MBMS_REPLAY_OK (recorded), MBMS_REPLAY_DUP, MBMS_REPLAY_OLD,
 * MBMS_SSRC_FULL or MBMS_SSRC_KEY_GONE.
 */
int mbms_ssrc_commit(struct mbms_session *s, const struct mbms_key *key,
		     u32 ssrc, bool rtcp, u64 index)
{
	struct mbms_ssrc *x = mbms_ssrc_find(s, ssrc);
	int ret;

	if (x) {
		spin_lock_bh(&x->lock);
		if (x->used && x->ssrc == ssrc) {
			ret = mbms_ssrc_record(x, key, rtcp, index);
			spin_unlock_bh(&x->lock);
			return ret;
		}
		spin_unlock_bh(&x->lock);
	}
	return mbms_ssrc_claim(s, key, ssrc, rtcp, index);
}

/*
 * RFC 4771 mode 2 with the 32-bit tag (see rx.c): the ROC carried by an
 * RCC packet, which no MAC covers, is kept as a hint, per SSRC in its slot
 * or, for an SSRC without one (a late joiner), in a small per-session
 * table indexed by a hash of the SSRC.  Unauthenticated bytes never take
 * a slot: a table entry is simply overwritten.  No lock: the packet path
 * of several CPUs may write and read the same hint at once.  Races, and
 * why each is harmless:
 * - CPU A writes a hint while CPU B reads it: B may see @set with an old
 *   @roc, or one SSRC's @roc with another's @ssrc.  B only tries that ROC
 *   with the packet's tag (one more HMAC, which a wrong ROC fails) and
 *   the replay window; the SSRC state moves only for an index the tag
 *   authenticated (mbms_ssrc_commit(), under the SSRC lock).
 * - A slot is recycled to another SSRC while a hint is written into it:
 *   the hint names its SSRC, so the new owner's reads ignore it.
 * - The SSRC takes a slot just after its hint went to the table: reads
 *   look in the slot first, then in the table.
 * - Two RCC packets of the same SSRC on two CPUs: either ROC stays; the
 *   next RCC packet writes it again.
 */
static struct mbms_roc_hint *mbms_ssrc_hint_table(struct mbms_session *s,
						  u32 ssrc)
{
	return &s->hints[hash_32(ssrc, MBMS_ROC_HINT_BITS)];
}

static void mbms_roc_hint_write(struct mbms_roc_hint *h, u32 ssrc, u32 roc)
{
	/* the same hint again (every R packets): keep the line clean */
	if (READ_ONCE(h->set) && READ_ONCE(h->ssrc) == ssrc &&
	    READ_ONCE(h->roc) == roc)
		return;
	WRITE_ONCE(h->ssrc, ssrc);
	WRITE_ONCE(h->roc, roc);
	WRITE_ONCE(h->set, true);
}

static bool mbms_roc_hint_read(const struct mbms_roc_hint *h, u32 ssrc,
			       u32 *roc)
{
	if (!READ_ONCE(h->set) || READ_ONCE(h->ssrc) != ssrc)
		return false;
	*roc = READ_ONCE(h->roc);
	return true;
}

/**
 * mbms_ssrc_hint_set() - remember an unauthenticated RCC packet's ROC
 * @s: the session
 * @ssrc: the packet's SSRC
 * @roc: the ROC it carried
 *
 * Lock-free, allocates nothing, never moves the SSRC state.
 */
void mbms_ssrc_hint_set(struct mbms_session *s, u32 ssrc, u32 roc)
{
	struct mbms_ssrc *x = mbms_ssrc_find(s, ssrc);

	mbms_roc_hint_write(x ? &x->hint : mbms_ssrc_hint_table(s, ssrc),
			    ssrc, roc);
}

/**
 * mbms_ssrc_hint_get() - the ROC hint of an SSRC, if any
 * @s: the session
 * @ssrc: the SSRC
 * @roc: receives the hint
 *
 * Return: true if there is one.  It is unauthenticated: a candidate only.
 */
bool mbms_ssrc_hint_get(struct mbms_session *s, u32 ssrc, u32 *roc)
{
	struct mbms_ssrc *x = mbms_ssrc_find(s, ssrc);

	if (x && mbms_roc_hint_read(&x->hint, ssrc, roc))
		return true;
	return mbms_roc_hint_read(mbms_ssrc_hint_table(s, ssrc), ssrc, roc);
}

/**
 * mbms_ssrc_forget_key() - a key is being removed for good
 * @s: the session; mn->lock held
 * @key: the key, already unpublished, not yet freed
 *
 * Marks the key removed (packets still in flight under it are refused at
 * commit) and clears its bit in every slot; a slot left with no key is
 * freed, as none of its packets can authenticate any more.  Must run
 * before another key is published at the same index.  Not for a key
 * replaced by the same (MSK ID, MTK ID): that one keeps its slots.
 */
void mbms_ssrc_forget_key(struct mbms_session *s, struct mbms_key *key)
{
	u16 bit = BIT(key->slot);
	struct mbms_ssrc *x;
	unsigned int i;

	lockdep_assert_held(&s->mn->lock);
	set_bit(MBMS_KEY_REMOVED, &key->flags);
	spin_lock_bh(&s->slot_lock);
	for (i = 0; i < s->ssrcs_hwm; i++) {
		x = &s->ssrcs[i];
		spin_lock(&x->lock);
		if (x->used && (x->keys & bit)) {
			x->keys &= ~bit;
			if (!x->keys) {
				WRITE_ONCE(x->used, false);
				atomic_dec(&s->nssrcs);
			}
		}
		spin_unlock(&x->lock);
	}
	spin_unlock_bh(&s->slot_lock);
}
