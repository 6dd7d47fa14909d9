// SPDX-License-Identifier: GPL-2.0
/* The scenario timeline: see schedule.h for the time model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mbms/common.h"
#include "schedule.h"

static const char *const fault_names[__FAULT_COUNT] = {
	[FAULT_MSK_FORGED_MAC] = "msk-forged-mac",
	[FAULT_MSK_REPLAY] = "msk-replay",
	[FAULT_MTK_FORGED_MAC] = "mtk-forged-mac",
	[FAULT_MTK_REPLAY] = "mtk-replay",
	[FAULT_MTK_OUTSIDE] = "mtk-outside",
	[FAULT_MTK_UNKNOWN_MSK] = "mtk-unknown-msk",
	[FAULT_PULL_UNAUTH] = "pull-unauth",
	[FAULT_PULL_EXPIRED] = "pull-expired",
	[FAULT_SRTP_UNKNOWN_MSK] = "srtp-unknown-msk",
	[FAULT_HTTP_REFUSE] = "http-refuse",
	[FAULT_HTTP_DROP] = "http-drop",
	[FAULT_HTTP_503] = "http-503",
};

const char *fault_name(enum fault_kind k)
{
	return (unsigned int)k < __FAULT_COUNT ? fault_names[k] : "?";
}

int fault_parse(const char *name)
{
	int i;

	for (i = 0; i < __FAULT_COUNT; i++)
		if (!strcmp(name, fault_names[i]))
			return i;
	return -1;
}

static const char *const delivery_names[] = {
	[MSK_DELIVER_PUSH] = "push",
	[MSK_DELIVER_PULL] = "pull",
	[MSK_DELIVER_NONE] = "none",
};

const char *msk_delivery_name(enum msk_delivery d)
{
	return (unsigned int)d < ARRAY_SIZE(delivery_names) ?
		delivery_names[d] : "?";
}

int msk_delivery_parse(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(delivery_names); i++)
		if (!strcmp(name, delivery_names[i]))
			return (int)i;
	return -1;
}

uint64_t sched_mtk_use_ms(const struct sched *s, uint64_t k)
{
	return s->cfg.start_ms + k * s->cfg.mtk_period_ms;
}

static size_t msk_of_mtk(const struct sched *s, uint64_t k)
{
	size_t m = 0;

	while (m + 1 < s->n_msks && k >= s->first_mtk[m + 1])
		m++;
	return m;
}

void sched_mtk_ids(const struct sched *s, uint64_t k, uint16_t *msk,
		   uint16_t *mtk_id)
{
	size_t m = msk_of_mtk(s, k);

	*msk = (uint16_t)m;
	/* Checked by sched_build(): at most SCHED_MTK_ID_MAX MTKs per MSK. */
	*mtk_id = (uint16_t)(k - s->first_mtk[m] + 1);
}

bool sched_key_at(const struct sched *s, uint64_t t_ms, uint16_t *msk,
		  uint16_t *mtk_id)
{
	uint64_t k;

	if (t_ms < s->cfg.start_ms || t_ms >= s->cfg.duration_ms)
		return false;
	k = (t_ms - s->cfg.start_ms) / s->cfg.mtk_period_ms;
	sched_mtk_ids(s, k, msk, mtk_id);
	return true;
}

uint16_t sched_last_mtk_id(const struct sched *s, uint16_t msk)
{
	uint64_t end = msk + 1u < s->n_msks ? s->first_mtk[msk + 1] : s->n_mtks;

	return (uint16_t)(end - s->first_mtk[msk]);
}

static int add_event(struct sched *s, size_t cap, struct sched_event ev,
		     char *err, size_t errlen)
{
	if (s->n_ev >= cap) {
		snprintf(err, errlen,
			 "the scenario needs more than %zu events; use a longer MTK repeat period or a shorter duration",
			 cap);
		return -1;
	}
	s->ev[s->n_ev++] = ev;
	return 0;
}

/* Same-time order: deliveries before MTK messages before faults. */
static int ev_cmp(const void *a, const void *b)
{
	const struct sched_event *x = a, *y = b;

	if (x->t_ms != y->t_ms)
		return x->t_ms < y->t_ms ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->msk != y->msk)
		return x->msk < y->msk ? -1 : 1;
	if (x->mtk_id != y->mtk_id)
		return x->mtk_id < y->mtk_id ? -1 : 1;
	return x->fault < y->fault ? -1 : x->fault > y->fault;
}

