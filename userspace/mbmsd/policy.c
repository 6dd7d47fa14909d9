// SPDX-License-Identifier: GPL-2.0
/*
 * mbmsd policy: MUK roles, the expired-MUK rule, MSK bookkeeping, MTK ID
 * rules and MSK-request scheduling.  Pure code: see policy.h for why.
 */
#include <string.h>

#include "policy.h"

static const char *const reason_names[POL_R__COUNT] = {
	[POL_OK] = "ok",
	[POL_R_MALFORMED] = "malformed",
	[POL_R_NO_MUK] = "no-muk",
	[POL_R_MUK_EXPIRED] = "muk-expired",
	[POL_R_AUTH] = "auth",
	[POL_R_REPLAY] = "replay",
	[POL_R_UNKNOWN_GROUP] = "unknown-key-group",
	[POL_R_UNKNOWN_MSK] = "unknown-msk",
	[POL_R_STALE_MSK] = "stale-msk",
	[POL_R_MSK_INVALID] = "msk-invalid",
	[POL_R_MTK_RANGE] = "mtk-out-of-range",
	[POL_R_MTK_OLD] = "mtk-not-newer",
	[POL_R_RATE_LIMITED] = "rate-limited",
	[POL_R_KNOWN_MSK] = "known-msk",
	[POL_R_RCC_REFUSED] = "rcc-policy",
};

const char *pol_reason_name(enum pol_reason r)
{
	if ((unsigned int)r >= POL_R__COUNT)
		return "?";
	return reason_names[r];
}

void pol_config_default(struct pol_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->muk_mode = POL_MUK_RELAXED;
	cfg->jitter_ms = 10 * 1000;
	cfg->min_interval_ms = 1000;
	cfg->backoff_base_ms = 2 * 1000;
	cfg->backoff_max_ms = 10 * 60 * 1000;
	cfg->retry_after_max_ms = 60 * 60 * 1000;
}

uint64_t pol_rand_upto(const struct pol_rng *rng, uint64_t n)
{
	uint64_t span, limit, r;

	if (n == 0)
		return 0;
	if (n == UINT64_MAX)
		return rng->fn(rng->ctx);
	span = n + 1;
	/* Reject the top partial block so every value is equally likely. */
	limit = UINT64_MAX - (UINT64_MAX % span);
	do {
		r = rng->fn(rng->ctx);
	} while (r >= limit);
	return r % span;
}

bool pol_serial32_newer(uint32_t a, uint32_t b)
{
	uint32_t d = b - a;

	return d != 0 && d < 0x80000000u;
}

bool pol_serial16_newer(uint16_t a, uint16_t b)
{
	uint16_t d = (uint16_t)(b - a);

	return d != 0 && d < 0x8000u;
}

bool pol_msk_order_newer(uint32_t gen_a, uint32_t ts_a, uint32_t gen_b,
			 uint32_t ts_b)
{
	/*
	 * Generations count GBA bootstraps on this UE: they only grow and
	 * never come near wrapping, so a plain comparison.
	 */
	if (gen_a != gen_b)
		return gen_b > gen_a;
	return gen_b != 0 && pol_serial32_newer(ts_a, ts_b);
}

uint64_t pol_backoff_ms(const struct pol_config *cfg, unsigned int failures)
{
	uint64_t d = cfg->backoff_base_ms;
	unsigned int i;

	if (failures == 0)
		return 0;
	for (i = 1; i < failures && d < cfg->backoff_max_ms; i++)
		d *= 2;
	return d < cfg->backoff_max_ms ? d : cfg->backoff_max_ms;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX - 1 : a + b;
}

static const char *const type_names[POL_T__COUNT] = {
	[POL_T_MSK] = "msk",
	[POL_T_MTK] = "mtk",
	[POL_T_KEY_NEEDED] = "key_needed",
};

const char *pol_type_name(enum pol_type t)
{
	if ((unsigned int)t >= POL_T__COUNT)
		return "?";
	return type_names[t];
}

