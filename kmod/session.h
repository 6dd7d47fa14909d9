/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sessions: one SRTP crypto context family with its keys, SSRC state,
 * counters and pending events.
 */
#ifndef _MBMS_SESSION_H
#define _MBMS_SESSION_H

#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include <linux/mbms_srtp.h>

#include "events.h"
#include "replay.h"
#include "stats.h"

struct mbms_key;
struct mbms_net;

/**
 * struct mbms_session_params - what SESSION_NEW carries, defaults applied
 * @id: session ID, non-zero
 * @suite: enum mbms_srtp_suite
 * @mki_len: MKI bytes per packet, 0..6
 * @window: replay window in packets, a multiple of 64
 * @max_keys: keys held at most
 * @on_fail: enum mbms_srtp_on_fail
 * @max_ssrcs: SSRC slots, 1..MBMS_SRTP_MAX_SSRCS_MAX
 * @rcc_mode: RFC 4771 mode, 0 (none) or 1..3 (RCCm1..3)
 * @rcc_rate: R: packets with SEQ mod R = 0 carry the ROC; 0 without a mode
 * @tag_len: SRTP tag bytes, MBMS_SRTP_TAG_LEN_MIN..MAX (the suite's 10 or
 *	4 unless SESSION_TAG_LEN says otherwise)
 */
struct mbms_session_params {
	u32 id;
	u8 suite;
	u8 mki_len;
	u16 window;
	u8 max_keys;
	u8 on_fail;
	u16 max_ssrcs;
	u8 rcc_mode;
	u16 rcc_rate;
	u8 tag_len;
};

/* ROC hints of SSRCs not yet tracked: 2^this per session */
#define MBMS_ROC_HINT_BITS	2

/**
 * struct mbms_session - one session
 * @p: parameters, fixed for the session's life
 * @srtp_tag_len: SRTP tag bytes, @p.tag_len (SRTCP always uses 10)
 * @mn: owning namespace
 * @keys: installed keys, RCU pointers written under mn->lock
 * @newest: the last installed key, used when @p.mki_len is 0
 * @nkeys: keys installed (under mn->lock)
 * @flows: struct mbms_flow.session_list of the flows bound (under mn->lock)
 * @nflows: flows bound (under mn->lock)
 * @key_seq: install counter (under mn->lock)
 * @slot_lock: serialises taking and recycling SSRC slots
 * @ssrcs: @p.max_ssrcs preallocated SSRC states
 * @nssrcs: slots in use
 * @ssrcs_hwm: most slots in use at once (written under @slot_lock); as
 *	the lowest free slot is always taken, no slot at or above it is used
 * @hints: ROC hints (struct mbms_roc_hint) for SSRCs without a slot,
 *	indexed by a hash of the SSRC
 * @stats: per-CPU counters
 * @events: pending notifications
 * @rwork: frees the session after a grace period
 */
struct mbms_session {
	struct mbms_session_params p;
	u8 srtp_tag_len;
	struct mbms_net *mn;
	struct mbms_key __rcu *keys[MBMS_SRTP_MAX_KEYS_MAX];
	struct mbms_key __rcu *newest;
	unsigned int nkeys;
	struct list_head flows;
	unsigned int nflows;
	u64 key_seq;
	spinlock_t slot_lock; /* claiming SSRC slots (new SSRCs only) */
	struct mbms_ssrc *ssrcs;
	atomic_t nssrcs;
	unsigned int ssrcs_hwm;
	struct mbms_roc_hint hints[1 << MBMS_ROC_HINT_BITS];
	struct mbms_stats stats;
	struct mbms_events events;
	struct rcu_work rwork;
};

#define MBMS_SRTCP_TAG_LEN	10

/* mbms_ssrc_commit() results besides the MBMS_REPLAY_* ones */
#define MBMS_SSRC_FULL		3	/* new SSRC, every slot holds live state */
#define MBMS_SSRC_KEY_GONE	4	/* the key was removed meanwhile */
/* mbms_ssrc_precheck(): @need_roc, and the SSRC has no SRTP state yet */
#define MBMS_SSRC_NO_ROC	5

int mbms_session_create(struct mbms_net *mn,
			const struct mbms_session_params *p);
int mbms_session_delete(struct mbms_net *mn, u32 id);
void mbms_session_delete_all(struct mbms_net *mn);
struct mbms_session *mbms_session_find(struct mbms_net *mn, u32 id);
int mbms_ssrc_precheck(struct mbms_session *s, u32 ssrc, bool rtcp,
		       bool given, bool need_roc, u16 seq, u32 key_roc,
		       u64 *index);
int mbms_ssrc_commit(struct mbms_session *s, const struct mbms_key *key,
		     u32 ssrc, bool rtcp, u64 index);
void mbms_ssrc_hint_set(struct mbms_session *s, u32 ssrc, u32 roc);
bool mbms_ssrc_hint_get(struct mbms_session *s, u32 ssrc, u32 *roc);
void mbms_ssrc_forget_key(struct mbms_session *s, struct mbms_key *key);

#endif /* _MBMS_SESSION_H */
