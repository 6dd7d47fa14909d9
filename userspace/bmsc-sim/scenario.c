// SPDX-License-Identifier: GPL-2.0
/* Runs the schedule: each due event becomes a MIKEY send, a fault, etc. */
#include <stdio.h>

#include "sim.h"

int scenario_init(struct sim *s)
{
	size_t m;

	s->msk_current = -1;
	for (m = 0; m < s->sched.n_msks; m++) {
		struct msk_state *ms = &s->msk[m];

		ms->msk_id = (uint32_t)s->o.key_group << 16 |
			     (uint32_t)(s->o.first_key_number + m);
		keygen_fill("msk", m, ms->key, sizeof(ms->key));
		keygen_fill("msk-rand", m, ms->rand, sizeof(ms->rand));
	}
	return 0;
}

int scenario_msk_by_id(const struct sim *s, uint32_t msk_id)
{
	size_t m;

	if (mikey_msk_key_group(msk_id) != s->o.key_group)
		return -1;
	if (!mikey_msk_key_number(msk_id))
		return s->msk_current;
	for (m = 0; m < s->sched.n_msks; m++)
		if (s->msk[m].active && s->msk[m].msk_id == msk_id)
			return (int)m;
	return -1;
}

uint64_t scenario_next_ms(const struct sim *s)
{
	return s->next_ev < s->sched.n_ev ? s->sched.ev[s->next_ev].t_ms :
					    UINT64_MAX;
}

static void push_all_ues(struct sim *s, int msk)
{
	size_t i;

	for (i = 0; i < UE_MAX; i++)
		if (s->ues->ue[i].used)
			mikey_push_msk(s, &s->ues->ue[i], msk);
}

static void pull_all_ues(struct sim *s, bool expired, bool forged)
{
	size_t i;

	for (i = 0; i < UE_MAX; i++)
		if (s->ues->ue[i].used)
			mikey_send_pull(s, &s->ues->ue[i], expired, forged);
}

static void srtp_burst_fault(struct sim *s, const struct sched_fault *f)
{
	uint32_t msk_id = (uint32_t)s->o.key_group << 16 | SIM_UNKNOWN_KEY_NUMBER;
	struct json *j = ev_begin(s, "fault");

	log_info("fault %s: %u SRTP packets under MSK %08x",
		 fault_name(f->kind), f->count, msk_id);
	if (j) {
		json_kv_str(j, "kind", fault_name(f->kind));
		json_kv_u64(j, "count", f->count);
		ev_msk_id(j, "msk_id", msk_id);
		ev_end(s, j);
	}
	s->c.faults++;
	srtp_stream_burst(s, f->count);
}

static void run_fault(struct sim *s, const struct sched_fault *f)
{
	switch (f->kind) {
	case FAULT_PULL_UNAUTH:
		pull_all_ues(s, false, true);
		break;
	case FAULT_PULL_EXPIRED:
		pull_all_ues(s, true, false);
		break;
	case FAULT_SRTP_UNKNOWN_MSK:
		srtp_burst_fault(s, f);
		break;
	case FAULT_HTTP_REFUSE:
	case FAULT_HTTP_DROP:
	case FAULT_HTTP_503:
		if (http_outage_begin(s, f->kind) == 0)
			s->http_outage = (int)(f - s->sched.cfg.faults);
		break;
	default:
		if (mikey_fault(s, f->kind))
			log_warn("fault %s could not be sent", fault_name(f->kind));
		break;
	}
}

static void msk_new(struct sim *s, int m)
{
	struct json *j;

	s->msk[m].active = true;
	s->msk_current = m;
	log_info("MSK %08x is now the current MSK", s->msk[m].msk_id);
	j = ev_begin(s, "msk-new");
	if (j) {
		ev_msk_id(j, "msk_id", s->msk[m].msk_id);
		ev_end(s, j);
	}
}

static void run_event(struct sim *s, const struct sched_event *ev)
{
	switch (ev->kind) {
	case SCHED_MSK_NEW:
		msk_new(s, ev->msk);
		break;
	case SCHED_MSK_PUSH:
		push_all_ues(s, ev->msk);
		break;
	case SCHED_PULL:
		pull_all_ues(s, false, false);
		break;
	case SCHED_MTK:
		if (s->o.have_mtk_dest)
			mikey_send_mtk(s, ev->msk, ev->mtk_id,
				       s->sched.first_mtk[ev->msk] + ev->mtk_id - 1,
				       ev->repeat);
		break;
	case SCHED_FAULT:
		run_fault(s, &s->sched.cfg.faults[ev->fault]);
		break;
	case SCHED_FAULT_END:
		if (s->http_outage == (int)ev->fault) {
			http_outage_end(s);
			s->http_outage = -1;
		}
		break;
	case SCHED_END:
		s->done = true;
		break;
	}
}

void scenario_run_next(struct sim *s)
{
	if (s->next_ev < s->sched.n_ev && !s->done)
		run_event(s, &s->sched.ev[s->next_ev++]);
}