void pol_reject(struct pol_ue *ue, enum pol_type t, enum pol_reason r)
{
	if (r > POL_OK && r < POL_R__COUNT && (unsigned int)t < POL_T__COUNT) {
		ue->stats.rejected[r]++;
		ue->stats.rejected_by[t][r]++;
	}
}

static bool trigger(struct pol_ue *ue, struct pol_group *g, uint64_t now,
		    const struct pol_rng *rng, enum pol_type t);

/* ---- UE and MUKs -------------------------------------------------------- */

void pol_ue_init(struct pol_ue *ue, const struct pol_config *cfg,
		 struct pol_group *groups, size_t ngroups)
{
	size_t i;

	memset(ue, 0, sizeof(*ue));
	ue->cfg = cfg;
	ue->cur = -1;
	ue->neg = -1;
	ue->groups = groups;
	ue->ngroups = ngroups;
	for (i = 0; i < ngroups; i++) {
		memset(groups[i].msk, 0, sizeof(groups[i].msk));
		memset(&groups[i].req, 0, sizeof(groups[i].req));
		groups[i].req.state = POL_REQ_IDLE;
		groups[i].req.due = POL_NEVER;
		groups[i].req.window_start = POL_NEVER;
	}
}

struct pol_group *pol_group_find(struct pol_ue *ue, const uint8_t *key_domain,
				 uint16_t key_group)
{
	size_t i;

	for (i = 0; i < ue->ngroups; i++) {
		struct pol_group *g = &ue->groups[i];

		if (g->key_group == key_group &&
		    !memcmp(g->key_domain, key_domain, POL_KEY_DOMAIN_LEN))
			return g;
	}
	return NULL;
}

const struct pol_muk *pol_muk_current(const struct pol_ue *ue)
{
	return ue->cur >= 0 ? &ue->muk[ue->cur] : NULL;
}

const struct pol_muk *pol_muk_negotiated(const struct pol_ue *ue)
{
	return ue->neg >= 0 ? &ue->muk[ue->neg] : NULL;
}

static bool muk_expired(const struct pol_muk *m, uint64_t now)
{
	return now >= m->expires;
}

int pol_muk_bootstrapped(struct pol_ue *ue, uint32_t gen, uint64_t expires)
{
	int slot, other;

	/*
	 * The last negotiated MUK must survive: it may still be needed to
	 * authenticate a solicited pull after it expires.
	 */
	if (ue->neg >= 0)
		slot = !ue->neg;
	else if (ue->cur >= 0)
		slot = !ue->cur;
	else
		slot = 0;
	other = !slot;
	if (other != ue->neg)
		memset(&ue->muk[other], 0, sizeof(ue->muk[other]));
	memset(&ue->muk[slot], 0, sizeof(ue->muk[slot]));
	ue->muk[slot].present = true;
	ue->muk[slot].gen = gen;
	ue->muk[slot].expires = expires;
	ue->cur = slot;
	ue->need_bootstrap = false;
	return slot;
}

int pol_muk_restore(struct pol_ue *ue, int slot, const struct pol_muk *m,
		    bool is_current, bool is_negotiated)
{
	if (slot < 0 || slot > 1 || !m->present)
		return -1;
	ue->muk[slot] = *m;
	if (is_current)
		ue->cur = slot;
	if (is_negotiated)
		ue->neg = slot;
	return 0;
}

bool pol_bootstrap_needed(const struct pol_ue *ue, uint64_t now)
{
	const struct pol_muk *c = pol_muk_current(ue);

	return ue->need_bootstrap || !c || muk_expired(c, now);
}

/* ---- MSK-type messages ------------------------------------------------ */

