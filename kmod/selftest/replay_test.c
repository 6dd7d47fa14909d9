// SPDX-License-Identifier: GPL-2.0
/*
 * ROC estimation (RFC 3711 Appendix A) and replay window edge cases.
 */
#include <linux/bitmap.h>
#include <linux/slab.h>

#include "../replay.h"
#include "selftest.h"

#define IDX(roc, seq)	(((u64)(roc) << 16) | (seq))

/**
 * mbms_selftest_roc() - index estimates around the SEQ wrap
 *
 * Return: true on success.
 */
bool mbms_selftest_roc(void)
{
	static const struct {
		u64 top;
		u16 seq;
		s64 want;
	} t[] = {
		{ IDX(0, 100), 101, IDX(0, 101) },	/* in order */
		{ IDX(0, 100), 50, IDX(0, 50) },	/* slightly late */
		{ IDX(0, 65535), 0, IDX(1, 0) },	/* wrap forward */
		{ IDX(0, 65500), 10, IDX(1, 10) },	/* wrap with loss */
		{ IDX(1, 5), 65530, IDX(0, 65530) },	/* late, before wrap */
		{ IDX(0, 5), 65530, -1 },		/* would be ROC -1 */
		{ IDX(7, 40000), 7231, IDX(8, 7231) },	/* s_l >= 2^15 */
		{ IDX(7, 40000), 7233, IDX(7, 7233) },	/* boundary, same ROC */
		{ IDX(7, 0x8000), 0, IDX(7, 0) },	/* s_l - 2^15 == seq */
		{ IDX(0xffffffffULL, 65535), 0, -1 },	/* ROC would overflow */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		s64 got = mbms_roc_estimate(t[i].top, t[i].seq);

		if ((t[i].want < 0 && got >= 0) ||
		    (t[i].want >= 0 && got != t[i].want)) {
			pr_err("mbms_srtp: selftest: roc case %u: got %lld\n",
			       i, got);
			return false;
		}
	}
	return true;
}

static bool mbms_selftest_window_size(unsigned int size)
{
	struct mbms_window w = { .size = size };
	bool ok = true;
	u64 top;

	w.bits = bitmap_zalloc(size, GFP_KERNEL);
	if (!w.bits)
		return false;
	mbms_window_reset(&w);

	/* first packet: anything goes, even index 0 */
	ok &= mbms_window_check(&w, 0) == MBMS_REPLAY_OK;
	mbms_window_update(&w, 0);
	ok &= mbms_window_check(&w, 0) == MBMS_REPLAY_DUP;

	top = 10 * size;
	ok &= mbms_window_check(&w, top) == MBMS_REPLAY_OK;
	mbms_window_update(&w, top);
	/* the big jump forgot everything below, including stale ring bits */
	ok &= mbms_window_check(&w, top - 1) == MBMS_REPLAY_OK;
	ok &= mbms_window_check(&w, top - size + 1) == MBMS_REPLAY_OK;
	ok &= mbms_window_check(&w, top - size) == MBMS_REPLAY_OLD;
	ok &= mbms_window_check(&w, top) == MBMS_REPLAY_DUP;

	/* late packet inside the window, once */
	mbms_window_update(&w, top - size + 1);
	ok &= mbms_window_check(&w, top - size + 1) == MBMS_REPLAY_DUP;

	/* advance by one: the oldest slot's bit must be cleared for reuse */
	mbms_window_update(&w, top + 1);
	ok &= mbms_window_check(&w, top - size + 1) == MBMS_REPLAY_OLD;
	ok &= mbms_window_check(&w, top + 1) == MBMS_REPLAY_DUP;
	ok &= mbms_window_check(&w, top - 1) == MBMS_REPLAY_OK;

	/* advance by size - 1: the bits of top and top + 1 stay set */
	mbms_window_update(&w, top + size);
	ok &= mbms_window_check(&w, top + 1) == MBMS_REPLAY_DUP;
	ok &= mbms_window_check(&w, top) == MBMS_REPLAY_OLD;
	ok &= mbms_window_check(&w, top + size - 1) == MBMS_REPLAY_OK;
	ok &= mbms_window_check(&w, top + 2) == MBMS_REPLAY_OK;

	/* reset (slot recycled): everything acceptable again */
	mbms_window_reset(&w);
	ok &= mbms_window_check(&w, top + 1) == MBMS_REPLAY_OK;

	bitmap_free(w.bits);
	return ok;
}

/**
 * mbms_selftest_window() - replay window with the default 128 packets
 *
 * Return: true on success.
 */
bool mbms_selftest_window(void)
{
	return mbms_selftest_window_size(64) &&
	       mbms_selftest_window_size(128);
}

/**
 * mbms_selftest_window_wide() - replay window with the maximum size
 *
 * Return: true on success.
 */
bool mbms_selftest_window_wide(void)
{
	return mbms_selftest_window_size(4096);
}
