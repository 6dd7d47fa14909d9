// SPDX-License-Identifier: GPL-2.0
/*
 * mbms-sim model: the UEs (each a struct pol_ue driven only through
 * policy.h, in the order mbmsd's rx.c and requests.c call it), the BM-SC
 * (solicited pulls, the MSK-request endpoint with a finite capacity, MSK
 * pushes with retransmission) and the broadcast bearer (MTK messages,
 * unknown-MKI events), as one discrete-event simulation.
 *
 * What is modelled rather than computed: a MIKEY MAC verifies when the
 * receiver tries the MUK generation the sender used and the message is not
 * forged; everything a UE decides comes from libmbmspolicy.a.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eventq.h"
#include "sim.h"

static const uint8_t KD[POL_KEY_DOMAIN_LEN] = { 0x26, 0x20, 0x01 };
#define KG 0x0101u
#define MSK_ID(kn) ((uint32_t)KG << 16 | (kn))
#define MSK_PULL MSK_ID(POL_KEY_NUMBER_CURRENT)
#define MSK_OLD 1u
#define MSK_NEW 2u

/*
 * Simulated time starts here (ms) rather than at 0, so that a MUK can have
 * expired long before the run begins without negative times.
 */
#define BASE_MS (8ULL * 86400 * 1000)

enum ev_type {
	EV_PULL_SEND,		/* a: attempt */
	EV_PULL_ARRIVE,		/* a: MUK gen, b: counter */
	EV_PULL_TIMEOUT,	/* a: attempt */
	EV_WAKE,		/* the UE's request is due */
	EV_BOOT_DONE,		/* the worker's GBA bootstrap job ended */
	EV_REQ_ARRIVE,		/* at the BM-SC */
	EV_RESP_ARRIVE,		/* a: HTTP status, b: Retry-After ms */
	EV_PUSH_SEND,		/* a: push round */
	EV_PUSH_ARRIVE,		/* a: gen | key number << 31, b: counter */
	EV_VERIF_ARRIVE,
	EV_PUSH_TIMEOUT,	/* a: push round */
	EV_MTK,			/* a: MTK ID, b: counter */
	EV_MKI,			/* kernel unknown-MKI event */
	EV_MTK_FIRST,		/* what-if: first MTK message seen */
	EV_ATTACK,		/* a: 0 forged, 1 replay */
};

/* Streams of sim_u01(): one per kind of random decision. */
enum {
	R_EXPIRED, R_KEYAGE, R_LIFETIME, R_OFFLINE, R_BACK, R_PULL_LOSS,
	R_PUSH_LOSS, R_VERIF_LOSS, R_ATTACK_T, R_POLICY,
};

struct ue {
	struct pol_ue pol;
	struct pol_group grp;
	uint64_t rng;			/* the policy's random source */
	uint64_t wake_at;		/* queued EV_WAKE, POL_NEVER none */
	uint64_t online_at;
	uint64_t msk_at, mtk_at;	/* new MSK / its first MTK held */
	uint64_t mki_start;		/* first unknown-MKI event */
	uint32_t next_gen;
	/* GBA as the BSF knows it: expiry of the newest key */
	uint32_t bsf_gen;
	uint64_t bsf_exp;
	/* the bootstrap job running, if any: key gen, start, lifetime */
	uint32_t boot_gen;
	uint64_t boot_start;
	uint64_t boot_life;
	/* the HTTP request in flight: key gen, expiry at the BSF */
	uint32_t req_gen;
	uint64_t req_exp;
	bool mki_parked;
	/* BM-SC's view of this UE */
	bool bm_pull_expired;
	bool requested_since_pull;
	bool push_pending;
	bool seen_pull;
	uint32_t bm_gen, bm_pull_gen, bm_ctr;
	uint64_t bm_exp;
	uint32_t push_round, push_tries, push_gen, push_kn;
	uint32_t pulls_sent, pushes_sent, verifs_sent;
	uint32_t seen_gen, seen_ctr;	/* last genuine pull, for replays */
};