enum pol_msg_kind pol_classify_msk_msg(uint32_t msk_id, bool has_key,
				       bool v_bit, enum pol_reason *why)
{
	enum pol_reason dummy;

	if (!why)
		why = &dummy;
	*why = POL_OK;
	if (pol_key_group(msk_id) == 0) {
		*why = POL_R_MALFORMED;	/* Key Group 0 is reserved */
		return POL_MSG_INVALID;
	}
	if (pol_key_number(msk_id) == POL_KEY_NUMBER_CURRENT) {
		/* §6.3.2.2.4: MAC only, and V is never set in a pull. */
		if (has_key || v_bit) {
			*why = POL_R_MALFORMED;
			return POL_MSG_INVALID;
		}
		return POL_MSG_SOLICITED_PULL;
	}
	return has_key ? POL_MSG_PUSH : POL_MSG_VALIDITY;
}

size_t pol_muk_candidates(const struct pol_ue *ue, enum pol_msg_kind kind,
			  uint64_t now, struct pol_muk_ref out[2],
			  enum pol_reason *why)
{
	enum pol_reason dummy;
	size_t n = 0;

	if (!why)
		why = &dummy;
	*why = POL_OK;
	if (kind == POL_MSG_INVALID) {
		*why = POL_R_MALFORMED;
		return 0;
	}
	if (ue->cur < 0 && ue->neg < 0) {
		*why = POL_R_NO_MUK;
		return 0;
	}
	if (ue->cur >= 0 && !muk_expired(&ue->muk[ue->cur], now))
		out[n++] = (struct pol_muk_ref){ (uint8_t)ue->cur,
						 ue->muk[ue->cur].gen, false };
	if (ue->neg >= 0 && ue->neg != ue->cur &&
	    !muk_expired(&ue->muk[ue->neg], now))
		out[n++] = (struct pol_muk_ref){ (uint8_t)ue->neg,
						 ue->muk[ue->neg].gen, false };
	/*
	 * The seed's rule: the last negotiated MUK, expired, authenticates a
	 * solicited pull and nothing else.  It is tried last so that an
	 * unexpired key is always preferred.
	 */
	if (ue->cfg->muk_mode == POL_MUK_RELAXED &&
	    kind == POL_MSG_SOLICITED_PULL && ue->neg >= 0 &&
	    muk_expired(&ue->muk[ue->neg], now))
		out[n++] = (struct pol_muk_ref){ (uint8_t)ue->neg,
						 ue->muk[ue->neg].gen, true };
	if (n == 0)
		*why = POL_R_MUK_EXPIRED;
	return n;
}

bool pol_verification_due(const struct pol_ue *ue,
			  const struct pol_muk_ref *ref, bool v_bit)
{
	const struct pol_muk *cur = pol_muk_current(ue);

	return v_bit && ref && cur && ref->slot == ue->cur &&
	       ref->gen == cur->gen && !ref->expired;
}

void pol_msk_msg_unauthenticated(struct pol_ue *ue, enum pol_reason why)
{
	pol_reject(ue, POL_T_MSK, why == POL_OK ? POL_R_AUTH : why);
}

/* Is @ref still a MUK that may verify a message of @kind at @now? */
static enum pol_reason check_ref(const struct pol_ue *ue,
				 enum pol_msg_kind kind,
				 const struct pol_muk_ref *ref, uint64_t now)
{
	const struct pol_muk *m;

	if (!ref || ref->slot > 1)
		return POL_R_MALFORMED;
	m = &ue->muk[ref->slot];
	if (!m->present || m->gen != ref->gen ||
	    (ref->slot != ue->cur && ref->slot != ue->neg))
		return POL_R_NO_MUK;
	if (!muk_expired(m, now))
		return POL_OK;
	if (ue->cfg->muk_mode == POL_MUK_RELAXED &&
	    kind == POL_MSG_SOLICITED_PULL && ref->slot == ue->neg)
		return POL_OK;
	return POL_R_MUK_EXPIRED;
}

static struct pol_msk *msk_find(struct pol_group *g, uint32_t msk_id)
{
	size_t i;

	for (i = 0; i < POL_MSKS_PER_GROUP; i++)
		if (g->msk[i].present && g->msk[i].msk_id == msk_id)
			return &g->msk[i];
	return NULL;
}

