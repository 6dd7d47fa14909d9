// SPDX-License-Identifier: GPL-2.0
/*
 * The BM-SC HTTP endpoint: POST /keymanagement?requesttype=msk-request
 * (also register, deregister) with HTTP Digest (username B-TID, password
 * base64(MRK), realm 3GPP-bootstrapping@<fqdn>), the mbmsMSKResponse body,
 * and the MIKEY push of the requested MSKs once the response is out.
 * libmicrohttpd runs in the simulator's own event loop (external epoll),
 * so everything stays single-threaded and in order.
 *
 * A request made with a GBA key the BM-SC considers stale -- expired, or
 * the one its expired-MUK solicited pull used -- gets a 401 with a fresh
 * challenge: TS 24.109 §5.2.5 "negotiation indication required", which
 * tells the UE to bootstrap again.  Every request is counted.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include <microhttpd.h>
#include <openssl/rand.h>

#include "mskreq.h"
#include "sim.h"
#include "auth.h"

#define HTTP_PATH		"/keymanagement"
#define HTTP_MAX_CONNECTIONS	64
#define HTTP_CONN_TIMEOUT_S	10
#define HTTP_NONCE_TIMEOUT_S	300
#define HTTP_EPOLL_TAG		3

struct http_server {
	struct MHD_Daemon *d;
	int epfd;			/* the simulator's epoll */
	int mhd_epfd;
	uint16_t port;
	char realm[300];
	char opaque[33];
	uint8_t nonce_seed[32];
	enum fault_kind outage;
	bool outage_on;
};

/* Per-request state, from the first handler call to completion. */
struct http_req {
	uint64_t n;			/* request number */
	char body[MSKREQ_MAX_BODY];
	size_t len;
	bool too_big;
	struct ue *ue;
	uint32_t owed;			/* MSK indexes to push on completion */
	struct auth_ok auth;		/* the verified Digest credentials */
	const char *password;		/* base64(MRK) they were checked with */
};

struct verdict {
	unsigned int status;
	const char *reason;
	const char *btid;
	const char *type;
};

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	log_vmsg(LOG_LVL_DEBUG, fmt, ap);
}

static void count_status(struct sim *s, unsigned int status)
{
	static const struct {
		unsigned int status;
		size_t off;
	} counters[] = {
		{ 200, offsetof(struct sim_counters, http_200) },
		{ 400, offsetof(struct sim_counters, http_400) },
		{ 401, offsetof(struct sim_counters, http_401) },
		{ 404, offsetof(struct sim_counters, http_404) },
		{ 405, offsetof(struct sim_counters, http_405) },
		{ 413, offsetof(struct sim_counters, http_413) },
		{ 503, offsetof(struct sim_counters, http_503) },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(counters); i++)
		if (counters[i].status == status)
			(*(uint64_t *)((char *)&s->c + counters[i].off))++;
}

static void report(struct sim *s, struct MHD_Connection *c,
		   const struct http_req *r, const struct verdict *v)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char from[INET_ADDRSTRLEN] = "?";
	struct json *j;

	if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET,
			  &((const struct sockaddr_in *)ci->client_addr)->sin_addr,
			  from, sizeof(from));
	if (v->status)
		count_status(s, v->status);
	else
		s->c.http_dropped++;
	log_info("HTTP request %llu from %s (%s, B-TID %s): %u %s",
		 (unsigned long long)r->n, from, v->type ? v->type : "-",
		 v->btid ? v->btid : "-", v->status, v->reason);
	j = ev_begin(s, "http-request");
	if (j) {
		json_kv_u64(j, "n", r->n);
		json_kv_str(j, "from", from);
		json_kv_str(j, "type", v->type ? v->type : "");
		json_kv_str(j, "btid", v->btid ? v->btid : "");
		json_kv_u64(j, "status", v->status);
		json_kv_str(j, "reason", v->reason);
		ev_end(s, j);
	}
}

