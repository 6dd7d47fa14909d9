// SPDX-License-Identifier: GPL-2.0
/*
 * ROC estimation and replay windows.  Pure functions on caller-owned
 * state: the caller holds the SSRC lock, and the in-module self tests can
 * exercise the edge cases without packets.
 */
#include <linux/bitops.h>
#include <linux/string.h>

#include "replay.h"

/**
 * mbms_roc_estimate() - RFC 3711 Appendix A packet index estimate
 * @top: highest authenticated index of this SSRC (ROC * 2^16 + s_l)
 * @seq: the received sequence number
 *
 * Picks v in {ROC - 1, ROC, ROC + 1} so that the index lands closest to
 * s_l.  ROC - 1 with ROC 0 would be a negative index: such a packet can
 * only be older than anything seen and is returned negative so that the
 * caller treats it as a replay.  ROC + 1 past 2^32 - 1 is likewise
 * impossible and returned negative.
 *
 * Return: the 48-bit index, or a negative value for an impossible one.
 */
s64 mbms_roc_estimate(u64 top, u16 seq)
{
	s64 roc = top >> 16;
	u16 s_l = top & 0xffff;
	s64 v = roc;

	if (s_l < 0x8000) {
		if ((int)seq - (int)s_l > 0x8000)
			v = roc - 1;
	} else {
		if ((int)s_l - 0x8000 > (int)seq)
			v = roc + 1;
	}
	if (v < 0 || v > 0xffffffffLL)
		return -1;
	return (v << 16) | seq;
}

/**
 * mbms_window_check() - may a packet with this index be accepted?
 * @w: the window
 * @index: authenticated or about-to-be-authenticated index
 *
 * Return: MBMS_REPLAY_OK, MBMS_REPLAY_DUP (seen) or MBMS_REPLAY_OLD
 * (left of the window).
 */
int mbms_window_check(const struct mbms_window *w, u64 index)
{
	if (!w->valid || index > w->top)
		return MBMS_REPLAY_OK;
	if (w->top - index >= w->size)
		return MBMS_REPLAY_OLD;
	if (test_bit(index % w->size, w->bits))
		return MBMS_REPLAY_DUP;
	return MBMS_REPLAY_OK;
}

/**
 * mbms_window_update() - record an accepted index
 * @w: the window
 * @index: an index for which mbms_window_check() returned MBMS_REPLAY_OK
 *
 * The bitmap is a ring indexed by index % size, so advancing the window
 * clears only the bits of the indices newly inside it.
 */
void mbms_window_update(struct mbms_window *w, u64 index)
{
	u64 i;

	if (!w->valid) {
		bitmap_zero(w->bits, w->size);
		w->top = index;
		w->valid = true;
	} else if (index > w->top) {
		if (index - w->top >= w->size)
			bitmap_zero(w->bits, w->size);
		else
			for (i = w->top + 1; i < index; i++)
				__clear_bit(i % w->size, w->bits);
		w->top = index;
	}
	__set_bit(index % w->size, w->bits);
}

/**
 * mbms_window_reset() - forget everything (slot recycled)
 * @w: the window
 */
void mbms_window_reset(struct mbms_window *w)
{
	w->valid = false;
	w->top = 0;
	bitmap_zero(w->bits, w->size);
}
