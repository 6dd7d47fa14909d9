// SPDX-License-Identifier: GPL-2.0
/*
 * mbmsd metrics: the counters of `mbmsd status` (policy verdicts by
 * message type, kind and reason, decode errors, MSK requests and bootstraps by outcome) and
 * the time since each session's last MTK, for Prometheus.  Names follow
 * its conventions: mbmsd_ prefix, _total counters, base units (seconds).
 * Every series is written even when zero, so that rate() sees it start.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "mbms/common.h"
#include "metrics.h"

#define METRICS_CT "text/plain; version=0.0.4; charset=utf-8"
#define METRICS_CONN_LIMIT 8
#define METRICS_CONN_TIMEOUT_S 5

/* The daemon's plain counters: one family each. */
static const struct {
	const char *name;
	size_t off;
	const char *help;
} plain[] = {
#define C(n, m, h) { "mbmsd_" n "_total", offsetof(struct mbmsd_counters, m), h }
	C("datagrams", rx_datagrams, "MIKEY datagrams received."),
	C("msk_type_messages", rx_msk_type,
	  "MSK, validity and solicited pull messages decoded."),
	C("mtk_messages", rx_mtk, "MTK messages decoded."),
	C("wrong_kind", wrong_kind,
	  "Messages of the wrong kind for their socket."),
	C("verifications_sent", verifications_sent,
	  "MIKEY verification messages sent."),
	C("mtk_installed", mtk_installed, "MTKs installed in the kernel."),
	C("install_errors", install_errors,
	  "MTK installations the kernel refused."),
	C("kernel_events", kernel_events, "Kernel key-needed events."),
	C("sessions_recreated", sessions_recreated,
	  "Kernel sessions re-created for a new RFC 4771 policy."),
	C("store_errors", store_errors, "Key store saves that failed."),
#undef C
};

static void one(FILE *out, const char *name, const char *lname,
		const char *lvalue, uint64_t v)
{
	struct prom_label l = { lname, lvalue };

	prom_u64(out, name, &l, 1, v);
}

/* One sample labelled with the message type and @lname. */
static void typed(FILE *out, const char *name, enum pol_type t,
		  const char *lname, const char *lvalue, uint64_t v)
{
	struct prom_label l[2] = { { "type", pol_type_name(t) },
				   { lname, lvalue } };

	prom_u64(out, name, l, 2, v);
}

static void write_policy(struct mbmsd *d, FILE *out)
{
	const struct pol_stats *st = &d->ue.stats;
	int i;

	int t;

	prom_family(out, "mbmsd_accepted_total", "counter",
		    "MIKEY messages the policy accepted, by message type and kind.");
	typed(out, "mbmsd_accepted_total", POL_T_MSK, "kind", "msk",
	      st->accepted_msk);
	typed(out, "mbmsd_accepted_total", POL_T_MSK, "kind", "solicited_pull",
	      st->accepted_pull);
	typed(out, "mbmsd_accepted_total", POL_T_MTK, "kind", "mtk",
	      st->accepted_mtk);
	prom_family(out, "mbmsd_solicited_pulls_expired_muk_total", "counter",
		    "Solicited pulls accepted under an expired MUK (relaxed policy).");
	prom_u64(out, "mbmsd_solicited_pulls_expired_muk_total", NULL, 0,
		 st->accepted_pull_expired);
	prom_family(out, "mbmsd_mtk_resends_total", "counter",
		    "Authentic resends of an MTK already accepted.");
	prom_u64(out, "mbmsd_mtk_resends_total", NULL, 0, st->mtk_resends);
	prom_family(out, "mbmsd_rejected_total", "counter",
		    "MIKEY messages (type msk, mtk) and key-needed events (type key_needed) the policy refused, by reason.");
	for (t = 0; t < POL_T__COUNT; t++)
		for (i = 1; i < POL_R__COUNT; i++)
			typed(out, "mbmsd_rejected_total", t, "reason",
			      pol_reason_name(i), st->rejected_by[t][i]);
	prom_family(out, "mbmsd_decode_errors_total", "counter",
		    "MIKEY datagrams that did not decode, by error.");
	for (i = 1; i < __MIKEY_E_MAX; i++)
		one(out, "mbmsd_decode_errors_total", "error",
		    mikey_strerror(i), d->cnt.decode_errors[i]);
}

static void write_requests(struct mbmsd *d, FILE *out)
{
	prom_family(out, "mbmsd_msk_requests_sent_total", "counter",
		    "MSK requests sent to the BM-SC.");
	prom_u64(out, "mbmsd_msk_requests_sent_total", NULL, 0,
		 d->ue.stats.requests_sent);
	prom_family(out, "mbmsd_msk_requests_total", "counter",
		    "MSK requests completed, by outcome.");
	one(out, "mbmsd_msk_requests_total", "outcome", "ok",
	    d->cnt.requests_ok);
	one(out, "mbmsd_msk_requests_total", "outcome", "failed",
	    d->cnt.requests_failed);
	prom_family(out, "mbmsd_bootstraps_total", "counter",
		    "GBA bootstraps, by outcome.");
	one(out, "mbmsd_bootstraps_total", "outcome", "ok", d->cnt.bootstraps);
	one(out, "mbmsd_bootstraps_total", "outcome", "failed",
	    d->cnt.bootstrap_failures);
	prom_family(out, "mbmsd_bootstrap_required", "gauge",
		    "1 if the next MSK request must follow a fresh bootstrap.");
	prom_u64(out, "mbmsd_bootstrap_required", NULL, 0,
		 d->ue.need_bootstrap);
}

