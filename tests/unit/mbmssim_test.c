// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of mbms-sim on small populations (seconds under ASan): the claims
 * issue 6 asks to check in make check, each on mbmsd's real policy code.
 *  - same seed, same result; another seed, another result;
 *  - relaxed never needs more key-management messages than strict;
 *  - forged and replayed solicited pulls are never accepted and change
 *    nothing but the rejection counters;
 *  - with jitter on, the BM-SC's peak request rate stays under its
 *    capacity (and with jitter off the same population exceeds it, so the
 *    check can fail);
 *  - recovery through the unknown-MKI path when every pull is lost;
 *  - a fresh GBA key is registered when the bootstrap ends, as mbmsd's
 *    requests_bootstrapped() does, so a push that overtakes the HTTP
 *    response verifies.
 */
#include <math.h>
#include <stdlib.h>

#include "../../userspace/mbms-sim/sim.h"
#include "test.h"

static void small(struct sim_params *p, uint64_t seed, enum pol_muk_mode m,
		  uint32_t jitter_ms)
{
	sim_preset(p, "small");
	p->n_ue = 1000;
	p->capacity = 100;
	p->seed = seed;
	p->mode = m;
	p->jitter_ms = jitter_ms;
	p->horizon_s = 700;
	p->offline_max_s = 300;
}

static int run(const struct sim_params *p, struct sim_result *r)
{
	int rc = sim_run(p, r);

	CHECK(rc == 0);
	return rc;
}

static int same_result(const struct sim_result *a, const struct sim_result *b)
{
	return a->mikey_pull == b->mikey_pull &&
	       a->mikey_push == b->mikey_push &&
	       a->mikey_verif == b->mikey_verif &&
	       a->http_req == b->http_req && a->http_200 == b->http_200 &&
	       a->http_401 == b->http_401 && a->http_503 == b->http_503 &&
	       a->bootstraps == b->bootstraps &&
	       a->pull_accepted == b->pull_accepted &&
	       a->pull_accepted_expired == b->pull_accepted_expired &&
	       a->mki_triggers == b->mki_triggers &&
	       a->updated == b->updated &&
	       a->missed_start == b->missed_start &&
	       a->nrate == b->nrate &&
	       !memcmp(a->rate, b->rate, a->nrate * sizeof(*a->rate)) &&
	       !memcmp(a->delay_ms, b->delay_ms,
		       a->p.n_ue * sizeof(*a->delay_ms));
}

static void test_determinism(void)
{
	struct sim_params p;
	struct sim_result a, b, c;

	small(&p, 7, POL_MUK_RELAXED, 20000);
	if (run(&p, &a) || run(&p, &b))
		return;
	CHECK(same_result(&a, &b));
	CHECK(a.events == b.events);
	p.seed = 8;
	if (!run(&p, &c)) {
		CHECK(!same_result(&a, &c));
		sim_result_free(&c);
	}
	sim_result_free(&a);
	sim_result_free(&b);
}

static uint64_t mikey(const struct sim_result *r)
{
	return r->mikey_pull + r->mikey_push + r->mikey_verif;
}

/*
 * The contribution's claim, per seed and per jitter setting: strict needs
 * at least as many messages as relaxed (in total, MIKEY and GBA), and
 * with jitter on relaxed updates the UEs sooner and loses fewer starts.
 */
static void test_relaxed_not_more_messages(void)
{
	static const uint32_t jitters[] = { 0, 20000 };
	struct sim_params p;
	struct sim_result rel, str;
	uint64_t seed;
	size_t j;

	for (seed = 1; seed <= 4; seed++) {
		for (j = 0; j < 2; j++) {
			small(&p, seed, POL_MUK_RELAXED, jitters[j]);
			if (run(&p, &rel))
				return;
			p.mode = POL_MUK_STRICT;
			if (run(&p, &str)) {
				sim_result_free(&rel);
				return;
			}
			CHECK(sim_total_msgs(&rel) <= sim_total_msgs(&str));
			CHECK(mikey(&rel) <= mikey(&str));
			CHECK(rel.bootstraps <= str.bootstraps);
			/* Strict refuses every pull under an expired MUK. */
			CHECK(rel.pull_accepted_expired > 0);
			CHECK(str.pull_accepted_expired == 0 &&
			      str.pull_rejected > 0);
			/*
			 * The daemon bootstraps before it would use a stale
			 * key: a 401 only when a key expires in flight.
			 */
			CHECK(rel.http_401 * 100 <= rel.http_req &&
			      str.http_401 * 100 <= str.http_req);
			if (jitters[j]) {
				CHECK(rel.missed_start < str.missed_start);
				CHECK(sim_delay_quantile(&rel, 0.5) <
				      sim_delay_quantile(&str, 0.5));
			}
			sim_result_free(&rel);
			sim_result_free(&str);
		}
	}
}