/* Queue an answer with an optional content type and one more header. */
static enum MHD_Result queue_reply(struct MHD_Connection *c,
				   unsigned int status, const char *body,
				   size_t len, const char *ctype,
				   const char *hname, const char *hvalue)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(len, (void *)body,
					       MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	if (ctype)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	if (hname && hvalue)
		MHD_add_response_header(resp, hname, hvalue);
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result queue_simple(struct MHD_Connection *c,
				    unsigned int status, const char *body,
				    size_t len, const char *ctype,
				    const char *retry_after)
{
	return queue_reply(c, status, body, len, ctype,
			   MHD_HTTP_HEADER_RETRY_AFTER, retry_after);
}

/* A 401 with our Digest challenge: qop auth-int (TS 33.246 Annex H). */
static enum MHD_Result queue_challenge(struct sim *s, struct MHD_Connection *c,
				       bool stale)
{
	char nonce[AUTH_NONCE_LEN + 1], hdr[DIGEST_HEADER_MAX];

	auth_nonce_make(s->http->nonce_seed, time(NULL), nonce);
	auth_challenge(hdr, sizeof(hdr), s->http->realm, s->http->opaque, nonce,
		       s->o.digest_qop, stale);
	return queue_reply(c, 401, "", 0, NULL,
			   MHD_HTTP_HEADER_WWW_AUTHENTICATE, hdr);
}

/*
 * A 200 to an authenticated request, with Authentication-Info (RFC 2617
 * §3.2.3): its rspauth proves to the UE that the answer comes from the
 * BM-SC, over the body too with auth-int.
 */
static enum MHD_Result queue_authed(struct sim *s, struct MHD_Connection *c,
				    const struct http_req *r, const char *body,
				    size_t len, const char *ctype)
{
	char info[DIGEST_HEADER_MAX];
	bool ok = !auth_info(&r->auth, s->http->realm, r->password, body, len,
			     info, sizeof(info));

	return queue_reply(c, 200, body, len, ctype, "Authentication-Info",
			   ok ? info : NULL);
}

/*
 * Find the GBA key named by the Digest username: already known, or asked
 * from the BSF stand-in (--bsf-lookup) and bound to the UE at the
 * request's source address.
 */
static struct ue *key_for_btid(struct sim *s, struct MHD_Connection *c,
			       const char *btid, int *slot)
{
	const union MHD_ConnectionInfo *ci;
	struct gba_key k;
	struct ue *ue;
	char err[256];

	ue = ue_find_btid(s->ues, btid, slot);
	if (ue || !s->ues->lookup_cmd[0])
		return ue;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr || ci->client_addr->sa_family != AF_INET)
		return NULL;
	if (gba_run(s->ues->lookup_cmd, btid, sim_mono_ms(), &k, err,
		    sizeof(err))) {
		log_warn("BSF lookup for B-TID %s: %s", btid, err);
		return NULL;
	}
	if (strcmp(k.btid, btid)) {
		log_warn("BSF lookup for B-TID %s answered for B-TID %s: ignored",
			 btid, k.btid);
		gba_key_clear(&k);
		return NULL;
	}
	ue = ue_find_addr(s->ues,
			  &((const struct sockaddr_in *)ci->client_addr)->sin_addr);
	if (!ue) {
		char addr[INET_ADDRSTRLEN];

		inet_ntop(AF_INET,
			  &((const struct sockaddr_in *)ci->client_addr)->sin_addr,
			  addr, sizeof(addr));
		ue = ue_add(s->ues, addr, err, sizeof(err));
		if (!ue) {
			log_warn("cannot add UE %s: %s", addr, err);
			gba_key_clear(&k);
			return NULL;
		}
		log_info("new UE %s (learnt from its HTTP request)", ue->name);
	}
	*slot = ue_store_key(ue, &k);
	log_info("GBA key for B-TID %s of UE %s learnt from the BSF", btid,
		 ue->name);
	return ue;
}

/* Is key @slot of @ue one the UE must not use any more? */
static const char *stale_reason(struct ue *ue, int slot)
{
	const struct gba_key *k = &ue->keys[slot];
	int j;

	if (gba_key_expired(k, sim_mono_ms()))
		return "GBA key expired: negotiation indication required";
	if (ue->must_rebootstrap && !strcmp(k->btid, ue->stale_btid))
		return ue->stale_why;
	for (j = 0; j < UE_MAX_KEYS; j++)
		if (j != slot && ue->keys[j].used && ue->keys[j].proven &&
		    ue->keys[j].learnt_ms > k->learnt_ms)
			return "a newer GBA key exists for this UE: negotiation indication required";
	return NULL;
}

