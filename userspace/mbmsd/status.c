// SPDX-License-Identifier: GPL-2.0
/*
 * mbmsd status: what `mbmsd status [-j]` shows -- sessions, keys (IDs and
 * validity, never key bytes), counters of accepted and rejected messages
 * by reason, pending MSK requests -- and the client side of the socket.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "mbms/common.h"
#include "daemon.h"

static const char *req_state_name(enum pol_req_state s)
{
	switch (s) {
	case POL_REQ_IDLE: return "idle";
	case POL_REQ_SCHEDULED: return "scheduled";
	case POL_REQ_IN_FLIGHT: return "in-flight";
	}
	return "?";
}

static int64_t rel(uint64_t t, uint64_t now)
{
	return (int64_t)(t - now);
}

static void json_muks(struct mbmsd *d, struct json *j, uint64_t now)
{
	int i;

	json_key(j, "muks");
	json_arr_begin(j);
	for (i = 0; i < 2; i++) {
		const struct pol_muk *m = &d->ue.muk[i];

		if (!m->present)
			continue;
		json_obj_begin(j);
		json_kv_u64(j, "generation", m->gen);
		json_kv_str(j, "btid", d->store.muk[i].btid);
		json_kv_bool(j, "current", i == d->ue.cur);
		json_kv_bool(j, "last_negotiated", i == d->ue.neg);
		json_kv_u64(j, "expires_ms", m->expires);
		json_kv_bool(j, "expired", now >= m->expires);
		json_key(j, "msk_counter");
		if (m->have_counter)
			json_u64(j, m->msk_counter);
		else
			json_null(j);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_kv_bool(j, "bootstrap_required", d->ue.need_bootstrap);
}

static void json_sessions(struct mbmsd *d, struct json *j)
{
	struct mbms_session ks;
	char a[64];
	unsigned int i;

	json_key(j, "sessions");
	json_arr_begin(j);
	for (i = 0; i < d->cfg.nsessions; i++) {
		const struct mbmsd_session *s = &d->cfg.sessions[i];

		json_obj_begin(j);
		json_kv_str(j, "name", s->name);
		json_kv_u64(j, "id", s->id);
		json_kv_hex(j, "key_domain", s->key_domain, POL_KEY_DOMAIN_LEN);
		json_kv_u64(j, "key_group", s->key_group);
		json_kv_str(j, "mtk_group",
			    config_addr_str(&s->mtk_group, a, sizeof(a)));
		json_kv_u64(j, "mtk_port", s->mtk_port);
		json_kv_u64(j, "flows", s->nflows);
		json_key(j, "kernel");
		if (d->kern && kernel_session_stats(d->kern, s->id, &ks) == 0) {
			json_obj_begin(j);
			json_kv_u64(j, "keys", ks.nkeys);
			json_kv_u64(j, "packets", ks.stats.packets);
			json_kv_u64(j, "unknown_mki", ks.stats.unknown_mki);
			json_kv_u64(j, "auth_failures", ks.stats.auth);
			json_kv_u64(j, "replayed", ks.stats.replay);
			json_obj_end(j);
		} else {
			json_null(j);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* The MSK's stored policy: suite, RFC 4771 mode and R (R is known and
 * reported, not used by the kernel yet).
 */
static void json_msk_policy(struct json *j, const struct store_msk *sm)
{
	json_kv_str(j, "suite", sm ? mbms_suite_name(sm->suite) : "?");
	/* SRTP tag bytes: the SP's, or the suite's (TS 33.246 6.6.2.1 NOTE 3) */
	json_key(j, "tag_len");
	if (sm)
		json_u64(j, sm->tag_len ? sm->tag_len :
			 sm->suite == MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32 ?
			 4 : 10);
	else
		json_null(j);
	json_kv_str(j, "rcc_mode", mikey_rcc_mode_name(sm ? sm->rcc_mode : 0));
	json_key(j, "roc_tx_rate");
	if (sm && sm->rcc_rate)
		json_u64(j, sm->rcc_rate);
	else
		json_null(j);
}