static bool msk_newer(const struct pol_msk *a, const struct pol_msk *b)
{
	return pol_msk_order_newer(a->muk_gen, a->ts_counter, b->muk_gen,
				   b->ts_counter);
}

/*
 * The older of a full group's two MSKs by §6.5.3.  When neither is newer
 * (both restored from an old key store without their order), the lower
 * Key Number in serial arithmetic, the rule before §6.5.3 was followed.
 */
static int msk_older_slot(const struct pol_group *g)
{
	const struct pol_msk *m0 = &g->msk[0], *m1 = &g->msk[1];

	if (msk_newer(m0, m1))
		return 0;
	if (msk_newer(m1, m0))
		return 1;
	return pol_serial16_newer(pol_key_number(m0->msk_id),
				  pol_key_number(m1->msk_id)) ? 0 : 1;
}

/*
 * Where a pushed MSK goes: its own slot, a free one, or the place of the
 * older one when the push (MUK @gen, TS @ts) is newer than it.
 */
static enum pol_reason msk_place(struct pol_group *g, uint32_t msk_id,
				 uint32_t gen, uint32_t ts, int *slot,
				 bool *evict)
{
	int i, older;

	*evict = false;
	for (i = 0; i < POL_MSKS_PER_GROUP; i++)
		if (g->msk[i].present && g->msk[i].msk_id == msk_id) {
			*slot = i;
			return POL_OK;
		}
	for (i = 0; i < POL_MSKS_PER_GROUP; i++)
		if (!g->msk[i].present) {
			*slot = i;
			return POL_OK;
		}
	older = msk_older_slot(g);
	if (!pol_msk_order_newer(g->msk[older].muk_gen,
				 g->msk[older].ts_counter, gen, ts))
		return POL_R_STALE_MSK;
	*slot = older;
	*evict = true;
	return POL_OK;
}

static void msk_forget(struct pol_msk *m)
{
	memset(m, 0, sizeof(*m));
}

static void push_msk(struct pol_ue *ue, struct pol_group *g,
		     struct pol_msk_action *a, uint32_t msk_id,
		     uint32_t gen, uint32_t ts, uint32_t seql, uint32_t sequ,
		     uint64_t now)
{
	struct pol_msk *m;
	bool evict;
	int slot;

	if (seql > sequ) {
		/* A key that may deliver no MTK: it only invalidates. */
		m = msk_find(g, msk_id);
		if (!m) {
			a->verdict = POL_R_MSK_INVALID;
			return;
		}
		a->drop_msk = true;
		a->dropped_msk_id = msk_id;
		msk_forget(m);
		return;
	}
	a->verdict = msk_place(g, msk_id, gen, ts, &slot, &evict);
	if (a->verdict != POL_OK)
		return;
	m = &g->msk[slot];
	if (evict) {
		a->drop_msk = true;
		a->dropped_msk_id = m->msk_id;
		msk_forget(m);
	}
	if (!m->present) {
		m->present = true;
		m->msk_id = msk_id;
	}
	/*
	 * The same MSK pushed again keeps the newest order it was delivered
	 * with: a resend under an older MUK must not make it look older.
	 */
	if (pol_msk_order_newer(m->muk_gen, m->ts_counter, gen, ts)) {
		m->muk_gen = gen;
		m->ts_counter = ts;
	}
	m->seql = seql;
	m->sequ = sequ;
	m->received = now;
	a->store_msk = true;
	a->slot = slot;
	ue->stats.accepted_msk++;
	/* A fresh key for the group answers any request still waiting. */
	if (g->req.state == POL_REQ_SCHEDULED) {
		g->req.state = POL_REQ_IDLE;
		g->req.due = POL_NEVER;
		g->req.failures = 0;
	}
}

