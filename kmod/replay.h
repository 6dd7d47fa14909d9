/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-SSRC receive state: SRTP ROC estimation (RFC 3711 Appendix A) and
 * sliding replay windows for the SRTP packet index and the SRTCP index.
 */
#ifndef _MBMS_REPLAY_H
#define _MBMS_REPLAY_H

#include <linux/spinlock.h>
#include <linux/types.h>

/**
 * struct mbms_window - sliding replay window over a packet index
 * @top: highest index accepted so far
 * @valid: @top is meaningful (a packet has been accepted)
 * @size: window size in bits, a multiple of BITS_PER_LONG
 * @bits: bit (index % @size) set when that index within the window was seen
 */
struct mbms_window {
	u64 top;
	bool valid;
	unsigned int size;
	unsigned long *bits;
};

/**
 * struct mbms_roc_hint - the ROC an RFC 4771 RCC packet carried unsigned
 * @ssrc: the packet's SSRC
 * @roc: the ROC it carried
 * @set: @ssrc and @roc have been written
 *
 * Mode 2 with the 32-bit tag: the RCC packets carry ROC || a 0-byte MAC,
 * so their ROC is a candidate that only an authenticated packet can
 * confirm (rx.c).  Written and read without a lock (WRITE_ONCE/READ_ONCE
 * on each field): a reader may pair one packet's @ssrc with another's
 * @roc, which costs at most one failing HMAC, never a state change.
 */
struct mbms_roc_hint {
	u32 ssrc;
	u32 roc;
	bool set;
};

/**
 * struct mbms_ssrc - receive state of one SSRC in one session
 * @lock: serialises updates; held only around the cheap checks/updates
 * @ssrc: the SSRC, valid while @used
 * @used: slot in use; written under the session's slot lock and @lock
 * @keys: bit i set when a packet authenticated under the key in the
 *	session's keys[i]; the slot is freed when the last bit is cleared
 *	(mbms_ssrc_forget_key()), never while a key could replay into it
 * @rtp: SRTP window; its top also gives the ROC and highest SEQ (s_l)
 * @rtcp: SRTCP window
 * @hint: the last unauthenticated RCC ROC seen for it (no lock)
 */
struct mbms_ssrc {
	spinlock_t lock; /* this SSRC's windows; taken briefly per packet */
	u32 ssrc;
	bool used;
	u16 keys;
	struct mbms_window rtp;
	struct mbms_window rtcp;
	struct mbms_roc_hint hint;
};

#define MBMS_REPLAY_OK		0
#define MBMS_REPLAY_DUP		1
#define MBMS_REPLAY_OLD		2

s64 mbms_roc_estimate(u64 top, u16 seq);
int mbms_window_check(const struct mbms_window *w, u64 index);
void mbms_window_update(struct mbms_window *w, u64 index);
void mbms_window_reset(struct mbms_window *w);

#endif /* _MBMS_REPLAY_H */