static enum MHD_Result answer_msk_request(struct sim *s,
					  struct MHD_Connection *c,
					  struct http_req *r, struct verdict *v)
{
	unsigned int codes[MSKREQ_MAX_MSKS];
	static char err[256];
	struct mskreq req;
	enum MHD_Result ret;
	char *xml;
	size_t i, len;

	s->c.http_msk_requests++;
	if (mskreq_parse(r->body, r->len, &req, err, sizeof(err))) {
		v->status = 400;
		v->reason = err;
		return queue_simple(c, 400, err, strlen(err), "text/plain", NULL);
	}
	for (i = 0; i < req.n; i++) {
		int m = -1;

		if (!memcmp(req.item[i].key_domain, s->o.key_domain,
			    MIKEY_KEY_DOMAIN_LEN))
			m = scenario_msk_by_id(s, req.item[i].msk_id);
		codes[i] = m < 0 ? 404 : 200;
		if (m >= 0)
			r->owed |= 1u << m;
	}
	if (mskresp_build(&req, codes, &xml, &len)) {
		v->status = 0;
		v->reason = "out of memory building the response";
		return MHD_NO;
	}
	v->status = 200;
	v->reason = r->owed ? "MSK request served, MIKEY push follows" :
			      "MSK request for unknown MSKs";
	ret = queue_authed(s, c, r, xml, len, MSKRESP_CONTENT_TYPE);
	free(xml);
	return ret;
}

/* "<BM-SC URI>/keymanagement": any prefix the UE's BM-SC URI may have. */
static bool path_ok(const char *url)
{
	size_t n = strlen(url), p = strlen(HTTP_PATH);

	return n >= p && !strcmp(url + n - p, HTTP_PATH);
}

/* The whole request is in: decide. */
static enum MHD_Result answer(struct sim *s, struct MHD_Connection *c,
			      const char *url, const char *method,
			      struct http_req *r, struct verdict *v)
{
	/* Static: the verdict points at it until report(). */
	static char btid[GBA_MAX_BTID + 1], reason[128];
	char uri[DIGEST_FIELD_MAX + 64];
	const char *stale, *authz, *why;
	enum auth_verdict ok;
	struct ue *ue;
	int slot;

	if (!path_ok(url)) {
		v->status = 404;
		v->reason = "no such path";
		return queue_simple(c, 404, "", 0, NULL, NULL);
	}
	if (strcmp(method, MHD_HTTP_METHOD_POST)) {
		v->status = 405;
		v->reason = "method not allowed";
		return queue_simple(c, 405, "", 0, NULL, NULL);
	}
	v->type = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
					      "requesttype");
	if (!v->type || (strcmp(v->type, "msk-request") &&
			 strcmp(v->type, "register") &&
			 strcmp(v->type, "deregister"))) {
		v->status = 400;
		v->reason = "requesttype missing or unknown";
		v->type = NULL;
		return queue_simple(c, 400, "", 0, NULL, NULL);
	}
	authz = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					    MHD_HTTP_HEADER_AUTHORIZATION);
	if (!auth_username(authz, btid, sizeof(btid))) {
		v->status = 401;
		v->reason = "no Digest credentials: challenge sent";
		return queue_challenge(s, c, false);
	}
	if (!gba_btid_ok(btid)) {
		v->status = 401;
		v->reason = "malformed B-TID in the Digest username: challenge sent";
		return queue_challenge(s, c, false);
	}
	v->btid = btid;
	ue = key_for_btid(s, c, btid, &slot);
	if (!ue) {
		v->status = 401;
		v->reason = "unknown B-TID: challenge sent";
		return queue_challenge(s, c, false);
	}
	snprintf(uri, sizeof(uri), "%s?requesttype=%s", url, v->type);
	ok = auth_check(authz, s->http->nonce_seed, time(NULL),
			HTTP_NONCE_TIMEOUT_S, s->http->realm, uri,
			ue->keys[slot].mrk_b64, r->body, r->len, s->o.digest_qop,
			&r->auth, &why);
	if (ok != AUTH_OK) {
		snprintf(reason, sizeof(reason), "%s: challenge sent%s", why,
			 ok == AUTH_STALE ? " (stale=true)" : "");
		v->status = 401;
		v->reason = reason;
		return queue_challenge(s, c, ok == AUTH_STALE);
	}
	r->password = ue->keys[slot].mrk_b64;
	ue->keys[slot].proven = true;
	stale = stale_reason(ue, slot);
	if (stale) {
		v->status = 401;
		v->reason = stale;
		return queue_challenge(s, c, false);
	}
	if (ue->muk != slot)
		log_info("UE %s now uses B-TID %s (last negotiated MUK)",
			 ue->name, btid);
	ue->muk = slot;
	ue->must_rebootstrap = false;
	r->ue = ue;
	if (strcmp(v->type, "msk-request")) {
		v->status = 200;
		v->reason = "accepted";
		return queue_authed(s, c, r, "", 0, NULL);
	}
	return answer_msk_request(s, c, r, v);
}