static void update_validity(struct pol_ue *ue, struct pol_group *g,
			    struct pol_msk_action *a, uint32_t msk_id,
			    uint32_t seql, uint32_t sequ)
{
	struct pol_msk *m = msk_find(g, msk_id);

	if (!m) {
		a->verdict = POL_R_UNKNOWN_MSK;
		return;
	}
	if (seql > sequ) {
		a->drop_msk = true;
		a->dropped_msk_id = msk_id;
		msk_forget(m);
		return;
	}
	m->seql = seql;
	m->sequ = sequ;
	a->slot = (int)(m - g->msk);
	ue->stats.accepted_msk++;
}

struct pol_msk_action pol_msk_msg_authenticated(struct pol_ue *ue,
		enum pol_msg_kind kind, const struct pol_muk_ref *ref,
		const uint8_t *key_domain, uint32_t msk_id, uint32_t counter,
		uint32_t seql, uint32_t sequ, uint64_t now,
		const struct pol_rng *rng)
{
	struct pol_msk_action a = { .verdict = POL_OK, .slot = -1 };
	struct pol_muk *m;
	struct pol_group *g;

	a.verdict = check_ref(ue, kind, ref, now);
	if (a.verdict == POL_OK && kind == POL_MSG_INVALID)
		a.verdict = POL_R_MALFORMED;
	if (a.verdict != POL_OK)
		goto out;
	m = &ue->muk[ref->slot];
	if (m->have_counter && !pol_serial32_newer(m->msk_counter, counter)) {
		a.verdict = POL_R_REPLAY;
		goto out;
	}
	g = pol_group_find(ue, key_domain, pol_key_group(msk_id));
	if (!g) {
		a.verdict = POL_R_UNKNOWN_GROUP;
		goto out;
	}
	a.group = g;
	switch (kind) {
	case POL_MSG_PUSH:
		push_msk(ue, g, &a, msk_id, m->gen, counter, seql, sequ, now);
		break;
	case POL_MSG_VALIDITY:
		update_validity(ue, g, &a, msk_id, seql, sequ);
		break;
	case POL_MSG_SOLICITED_PULL:
		ue->stats.accepted_pull++;
		if (muk_expired(m, now)) {
			/*
			 * Accepted under an expired MUK: the MSK that the
			 * request brings must be protected with a fresh one.
			 */
			ue->stats.accepted_pull_expired++;
			ue->need_bootstrap = true;
		}
		a.request_scheduled = trigger(ue, g, now, rng, POL_T_MSK);
		a.bootstrap_first = pol_bootstrap_needed(ue, now);
		break;
	default:
		a.verdict = POL_R_MALFORMED;
		break;
	}
	if (a.verdict != POL_OK)
		goto out;
	m->have_counter = true;
	m->msk_counter = counter;
	ue->neg = ref->slot;	/* the BM-SC just used this MUK */
	return a;
out:
	pol_reject(ue, POL_T_MSK, a.verdict);
	a.store_msk = a.drop_msk = a.request_scheduled = false;
	return a;
}

/* ---- MTK messages ------------------------------------------------------ */

/* Not above the last accepted MTK ID: a resend (or a replay). */
static bool mtk_not_newer(const struct pol_msk *m, uint16_t mtk_id)
{
	return m->have_mtk && mtk_id <= m->mtk_id;
}

static enum pol_reason mtk_check(const struct pol_msk *m, uint16_t mtk_id)
{
	if (mtk_not_newer(m, mtk_id))
		return POL_R_MTK_OLD;
	if (!(m->seql < mtk_id && mtk_id <= m->sequ))
		return POL_R_MTK_RANGE;
	return POL_OK;
}

enum pol_reason pol_mtk_precheck(struct pol_ue *ue, const uint8_t *key_domain,
				 uint32_t msk_id, uint16_t mtk_id,
				 struct pol_msk **msk)
{
	struct pol_group *g;
	enum pol_reason r;
	struct pol_msk *m = NULL;