static int check_cfg(const struct sched_cfg *c, char *err, size_t errlen)
{
	size_t i;

	if (!c->duration_ms || c->duration_ms > SCHED_MAX_DURATION_MS) {
		snprintf(err, errlen, "duration must be 1 ms to %llu s",
			 SCHED_MAX_DURATION_MS / 1000);
		return -1;
	}
	if (!c->mtk_period_ms) {
		snprintf(err, errlen, "the MTK period must not be 0");
		return -1;
	}
	if (c->mtk_delta_ms > c->start_ms) {
		snprintf(err, errlen,
			 "the MTK delta (%llu ms) is larger than the stream start (%llu ms): the first MTK message would be sent before the simulator starts",
			 (unsigned long long)c->mtk_delta_ms,
			 (unsigned long long)c->start_ms);
		return -1;
	}
	if (c->start_ms >= c->duration_ms) {
		snprintf(err, errlen, "the stream start (%llu ms) is not before the end of the run (%llu ms)",
			 (unsigned long long)c->start_ms,
			 (unsigned long long)c->duration_ms);
		return -1;
	}
	if (c->n_rollovers > SCHED_MAX_ROLLOVERS ||
	    c->n_pulls > SCHED_MAX_ROLLOVERS ||
	    c->n_faults > SCHED_MAX_FAULTS) {
		snprintf(err, errlen, "too many rollovers, pulls or faults");
		return -1;
	}
	for (i = 0; i < c->n_rollovers; i++) {
		if (c->rollover_ms[i] <= c->start_ms) {
			snprintf(err, errlen,
				 "MSK rollover at %llu ms is not after the stream start (%llu ms)",
				 (unsigned long long)c->rollover_ms[i],
				 (unsigned long long)c->start_ms);
			return -1;
		}
		if (i && c->rollover_ms[i] <= c->rollover_ms[i - 1]) {
			snprintf(err, errlen, "MSK rollovers must be given in increasing time order");
			return -1;
		}
	}
	for (i = 0; i < c->n_pulls; i++) {
		if (c->pull_ms[i] >= c->duration_ms) {
			snprintf(err, errlen, "solicited pull at %llu ms is after the end of the run",
				 (unsigned long long)c->pull_ms[i]);
			return -1;
		}
	}
	for (i = 0; i < c->n_faults; i++) {
		const struct sched_fault *f = &c->faults[i];

		if ((unsigned int)f->kind >= __FAULT_COUNT) {
			snprintf(err, errlen, "fault %zu has no valid kind", i);
			return -1;
		}
		if (f->at_ms >= c->duration_ms) {
			snprintf(err, errlen, "fault %s at %llu ms is after the end of the run",
				 fault_name(f->kind),
				 (unsigned long long)f->at_ms);
			return -1;
		}
		if ((f->kind == FAULT_HTTP_REFUSE || f->kind == FAULT_HTTP_DROP ||
		     f->kind == FAULT_HTTP_503) && f->until_ms <= f->at_ms) {
			snprintf(err, errlen, "fault %s: the window must end after it starts",
				 fault_name(f->kind));
			return -1;
		}
	}
	return 0;
}

/* The global MTK numbers where each MSK starts. */
static int place_rollovers(struct sched *s, char *err, size_t errlen)
{
	const struct sched_cfg *c = &s->cfg;
	size_t i;

	s->first_mtk[0] = 0;
	s->n_msks = 1;
	for (i = 0; i < c->n_rollovers; i++) {
		uint64_t off = c->rollover_ms[i] - c->start_ms;
		uint64_t k = (off + c->mtk_period_ms - 1) / c->mtk_period_ms;

		if (k >= s->n_mtks) {
			snprintf(err, errlen,
				 "MSK rollover at %llu ms falls after the last MTK of the run",
				 (unsigned long long)c->rollover_ms[i]);
			return -1;
		}
		if (k <= s->first_mtk[s->n_msks - 1]) {
			snprintf(err, errlen,
				 "MSK rollover at %llu ms lands on the same MTK boundary as the previous one",
				 (unsigned long long)c->rollover_ms[i]);
			return -1;
		}
		s->first_mtk[s->n_msks++] = k;
	}
	for (i = 0; i < s->n_msks; i++) {
		uint64_t end = i + 1 < s->n_msks ? s->first_mtk[i + 1] : s->n_mtks;

		if (end - s->first_mtk[i] > SCHED_MTK_ID_MAX) {
			snprintf(err, errlen,
				 "MSK %zu would need %llu MTK IDs (at most %u, the maximum 0xffff is never used): lengthen the MTK period or add a rollover",
				 i, (unsigned long long)(end - s->first_mtk[i]),
				 SCHED_MTK_ID_MAX);
			return -1;
		}
	}
	return 0;
}