struct sim {
	const struct sim_params *p;
	struct sim_result *r;
	struct pol_config cfg;
	struct ue *ue;
	struct eventq q;
	uint64_t now, t_change, t_use, t_end;
	uint64_t half_rtt, gba, push_delay, mtk_first, mtk_period, mtk_repeat;
	uint64_t server_free_us, service_us, queue_max_us;
	bool oom;
};

static uint64_t ms(double s)
{
	return (uint64_t)llround(s * 1000.0);
}

static void post(struct sim *s, uint64_t t, enum ev_type type, uint32_t ue,
		 uint32_t a, uint32_t b)
{
	if (t > s->t_end)
		return;		/* beyond the horizon: never runs */
	if (eventq_push(&s->q, t, (uint8_t)type, ue, a, b))
		s->oom = true;
}

static double u01(const struct sim *s, uint32_t what, uint32_t ue, uint32_t n)
{
	return sim_u01(s->p->seed, what, ue, n);
}

static bool online(const struct sim *s, const struct ue *u)
{
	return s->now >= u->online_at;
}

static struct pol_rng rng_of(struct ue *u)
{
	return (struct pol_rng){ sim_splitmix_next, &u->rng };
}

/* ---- UE side ------------------------------------------------------------- */

/*
 * Packets under the unknown MSK keep arriving (every few ms), and the
 * kernel raises an event at most once per mki_interval: events fall on
 * that grid from the first one.  The next one strictly after now.
 */
static uint64_t next_mki(const struct sim *s, const struct ue *u)
{
	uint64_t iv = s->p->mki_interval_ms;

	if (s->now < u->mki_start)
		return u->mki_start;
	return u->mki_start + ((s->now - u->mki_start) / iv + 1) * iv;
}

/*
 * After every policy call: queue a wake-up for a newly due request, and
 * resume unknown-MKI events once the key group is idle again.  While a
 * request is scheduled or in flight, pol_unknown_mki() can only answer
 * RATE_LIMITED and change nothing but that counter, so the simulator
 * skips those calls ("parks") instead of making them every 100 ms.
 */
static void ue_sync(struct sim *s, uint32_t i)
{
	struct ue *u = &s->ue[i];
	uint64_t due = pol_next_due(&u->pol);

	if (due == POL_NEVER) {
		u->wake_at = POL_NEVER;
	} else if (due != u->wake_at) {
		u->wake_at = due;
		post(s, due > s->now ? due : s->now, EV_WAKE, i, 0, 0);
	}
	if (u->mki_parked && u->grp.req.state == POL_REQ_IDLE &&
	    u->msk_at == POL_NEVER) {
		u->mki_parked = false;
		post(s, next_mki(s, u), EV_MKI, i, 0, 0);
	}
}

/*
 * An MSK-type MIKEY message reaches the UE: classify, try the candidate
 * MUKs (rx.c's verify_with_candidates), then let the policy decide.
 * Returns 0 when the policy accepted it; then *@verify says whether rx.c
 * would send a verification message (pol_verification_due()).
 */
static int ue_rx_msk(struct sim *s, struct ue *u, uint32_t msk_id,
		     bool has_key, bool v_bit, uint32_t gen, uint32_t ctr,
		     bool authentic, struct pol_msk_action *act, bool *verify)
{
	struct pol_rng rng = rng_of(u);
	struct pol_muk_ref c[2];
	enum pol_msg_kind kind;
	enum pol_reason why;
	size_t n, i;
	int ok = -1;

	kind = pol_classify_msk_msg(msk_id, has_key, v_bit, &why);
	if (kind == POL_MSG_INVALID) {
		pol_msk_msg_unauthenticated(&u->pol, why);
		return -1;
	}
	n = pol_muk_candidates(&u->pol, kind, s->now, c, &why);
	if (n)
		why = POL_R_AUTH;
	for (i = 0; i < n && ok < 0; i++)
		if (authentic && c[i].gen == gen)
			ok = (int)i;
	if (ok < 0) {
		pol_msk_msg_unauthenticated(&u->pol, why);
		return -1;
	}
	*act = pol_msk_msg_authenticated(&u->pol, kind, &c[ok], KD, msk_id,
					 ctr, 0, has_key ? 0xffff : 0, s->now,
					 &rng);
	if (act->verdict != POL_OK)
		return -1;
	*verify = pol_verification_due(&u->pol, &c[ok], v_bit);
	return 0;
}