/* Outage modes that act before anything else. */
static enum MHD_Result outage(struct sim *s, struct MHD_Connection *c,
			      struct verdict *v)
{
	char ra[16];

	if (s->http->outage == FAULT_HTTP_DROP) {
		v->status = 0;
		v->reason = "dropped (http-drop fault)";
		return MHD_NO;
	}
	snprintf(ra, sizeof(ra), "%u", s->o.retry_after_s);
	v->status = 503;
	v->reason = "service unavailable (http-503 fault)";
	return queue_simple(c, 503, "", 0, NULL, ra);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **req_cls)
{
	struct sim *s = cls;
	struct http_req *r = *req_cls;
	struct verdict v = { .reason = "" };
	enum MHD_Result ret;

	(void)version;
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		r->n = ++s->c.http_requests;
		*req_cls = r;
		return MHD_YES;
	}
	if (*upload_size) {
		if (r->len + *upload_size > sizeof(r->body))
			r->too_big = true;
		else
			memcpy(r->body + r->len, upload, *upload_size);
		if (!r->too_big)
			r->len += *upload_size;
		*upload_size = 0;
		return MHD_YES;
	}
	if (s->http->outage_on) {
		ret = outage(s, c, &v);
	} else if (r->too_big) {
		v.status = 413;
		v.reason = "request body too large";
		ret = queue_simple(c, 413, "", 0, NULL, NULL);
	} else {
		ret = answer(s, c, url, method, r, &v);
	}
	report(s, c, r, &v);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_req *r = *req_cls;

	(void)cls;
	(void)c;
	if (!r)
		return;
	/* The MSKs follow by MIKEY once the response has gone out. */
	if (r->ue && r->owed && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		r->ue->push_owed |= r->owed;
	secure_zero(r, sizeof(*r));
	free(r);
	*req_cls = NULL;
}

static int start_daemon(struct sim *s, char *err, size_t errlen)
{
	struct http_server *h = s->http;
	const union MHD_DaemonInfo *di;
	struct sockaddr_in addr = s->o.http;
	struct epoll_event ev = { .events = EPOLLIN,
				  .data.u32 = HTTP_EPOLL_TAG };

	if (h->port)
		addr.sin_port = htons(h->port);	/* a restart keeps the port */
	h->d = MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
				on_request, s,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
				MHD_OPTION_CONNECTION_LIMIT,
				(unsigned int)HTTP_MAX_CONNECTIONS,
				MHD_OPTION_CONNECTION_TIMEOUT,
				(unsigned int)HTTP_CONN_TIMEOUT_S,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				MHD_OPTION_END);
	if (!h->d) {
		snprintf(err, errlen, "cannot listen for HTTP on %s:%u (address in use or not local?)",
			 inet_ntoa(addr.sin_addr), ntohs(addr.sin_port));
		return -1;
	}
	di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	h->port = di ? di->port : ntohs(addr.sin_port);
	di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_EPOLL_FD);
	if (!di || epoll_ctl(h->epfd, EPOLL_CTL_ADD, di->epoll_fd, &ev)) {
		snprintf(err, errlen, "cannot watch the HTTP server's epoll fd");
		MHD_stop_daemon(h->d);
		h->d = NULL;
		return -1;
	}
	h->mhd_epfd = di->epoll_fd;
	return 0;
}

