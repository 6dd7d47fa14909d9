// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for mbmsd's pure policy: MUK roles and the expired-MUK rule,
 * replay counters, MSK bookkeeping, MTK ID rules, request scheduling.
 */
#include <stdlib.h>

#include "mbms/common.h"
#include "../../userspace/mbmsd/policy.h"
#include "test.h"

static const uint8_t KD[3] = { 0x26, 0x20, 0x01 };	/* MCC 262 MNC 01 */
static const uint8_t KD_OTHER[3] = { 0x99, 0x99, 0x99 };
#define KG 0x0102
#define MSK(kn) (((uint32_t)KG << 16) | (kn))

/* xorshift64*: deterministic, seeded. */
static uint64_t xs_rand(void *ctx)
{
	uint64_t *s = ctx;

	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static uint64_t xs_state = 0x1234567887654321ULL;
static const struct pol_rng rng = { xs_rand, &xs_state };

static uint64_t zero_rand(void *ctx)
{
	(void)ctx;
	return 0;
}

static const struct pol_rng rng0 = { zero_rand, NULL };

struct fixture {
	struct pol_config cfg;
	struct pol_group groups[2];
	struct pol_ue ue;
};

static void fx_init(struct fixture *f, enum pol_muk_mode mode)
{
	memset(f, 0, sizeof(*f));
	pol_config_default(&f->cfg);
	f->cfg.muk_mode = mode;
	memcpy(f->groups[0].key_domain, KD, 3);
	f->groups[0].key_group = KG;
	memcpy(f->groups[1].key_domain, KD, 3);
	f->groups[1].key_group = 0x0777;
	pol_ue_init(&f->ue, &f->cfg, f->groups, 2);
}

static void test_serial(void)
{
	CHECK(pol_serial32_newer(1, 2));
	CHECK(!pol_serial32_newer(2, 1));
	CHECK(!pol_serial32_newer(5, 5));
	CHECK(pol_serial32_newer(0xffffffffu, 0));
	CHECK(pol_serial32_newer(0, 0x7fffffffu));
	CHECK(!pol_serial32_newer(0, 0x80000000u));	/* undefined: discard */
	CHECK(!pol_serial32_newer(0x80000000u, 0));
	CHECK(pol_serial16_newer(0xffff, 0x0001));
	CHECK(!pol_serial16_newer(0x0001, 0xffff));
	CHECK(!pol_serial16_newer(0, 0x8000));
}

static void test_backoff_and_rand(void)
{
	struct pol_config cfg;
	int seen[10] = { 0 }, i, all = 1;
	uint64_t v;

	pol_config_default(&cfg);
	cfg.backoff_base_ms = 2000;
	cfg.backoff_max_ms = 600000;
	CHECK(pol_backoff_ms(&cfg, 0) == 0);
	CHECK(pol_backoff_ms(&cfg, 1) == 2000);
	CHECK(pol_backoff_ms(&cfg, 2) == 4000);
	CHECK(pol_backoff_ms(&cfg, 9) == 512000);
	CHECK(pol_backoff_ms(&cfg, 10) == 600000);
	CHECK(pol_backoff_ms(&cfg, 65535) == 600000);
	CHECK(pol_backoff_ms(&cfg, ~0u) == 600000);

	CHECK(pol_rand_upto(&rng, 0) == 0);
	for (i = 0; i < 10000; i++) {
		v = pol_rand_upto(&rng, 9);
		if (v > 9) {
			all = 0;
			break;
		}
		seen[v]++;
	}
	for (i = 0; i < 10; i++)
		all &= seen[i] > 800 && seen[i] < 1200;
	CHECK(all);
	CHECK(pol_rand_upto(&rng0, 1000) == 0);
}

static void test_reason_names(void)
{
	int i, ok = 1;

	for (i = 0; i < POL_R__COUNT; i++)
		ok &= pol_reason_name(i) != NULL &&
		      strcmp(pol_reason_name(i), "?") != 0;
	CHECK(ok);
	CHECK_STR(pol_reason_name(POL_R_MUK_EXPIRED), "muk-expired");
	CHECK_STR(pol_reason_name(POL_R__COUNT), "?");
}

static void test_classify(void)
{
	enum pol_reason why;

	CHECK(pol_classify_msk_msg(0x00000001, true, false, &why) ==
	      POL_MSG_INVALID && why == POL_R_MALFORMED);
	CHECK(pol_classify_msk_msg(MSK(0), true, false, &why) ==
	      POL_MSG_INVALID && why == POL_R_MALFORMED);
	CHECK(pol_classify_msk_msg(MSK(0), false, true, &why) ==
	      POL_MSG_INVALID && why == POL_R_MALFORMED);
	CHECK(pol_classify_msk_msg(MSK(0), false, false, &why) ==
	      POL_MSG_SOLICITED_PULL && why == POL_OK);
	CHECK(pol_classify_msk_msg(MSK(7), true, true, NULL) == POL_MSG_PUSH);
	CHECK(pol_classify_msk_msg(MSK(7), false, false, NULL) ==
	      POL_MSG_VALIDITY);
}

static void test_candidates(void)
{
	struct fixture f;
	struct pol_muk_ref c[2];
	enum pol_reason why;
	size_t n;

	fx_init(&f, POL_MUK_RELAXED);
	n = pol_muk_candidates(&f.ue, POL_MSG_SOLICITED_PULL, 0, c, &why);
	CHECK(n == 0 && why == POL_R_NO_MUK);

	/* One MUK, valid until t=1000, and the BM-SC has used it. */
	CHECK(pol_muk_bootstrapped(&f.ue, 1, 1000) == 0);
	f.ue.neg = f.ue.cur;
	n = pol_muk_candidates(&f.ue, POL_MSG_PUSH, 999, c, &why);
	CHECK(n == 1 && c[0].slot == 0 && c[0].gen == 1 && !c[0].expired);

	/* Expired: relaxed accepts it for a solicited pull only. */
	n = pol_muk_candidates(&f.ue, POL_MSG_SOLICITED_PULL, 1000, c, &why);
	CHECK(n == 1 && c[0].slot == 0 && c[0].expired);
	n = pol_muk_candidates(&f.ue, POL_MSG_PUSH, 1000, c, &why);
	CHECK(n == 0 && why == POL_R_MUK_EXPIRED);
	n = pol_muk_candidates(&f.ue, POL_MSG_VALIDITY, 5000, c, &why);
	CHECK(n == 0 && why == POL_R_MUK_EXPIRED);
	n = pol_muk_candidates(&f.ue, POL_MSG_INVALID, 0, c, &why);
	CHECK(n == 0 && why == POL_R_MALFORMED);

	/* Strict: never. */
	f.cfg.muk_mode = POL_MUK_STRICT;
	n = pol_muk_candidates(&f.ue, POL_MSG_SOLICITED_PULL, 1000, c, &why);
	CHECK(n == 0 && why == POL_R_MUK_EXPIRED);
	f.cfg.muk_mode = POL_MUK_RELAXED;

	/* Fresh MUK gen 2, not yet used by the BM-SC: try it first, then
	 * (pull only) the expired last negotiated one. */
	CHECK(pol_muk_bootstrapped(&f.ue, 2, 5000) == 1);
	CHECK(f.ue.neg == 0 && f.ue.muk[0].present);
	n = pol_muk_candidates(&f.ue, POL_MSG_SOLICITED_PULL, 2000, c, &why);
	CHECK(n == 2 && c[0].gen == 2 && !c[0].expired &&
	      c[1].gen == 1 && c[1].expired);
	n = pol_muk_candidates(&f.ue, POL_MSG_PUSH, 2000, c, &why);
	CHECK(n == 1 && c[0].gen == 2);

	/* Both unexpired and distinct: both are tried, current first. */
	f.ue.muk[0].expires = 10000;
	n = pol_muk_candidates(&f.ue, POL_MSG_PUSH, 2000, c, &why);
	CHECK(n == 2 && c[0].gen == 2 && c[1].gen == 1 && !c[1].expired);
}

/* An expired MUK that is not the last negotiated one is never accepted. */
static void test_expired_not_negotiated(void)
{
	struct fixture f;
	struct pol_muk m = { .present = true, .gen = 10, .expires = 100 };
	struct pol_muk_ref c[2], forged;
	struct pol_msk_action a;
	size_t n;

	fx_init(&f, POL_MUK_RELAXED);
	CHECK(pol_muk_restore(&f.ue, 0, &m, true, false) == 0);
	m.gen = 9;
	CHECK(pol_muk_restore(&f.ue, 1, &m, false, true) == 0);
	CHECK(pol_muk_restore(&f.ue, 2, &m, false, true) == -1);
	n = pol_muk_candidates(&f.ue, POL_MSG_SOLICITED_PULL, 200, c, NULL);
	CHECK(n == 1 && c[0].slot == 1 && c[0].gen == 9 && c[0].expired);

	/* A caller that tries the current expired MUK anyway is refused. */
	forged = (struct pol_muk_ref){ 0, 10, true };
	a = pol_msk_msg_authenticated(&f.ue, POL_MSG_SOLICITED_PULL, &forged,
				      KD, MSK(0), 1, 0, 0, 200, &rng);
	CHECK(a.verdict == POL_R_MUK_EXPIRED && !a.request_scheduled);
	CHECK(pol_next_due(&f.ue) == POL_NEVER);
	CHECK(f.ue.stats.rejected[POL_R_MUK_EXPIRED] == 1);
	/* A stale generation number is refused too. */
	forged = (struct pol_muk_ref){ 1, 8, true };
	a = pol_msk_msg_authenticated(&f.ue, POL_MSG_SOLICITED_PULL, &forged,
				      KD, MSK(0), 1, 0, 0, 200, &rng);
	CHECK(a.verdict == POL_R_NO_MUK);
	/* The negotiated one, expired, works for the pull. */
	a = pol_msk_msg_authenticated(&f.ue, POL_MSG_SOLICITED_PULL, &c[0],
				      KD, MSK(0), 1, 0, 0, 200, &rng);
	CHECK(a.verdict == POL_OK && a.request_scheduled &&
	      a.bootstrap_first);
}

static void test_relaxed_pull(void)
{
	struct fixture f;
	struct pol_muk_ref c[2];
	struct pol_msk_action a;
	struct pol_request rq;
	size_t n;

	fx_init(&f, POL_MUK_RELAXED);
	pol_muk_bootstrapped(&f.ue, 1, 1000);
	f.ue.neg = f.ue.cur;
	n = pol_muk_candidates(&f.ue, POL_MSG_SOLICITED_PULL, 5000, c, NULL);
	CHECK(n == 1);
	a = pol_msk_msg_authenticated(&f.ue, POL_MSG_SOLICITED_PULL, &c[0],
				      KD, MSK(0), 100, 0, 0, 5000, &rng0);
	CHECK(a.verdict == POL_OK);
	CHECK(a.request_scheduled && a.bootstrap_first);
	CHECK(a.group == &f.groups[0] && !a.store_msk);
	CHECK(f.ue.need_bootstrap);
	CHECK(f.ue.stats.accepted_pull == 1 &&
	      f.ue.stats.accepted_pull_expired == 1);
	/* With a zero random source the request is due at once. */
	CHECK(pol_next_due(&f.ue) == 5000);
	CHECK(pol_take_due(&f.ue, 5000, &rq));
	CHECK(rq.group == &f.groups[0] && rq.bootstrap_first);
	CHECK(f.ue.stats.bootstraps_asked == 1);
	CHECK(f.groups[0].req.state == POL_REQ_IN_FLIGHT);
	/* The daemon bootstraps: the flag clears and the new key is used. */
	CHECK(pol_muk_bootstrapped(&f.ue, 2, 90000) == 1);
	CHECK(!f.ue.need_bootstrap && !pol_bootstrap_needed(&f.ue, 5000));
	CHECK(f.ue.neg == 0);	/* old one kept until the new one is used */
	pol_request_result(&f.ue, &f.groups[0], POL_RES_OK, 0, 2, 5100, &rng);
	CHECK(f.ue.neg == 1 && f.groups[0].req.state == POL_REQ_IDLE);

	/* The same replayed pull under the old MUK: now rejected, since the
	 * old MUK is neither current nor negotiated any more. */
	n = pol_muk_candidates(&f.ue, POL_MSG_SOLICITED_PULL, 6000, c, NULL);
	CHECK(n == 1 && c[0].gen == 2);
}

static void test_strict_pull(void)
{
	struct fixture f;
	struct pol_muk_ref c[2], forged = { 0, 1, true };
	struct pol_msk_action a;
	enum pol_reason why;

	fx_init(&f, POL_MUK_STRICT);
	pol_muk_bootstrapped(&f.ue, 1, 1000);
	f.ue.neg = f.ue.cur;
	CHECK(pol_muk_candidates(&f.ue, POL_MSG_SOLICITED_PULL, 5000, c,
				 &why) == 0);
	CHECK(why == POL_R_MUK_EXPIRED);
	pol_msk_msg_unauthenticated(&f.ue, why);
	CHECK(f.ue.stats.rejected[POL_R_MUK_EXPIRED] == 1);
	/* Even if the caller verifies with it, policy refuses. */
	a = pol_msk_msg_authenticated(&f.ue, POL_MSG_SOLICITED_PULL, &forged,
				      KD, MSK(0), 100, 0, 0, 5000, &rng);
	CHECK(a.verdict == POL_R_MUK_EXPIRED && !a.request_scheduled);
	CHECK(pol_next_due(&f.ue) == POL_NEVER);
	CHECK(f.ue.stats.requests_sent == 0 && !f.ue.need_bootstrap);
	/* Unexpired: strict accepts a pull like anyone. */
	a = pol_msk_msg_authenticated(&f.ue, POL_MSG_SOLICITED_PULL, &forged,
				      KD, MSK(0), 100, 0, 0, 999, &rng0);
	CHECK(a.verdict == POL_OK && a.request_scheduled &&
	      !a.bootstrap_first);
}

static void test_unauthenticated_pull(void)
{
	struct fixture f;
	int i;

	fx_init(&f, POL_MUK_RELAXED);
	pol_muk_bootstrapped(&f.ue, 1, 1000);
	for (i = 0; i < 1000; i++)
		pol_msk_msg_unauthenticated(&f.ue, POL_R_AUTH);
	pol_msk_msg_unauthenticated(&f.ue, POL_OK);	/* defaults to AUTH */
	CHECK(f.ue.stats.rejected[POL_R_AUTH] == 1001);
	CHECK(pol_next_due(&f.ue) == POL_NEVER);
	CHECK(!f.ue.need_bootstrap && f.ue.neg == -1);
	CHECK(f.ue.stats.accepted_pull == 0);
}

static void test_replay(void)
{
	struct fixture f;
	struct pol_muk_ref c[2];
	struct pol_msk_action a;

	fx_init(&f, POL_MUK_RELAXED);
	pol_muk_bootstrapped(&f.ue, 1, 100000);
	CHECK(pol_muk_candidates(&f.ue, POL_MSG_PUSH, 0, c, NULL) == 1);
	a = pol_msk_msg_authenticated(&f.ue, POL_MSG_PUSH, &c[0], KD, MSK(1),
				      10, 0, 100, 0, &rng);
	CHECK(a.verdict == POL_OK && a.store_msk && a.slot == 0);
	CHECK(f.ue.neg == f.ue.cur);	/* BM-SC used it: negotiated */
	a = pol_msk_msg_authenticated(&f.ue, POL_MSG_PUSH, &c[0], KD, MSK(1),
				      10, 0, 100, 0, &rng);
	CHECK(a.verdict == POL_R_REPLAY && !a.store_msk);
	a = pol_msk_msg_authenticated(&f.ue, POL_MSG_PUSH, &c[0], KD, MSK(2),
				      9, 0, 100, 0, &rng);
	CHECK(a.verdict == POL_R_REPLAY);
	a = pol_msk_msg_authenticated(&f.ue, POL_MSG_PUSH, &c[0], KD, MSK(2),
				      10 + 0x80000000u, 0, 100, 0, &rng);
	CHECK(a.verdict == POL_R_REPLAY);	/* undefined distance */
	CHECK(f.ue.stats.rejected[POL_R_REPLAY] == 3);
	/* A rejected (unknown group) message does not move the counter. */
	a = pol_msk_msg_authenticated(&f.ue, POL_MSG_PUSH, &c[0], KD_OTHER,
				      MSK(2), 20, 0, 100, 0, &rng);
	CHECK(a.verdict == POL_R_UNKNOWN_GROUP);
	a = pol_msk_msg_authenticated(&f.ue, POL_MSG_PUSH, &c[0], KD, MSK(2),
				      11, 0, 100, 0, &rng);
	CHECK(a.verdict == POL_OK && a.slot == 1);
	/* One counter per MUK: a fresh MUK starts without one. */
	pol_muk_bootstrapped(&f.ue, 2, 100000);
	CHECK(pol_muk_candidates(&f.ue, POL_MSG_PUSH, 0, c, NULL) == 2);
	CHECK(c[0].gen == 2 && c[1].gen == 1);
	/* The old MUK keeps its own counter ... */
	a = pol_msk_msg_authenticated(&f.ue, POL_MSG_VALIDITY, &c[1], KD,
				      MSK(2), 11, 0, 60, 0, &rng);
	CHECK(a.verdict == POL_R_REPLAY);
	a = pol_msk_msg_authenticated(&f.ue, POL_MSG_VALIDITY, &c[0], KD,
				      MSK(2), 1, 0, 50, 0, &rng);
	CHECK(a.verdict == POL_OK && f.groups[0].msk[1].sequ == 50);
	/* ... and once the BM-SC used the new one, the old one is gone. */
	a = pol_msk_msg_authenticated(&f.ue, POL_MSG_VALIDITY, &c[1], KD,
				      MSK(2), 12, 0, 60, 0, &rng);
	CHECK(a.verdict == POL_R_NO_MUK);
}

static struct pol_msk_action push(struct fixture *f, uint32_t msk_id,
				  uint32_t ctr, uint32_t l, uint32_t u)
{
	struct pol_muk_ref c[2];

	pol_muk_candidates(&f->ue, POL_MSG_PUSH, 0, c, NULL);
	return pol_msk_msg_authenticated(&f->ue, POL_MSG_PUSH, &c[0], KD,
					 msk_id, ctr, l, u, 0, &rng);
}

static struct pol_msk_action validity(struct fixture *f, uint32_t msk_id,
				      uint32_t ctr, uint32_t l, uint32_t u)
{
	struct pol_muk_ref c[2];

	pol_muk_candidates(&f->ue, POL_MSG_VALIDITY, 0, c, NULL);
	return pol_msk_msg_authenticated(&f->ue, POL_MSG_VALIDITY, &c[0], KD,
					 msk_id, ctr, l, u, 0, &rng);
}

static void test_msk_bookkeeping(void)
{
	struct fixture f;
	struct pol_msk_action a;

	fx_init(&f, POL_MUK_RELAXED);
	pol_muk_bootstrapped(&f.ue, 1, 100000);
	a = push(&f, MSK(1), 1, 0, 100);
	CHECK(a.verdict == POL_OK && a.slot == 0 && !a.drop_msk);
	a = push(&f, MSK(2), 2, 0, 100);
	CHECK(a.verdict == POL_OK && a.slot == 1 && !a.drop_msk);
	/* Third: the newer wins, the oldest goes. */
	a = push(&f, MSK(3), 3, 0, 100);
	CHECK(a.verdict == POL_OK && a.slot == 0 && a.drop_msk &&
	      a.dropped_msk_id == MSK(1));
	CHECK(f.groups[0].msk[0].msk_id == MSK(3));
	/* Now slot 1 (MSK 2) is the older one. */
	CHECK(f.groups[0].msk[1].msk_id == MSK(2));
	CHECK(f.groups[0].msk[0].muk_gen == 1 &&
	      f.groups[0].msk[0].ts_counter == 3);
	/*
	 * A lower Key Number under a fresh counter of the same MUK is the
	 * newest (§6.5.3: MUK, then TS; the Key Number plays no part).
	 */
	a = push(&f, MSK(1), 4, 0, 100);
	CHECK(a.verdict == POL_OK && a.slot == 1 && a.drop_msk &&
	      a.dropped_msk_id == MSK(2));
	/* The same MSK again: updated in place, nothing evicted. */
	a = push(&f, MSK(3), 5, 5, 200);
	CHECK(a.verdict == POL_OK && a.slot == 0 && !a.drop_msk);
	CHECK(f.groups[0].msk[0].seql == 5 && f.groups[0].msk[0].sequ == 200);
	CHECK(f.groups[0].msk[0].ts_counter == 5);
	/* Validity: update, then invalidate (SEQl > SEQu). */
	a = push(&f, MSK(4), 6, 0, 100);
	CHECK(a.verdict == POL_OK && a.slot == 1 && a.drop_msk &&
	      a.dropped_msk_id == MSK(1));
	a = push(&f, MSK(2), 7, 0, 100);	/* newest again: 3 goes */
	CHECK(a.verdict == POL_OK && a.slot == 0 && a.drop_msk &&
	      a.dropped_msk_id == MSK(3));
	a = validity(&f, MSK(4), 8, 10, 20);
	CHECK(a.verdict == POL_OK && f.groups[0].msk[1].seql == 10);
	/* A validity update carries no key: the MSK's order stays. */
	CHECK(f.groups[0].msk[1].ts_counter == 6);
	a = validity(&f, MSK(4), 9, 21, 20);
	CHECK(a.verdict == POL_OK && a.drop_msk && a.dropped_msk_id == MSK(4));
	CHECK(!f.groups[0].msk[1].present);
	a = validity(&f, MSK(9), 10, 0, 20);
	CHECK(a.verdict == POL_R_UNKNOWN_MSK);
	/* A pushed key with SEQl > SEQu: only invalidates. */
	a = push(&f, MSK(8), 11, 30, 20);
	CHECK(a.verdict == POL_R_MSK_INVALID && !a.store_msk);
	a = push(&f, MSK(2), 12, 30, 20);
	CHECK(a.verdict == POL_OK && a.drop_msk && !a.store_msk);
	CHECK(!f.groups[0].msk[0].present);
	CHECK(f.ue.stats.accepted_msk == 8);

	/* Key numbers wrap (serial arithmetic): 0x0001 is newer than 0xfffe. */
	fx_init(&f, POL_MUK_RELAXED);
	pol_muk_bootstrapped(&f.ue, 1, 100000);
	CHECK(push(&f, MSK(0xfffe), 1, 0, 10).verdict == POL_OK);
	CHECK(push(&f, MSK(0xffff), 2, 0, 10).verdict == POL_OK);
	a = push(&f, MSK(0x0001), 3, 0, 10);
	CHECK(a.verdict == POL_OK && a.drop_msk &&
	      a.dropped_msk_id == MSK(0xfffe));
}

/* A push verified with the MUK of generation @gen (one of the candidates). */
static struct pol_msk_action push_gen(struct fixture *f, uint32_t gen,
				      uint32_t msk_id, uint32_t ctr)
{
	struct pol_muk_ref c[2], none = { 0, 0, false };
	size_t n, i;

	n = pol_muk_candidates(&f->ue, POL_MSG_PUSH, 0, c, NULL);
	for (i = 0; i < n; i++)
		if (c[i].gen == gen)
			return pol_msk_msg_authenticated(&f->ue, POL_MSG_PUSH,
							 &c[i], KD, msk_id, ctr,
							 0, 100, 0, &rng);
	CHECK(!"no candidate MUK of that generation");
	return pol_msk_msg_authenticated(&f->ue, POL_MSG_PUSH, &none, KD,
					 msk_id, ctr, 0, 100, 0, &rng);
}

/*
 * TS 33.246 §6.5.3: the MSK under the newer MUK is the newer one, whatever
 * its timestamp.  A and B under MUK gen 2 (T 100, 200), then C under gen 3
 * with T 50: C is the newest, A (gen 2, lowest T) goes -- not B, whose Key
 * Number is the lowest.
 */
static void test_order_newer_muk_wins(void)
{
	struct fixture f;
	struct pol_msk_action a;

	fx_init(&f, POL_MUK_RELAXED);
	pol_muk_bootstrapped(&f.ue, 2, 100000);
	CHECK(push_gen(&f, 2, MSK(11), 100).verdict == POL_OK);	/* A */
	CHECK(push_gen(&f, 2, MSK(10), 200).verdict == POL_OK);	/* B */
	pol_muk_bootstrapped(&f.ue, 3, 100000);	/* gen 2 stays negotiated */
	a = push_gen(&f, 3, MSK(12), 50);				/* C */
	CHECK(a.verdict == POL_OK && a.store_msk && a.drop_msk &&
	      a.dropped_msk_id == MSK(11));
	CHECK(f.groups[0].msk[a.slot].msk_id == MSK(12));
	CHECK(f.groups[0].msk[!a.slot].msk_id == MSK(10));

	/* Same, with C's Key Number below both: still the newest. */
	fx_init(&f, POL_MUK_RELAXED);
	pol_muk_bootstrapped(&f.ue, 2, 100000);
	CHECK(push_gen(&f, 2, MSK(11), 100).verdict == POL_OK);
	CHECK(push_gen(&f, 2, MSK(10), 200).verdict == POL_OK);
	pol_muk_bootstrapped(&f.ue, 3, 100000);
	a = push_gen(&f, 3, MSK(3), 50);
	CHECK(a.verdict == POL_OK && a.drop_msk &&
	      a.dropped_msk_id == MSK(11));
}

/*
 * Both MSKs under gen 3, and a push under gen 2 (still valid, the last
 * negotiated one) with a higher T: the gen-3 MSKs are newer (§6.5.3), so
 * the incoming one is the oldest of the three and is refused as stale,
 * evicting nothing; with a slot free it is kept (as the older one).
 * mbmsd itself never reaches this state -- accepting a message under gen 3
 * makes gen 3 the negotiated MUK and retires gen 2 -- so it is built the
 * way a restart restores it: defence in depth for the store.
 */
static void test_order_older_muk_stale(void)
{
	struct fixture f;
	struct pol_muk m2 = { .present = true, .gen = 2, .expires = 100000,
			      .have_counter = true, .msk_counter = 500 };
	struct pol_muk m3 = { .present = true, .gen = 3, .expires = 100000,
			      .have_counter = true, .msk_counter = 6 };
	struct pol_msk_action a;
	int k;

	fx_init(&f, POL_MUK_RELAXED);
	CHECK(pol_muk_restore(&f.ue, 0, &m2, false, true) == 0);
	CHECK(pol_muk_restore(&f.ue, 1, &m3, true, false) == 0);
	for (k = 0; k < 2; k++) {
		f.groups[0].msk[k].present = true;
		f.groups[0].msk[k].msk_id = MSK(20 + k);
		f.groups[0].msk[k].seql = 0;
		f.groups[0].msk[k].sequ = 100;
		f.groups[0].msk[k].muk_gen = 3;
		f.groups[0].msk[k].ts_counter = 5 + (uint32_t)k;
	}
	a = push_gen(&f, 2, MSK(22), 1000);
	CHECK(a.verdict == POL_R_STALE_MSK && !a.store_msk && !a.drop_msk);
	CHECK(f.groups[0].msk[0].msk_id == MSK(20) &&
	      f.groups[0].msk[1].msk_id == MSK(21));
	CHECK(f.ue.stats.rejected[POL_R_STALE_MSK] == 1);
	/* A slot free: kept, nothing evicted. */
	f.groups[0].msk[1].present = false;
	a = push_gen(&f, 2, MSK(22), 1001);
	CHECK(a.verdict == POL_OK && a.store_msk && !a.drop_msk &&
	      a.slot == 1);
	CHECK(f.groups[0].msk[0].msk_id == MSK(20));
}

/* Same MUK: the lower T goes, whatever the Key Numbers say. */
static void test_order_same_muk_by_counter(void)
{
	struct fixture f;
	struct pol_msk_action a;

	fx_init(&f, POL_MUK_RELAXED);
	pol_muk_bootstrapped(&f.ue, 2, 100000);
	CHECK(push_gen(&f, 2, MSK(9), 100).verdict == POL_OK);
	CHECK(push_gen(&f, 2, MSK(5), 200).verdict == POL_OK);
	a = push_gen(&f, 2, MSK(7), 300);
	CHECK(a.verdict == POL_OK && a.drop_msk &&
	      a.dropped_msk_id == MSK(9));
	/* A lower Key Number with a fresh counter is the newest too. */
	a = push_gen(&f, 2, MSK(3), 400);
	CHECK(a.verdict == POL_OK && a.drop_msk &&
	      a.dropped_msk_id == MSK(5));
	CHECK(f.ue.stats.rejected[POL_R_STALE_MSK] == 0);
}

static void test_order_helpers(void)
{
	struct fixture f;
	struct pol_muk_ref c[2];
	struct pol_msk_action a;

	CHECK(pol_msk_order_newer(2, 100, 3, 50));
	CHECK(!pol_msk_order_newer(3, 50, 2, 100));
	CHECK(pol_msk_order_newer(2, 100, 2, 200));
	CHECK(!pol_msk_order_newer(2, 200, 2, 100));
	CHECK(!pol_msk_order_newer(2, 5, 2, 5));
	CHECK(pol_msk_order_newer(2, 0xffffffffu, 2, 1));	/* RFC 1982 */
	CHECK(pol_msk_order_newer(0, 0, 1, 0));	/* unknown: the oldest */
	CHECK(!pol_msk_order_newer(1, 0, 0, 0));
	CHECK(!pol_msk_order_newer(0, 0, 0, 5));

	/* Two MSKs of unknown order (an old key store): Key Number order. */
	fx_init(&f, POL_MUK_RELAXED);
	pol_muk_bootstrapped(&f.ue, 1, 100000);
	f.groups[0].msk[0].present = true;
	f.groups[0].msk[0].msk_id = MSK(8);
	f.groups[0].msk[0].sequ = 100;
	f.groups[0].msk[1] = f.groups[0].msk[0];
	f.groups[0].msk[1].msk_id = MSK(7);
	a = push(&f, MSK(1), 1, 0, 100);
	CHECK(a.verdict == POL_OK && a.slot == 1 &&
	      a.dropped_msk_id == MSK(7));
	CHECK(f.groups[0].msk[1].muk_gen == 1 &&
	      f.groups[0].msk[1].ts_counter == 1);

	/* Verification: V set and the last generated MUK, nothing else. */
	f.ue.neg = f.ue.cur;
	pol_muk_bootstrapped(&f.ue, 2, 100000);
	CHECK(pol_muk_candidates(&f.ue, POL_MSG_PUSH, 0, c, NULL) == 2);
	CHECK(c[0].gen == 2 && c[1].gen == 1);
	CHECK(pol_verification_due(&f.ue, &c[0], true));
	CHECK(!pol_verification_due(&f.ue, &c[0], false));
	CHECK(!pol_verification_due(&f.ue, &c[1], true));
	CHECK(!pol_verification_due(&f.ue, NULL, true));
	c[0].gen = 1;	/* a stale reference to the slot */
	CHECK(!pol_verification_due(&f.ue, &c[0], true));
}

static void test_push_cancels_request(void)
{
	struct fixture f;

	fx_init(&f, POL_MUK_RELAXED);
	pol_muk_bootstrapped(&f.ue, 1, 100000);
	CHECK(pol_unknown_mki(&f.ue, KD, MSK(5), 0, &rng) == POL_OK);
	CHECK(f.groups[0].req.state == POL_REQ_SCHEDULED);
	CHECK(push(&f, MSK(5), 1, 0, 10).verdict == POL_OK);
	CHECK(f.groups[0].req.state == POL_REQ_IDLE);
	CHECK(pol_next_due(&f.ue) == POL_NEVER);
}

static void test_mtk(void)
{
	struct fixture f;
	struct pol_msk *m;
	int i;

	fx_init(&f, POL_MUK_RELAXED);
	pol_muk_bootstrapped(&f.ue, 1, 100000);
	CHECK(push(&f, MSK(1), 1, 0, 10).verdict == POL_OK);

	CHECK(pol_mtk_precheck(&f.ue, KD_OTHER, MSK(1), 1, &m) ==
	      POL_R_UNKNOWN_GROUP && !m);
	/* Unknown MSK: counted, and never a request (unverifiable). */
	for (i = 0; i < 100; i++)
		CHECK(pol_mtk_precheck(&f.ue, KD, MSK(2), 1, &m) ==
		      POL_R_UNKNOWN_MSK);
	CHECK(pol_next_due(&f.ue) == POL_NEVER);
	CHECK(f.ue.stats.rejected[POL_R_UNKNOWN_MSK] == 100);

	CHECK(pol_mtk_precheck(&f.ue, KD, MSK(1), 0, &m) == POL_R_MTK_RANGE);
	CHECK(pol_mtk_precheck(&f.ue, KD, MSK(1), 11, &m) == POL_R_MTK_RANGE);
	CHECK(pol_mtk_precheck(&f.ue, KD, MSK(1), 1, &m) == POL_OK && m);
	CHECK(pol_mtk_authenticated(&f.ue, m, 1, 100) == POL_OK);
	CHECK(m->seql == 1 && m->mtk_id == 1);
	/*
	 * A resend of the current MTK passes the precheck (only the MAC and
	 * the counter tell a resend from a replay).  Fresh counter: a
	 * resend, recorded, nothing to install, not a rejection.
	 */
	CHECK(pol_mtk_precheck(&f.ue, KD, MSK(1), 1, &m) == POL_OK && m);
	CHECK(pol_mtk_authenticated(&f.ue, m, 1, 101) == POL_R_MTK_OLD);
	CHECK(f.ue.stats.mtk_resends == 1 && m->mtk_counter == 101);
	CHECK(f.ue.stats.rejected[POL_R_MTK_OLD] == 0);
	/* The same resend byte for byte, and an older message: replays. */
	CHECK(pol_mtk_authenticated(&f.ue, m, 1, 101) == POL_R_REPLAY);
	CHECK(pol_mtk_authenticated(&f.ue, m, 1, 100) == POL_R_REPLAY);
	/* A new MTK ID under an old counter: a replay, not installed. */
	CHECK(pol_mtk_precheck(&f.ue, KD, MSK(1), 5, &m) == POL_OK);
	CHECK(pol_mtk_authenticated(&f.ue, m, 5, 101) == POL_R_REPLAY);
	CHECK(pol_mtk_authenticated(&f.ue, m, 5, 99) == POL_R_REPLAY);
	CHECK(f.ue.stats.rejected[POL_R_REPLAY] == 4);
	CHECK(m->seql == 1 && m->mtk_id == 1);	/* untouched */
	CHECK(pol_mtk_authenticated(&f.ue, m, 5, 102) == POL_OK);
	CHECK(m->seql == 5 && m->mtk_id == 5 && m->mtk_counter == 102);
	/* An earlier MTK resent (fresh counter): a resend too. */
	CHECK(pol_mtk_precheck(&f.ue, KD, MSK(1), 3, &m) == POL_OK);
	CHECK(pol_mtk_authenticated(&f.ue, m, 3, 103) == POL_R_MTK_OLD);
	CHECK(f.ue.stats.mtk_resends == 2 && m->mtk_id == 5);
	CHECK(pol_mtk_precheck(&f.ue, KD, MSK(1), 10, &m) == POL_OK);
	CHECK(pol_mtk_authenticated(&f.ue, m, 10, 104) == POL_OK);
	CHECK(pol_mtk_precheck(&f.ue, KD, MSK(1), 11, &m) == POL_R_MTK_RANGE);
	pol_mtk_unauthenticated(&f.ue);
	CHECK(f.ue.stats.rejected[POL_R_AUTH] == 1);
	CHECK(f.ue.stats.accepted_mtk == 3);
	/* SEQu above 16 bits: every MTK ID up to 0xffff is in range. */
	CHECK(push(&f, MSK(9), 3, 0, 0x10000).verdict == POL_OK);
	CHECK(pol_mtk_precheck(&f.ue, KD, MSK(9), 0xffff, &m) == POL_OK);
	/* A validity update that lowers SEQl cannot re-open old MTK IDs. */
	CHECK(validity(&f, MSK(1), 4, 0, 20).verdict == POL_OK);
	CHECK(pol_mtk_precheck(&f.ue, KD, MSK(1), 4, &m) == POL_OK);
	CHECK(pol_mtk_authenticated(&f.ue, m, 4, 105) == POL_R_MTK_OLD);
	CHECK(m->mtk_id == 10 && f.ue.stats.accepted_mtk == 3);
	CHECK(pol_mtk_precheck(&f.ue, KD, MSK(1), 11, &m) == POL_OK);
}

static void test_schedule_basic(void)
{
	struct fixture f;
	struct pol_request rq;
	uint64_t due;

	fx_init(&f, POL_MUK_RELAXED);
	f.cfg.jitter_ms = 10000;
	pol_muk_bootstrapped(&f.ue, 1, 1000000);
	CHECK(pol_request_trigger(&f.ue, &f.groups[0], 1000, &rng));
	due = pol_next_due(&f.ue);
	CHECK(due >= 1000 && due <= 11000);
	CHECK(!pol_request_trigger(&f.ue, &f.groups[0], 1001, &rng));
	CHECK(f.ue.stats.rejected[POL_R_RATE_LIMITED] == 1);
	CHECK(pol_next_due(&f.ue) == due);
	if (due > 1000)
		CHECK(!pol_take_due(&f.ue, due - 1, &rq));
	CHECK(pol_take_due(&f.ue, due, &rq) && rq.group == &f.groups[0]);
	CHECK(!rq.bootstrap_first);
	CHECK(!pol_take_due(&f.ue, due, &rq));
	CHECK(!pol_request_trigger(&f.ue, &f.groups[0], due, &rng));
	pol_request_result(&f.ue, &f.groups[0], POL_RES_OK, 0, 1, due + 5,
			   &rng);
	CHECK(f.groups[0].req.state == POL_REQ_IDLE);
	/*
	 * A new trigger right after: not before one window has passed
	 * since the 200 (due + 5), jitter on top.
	 */
	CHECK(pol_request_trigger(&f.ue, &f.groups[0], due + 10, &rng));
	CHECK(pol_next_due(&f.ue) >= due + 5 + 10000 &&
	      pol_next_due(&f.ue) <= due + 5 + 20000);
	/* A result for a group with nothing in flight is ignored. */
	pol_request_result(&f.ue, &f.groups[1], POL_RES_FAILED, 0, 1, 0, &rng);
	CHECK(f.groups[1].req.state == POL_REQ_IDLE);

	/* Jitter off: due at once, still one per min_interval. */
	fx_init(&f, POL_MUK_RELAXED);
	f.cfg.jitter_ms = 0;
	f.cfg.min_interval_ms = 1000;
	pol_muk_bootstrapped(&f.ue, 1, 1000000);
	CHECK(pol_request_trigger(&f.ue, &f.groups[1], 500, &rng));
	CHECK(pol_next_due(&f.ue) == 500);
	CHECK(pol_take_due(&f.ue, 500, &rq) && rq.group == &f.groups[1]);
	pol_request_result(&f.ue, &f.groups[1], POL_RES_OK, 0, 1, 510, &rng);
	CHECK(pol_request_trigger(&f.ue, &f.groups[1], 600, &rng));
	CHECK(pol_next_due(&f.ue) == 1510);	/* the 200 + 1 s */
}

/*
 * A 200 that took longer than the window, then an unknown-MKI event before
 * the MIKEY push that the 200 announced: the push is on its way, so no
 * second request may leave before one window after the 200, and the push
 * cancels the one the event scheduled.  The window counted from the send
 * time let the event start a request at once.
 */
static void test_window_after_ok(void)
{
	struct fixture f;
	struct pol_request rq;
	int jit;

	for (jit = 0; jit < 2; jit++) {
		uint64_t win = jit ? 10000 : 1000, done = 1500 + win;

		fx_init(&f, POL_MUK_RELAXED);
		f.cfg.jitter_ms = jit ? 10000 : 0;
		f.cfg.min_interval_ms = 1000;
		pol_muk_bootstrapped(&f.ue, 1, UINT64_MAX - 1);
		CHECK(pol_request_trigger(&f.ue, &f.groups[0], 0, &rng0));
		CHECK(pol_take_due(&f.ue, 0, &rq));
		/* The 200 arrives after more than one window. */
		pol_request_result(&f.ue, rq.group, POL_RES_OK, 0, 1, done,
				   &rng);
		CHECK(pol_unknown_mki(&f.ue, KD, MSK(2), done + 50, &rng) ==
		      POL_OK);
		CHECK(pol_next_due(&f.ue) >= done + win);
		CHECK(!pol_take_due(&f.ue, done + win - 1, &rq));
		/* The push arrives: nothing left to send. */
		CHECK(push(&f, MSK(2), 1, 0, 10).verdict == POL_OK);
		CHECK(pol_next_due(&f.ue) == POL_NEVER);
		CHECK(f.ue.stats.requests_sent == 1);
	}
	/* A failure still backs off from its own completion, as before. */
	fx_init(&f, POL_MUK_RELAXED);
	f.cfg.jitter_ms = 0;
	f.cfg.min_interval_ms = 1000;
	f.cfg.backoff_base_ms = 2000;
	pol_muk_bootstrapped(&f.ue, 1, UINT64_MAX - 1);
	CHECK(pol_request_trigger(&f.ue, &f.groups[0], 0, &rng0));
	CHECK(pol_take_due(&f.ue, 0, &rq));
	pol_request_result(&f.ue, rq.group, POL_RES_FAILED, 0, 1, 5000, &rng0);
	CHECK(pol_next_due(&f.ue) == 6000);	/* 5000 + 2000 / 2 + 0 */
}

/* A flood of unknown-MKI events: one request per group per window. */
static void test_unknown_mki_flood(void)
{
	struct fixture f;
	struct pol_request rq;
	uint64_t t, sends = 0, last = 0, min_gap = UINT64_MAX;
	int bad = 0;

	fx_init(&f, POL_MUK_RELAXED);
	f.cfg.jitter_ms = 5000;
	pol_muk_bootstrapped(&f.ue, 1, UINT64_MAX - 1);
	CHECK(push(&f, MSK(1), 1, 0, 10).verdict == POL_OK);
	/* Our own MSK: only the MTK is missing, nothing to ask. */
	CHECK(pol_unknown_mki(&f.ue, KD, MSK(1), 0, &rng) == POL_R_KNOWN_MSK);
	CHECK(pol_unknown_mki(&f.ue, KD_OTHER, MSK(2), 0, &rng) ==
	      POL_R_UNKNOWN_GROUP);
	CHECK(pol_next_due(&f.ue) == POL_NEVER);

	/* One event per millisecond for 60 s, every request succeeds. */
	for (t = 0; t < 60000; t++) {
		enum pol_reason r = pol_unknown_mki(&f.ue, KD, MSK(2), t, &rng);

		if (r != POL_OK && r != POL_R_RATE_LIMITED)
			bad++;
		while (pol_take_due(&f.ue, t, &rq)) {
			if (sends && t - last < min_gap)
				min_gap = t - last;
			last = t;
			sends++;
			pol_request_result(&f.ue, rq.group, POL_RES_OK, 0, 1,
					   t, &rng);
		}
	}
	CHECK(bad == 0);
	CHECK(sends >= 6 && sends <= 60000 / 5000 + 1);
	CHECK(min_gap >= 5000);
	CHECK(f.ue.stats.requests_sent == sends);
}

/*
 * A request that never reached the BM-SC, retried (mbmsd's start-up
 * grace): one window after its send, no backoff, no failure; a push
 * still answers it; nothing happens without a request in flight.
 */
static void test_retry_not_reached(void)
{
	struct fixture f;
	struct pol_request rq;
	int jit;

	for (jit = 0; jit < 2; jit++) {
		uint64_t win = jit ? 10000 : 1000, t;

		fx_init(&f, POL_MUK_RELAXED);
		f.cfg.jitter_ms = jit ? 10000 : 0;
		f.cfg.min_interval_ms = 1000;
		pol_muk_bootstrapped(&f.ue, 1, UINT64_MAX - 1);
		/* Idle: nothing to retry. */
		pol_request_retry(&f.ue, &f.groups[0], 5, &rng);
		CHECK(f.groups[0].req.state == POL_REQ_IDLE);
		CHECK(pol_request_trigger(&f.ue, &f.groups[0], 0, &rng0));
		t = pol_next_due(&f.ue);
		CHECK(pol_take_due(&f.ue, t, &rq));
		/* The connection was refused after 20 ms. */
		pol_request_retry(&f.ue, rq.group, t + 20, &rng);
		CHECK(f.groups[0].req.state == POL_REQ_SCHEDULED);
		CHECK(f.groups[0].req.failures == 0);
		CHECK(pol_next_due(&f.ue) == t + win);
		/* Scheduled: a second retry call changes nothing. */
		pol_request_retry(&f.ue, rq.group, t + 30, &rng);
		CHECK(pol_next_due(&f.ue) == t + win);
		CHECK(!pol_take_due(&f.ue, t + win - 1, &rq));
		CHECK(pol_take_due(&f.ue, t + win, &rq));
		/* A retry slower than the window goes out at once. */
		pol_request_retry(&f.ue, rq.group, t + 3 * win, &rng);
		CHECK(pol_next_due(&f.ue) == t + 3 * win);
		CHECK(f.ue.stats.requests_sent == 2);
		/* The BM-SC came up and pushed: nothing left to send. */
		CHECK(push(&f, MSK(1), 1, 0, 10).verdict == POL_OK);
		CHECK(pol_next_due(&f.ue) == POL_NEVER);
	}
}

static void test_backoff_schedule(void)
{
	struct fixture f;
	struct pol_request rq;
	uint64_t now = 0, prev_delay = 0, delay;
	int i, mono = 1, bounded = 1;

	fx_init(&f, POL_MUK_RELAXED);
	f.cfg.jitter_ms = 0;
	f.cfg.min_interval_ms = 1000;
	f.cfg.backoff_base_ms = 2000;
	f.cfg.backoff_max_ms = 64000;
	pol_muk_bootstrapped(&f.ue, 1, UINT64_MAX - 1);
	CHECK(pol_request_trigger(&f.ue, &f.groups[0], now, &rng));
	for (i = 1; i <= 20; i++) {
		uint64_t full = pol_backoff_ms(&f.cfg, i);

		CHECK(pol_take_due(&f.ue, pol_next_due(&f.ue), &rq));
		now = pol_next_due(&f.ue) == POL_NEVER ?
		      f.groups[0].req.window_start : now;
		pol_request_result(&f.ue, rq.group, POL_RES_FAILED, 0, 1, now,
				   &rng);
		delay = pol_next_due(&f.ue) - now;
		if (delay < full / 2 || delay > (full > 1000 ? full : 1000))
			bounded = 0;
		if (i > 1 && i < 6 && delay < prev_delay / 2)
			mono = 0;
		prev_delay = delay;
		now = pol_next_due(&f.ue);
	}
	CHECK(bounded);
	CHECK(mono);
	CHECK(f.groups[0].req.failures == 20);
	CHECK(prev_delay <= 64000 && prev_delay >= 32000);
	/* Success resets the backoff. */
	CHECK(pol_take_due(&f.ue, now, &rq));
	pol_request_result(&f.ue, rq.group, POL_RES_OK, 0, 1, now, &rng);
	CHECK(f.groups[0].req.failures == 0);
}

static void test_busy_retry_after(void)
{
	struct fixture f;
	struct pol_request rq;
	uint64_t due;

	fx_init(&f, POL_MUK_RELAXED);
	f.cfg.jitter_ms = 10000;
	f.cfg.retry_after_max_ms = 3600000;
	pol_muk_bootstrapped(&f.ue, 1, UINT64_MAX - 1);
	pol_request_trigger(&f.ue, &f.groups[0], 0, &rng0);
	CHECK(pol_take_due(&f.ue, 0, &rq));
	pol_request_result(&f.ue, rq.group, POL_RES_BUSY, 30000, 1, 100, &rng);
	due = pol_next_due(&f.ue);
	CHECK(due >= 30100 && due <= 40100);
	CHECK(pol_take_due(&f.ue, due, &rq));
	/* An absurd Retry-After is clamped. */
	pol_request_result(&f.ue, rq.group, POL_RES_BUSY, 0xffffffffu, 1,
			   due, &rng);
	CHECK(pol_next_due(&f.ue) <= due + 3600000 + 10000);
	CHECK(pol_next_due(&f.ue) >= due + 3600000);
	/* 503 without Retry-After: plain backoff. */
	CHECK(pol_take_due(&f.ue, pol_next_due(&f.ue), &rq));
	due = f.groups[0].req.window_start;
	pol_request_result(&f.ue, rq.group, POL_RES_BUSY, 0, 1, due, &rng);
	CHECK(pol_next_due(&f.ue) >= due + 10000);	/* window floor */
	CHECK(f.groups[0].req.failures == 3);
}

static void test_unauthorized(void)
{
	struct fixture f;
	struct pol_request rq;

	fx_init(&f, POL_MUK_RELAXED);
	f.cfg.jitter_ms = 0;
	pol_muk_bootstrapped(&f.ue, 1, UINT64_MAX - 1);
	pol_request_trigger(&f.ue, &f.groups[0], 0, &rng);
	CHECK(pol_take_due(&f.ue, 0, &rq) && !rq.bootstrap_first);
	/* 401: bootstrap once and retry at once. */
	pol_request_result(&f.ue, rq.group, POL_RES_UNAUTHORIZED, 0, 1, 10,
			   &rng);
	CHECK(f.ue.need_bootstrap && pol_next_due(&f.ue) == 10);
	CHECK(pol_take_due(&f.ue, 10, &rq) && rq.bootstrap_first);
	pol_muk_bootstrapped(&f.ue, 2, UINT64_MAX - 1);
	/* A second 401 in a row: back off, do not loop. */
	pol_request_result(&f.ue, rq.group, POL_RES_UNAUTHORIZED, 0, 2, 20,
			   &rng);
	CHECK(pol_next_due(&f.ue) > 20 + f.cfg.backoff_base_ms / 2 - 1);
	CHECK(f.groups[0].req.failures == 1 && !f.groups[0].req.reauth_tried);
	CHECK(f.ue.need_bootstrap);
	CHECK(pol_take_due(&f.ue, pol_next_due(&f.ue), &rq) &&
	      rq.bootstrap_first);
	pol_muk_bootstrapped(&f.ue, 3, UINT64_MAX - 1);
	pol_request_result(&f.ue, rq.group, POL_RES_OK, 0, 3, 5000, &rng);
	CHECK(f.ue.neg == f.ue.cur && f.ue.muk[f.ue.cur].gen == 3);
	CHECK(f.ue.stats.bootstraps_asked == 2);
}

static void test_bootstrap_slots(void)
{
	struct fixture f;

	fx_init(&f, POL_MUK_RELAXED);
	CHECK(pol_bootstrap_needed(&f.ue, 0));
	CHECK(pol_muk_bootstrapped(&f.ue, 1, 100) == 0);
	CHECK(!pol_bootstrap_needed(&f.ue, 99));
	CHECK(pol_bootstrap_needed(&f.ue, 100));
	/* Not negotiated yet: the next bootstrap may forget gen 1. */
	CHECK(pol_muk_bootstrapped(&f.ue, 2, 200) == 1);
	CHECK(!f.ue.muk[0].present && f.ue.neg == -1);
	f.ue.neg = f.ue.cur;	/* gen 2 negotiated (slot 1) */
	CHECK(pol_muk_bootstrapped(&f.ue, 3, 300) == 0);
	CHECK(pol_muk_bootstrapped(&f.ue, 4, 400) == 0);	/* gen 3 gone */
	CHECK(f.ue.muk[1].present && f.ue.muk[1].gen == 2 && f.ue.neg == 1);
	CHECK(pol_muk_current(&f.ue)->gen == 4);
	CHECK(pol_muk_negotiated(&f.ue)->gen == 2);
}

/*
 * The scenario of the seed in miniature: 200 UEs whose MUK expired when
 * the BM-SC sends a solicited pull; relaxed triggers exactly one request
 * (after a bootstrap) per UE, strict none; forged pulls trigger nothing.
 */
static void test_population(void)
{
	enum pol_muk_mode modes[2] = { POL_MUK_RELAXED, POL_MUK_STRICT };
	int mi, u;

	for (mi = 0; mi < 2; mi++) {
		uint64_t reqs = 0, boots = 0;

		for (u = 0; u < 200; u++) {
			struct fixture f;
			struct pol_muk_ref c[2];
			struct pol_request rq;
			enum pol_reason why;
			size_t n, i;
			bool ok = false;

			fx_init(&f, modes[mi]);
			f.cfg.jitter_ms = 2000;
			pol_muk_bootstrapped(&f.ue, 1, 1000 + u);
			f.ue.neg = f.ue.cur;
			/* A forged pull (no MAC verifies) first. */
			n = pol_muk_candidates(&f.ue, POL_MSG_SOLICITED_PULL,
					       5000, c, &why);
			pol_msk_msg_unauthenticated(&f.ue, POL_R_AUTH);
			/* Then the genuine one, MAC'd with gen 1. */
			for (i = 0; i < n && !ok; i++) {
				if (c[i].gen != 1)
					continue;
				ok = pol_msk_msg_authenticated(&f.ue,
					POL_MSG_SOLICITED_PULL, &c[i], KD,
					MSK(0), 7, 0, 0, 5000, &rng).verdict ==
					POL_OK;
			}
			if (!ok)
				pol_msk_msg_unauthenticated(&f.ue, why);
			while (pol_next_due(&f.ue) != POL_NEVER &&
			       pol_take_due(&f.ue, pol_next_due(&f.ue), &rq)) {
				reqs++;
				if (rq.bootstrap_first) {
					boots++;
					pol_muk_bootstrapped(&f.ue, 2, 99999);
				}
				pol_request_result(&f.ue, rq.group, POL_RES_OK,
						   0, 2, 9000, &rng);
			}
		}
		if (modes[mi] == POL_MUK_RELAXED)
			CHECK(reqs == 200 && boots == 200);
		else
			CHECK(reqs == 0 && boots == 0);
	}
}

int main(void)
{
	test_serial();
	test_backoff_and_rand();
	test_reason_names();
	test_classify();
	test_candidates();
	test_expired_not_negotiated();
	test_relaxed_pull();
	test_strict_pull();
	test_unauthenticated_pull();
	test_replay();
	test_msk_bookkeeping();
	test_order_newer_muk_wins();
	test_order_older_muk_stale();
	test_order_same_muk_by_counter();
	test_order_helpers();
	test_push_cancels_request();
	test_mtk();
	test_schedule_basic();
	test_unknown_mki_flood();
	test_window_after_ok();
	test_backoff_schedule();
	test_retry_not_reached();
	test_busy_retry_after();
	test_unauthorized();
	test_bootstrap_slots();
	test_population();
	return test_summary("mbmsd_policy_test");
}