static void ev_pull_arrive(struct sim *s, uint32_t i, uint32_t gen,
			   uint32_t ctr)
{
	struct ue *u = &s->ue[i];
	struct pol_msk_action act;
	bool verify;

	if (!online(s, u))
		return;
	s->r->pull_delivered++;
	if (ue_rx_msk(s, u, MSK_PULL, false, false, gen, ctr, true, &act,
		      &verify))
		s->r->pull_rejected++;
	u->seen_pull = true;
	u->seen_gen = gen;
	u->seen_ctr = ctr;
	ue_sync(s, i);
}

/* Hostile pulls: forged (no valid MAC) or a replay of the genuine one. */
static void ev_attack(struct sim *s, uint32_t i, uint32_t replay)
{
	struct ue *u = &s->ue[i];
	struct pol_msk_action act;
	bool verify;
	uint64_t before = u->pol.stats.accepted_pull;

	if (!online(s, u))
		return;
	s->r->hostile_delivered++;
	if (replay && u->seen_pull)
		ue_rx_msk(s, u, MSK_PULL, false, false, u->seen_gen,
			  u->seen_ctr, true, &act, &verify);
	else	/* names the right MUK and a fresh counter, but no MAC */
		ue_rx_msk(s, u, MSK_PULL, false, false, u->bm_gen,
			  u->bm_ctr + 1, false, &act, &verify);
	if (u->pol.stats.accepted_pull != before)
		s->r->hostile_accepted++;
	ue_sync(s, i);
}

/* The next MTK message at or after @t: its time, MTK ID and counter. */
static uint64_t next_mtk_msg(const struct sim *s, uint64_t t, uint32_t *id,
			     uint32_t *ctr)
{
	uint64_t per = (s->mtk_period + s->mtk_repeat - 1) / s->mtk_repeat;
	uint64_t k = 1, j = 0, x, off;

	if (t > s->mtk_first) {
		x = t - s->mtk_first;
		k = x / s->mtk_period + 1;
		off = x - (k - 1) * s->mtk_period;
		j = (off + s->mtk_repeat - 1) / s->mtk_repeat;
		if (j >= per) {
			k++;
			j = 0;
		}
	}
	*id = (uint32_t)k;
	*ctr = (uint32_t)((k - 1) * per + j + 1);
	return s->mtk_first + (k - 1) * s->mtk_period + j * s->mtk_repeat;
}

static void ev_push_arrive(struct sim *s, uint32_t i, uint32_t a,
			   uint32_t ctr)
{
	struct ue *u = &s->ue[i];
	struct pol_msk_action act;
	bool verify;
	uint32_t kn = a >> 31 ? MSK_OLD : MSK_NEW, id, mctr;
	uint64_t t;

	if (!online(s, u))
		return;
	if (ue_rx_msk(s, u, MSK_ID(kn), true, true, a & 0x7fffffff, ctr, true,
		      &act, &verify)) {
		s->r->push_rejected++;
		ue_sync(s, i);
		return;
	}
	if (act.store_msk && kn == MSK_NEW && u->msk_at == POL_NEVER) {
		u->msk_at = s->now;
		t = next_mtk_msg(s, s->now, &id, &mctr);
		post(s, t, EV_MTK, i, id, mctr);
	}
	/*
	 * V bit: the verification message goes back, unless the push came
	 * under a MUK other than the UE's last generated one (§6.3.2.3.1):
	 * then the BM-SC's push timer resends it.
	 */
	if (!verify) {
		s->r->verif_withheld++;
		ue_sync(s, i);
		return;
	}
	s->r->mikey_verif++;
	if (u01(s, R_VERIF_LOSS, i, u->verifs_sent++) >= s->p->push_loss)
		post(s, s->now + s->half_rtt, EV_VERIF_ARRIVE, i, 0, 0);
	ue_sync(s, i);
}