/* Per configured session: the time since its newest MTK was installed. */
static void write_sessions(struct mbmsd *d, FILE *out, uint64_t now)
{
	char id[16];
	unsigned int i;
	size_t k;

	prom_family(out, "mbmsd_last_mtk_age_seconds", "gauge",
		    "Time since the session's last MTK was installed (absent: none yet).");
	for (i = 0; i < d->cfg.nsessions; i++) {
		const struct mbmsd_session *s = &d->cfg.sessions[i];
		struct prom_label l[2] = { { "session", id },
					   { "name", s->name } };
		bool found = false;
		uint64_t last = 0;

		for (k = 0; k < STORE_MAX_MTKS; k++) {
			const struct store_mtk *t = &d->store.mtk[k];

			if (t->present && t->session_id == s->id &&
			    (!found || t->installed_ms > last)) {
				last = t->installed_ms;
				found = true;
			}
		}
		if (!found)
			continue;
		snprintf(id, sizeof(id), "%" PRIu32, s->id);
		/* A clock stepped back: "just now", never negative. */
		prom_ms(out, "mbmsd_last_mtk_age_seconds", l, 2,
			now > last ? now - last : 0);
	}
}

void metrics_write(struct mbmsd *d, FILE *out, uint64_t now)
{
	size_t i;
	uint64_t v;

	write_policy(d, out);
	write_requests(d, out);
	for (i = 0; i < ARRAY_SIZE(plain); i++) {
		memcpy(&v, (const char *)&d->cnt + plain[i].off, sizeof(v));
		prom_family(out, plain[i].name, "counter", plain[i].help);
		prom_u64(out, plain[i].name, NULL, 0, v);
	}
	write_sessions(d, out, now);
}

/* ---- the endpoint ------------------------------------------------------ */

struct metrics_server {
	struct MHD_Daemon *mhd;
	struct mbmsd *d;
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int code,
			     char *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, mode);
	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", code == 200 ? METRICS_CT :
				"text/plain; charset=utf-8");
	if (code == 405)
		MHD_add_response_header(r, "Allow", "GET, HEAD");
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

#define STATIC_REPLY(c, code, text) \
	reply(c, code, (char *)(text), sizeof(text) - 1, MHD_RESPMEM_PERSISTENT)

static enum MHD_Result answer(void *cls, struct MHD_Connection *c,
			      const char *url, const char *method,
			      const char *version, const char *upload,
			      size_t *upload_size, void **req)
{
	struct metrics_server *m = cls;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)version;
	(void)upload;
	(void)req;
	if (*upload_size)
		return MHD_NO;		/* a body: not a scrape */
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return STATIC_REPLY(c, 405, "only GET and HEAD\n");
	if (strcmp(url, "/metrics"))
		return STATIC_REPLY(c, 404, "not found: try /metrics\n");
	f = open_memstream(&buf, &len);
	if (!f)
		return MHD_NO;
	metrics_write(m->d, f, mbmsd_now_ms());
	if (fclose(f)) {
		free(buf);
		return MHD_NO;
	}
	return reply(c, 200, buf, len, MHD_RESPMEM_MUST_FREE);
}

struct metrics_server *metrics_start(struct mbmsd *d, char *err,
				     size_t errlen)
{
	const struct mbmsd_addr *a = &d->cfg.metrics_addr;
	struct sockaddr_storage ss = { 0 };
	struct metrics_server *m;
	unsigned int flags = MHD_USE_EPOLL;
	char as[64];

	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(d->cfg.metrics_port);
		memcpy(&sin->sin_addr, a->a, 4);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(d->cfg.metrics_port);
		memcpy(&sin6->sin6_addr, a->a, 16);
		flags |= MHD_USE_IPv6;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "metrics: out of memory");
		return NULL;
	}
	m->d = d;
	errno = 0;
	m->mhd = MHD_start_daemon(flags, d->cfg.metrics_port, NULL, NULL,
				  answer, m,
				  MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				  MHD_OPTION_CONNECTION_LIMIT,
				  (unsigned int)METRICS_CONN_LIMIT,
				  MHD_OPTION_CONNECTION_TIMEOUT,
				  (unsigned int)METRICS_CONN_TIMEOUT_S,
				  MHD_OPTION_END);
	if (!m->mhd) {
		snprintf(err, errlen, "metrics_listen: cannot serve HTTP on %s port %u%s%s",
			 config_addr_str(a, as, sizeof(as)),
			 d->cfg.metrics_port, errno ? ": " : "",
			 errno ? strerror(errno) : "");
		free(m);
		return NULL;
	}
	return m;
}

int metrics_fd(const struct metrics_server *m)
{
	const union MHD_DaemonInfo *i =
		MHD_get_daemon_info(m->mhd, MHD_DAEMON_INFO_EPOLL_FD);

	return i ? i->epoll_fd : -1;
}

void metrics_run(struct metrics_server *m)
{
	MHD_run(m->mhd);
}

int metrics_timeout_ms(const struct metrics_server *m)
{
	MHD_UNSIGNED_LONG_LONG t;

	if (MHD_get_timeout(m->mhd, &t) != MHD_YES)
		return -1;
	return t > INT_MAX ? INT_MAX : (int)t;
}

void metrics_stop(struct metrics_server *m)
{
	if (!m)
		return;
	MHD_stop_daemon(m->mhd);
	free(m);
}
