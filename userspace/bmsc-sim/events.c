// SPDX-License-Identifier: GPL-2.0
/*
 * The -j event stream: one JSON object per line on stdout, each with the
 * run time "t" in seconds (millisecond resolution) and an "event" name,
 * so tests can follow the run with jq.  Key IDs appear, key bytes never.
 */
#include <stdio.h>
#include <time.h>

#include "sim.h"

static struct json ev_json;

uint64_t sim_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t sim_now(const struct sim *s)
{
	return sim_mono_ms() - s->t0_ms;
}

struct json *ev_begin(struct sim *s, const char *event)
{
	uint64_t t = s->t0_ms ? sim_now(s) : 0;

	if (!s->o.json)
		return NULL;
	json_init(&ev_json, stdout, false);
	json_obj_begin(&ev_json);
	/* A number, written raw: the JSON writer has no fixed-point type. */
	json_key(&ev_json, "t");
	json_u64(&ev_json, t / 1000);
	fprintf(stdout, ".%03llu", (unsigned long long)(t % 1000));
	json_kv_str(&ev_json, "event", event);
	return &ev_json;
}

void ev_end(struct sim *s, struct json *j)
{
	(void)s;
	if (!j)
		return;
	json_obj_end(j);
	json_finish(j);
}

void ev_msk_id(struct json *j, const char *key, uint32_t msk_id)
{
	char hex[9];

	snprintf(hex, sizeof(hex), "%08x", msk_id);
	json_kv_str(j, key, hex);
}

void ev_summary(struct sim *s, bool final)
{
	const struct sim_counters *c = &s->c;
	struct json *j;

	log_info("%s: HTTP requests %llu (200: %llu, 401: %llu, 503: %llu, dropped: %llu, other errors: %llu), MSK messages %llu, MTK messages %llu, solicited pulls %llu, faults %llu, verifications ok %llu bad %llu, SRTP packets %llu (unknown MSK %llu)",
		 final ? "summary" : "counters so far",
		 (unsigned long long)c->http_requests,
		 (unsigned long long)c->http_200,
		 (unsigned long long)c->http_401,
		 (unsigned long long)c->http_503,
		 (unsigned long long)c->http_dropped,
		 (unsigned long long)(c->http_400 + c->http_404 + c->http_405 +
				      c->http_413),
		 (unsigned long long)c->msk_sent,
		 (unsigned long long)c->mtk_sent,
		 (unsigned long long)c->pull_sent,
		 (unsigned long long)c->faults,
		 (unsigned long long)c->verif_ok,
		 (unsigned long long)c->verif_bad,
		 (unsigned long long)c->srtp_sent,
		 (unsigned long long)c->srtp_unknown_msk);
	j = ev_begin(s, final ? "exit" : "stats");
	if (!j)
		return;
	json_kv_u64(j, "http_requests", c->http_requests);
	json_kv_u64(j, "http_msk_requests", c->http_msk_requests);
	json_kv_u64(j, "http_200", c->http_200);
	json_kv_u64(j, "http_400", c->http_400);
	json_kv_u64(j, "http_401", c->http_401);
	json_kv_u64(j, "http_404", c->http_404);
	json_kv_u64(j, "http_405", c->http_405);
	json_kv_u64(j, "http_413", c->http_413);
	json_kv_u64(j, "http_503", c->http_503);
	json_kv_u64(j, "http_dropped", c->http_dropped);
	json_kv_u64(j, "msk_sent", c->msk_sent);
	json_kv_u64(j, "mtk_sent", c->mtk_sent);
	json_kv_u64(j, "pull_sent", c->pull_sent);
	json_kv_u64(j, "faults", c->faults);
	json_kv_u64(j, "verif_ok", c->verif_ok);
	json_kv_u64(j, "verif_bad", c->verif_bad);
	json_kv_u64(j, "verif_missing", c->verif_missing);
	json_kv_u64(j, "mikey_ignored", c->mikey_in_other);
	json_kv_u64(j, "srtp_sent", c->srtp_sent);
	json_kv_u64(j, "srtp_unknown_msk", c->srtp_unknown_msk);
	json_kv_u64(j, "srtp_errors", c->srtp_errors);
	json_kv_u64(j, "send_errors", c->send_errors);
	ev_end(s, j);
}