static void ev_mtk(struct sim *s, uint32_t i, uint32_t id, uint32_t ctr)
{
	struct ue *u = &s->ue[i];
	struct pol_msk *m;

	if (pol_mtk_precheck(&u->pol, KD, MSK_ID(MSK_NEW), (uint16_t)id, &m))
		return;
	if (pol_mtk_authenticated(&u->pol, m, (uint16_t)id, ctr) == POL_OK &&
	    u->mtk_at == POL_NEVER)
		u->mtk_at = s->now;
}

/* The kernel reports packets under an MSK the UE lacks. */
static void ev_mki(struct sim *s, uint32_t i)
{
	struct ue *u = &s->ue[i];
	struct pol_rng rng = rng_of(u);

	if (u->msk_at != POL_NEVER)
		return;		/* held: only KNOWN_MSK events from now on */
	if (u->grp.req.state != POL_REQ_IDLE) {
		u->mki_parked = true;
		return;
	}
	if (pol_unknown_mki(&u->pol, KD, MSK_ID(MSK_NEW), s->now, &rng) ==
	    POL_OK)
		s->r->mki_triggers++;
	u->mki_parked = true;
	ue_sync(s, i);
}

/* What-if: the first MTK message under the unknown MSK triggers. */
static void ev_mtk_first(struct sim *s, uint32_t i)
{
	struct ue *u = &s->ue[i];
	struct pol_rng rng = rng_of(u);
	struct pol_msk *m;
	uint32_t id, ctr;

	if (u->msk_at != POL_NEVER)
		return;
	next_mtk_msg(s, s->now, &id, &ctr);
	/* mbmsd's own answer: unknown MSK, counted, nothing else. */
	if (pol_mtk_precheck(&u->pol, KD, MSK_ID(MSK_NEW), (uint16_t)id,
			     &m) != POL_R_UNKNOWN_MSK)
		return;
	if (pol_request_trigger(&u->pol, &u->grp, s->now, &rng))
		s->r->mtk_triggers++;
	ue_sync(s, i);
}

/*
 * As requests_make_job() for an HTTP job: sign with the current MUK and
 * send.  The BM-SC asks the BSF about that key, which knows its own
 * expiry.
 */
static void ue_send_request(struct sim *s, uint32_t i)
{
	struct ue *u = &s->ue[i];
	const struct pol_muk *cur = pol_muk_current(&u->pol);

	u->req_gen = cur->gen;
	u->req_exp = cur->gen == u->bsf_gen ? u->bsf_exp : cur->expires;
	post(s, s->now + s->half_rtt, EV_REQ_ARRIVE, i, 0, 0);
}

static void ev_wake(struct sim *s, uint32_t i, uint64_t t)
{
	struct ue *u = &s->ue[i];
	struct pol_request rq;

	if (t != u->wake_at)
		return;		/* superseded */
	u->wake_at = POL_NEVER;
	if (!pol_take_due(&u->pol, s->now, &rq)) {
		ue_sync(s, i);
		return;
	}
	if (!rq.bootstrap_first) {
		ue_send_request(s, i);
		return;
	}
	/*
	 * A fresh key first: the worker's bootstrap job (WORKER_BOOTSTRAP),
	 * its start time read before GBA runs (worker_run_job()).
	 */
	s->r->bootstraps++;
	u->boot_gen = u->next_gen++;
	u->boot_start = s->now;
	u->boot_life = sim_dist_draw_ms(&s->p->lifetime,
					u01(s, R_LIFETIME, i, u->boot_gen));
	post(s, s->now + s->gba, EV_BOOT_DONE, i, 0, 0);
}