/* Forged and replayed pulls: rejected, and the run is otherwise identical. */
static void test_hostile_pulls(void)
{
	static const enum pol_muk_mode modes[] = { POL_MUK_RELAXED,
						   POL_MUK_STRICT };
	struct sim_params p;
	struct sim_result clean, hostile;
	uint64_t rej_clean, rej_hostile;
	size_t m;

	for (m = 0; m < 2; m++) {
		small(&p, 3, modes[m], 20000);
		if (run(&p, &clean))
			return;
		p.forged_per_ue = 3;
		p.replays_per_ue = 2;
		if (run(&p, &hostile)) {
			sim_result_free(&clean);
			return;
		}
		CHECK(hostile.hostile_delivered > 3000);
		CHECK(hostile.hostile_accepted == 0);
		CHECK(clean.hostile_delivered == 0);
		/* Every hostile pull is refused: MAC, replay or expired. */
		rej_clean = clean.rejected_auth + clean.rejected_replay +
			    clean.rejected_expired;
		rej_hostile = hostile.rejected_auth + hostile.rejected_replay +
			      hostile.rejected_expired;
		CHECK(rej_hostile - rej_clean == hostile.hostile_delivered);
		CHECK(hostile.rejected_replay > 0);
		/* ... and triggers nothing: same requests, keys, delays. */
		CHECK(same_result(&clean, &hostile));
		sim_result_free(&clean);
		sim_result_free(&hostile);
	}
}

static void test_jitter_under_capacity(void)
{
	static const enum pol_muk_mode modes[] = { POL_MUK_RELAXED,
						   POL_MUK_STRICT };
	struct sim_params p;
	struct sim_result r;
	uint64_t seed;
	size_t m;

	for (seed = 11; seed <= 13; seed++) {
		for (m = 0; m < 2; m++) {
			/* 1000 UEs over 20 s: 50/s on average, capacity 100. */
			small(&p, seed, modes[m], 20000);
			if (run(&p, &r))
				return;
			CHECK(r.peak_rate < p.capacity);
			CHECK(r.http_503 == 0);
			sim_result_free(&r);
			/* Without jitter the same population overloads it. */
			p.jitter_ms = 0;
			if (run(&p, &r))
				return;
			CHECK(r.peak_rate >= p.capacity);
			sim_result_free(&r);
		}
	}
}

/* Every pull lost: the unknown-MKI path brings every online UE the key. */
static void test_recovery_by_unknown_mki(void)
{
	struct sim_params p;
	struct sim_result r;

	small(&p, 5, POL_MUK_RELAXED, 20000);
	p.pull_loss = 1.0;
	p.push_loss = 0;
	p.offline = 0;
	if (run(&p, &r))
		return;
	CHECK(r.pull_delivered == 0);
	CHECK(r.mki_triggers >= p.n_ue);
	CHECK(r.updated == p.n_ue);
	CHECK(isfinite(sim_delay_quantile(&r, 1.0)));
	/* Nobody asks before the new MSK's packets arrive. */
	CHECK(r.delay_ms[0] >= (uint64_t)(p.lead_s * 1000));
	sim_result_free(&r);
}

/*
 * The BM-SC's push arrives 20 ms after the 200, the response 50 ms after:
 * every push under a key bootstrapped for that request still verifies,
 * because the key was registered before the request went out.  With the
 * key registered only with the HTTP response, each of them failed the MAC
 * check and waited for the BM-SC's resend.
 */
static void test_push_overtakes_response(void)
{
	static const enum pol_muk_mode modes[] = { POL_MUK_RELAXED,
						   POL_MUK_STRICT };
	struct sim_params p;
	struct sim_result r;
	size_t m;

	for (m = 0; m < 2; m++) {
		small(&p, 9, modes[m], 20000);
		p.push_delay_s = 0.02;
		p.push_loss = 0;
		if (run(&p, &r))
			return;
		CHECK(p.push_delay_s < p.rtt_s / 2);
		CHECK(r.bootstraps > p.n_ue / 10);
		CHECK(r.push_rejected == 0);
		/* No resend either: one push per 200, each verified. */
		CHECK(r.mikey_push == r.http_200);
		CHECK(r.updated == p.n_ue);
		sim_result_free(&r);
	}
}

static void test_params(void)
{
	struct sim_params p;
	struct sim_dist d;
	char err[256];

	sim_params_default(&p);
	CHECK(sim_params_check(&p, err, sizeof(err)) == 0);
	p.mtk_delta_s = p.mtk_period_s;
	CHECK(sim_params_check(&p, err, sizeof(err)) == -1 &&
	      strstr(err, "--mtk-delta"));
	CHECK(sim_preset(&p, "nope") == -1);
	CHECK(sim_dist_parse("uniform:10:20", &d, err, sizeof(err)) == 0 &&
	      d.kind == SIM_DIST_UNIFORM && d.a == 10 && d.b == 20);
	CHECK(sim_dist_draw_ms(&d, 0.5) == 15000);
	CHECK(sim_dist_parse("uniform:20:10", &d, err, sizeof(err)) == -1);
	CHECK(sim_dist_parse("exp:-1", &d, err, sizeof(err)) == -1);
	CHECK(sim_dist_parse("fixed", &d, err, sizeof(err)) == -1);
	CHECK(sim_dist_parse("gauss:1", &d, err, sizeof(err)) == -1);
	CHECK(sim_dist_parse("fixed:3600", &d, err, sizeof(err)) == 0 &&
	      sim_dist_draw_ms(&d, 0.9) == 3600000);
	/* Common random numbers: a pure function of its inputs. */
	CHECK(sim_u01(1, 2, 3, 4) == sim_u01(1, 2, 3, 4));
	CHECK(sim_u01(1, 2, 3, 4) != sim_u01(2, 2, 3, 4));
}

int main(void)
{
	test_params();
	test_determinism();
	test_relaxed_not_more_messages();
	test_hostile_pulls();
	test_jitter_under_capacity();
	test_recovery_by_unknown_mki();
	test_push_overtakes_response();
	return test_summary("mbmssim_test");
}