	*msk = NULL;
	g = pol_group_find(ue, key_domain, pol_key_group(msk_id));
	if (!g) {
		r = POL_R_UNKNOWN_GROUP;
		goto out;
	}
	m = msk_find(g, msk_id);
	if (!m) {
		/* Unverifiable: never a reason to contact the BM-SC. */
		r = POL_R_UNKNOWN_MSK;
		goto out;
	}
	r = mtk_check(m, mtk_id);
	/* Resend or replay: decided by the MAC and the counter. */
	if (r == POL_R_MTK_OLD)
		r = POL_OK;
out:
	if (r == POL_OK)
		*msk = m;
	else
		pol_reject(ue, POL_T_MTK, r);
	return r;
}

enum pol_reason pol_mtk_authenticated(struct pol_ue *ue, struct pol_msk *msk,
				      uint16_t mtk_id, uint32_t counter)
{
	enum pol_reason r;

	/* MIKEY first: a counter not newer is a replay, whatever the ID. */
	if (msk->have_mtk_counter &&
	    !pol_serial32_newer(msk->mtk_counter, counter)) {
		pol_reject(ue, POL_T_MTK, POL_R_REPLAY);
		return POL_R_REPLAY;
	}
	r = mtk_check(msk, mtk_id);
	if (r == POL_R_MTK_RANGE) {
		pol_reject(ue, POL_T_MTK, r);
		return r;
	}
	/* Authentic and fresh: the BM-SC sent it; its counter is the new floor. */
	msk->have_mtk_counter = true;
	msk->mtk_counter = counter;
	if (r == POL_R_MTK_OLD) {
		ue->stats.mtk_resends++;
		return r;
	}
	msk->have_mtk = true;
	msk->mtk_id = mtk_id;
	msk->seql = mtk_id;
	ue->stats.accepted_mtk++;
	return POL_OK;
}

void pol_mtk_unauthenticated(struct pol_ue *ue)
{
	pol_reject(ue, POL_T_MTK, POL_R_AUTH);
}

/* ---- MSK requests ------------------------------------------------------ */

static uint64_t window_ms(const struct pol_config *cfg)
{
	return cfg->jitter_ms > cfg->min_interval_ms ? cfg->jitter_ms :
						       cfg->min_interval_ms;
}

/*
 * Schedule at @earliest (+ @spread at random), never closer than one
 * window after the group's window start (its last send, or the 200 that
 * answered it).
 */
static void schedule(struct pol_ue *ue, struct pol_group *g,
		     uint64_t earliest, uint64_t spread,
		     const struct pol_rng *rng)
{
	uint64_t floor;

	if (g->req.window_start != POL_NEVER) {
		floor = add_sat(g->req.window_start, window_ms(ue->cfg));
		if (earliest < floor)
			earliest = floor;
	}
	g->req.state = POL_REQ_SCHEDULED;
	g->req.due = add_sat(earliest, pol_rand_upto(rng, spread));
}

/* A trigger absorbed by a pending request counts against @t's type. */
static bool trigger(struct pol_ue *ue, struct pol_group *g, uint64_t now,
		    const struct pol_rng *rng, enum pol_type t)
{
	if (g->req.state != POL_REQ_IDLE) {
		pol_reject(ue, t, POL_R_RATE_LIMITED);
		return false;
	}
	g->req.failures = 0;
	g->req.reauth_tried = false;
	schedule(ue, g, now, ue->cfg->jitter_ms, rng);
	return true;
}

bool pol_request_trigger(struct pol_ue *ue, struct pol_group *g, uint64_t now,
			 const struct pol_rng *rng)
{
	return trigger(ue, g, now, rng, POL_T_KEY_NEEDED);
}

enum pol_reason pol_unknown_mki(struct pol_ue *ue, const uint8_t *key_domain,
				uint32_t msk_id, uint64_t now,
				const struct pol_rng *rng)
{
	struct pol_group *g;

	g = pol_group_find(ue, key_domain, pol_key_group(msk_id));
	if (!g) {
		pol_reject(ue, POL_T_KEY_NEEDED, POL_R_UNKNOWN_GROUP);
		return POL_R_UNKNOWN_GROUP;
	}
	if (msk_find(g, msk_id)) {
		pol_reject(ue, POL_T_KEY_NEEDED, POL_R_KNOWN_MSK);
		return POL_R_KNOWN_MSK;
	}
	return pol_request_trigger(ue, g, now, rng) ? POL_OK :
						       POL_R_RATE_LIMITED;
}