/*
 * As requests_bootstrapped(): the BSF issued the key (at the end of the
 * run, the latest it can have); the loop registers it with its expiry
 * counted from the bootstrap's start -- never after the BSF's -- before
 * the HTTP job signed with it goes out, so that a push under the new key
 * that overtakes the HTTP response verifies.  The request stays in
 * flight throughout.
 */
static void ev_boot_done(struct sim *s, uint32_t i)
{
	struct ue *u = &s->ue[i];

	u->bsf_gen = u->boot_gen;
	u->bsf_exp = s->now + u->boot_life;
	pol_muk_bootstrapped(&u->pol, u->boot_gen,
			     u->boot_start + u->boot_life);
	ue_send_request(s, i);
	ue_sync(s, i);
}

static void ev_resp_arrive(struct sim *s, uint32_t i, uint32_t status,
			   uint32_t retry_after_ms)
{
	struct ue *u = &s->ue[i];
	struct pol_rng rng = rng_of(u);
	enum pol_result res = status == 200 ? POL_RES_OK :
			      status == 401 ? POL_RES_UNAUTHORIZED :
					      POL_RES_BUSY;

	/* As requests_complete(): a fresh MUK is registered already. */
	pol_request_result(&u->pol, &u->grp, res, retry_after_ms, u->req_gen,
			   s->now, &rng);
	ue_sync(s, i);
}

/* ---- BM-SC side ------------------------------------------------------------ */

static void ev_pull_send(struct sim *s, uint32_t i, uint32_t attempt)
{
	struct ue *u = &s->ue[i];
	uint32_t ctr = ++u->bm_ctr;

	s->r->mikey_pull++;
	/* The last MUK it negotiated, expired or not (the contribution). */
	if (u->bm_exp <= s->now) {
		u->bm_pull_expired = true;
		u->bm_pull_gen = u->bm_gen;
	}
	u->requested_since_pull = false;
	if (u01(s, R_PULL_LOSS, i, u->pulls_sent++) >= s->p->pull_loss)
		post(s, s->now + s->half_rtt, EV_PULL_ARRIVE, i, u->bm_gen,
		     ctr);
	if (attempt < s->p->pull_retries)
		post(s, s->now + ms(s->p->pull_timeout_s), EV_PULL_TIMEOUT, i,
		     attempt, 0);
}

static void ev_pull_timeout(struct sim *s, uint32_t i, uint32_t attempt)
{
	/* No request from the UE since the pull: lost or refused. */
	if (!s->ue[i].requested_since_pull)
		ev_pull_send(s, i, attempt + 1);
}

static void ev_push_send(struct sim *s, uint32_t i, uint32_t round)
{
	struct ue *u = &s->ue[i];
	uint32_t ctr;

	if (round != u->push_round || !u->push_pending)
		return;
	ctr = ++u->bm_ctr;	/* a resend is a new message: new counter */
	s->r->mikey_push++;
	if (u01(s, R_PUSH_LOSS, i, u->pushes_sent++) >= s->p->push_loss)
		post(s, s->now + ms(s->p->push_delay_s), EV_PUSH_ARRIVE, i,
		     u->push_gen | (u->push_kn == MSK_OLD ? 1u << 31 : 0),
		     ctr);
	if (u->push_tries < s->p->push_retries)
		post(s, s->now + ms(s->p->push_timeout_s), EV_PUSH_TIMEOUT, i,
		     round, 0);
}