static void json_keys(struct mbmsd *d, struct json *j)
{
	size_t g, k, i;

	json_key(j, "msks");
	json_arr_begin(j);
	for (g = 0; g < d->ngroups; g++)
		for (k = 0; k < POL_MSKS_PER_GROUP; k++) {
			const struct pol_msk *m = &d->groups[g].msk[k];

			if (!m->present)
				continue;
			json_obj_begin(j);
			json_kv_hex(j, "key_domain", d->groups[g].key_domain,
				    POL_KEY_DOMAIN_LEN);
			json_kv_u64(j, "msk_id", m->msk_id);
			json_kv_u64(j, "key_group", pol_key_group(m->msk_id));
			json_kv_u64(j, "key_number", pol_key_number(m->msk_id));
			json_kv_u64(j, "seql", m->seql);
			json_kv_u64(j, "sequ", m->sequ);
			json_key(j, "mtk_id");
			if (m->have_mtk)
				json_u64(j, m->mtk_id);
			else
				json_null(j);
			json_kv_u64(j, "received_ms", m->received);
			json_msk_policy(j, store_msk_find(&d->store,
						d->groups[g].key_domain,
						m->msk_id));
			/* §6.5.3 order; generation 0: not known */
			json_kv_u64(j, "muk_gen", m->muk_gen);
			json_kv_u64(j, "ts_counter", m->ts_counter);
			json_obj_end(j);
		}
	json_arr_end(j);
	json_key(j, "mtks");
	json_arr_begin(j);
	for (i = 0; i < STORE_MAX_MTKS; i++) {
		const struct store_mtk *t = &d->store.mtk[i];

		if (!t->present)
			continue;
		json_obj_begin(j);
		json_kv_u64(j, "session", t->session_id);
		json_kv_u64(j, "msk_id", t->msk_id);
		json_kv_u64(j, "mtk_id", t->mtk_id);
		json_kv_u64(j, "installed_ms", t->installed_ms);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void json_requests(struct mbmsd *d, struct json *j, uint64_t now)
{
	size_t g;

	json_key(j, "requests");
	json_arr_begin(j);
	for (g = 0; g < d->ngroups; g++) {
		const struct pol_req *r = &d->groups[g].req;

		json_obj_begin(j);
		json_kv_hex(j, "key_domain", d->groups[g].key_domain,
			    POL_KEY_DOMAIN_LEN);
		json_kv_u64(j, "key_group", d->groups[g].key_group);
		json_kv_str(j, "state", req_state_name(r->state));
		json_key(j, "due_in_ms");
		if (r->state == POL_REQ_SCHEDULED)
			json_i64(j, rel(r->due, now));
		else
			json_null(j);
		json_kv_u64(j, "failures", r->failures);
		json_kv_str(j, "last_outcome", d->last_outcome[g]);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* The verdicts split by message type; "accepted" and "rejected" above
 * are their totals.
 */
static void json_by_type(struct json *j, const struct pol_stats *st)
{
	int t, i;

	json_key(j, "by_type");
	json_obj_begin(j);
	for (t = 0; t < POL_T__COUNT; t++) {
		json_key(j, pol_type_name(t));
		json_obj_begin(j);
		if (t != POL_T_KEY_NEEDED) {
			json_key(j, "accepted");
			json_obj_begin(j);
			if (t == POL_T_MSK) {
				json_kv_u64(j, "msk", st->accepted_msk);
				json_kv_u64(j, "solicited_pull",
					    st->accepted_pull);
				json_kv_u64(j, "solicited_pull_expired_muk",
					    st->accepted_pull_expired);
			} else {
				json_kv_u64(j, "mtk", st->accepted_mtk);
				json_kv_u64(j, "mtk_resend", st->mtk_resends);
			}
			json_obj_end(j);
		}
		json_key(j, "rejected");
		json_obj_begin(j);
		for (i = 1; i < POL_R__COUNT; i++)
			json_kv_u64(j, pol_reason_name(i),
				    st->rejected_by[t][i]);
		json_obj_end(j);
		json_obj_end(j);
	}
	json_obj_end(j);
}

static void json_counters(struct mbmsd *d, struct json *j)
{
	const struct pol_stats *st = &d->ue.stats;
	int i;

	json_key(j, "accepted");
	json_obj_begin(j);
	json_kv_u64(j, "msk", st->accepted_msk);
	json_kv_u64(j, "solicited_pull", st->accepted_pull);
	json_kv_u64(j, "solicited_pull_expired_muk", st->accepted_pull_expired);
	json_kv_u64(j, "mtk", st->accepted_mtk);
	json_kv_u64(j, "mtk_resend", st->mtk_resends);
	json_obj_end(j);
	json_key(j, "rejected");
	json_obj_begin(j);
	for (i = 1; i < POL_R__COUNT; i++)
		json_kv_u64(j, pol_reason_name(i), st->rejected[i]);
	json_obj_end(j);
	json_by_type(j, st);
	json_key(j, "decode_errors");
	json_obj_begin(j);
	for (i = 1; i < __MIKEY_E_MAX; i++)
		if (d->cnt.decode_errors[i])
			json_kv_u64(j, mikey_strerror(i),
				    d->cnt.decode_errors[i]);
	json_obj_end(j);
	json_key(j, "counters");
	json_obj_begin(j);
	json_kv_u64(j, "datagrams", d->cnt.rx_datagrams);
	json_kv_u64(j, "msk_type_messages", d->cnt.rx_msk_type);
	json_kv_u64(j, "mtk_messages", d->cnt.rx_mtk);
	json_kv_u64(j, "wrong_kind", d->cnt.wrong_kind);
	json_kv_u64(j, "verifications_sent", d->cnt.verifications_sent);
	json_kv_u64(j, "verifications_withheld",
		    d->cnt.verifications_withheld);
	json_kv_u64(j, "mtk_installed", d->cnt.mtk_installed);
	json_kv_u64(j, "install_errors", d->cnt.install_errors);
	json_kv_u64(j, "kernel_events", d->cnt.kernel_events);
	json_kv_u64(j, "sessions_recreated", d->cnt.sessions_recreated);
	json_kv_u64(j, "requests_sent", st->requests_sent);
	json_kv_u64(j, "requests_ok", d->cnt.requests_ok);
	json_kv_u64(j, "requests_failed", d->cnt.requests_failed);
	json_kv_u64(j, "requests_retried", d->cnt.requests_retried);
	json_kv_u64(j, "bootstraps", d->cnt.bootstraps);
	json_kv_u64(j, "bootstrap_failures", d->cnt.bootstrap_failures);
	json_kv_u64(j, "store_errors", d->cnt.store_errors);
	json_obj_end(j);
}

static void write_json(struct mbmsd *d, FILE *out, uint64_t now)
{
	struct json j;

	json_init(&j, out, true);
	json_obj_begin(&j);
	json_kv_str(&j, "muk_policy",
		    d->cfg.muk_mode == POL_MUK_STRICT ? "strict" : "relaxed");
	json_kv_u64(&j, "request_jitter_s", d->cfg.request_jitter_s);
	json_kv_u64(&j, "now_ms", now);
	json_muks(d, &j, now);
	json_sessions(d, &j);
	json_keys(d, &j);
	json_requests(d, &j, now);
	json_counters(d, &j);
	json_obj_end(&j);
	json_finish(&j);
}

static void write_text(struct mbmsd *d, FILE *out, uint64_t now)
{
	const struct pol_stats *st = &d->ue.stats;
	char kd[8];
	unsigned int i;
	size_t g, k;
	int s;

	fprintf(out, "muk policy: %s, request jitter %u s\n",
		d->cfg.muk_mode == POL_MUK_STRICT ? "strict" : "relaxed",
		d->cfg.request_jitter_s);
	for (s = 0; s < 2; s++) {
		const struct pol_muk *m = &d->ue.muk[s];

		if (!m->present)
			continue;
		fprintf(out, "muk: %s%s%s gen %u, %s %lld s%s\n",
			d->store.muk[s].btid, s == d->ue.cur ? " current" : "",
			s == d->ue.neg ? " last-negotiated" : "", m->gen,
			now >= m->expires ? "expired" : "expires in",
			(long long)(now >= m->expires ? now - m->expires :
				    m->expires - now) / 1000,
			now >= m->expires ? " ago" : "");
	}
	if (d->ue.need_bootstrap)
		fprintf(out, "gba: a fresh bootstrap is required before the next request\n");
	for (i = 0; i < d->cfg.nsessions; i++) {
		const struct mbmsd_session *se = &d->cfg.sessions[i];

		hex_encode(se->key_domain, POL_KEY_DOMAIN_LEN, kd);
		fprintf(out, "session %s: id %u, key domain %s, key group 0x%04x, %u flow(s)\n",
			se->name, se->id, kd, se->key_group, se->nflows);
	}
	for (g = 0; g < d->ngroups; g++) {
		const struct pol_group *gr = &d->groups[g];

		hex_encode(gr->key_domain, POL_KEY_DOMAIN_LEN, kd);
		for (k = 0; k < POL_MSKS_PER_GROUP; k++) {
			const struct pol_msk *m = &gr->msk[k];
			const struct store_msk *sm;

			if (!m->present)
				continue;
			fprintf(out, "msk: %s/0x%08x, MTK IDs (%u, %u]",
				kd, m->msk_id, m->seql, m->sequ);
			if (m->have_mtk)
				fprintf(out, ", current MTK %u", m->mtk_id);
			sm = store_msk_find(&d->store, gr->key_domain,
					    m->msk_id);
			if (sm) {
				fprintf(out, ", suite %s, rfc4771 %s",
					mbms_suite_name(sm->suite),
					mikey_rcc_mode_name(sm->rcc_mode));
				if (sm->rcc_rate)
					fprintf(out, " R %u", sm->rcc_rate);
				if (sm->tag_len)
					fprintf(out, ", tag %u", sm->tag_len);
			}
			fputc('\n', out);
		}
		fprintf(out, "request: %s/0x%04x %s", kd, gr->key_group,
			req_state_name(gr->req.state));
		if (gr->req.state == POL_REQ_SCHEDULED)
			fprintf(out, " in %lld ms",
				(long long)rel(gr->req.due, now));
		if (gr->req.failures)
			fprintf(out, ", %u failure(s)", gr->req.failures);
		if (d->last_outcome[g][0])
			fprintf(out, ", last: %s", d->last_outcome[g]);
		fputc('\n', out);
	}
	for (k = 0; k < STORE_MAX_MTKS; k++) {
		const struct store_mtk *t = &d->store.mtk[k];

		if (t->present)
			fprintf(out, "mtk: session %u, MSK 0x%08x, MTK %u\n",
				t->session_id, t->msk_id, t->mtk_id);
	}
	fprintf(out, "accepted: %llu msk, %llu solicited pull (%llu under an expired MUK), %llu mtk (%llu resends)\n",
		(unsigned long long)st->accepted_msk,
		(unsigned long long)st->accepted_pull,
		(unsigned long long)st->accepted_pull_expired,
		(unsigned long long)st->accepted_mtk,
		(unsigned long long)st->mtk_resends);
	fprintf(out, "rejected:");
	for (s = 1; s < POL_R__COUNT; s++)
		if (st->rejected[s])
			fprintf(out, " %s %llu", pol_reason_name(s),
				(unsigned long long)st->rejected[s]);
	for (s = 1; s < __MIKEY_E_MAX; s++)
		if (d->cnt.decode_errors[s])
			fprintf(out, " %s %llu", mikey_strerror(s),
				(unsigned long long)d->cnt.decode_errors[s]);
	fprintf(out, "\nrequests: %llu sent, %llu ok, %llu failed, %llu retried at start-up; bootstraps %llu (%llu failed); mtk installed %llu\n",
		(unsigned long long)st->requests_sent,
		(unsigned long long)d->cnt.requests_ok,
		(unsigned long long)d->cnt.requests_failed,
		(unsigned long long)d->cnt.requests_retried,
		(unsigned long long)d->cnt.bootstraps,
		(unsigned long long)d->cnt.bootstrap_failures,
		(unsigned long long)d->cnt.mtk_installed);
}

void status_write(struct mbmsd *d, FILE *out, bool json, uint64_t now)
{
	if (json)
		write_json(d, out, now);
	else
		write_text(d, out, now);
}

int status_client(const char *sock, bool json)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *cmd = json ? "status json\n" : "status\n";
	char buf[4096];
	ssize_t n;
	int fd;

	if (strlen(sock) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "mbmsd: socket path '%s' is too long\n", sock);
		return 1;
	}
	strcpy(sa.sun_path, sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "mbmsd: cannot connect to '%s': %s (is mbmsd running?)\n",
			sock, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd)) {
		fprintf(stderr, "mbmsd: writing to '%s': %s\n", sock,
			strerror(errno));
		close(fd);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	return n < 0 ? 1 : 0;
}