uint64_t pol_next_due(const struct pol_ue *ue)
{
	uint64_t due = POL_NEVER;
	size_t i;

	for (i = 0; i < ue->ngroups; i++)
		if (ue->groups[i].req.state == POL_REQ_SCHEDULED &&
		    ue->groups[i].req.due < due)
			due = ue->groups[i].req.due;
	return due;
}

bool pol_take_due(struct pol_ue *ue, uint64_t now, struct pol_request *out)
{
	struct pol_group *best = NULL;
	size_t i;

	for (i = 0; i < ue->ngroups; i++) {
		struct pol_group *g = &ue->groups[i];

		if (g->req.state == POL_REQ_SCHEDULED && g->req.due <= now &&
		    (!best || g->req.due < best->req.due))
			best = g;
	}
	if (!best)
		return false;
	best->req.state = POL_REQ_IN_FLIGHT;
	best->req.due = POL_NEVER;
	best->req.window_start = now;
	out->group = best;
	out->bootstrap_first = pol_bootstrap_needed(ue, now);
	if (out->bootstrap_first)
		ue->stats.bootstraps_asked++;
	ue->stats.requests_sent++;
	return true;
}

void pol_request_retry(struct pol_ue *ue, struct pol_group *g, uint64_t now,
		       const struct pol_rng *rng)
{
	if (g->req.state != POL_REQ_IN_FLIGHT)
		return;
	schedule(ue, g, now, 0, rng);
}

void pol_request_result(struct pol_ue *ue, struct pol_group *g,
			enum pol_result res, uint32_t retry_after_ms,
			uint32_t muk_gen, uint64_t now,
			const struct pol_rng *rng)
{
	const struct pol_config *cfg = ue->cfg;
	uint64_t delay;
	int s;

	if (g->req.state != POL_REQ_IN_FLIGHT)
		return;
	switch (res) {
	case POL_RES_OK:
		g->req.state = POL_REQ_IDLE;
		g->req.failures = 0;
		g->req.reauth_tried = false;
		/*
		 * The push this 200 announces is on its way: the next
		 * request of the group waits one window from now (policy.h).
		 */
		g->req.window_start = now;
		/* The BM-SC accepted this MUK's MRK: it is now negotiated. */
		for (s = 0; s < 2; s++)
			if (ue->muk[s].present && ue->muk[s].gen == muk_gen &&
			    (s == ue->cur || s == ue->neg))
				ue->neg = s;
		return;
	case POL_RES_UNAUTHORIZED:
		ue->need_bootstrap = true;
		if (!g->req.reauth_tried) {
			/*
			 * The BM-SC wants a fresh GBA key: bootstrap and retry
			 * at once.  This retry is the only request allowed
			 * inside the window, and only once in a row.
			 */
			g->req.reauth_tried = true;
			g->req.state = POL_REQ_SCHEDULED;
			g->req.due = now;
			return;
		}
		g->req.reauth_tried = false;
		break;
	case POL_RES_BUSY:
	case POL_RES_FAILED:
	default:
		break;
	}
	if (g->req.failures < UINT16_MAX)
		g->req.failures++;
	if (res == POL_RES_BUSY && retry_after_ms) {
		delay = retry_after_ms < cfg->retry_after_max_ms ?
			retry_after_ms : cfg->retry_after_max_ms;
		/* Everyone told "later" must not come back at once. */
		schedule(ue, g, add_sat(now, delay), cfg->jitter_ms, rng);
	} else {
		delay = pol_backoff_ms(cfg, g->req.failures);
		/* Equal jitter: half fixed, half random. */
		schedule(ue, g, add_sat(now, delay / 2), delay - delay / 2,
			 rng);
	}
}