static void ev_push_timeout(struct sim *s, uint32_t i, uint32_t round)
{
	struct ue *u = &s->ue[i];

	if (round != u->push_round || !u->push_pending)
		return;
	u->push_tries++;
	ev_push_send(s, i, round);
}

/*
 * The MSK-request endpoint: one FIFO server of @capacity requests/s.  A
 * request that would wait longer than queue_max_s is answered 503 with
 * Retry-After at once: a real web server's backlog is bounded, and
 * queueing without bound would turn a burst into minutes of latency that
 * the UE's HTTP timeout would turn into failures anyway; a 503 tells the
 * UE when to come back, and mbmsd adds its jitter to that.
 */
static void ev_req_arrive(struct sim *s, uint32_t i)
{
	struct ue *u = &s->ue[i];
	uint64_t now_us = s->now * 1000, start, done;
	size_t sec = (size_t)((s->now - BASE_MS) / 1000);
	uint32_t status = 200;

	s->r->http_req++;
	if (sec < s->r->nrate)
		s->r->rate[sec]++;
	u->requested_since_pull = true;
	start = s->server_free_us > now_us ? s->server_free_us : now_us;
	if (start - now_us > s->queue_max_us) {
		s->r->http_503++;
		post(s, s->now + s->half_rtt, EV_RESP_ARRIVE, i, 503,
		     s->p->retry_after_s * 1000);
		return;
	}
	s->server_free_us = start + s->service_us;
	done = (s->server_free_us + 999) / 1000;
	if (u->req_exp <= done) {
		status = 401;	/* the BSF says the key has expired */
	} else if (u->bm_pull_expired && u->req_gen == u->bm_pull_gen) {
		/*
		 * After a pull under an expired MUK the next request must
		 * come with a fresh one: "negotiation indication required".
		 */
		status = 401;
	}
	if (status == 401) {
		s->r->http_401++;
	} else {
		s->r->http_200++;
		u->bm_gen = u->req_gen;
		u->bm_exp = u->req_exp;
		u->bm_pull_expired = false;
		u->push_round++;
		u->push_pending = true;
		u->push_tries = 0;
		u->push_gen = u->req_gen;
		u->push_kn = done >= s->t_change ? MSK_NEW : MSK_OLD;
		post(s, done, EV_PUSH_SEND, i, u->push_round, 0);
	}
	post(s, done + s->half_rtt, EV_RESP_ARRIVE, i, status, 0);
}

/* ---- set-up, run, results -------------------------------------------------- */