static int add_deliveries(struct sched *s, size_t cap, char *err,
			  size_t errlen)
{
	const struct sched_cfg *c = &s->cfg;
	size_t m;

	const struct sched_event first_new = { .kind = SCHED_MSK_NEW };
	const struct sched_event first_push = { .kind = SCHED_MSK_PUSH };

	/* MSK 0 is current and pushed from the start. */
	if (add_event(s, cap, first_new, err, errlen) ||
	    add_event(s, cap, first_push, err, errlen))
		return -1;
	for (m = 1; m < s->n_msks; m++) {
		uint64_t use = sched_mtk_use_ms(s, s->first_mtk[m]);
		uint64_t before = c->mtk_delta_ms + c->msk_lead_ms;
		struct sched_event ev = { .msk = (uint16_t)m };

		if (use < before) {
			snprintf(err, errlen, "MSK %zu would have to be delivered before the simulator starts",
				 m);
			return -1;
		}
		ev.t_ms = use - before;
		ev.kind = SCHED_MSK_NEW;
		if (add_event(s, cap, ev, err, errlen))
			return -1;
		if (c->rollover_delivery == MSK_DELIVER_NONE)
			continue;
		ev.kind = c->rollover_delivery == MSK_DELIVER_PUSH ?
			SCHED_MSK_PUSH : SCHED_PULL;
		if (add_event(s, cap, ev, err, errlen))
			return -1;
	}
	for (m = 0; m < c->n_pulls; m++) {
		struct sched_event pull = { .t_ms = c->pull_ms[m],
					    .kind = SCHED_PULL };

		if (add_event(s, cap, pull, err, errlen))
			return -1;
	}
	return 0;
}

static int add_mtk_messages(struct sched *s, size_t cap, char *err,
			    size_t errlen)
{
	const struct sched_cfg *c = &s->cfg;
	uint64_t k;

	for (k = 0; k < s->n_mtks; k++) {
		uint64_t use = sched_mtk_use_ms(s, k);
		uint64_t end = use + c->mtk_period_ms;
		uint64_t t = use - c->mtk_delta_ms;
		struct sched_event ev = { .kind = SCHED_MTK };

		if (end > c->duration_ms)
			end = c->duration_ms;
		sched_mtk_ids(s, k, &ev.msk, &ev.mtk_id);
		for (; t < end; t += c->mtk_repeat_ms) {
			ev.t_ms = t;
			if (add_event(s, cap, ev, err, errlen))
				return -1;
			ev.repeat = true;
			if (!c->mtk_repeat_ms)
				break;
		}
	}
	return 0;
}

static int add_faults(struct sched *s, size_t cap, char *err, size_t errlen)
{
	const struct sched_cfg *c = &s->cfg;
	size_t i;

	for (i = 0; i < c->n_faults; i++) {
		const struct sched_fault *f = &c->faults[i];
		struct sched_event ev = { .t_ms = f->at_ms, .kind = SCHED_FAULT,
					  .fault = (uint32_t)i };

		if (add_event(s, cap, ev, err, errlen))
			return -1;
		if (f->until_ms > f->at_ms) {
			ev.kind = SCHED_FAULT_END;
			ev.t_ms = f->until_ms < c->duration_ms ?
				f->until_ms : c->duration_ms;
			if (add_event(s, cap, ev, err, errlen))
				return -1;
		}
	}
	return 0;
}

int sched_build(const struct sched_cfg *cfg, struct sched *s,
		char *err, size_t errlen)
{
	const size_t cap = SCHED_MAX_EVENTS;
	const struct sched_event end = { .t_ms = cfg->duration_ms,
					 .kind = SCHED_END };

	memset(s, 0, sizeof(*s));
	if (check_cfg(cfg, err, errlen))
		return -1;
	s->cfg = *cfg;
	s->n_mtks = (cfg->duration_ms - cfg->start_ms + cfg->mtk_period_ms - 1) /
		    cfg->mtk_period_ms;
	if (place_rollovers(s, err, errlen))
		return -1;
	s->ev = calloc(cap, sizeof(*s->ev));
	if (!s->ev) {
		snprintf(err, errlen, "out of memory for the schedule");
		return -1;
	}
	if (add_deliveries(s, cap, err, errlen) ||
	    add_mtk_messages(s, cap, err, errlen) ||
	    add_faults(s, cap, err, errlen) ||
	    add_event(s, cap, end, err, errlen)) {
		sched_free(s);
		return -1;
	}
	qsort(s->ev, s->n_ev, sizeof(*s->ev), ev_cmp);
	return 0;
}

void sched_free(struct sched *s)
{
	free(s->ev);
	s->ev = NULL;
	s->n_ev = 0;
}