static void stop_daemon(struct sim *s)
{
	struct http_server *h = s->http;

	if (!h->d)
		return;
	epoll_ctl(h->epfd, EPOLL_CTL_DEL, h->mhd_epfd, NULL);
	MHD_stop_daemon(h->d);
	h->d = NULL;
}

static void listening_event(struct sim *s)
{
	struct json *j;

	log_info("HTTP endpoint http://%s:%u%s (realm %s)",
		 inet_ntoa(s->o.http.sin_addr), s->http->port, HTTP_PATH,
		 s->http->realm);
	j = ev_begin(s, "http-listening");
	if (j) {
		json_kv_str(j, "addr", inet_ntoa(s->o.http.sin_addr));
		json_kv_u64(j, "port", s->http->port);
		json_kv_str(j, "realm", s->http->realm);
		ev_end(s, j);
	}
}

int http_open(struct sim *s, int epfd, char *err, size_t errlen)
{
	struct http_server *h = calloc(1, sizeof(*h));
	uint8_t op[16];

	if (!h) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->http = h;
	h->epfd = epfd;
	if (digest_realm(s->o.fqdn, h->realm, sizeof(h->realm)) ||
	    RAND_bytes(h->nonce_seed, sizeof(h->nonce_seed)) != 1 ||
	    RAND_bytes(op, sizeof(op)) != 1) {
		snprintf(err, errlen, "HTTP server setup (realm or random) failed");
		return -1;
	}
	hex_encode(op, sizeof(op), h->opaque);
	if (start_daemon(s, err, errlen))
		return -1;
	listening_event(s);
	return 0;
}

void http_close(struct sim *s)
{
	if (!s->http)
		return;
	stop_daemon(s);
	secure_zero(s->http, sizeof(*s->http));
	free(s->http);
	s->http = NULL;
}

void http_run(struct sim *s)
{
	if (s->http && s->http->d)
		MHD_run(s->http->d);
}

uint64_t http_timeout_ms(const struct sim *s)
{
	MHD_UNSIGNED_LONG_LONG to;

	if (!s->http || !s->http->d ||
	    MHD_get_timeout(s->http->d, &to) != MHD_YES)
		return UINT64_MAX;
	return to;
}

uint16_t http_port(const struct sim *s)
{
	return s->http ? s->http->port : 0;
}

int http_outage_begin(struct sim *s, enum fault_kind kind)
{
	struct http_server *h = s->http;
	struct json *j;

	if (!h) {
		log_warn("fault %s without an HTTP endpoint (--http): ignored",
			 fault_name(kind));
		return -1;
	}
	h->outage = kind;
	h->outage_on = true;
	if (kind == FAULT_HTTP_REFUSE)
		stop_daemon(s);
	s->c.faults++;
	log_info("fault %s: HTTP outage begins", fault_name(kind));
	j = ev_begin(s, "fault");
	if (j) {
		json_kv_str(j, "kind", fault_name(kind));
		json_kv_str(j, "phase", "begin");
		ev_end(s, j);
	}
	return 0;
}

void http_outage_end(struct sim *s)
{
	struct http_server *h = s->http;
	char err[256];
	struct json *j;

	if (!h || !h->outage_on)
		return;
	h->outage_on = false;
	if (h->outage == FAULT_HTTP_REFUSE) {
		if (start_daemon(s, err, sizeof(err)))
			log_err("HTTP endpoint not restarted: %s", err);
		else
			listening_event(s);
	}
	log_info("fault %s: HTTP outage ends", fault_name(h->outage));
	j = ev_begin(s, "fault");
	if (j) {
		json_kv_str(j, "kind", fault_name(h->outage));
		json_kv_str(j, "phase", "end");
		ev_end(s, j);
	}
}