static void ue_setup(struct sim *s, uint32_t i)
{
	const struct sim_params *p = s->p;
	struct ue *u = &s->ue[i];
	struct pol_rng rng;
	struct pol_muk m = { .present = true, .gen = 1 };
	struct pol_muk_ref c[2];
	struct pol_msk_action act;
	uint64_t life, age, t0;
	uint32_t k;

	memset(u, 0, sizeof(*u));
	memcpy(u->grp.key_domain, KD, sizeof(KD));
	u->grp.key_group = KG;
	pol_ue_init(&u->pol, &s->cfg, &u->grp, 1);
	u->rng = sim_mix64(sim_mix64(p->seed ^ R_POLICY) ^ i);
	rng = rng_of(u);
	u->wake_at = POL_NEVER;
	u->msk_at = POL_NEVER;
	u->mtk_at = POL_NEVER;

	/* MUK gen 1, current and negotiated, as the key store restores it. */
	life = sim_dist_draw_ms(&p->lifetime, u01(s, R_LIFETIME, i, 1));
	age = (uint64_t)(u01(s, R_KEYAGE, i, 0) * (double)life);
	if (u01(s, R_EXPIRED, i, 0) < p->expired)
		m.expires = s->t_change - 1 - (age < s->t_change - 1 ? age :
					      s->t_change - 2);
	else
		m.expires = s->t_change + 1 + age;
	pol_muk_restore(&u->pol, 0, &m, true, true);
	u->next_gen = 2;
	u->bsf_gen = 1;
	u->bm_gen = 1;
	u->bsf_exp = m.expires;
	u->bm_exp = m.expires;

	/* The old MSK, pushed while that MUK was valid. */
	t0 = (m.expires < s->t_change ? m.expires : s->t_change) - 1;
	s->now = t0;
	u->bm_ctr = 1;
	if (pol_muk_candidates(&u->pol, POL_MSG_PUSH, t0, c, NULL) == 1)
		act = pol_msk_msg_authenticated(&u->pol, POL_MSG_PUSH, &c[0],
						KD, MSK_ID(MSK_OLD), 1, 0,
						0xffff, t0, &rng);
	s->now = BASE_MS;

	u->online_at = BASE_MS;
	if (u01(s, R_OFFLINE, i, 0) < p->offline)
		u->online_at = s->t_change +
			       ms(u01(s, R_BACK, i, 0) * p->offline_max_s);

	post(s, s->t_change + (p->pull_rate > 0 ? ms(i / p->pull_rate) : 0),
	     EV_PULL_SEND, i, 0, 0);
	u->mki_start = s->t_use > u->online_at ? s->t_use : u->online_at;
	post(s, u->mki_start, EV_MKI, i, 0, 0);
	if (p->mtk_trigger)
		post(s, s->mtk_first > u->online_at ? s->mtk_first :
		     u->online_at, EV_MTK_FIRST, i, 0, 0);
	for (k = 0; k < p->forged_per_ue + p->replays_per_ue; k++)
		post(s, s->t_change + s->half_rtt + 1 +
		     ms(u01(s, R_ATTACK_T, i, k) * 2 * p->lead_s),
		     EV_ATTACK, i, k >= p->forged_per_ue, 0);
	(void)act;
}

static void dispatch(struct sim *s, const struct sim_event *e)
{
	switch (e->type) {
	case EV_PULL_SEND:
		ev_pull_send(s, e->ue, e->a);
		break;
	case EV_PULL_ARRIVE:
		ev_pull_arrive(s, e->ue, e->a, e->b);
		break;
	case EV_PULL_TIMEOUT:
		ev_pull_timeout(s, e->ue, e->a);
		break;
	case EV_WAKE:
		ev_wake(s, e->ue, e->t);
		break;
	case EV_BOOT_DONE:
		ev_boot_done(s, e->ue);
		break;
	case EV_REQ_ARRIVE:
		ev_req_arrive(s, e->ue);
		break;
	case EV_RESP_ARRIVE:
		ev_resp_arrive(s, e->ue, e->a, e->b);
		break;
	case EV_PUSH_SEND:
		ev_push_send(s, e->ue, e->a);
		break;
	case EV_PUSH_ARRIVE:
		ev_push_arrive(s, e->ue, e->a, e->b);
		break;
	case EV_VERIF_ARRIVE:
		s->ue[e->ue].push_pending = false;
		break;
	case EV_PUSH_TIMEOUT:
		ev_push_timeout(s, e->ue, e->a);
		break;
	case EV_MTK:
		ev_mtk(s, e->ue, e->a, e->b);
		break;
	case EV_MKI:
		ev_mki(s, e->ue);
		break;
	case EV_MTK_FIRST:
		ev_mtk_first(s, e->ue);
		break;
	case EV_ATTACK:
		ev_attack(s, e->ue, e->a);
		break;
	default:
		break;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void collect(struct sim *s)
{
	struct sim_result *r = s->r;
	size_t k;
	uint32_t i;

	for (i = 0; i < s->p->n_ue; i++) {
		const struct ue *u = &s->ue[i];

		r->delay_ms[i] = u->msk_at == POL_NEVER ? UINT64_MAX :
			       u->msk_at - s->t_change;
		if (u->msk_at != POL_NEVER)
			r->updated++;
		if (u->online_at <= s->t_use) {
			r->online_at_start++;
			if (u->mtk_at == POL_NEVER || u->mtk_at > s->t_use)
				r->missed_start++;
		}
		r->pull_accepted_expired += u->pol.stats.accepted_pull_expired;
		r->rejected_auth += u->pol.stats.rejected[POL_R_AUTH];
		r->rejected_replay += u->pol.stats.rejected[POL_R_REPLAY];
		r->rejected_expired +=
			u->pol.stats.rejected[POL_R_MUK_EXPIRED];
	}
	r->pull_accepted = 0;
	for (i = 0; i < s->p->n_ue; i++)
		r->pull_accepted += s->ue[i].pol.stats.accepted_pull;
	qsort(r->delay_ms, s->p->n_ue, sizeof(*r->delay_ms), cmp_u64);
	for (k = 0; k < r->nrate; k++)
		if (r->rate[k] > r->peak_rate) {
			r->peak_rate = r->rate[k];
			r->peak_at_s = k;
		}
}

int sim_run(const struct sim_params *p, struct sim_result *r)
{
	struct timespec t0, t1;
	struct sim s;
	struct sim_event e;
	uint32_t i;
	int rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(r, 0, sizeof(*r));
	memset(&s, 0, sizeof(s));
	r->p = *p;
	s.p = p;
	s.r = r;
	/* mbmsd's config_to_policy(): defaults, then mode and jitter. */
	pol_config_default(&s.cfg);
	s.cfg.muk_mode = p->mode;
	s.cfg.jitter_ms = p->jitter_ms;
	s.t_change = BASE_MS + ms(p->change_s);
	s.t_use = s.t_change + ms(p->lead_s);
	s.t_end = BASE_MS + ms(p->horizon_s);
	s.half_rtt = ms(p->rtt_s / 2);
	s.gba = ms(p->gba_s);
	s.mtk_first = s.t_use - ms(p->mtk_delta_s);
	s.mtk_period = ms(p->mtk_period_s);
	s.mtk_repeat = ms(p->mtk_repeat_s);
	s.service_us = (uint64_t)llround(1e6 / p->capacity);
	s.queue_max_us = (uint64_t)llround(p->queue_max_s * 1e6);
	s.now = BASE_MS;
	eventq_init(&s.q);

	r->nrate = (size_t)(p->horizon_s + 1);
	r->rate = calloc(r->nrate, sizeof(*r->rate));
	r->delay_ms = calloc(p->n_ue, sizeof(*r->delay_ms));
	s.ue = calloc(p->n_ue, sizeof(*s.ue));
	if (!r->rate || !r->delay_ms || !s.ue) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < p->n_ue; i++)
		ue_setup(&s, i);
	while (!s.oom && eventq_pop(&s.q, &e)) {
		s.now = e.t;
		r->events++;
		dispatch(&s, &e);
	}
	if (s.oom) {
		rc = -1;
		goto out;
	}
	collect(&s);
out:
	eventq_free(&s.q);
	free(s.ue);
	if (rc)
		sim_result_free(r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->wall_s = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return rc;
}

void sim_result_free(struct sim_result *r)
{
	free(r->rate);
	free(r->delay_ms);
	r->rate = NULL;
	r->delay_ms = NULL;
	r->nrate = 0;
}

double sim_delay_quantile(const struct sim_result *r, double q)
{
	size_t n = r->p.n_ue, k;

	if (!n || !r->delay_ms)
		return NAN;
	/* Nearest rank: the smallest delay with at least q of the UEs. */
	k = (size_t)ceil(q * (double)n);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	if (r->delay_ms[k - 1] == UINT64_MAX)
		return INFINITY;
	return (double)r->delay_ms[k - 1] / 1000.0;
}

uint64_t sim_total_msgs(const struct sim_result *r)
{
	return r->mikey_pull + r->mikey_push + r->mikey_verif + r->http_req +
	       r->bootstraps;
}
