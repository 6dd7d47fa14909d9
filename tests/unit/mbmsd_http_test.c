// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for mbmsd's XML bodies and HTTP MSK request: the request
 * body, malformed responses, result mapping, Retry-After, and real
 * requests against an in-process libmicrohttpd server with Digest auth.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "mbms/common.h"
#include <poll.h>

#include "mbms/digest.h"
#include "../../userspace/mbmsd/http.h"
#include "../../userspace/mbmsd/worker.h"
#include "test.h"

/*
 * Bounds that only a hang reaches: under ASan on a loaded machine a
 * request can take seconds, and the outcome must not depend on it.
 */
#define WAIT_MS		120000
#define REQ_TIMEOUT_S	120

#define NS "urn:3GPP:metadata:2005:MBMS:mskResponse"
#define RESP(body) "<?xml version=\"1.0\"?><mbmsMSKResponse xmlns=\"" NS "\">" body "</mbmsMSKResponse>"
#define ONE(code) "<Response><MSK><keyDomainID>Ji8B</keyDomainID><MSKID>AQIAAA==</MSKID></MSK><ResponseCode>" code "</ResponseCode></Response>"

static void test_build(void)
{
	struct xml_msk m[2] = { { { 0x26, 0x2f, 0x01 }, 0x01020000 },
				{ { 0, 0, 1 }, 0xffffffff } };
	char *out;
	size_t len;

	CHECK(xml_build_msk_request(m, 2, &out, &len) == 0);
	CHECK(strlen(out) == len);
	CHECK(strstr(out, "<mbmsMSKRequest xmlns=\"urn:3GPP:metadata:2005:MBMS:mskRequest\">") != NULL);
	CHECK(strstr(out, "<MSK><keyDomainID>Ji8B</keyDomainID><MSKID>AQIAAA==</MSKID></MSK>") != NULL);
	CHECK(strstr(out, "<MSKID>/////w==</MSKID>") != NULL);
	free(out);
	CHECK(xml_build_msk_request(m, 0, &out, &len) == -1);
	CHECK(xml_build_msk_request(m, XML_MAX_MSKS + 1, &out, &len) == -1);
}

static void expect_bad(const char *body, const char *needle)
{
	struct xml_msk_response r[XML_MAX_MSKS];
	char err[200] = "";
	size_t n = 99;

	CHECK(xml_parse_msk_response(body, strlen(body), r, &n, err,
				     sizeof(err)) == -1);
	CHECK(n == 0);
	CHECK(strstr(err, needle) != NULL);
	if (!strstr(err, needle))
		fprintf(stderr, "  wanted \"%s\", got \"%s\"\n", needle, err);
}

static void test_parse(void)
{
	struct xml_msk_response r[XML_MAX_MSKS];
	char err[200], *big;
	size_t n, i;
	static const char two[] = RESP(ONE("200")
		"<Response><Extra/><ResponseCode> 503 </ResponseCode><MSK><MSKID>AQIAAQ==</MSKID>"
		"<keyDomainID>AAAB</keyDomainID></MSK></Response><Other/>");

	CHECK(xml_parse_msk_response(two, strlen(two), r, &n, err, sizeof(err)) == 0);
	CHECK(n == 2);
	CHECK(!memcmp(r[0].msk.key_domain, "\x26\x2f\x01", 3));
	CHECK(r[0].msk.msk_id == 0x01020000 && r[0].code == 200);
	CHECK(r[1].msk.msk_id == 0x01020001 && r[1].code == 503);
	CHECK(!memcmp(r[1].msk.key_domain, "\0\0\1", 3));

	expect_bad("", "not well-formed");
	expect_bad("<mbmsMSKResponse", "not well-formed");
	expect_bad("<mbmsMSKResponse/>", "root element is not");
	expect_bad("<mbmsMSKResponse xmlns=\"urn:other\"/>", "root element is not");
	expect_bad(RESP(""), "no <Response> element");
	expect_bad(RESP("<Response><ResponseCode>200</ResponseCode></Response>"),
		   "lacks <MSK>");
	expect_bad(RESP("<Response><MSK><keyDomainID>Ji8B</keyDomainID><MSKID>AQIAAA==</MSKID></MSK></Response>"),
		   "lacks <ResponseCode>");
	expect_bad(RESP("<Response><MSK><MSKID>AQIAAA==</MSKID></MSK><ResponseCode>200</ResponseCode></Response>"),
		   "lacks <keyDomainID>");
	expect_bad(RESP("<Response><MSK><keyDomainID>Ji8BAA==</keyDomainID><MSKID>AQIAAA==</MSKID></MSK><ResponseCode>200</ResponseCode></Response>"),
		   "<keyDomainID> at line 1: expected base64 of 3 bytes");
	expect_bad(RESP("<Response><MSK><keyDomainID>Ji8B</keyDomainID><MSKID>AQIA</MSKID></MSK><ResponseCode>200</ResponseCode></Response>"),
		   "<MSKID> at line 1");
	expect_bad(RESP("<Response><MSK><keyDomainID>Ji*B</keyDomainID><MSKID>AQIAAA==</MSKID></MSK><ResponseCode>200</ResponseCode></Response>"),
		   "<keyDomainID>");
	expect_bad(RESP("<Response><MSK><keyDomainID>Ji8B</keyDomainID><MSKID>AQ=IAA==</MSKID></MSK><ResponseCode>200</ResponseCode></Response>"),
		   "<MSKID>");
	expect_bad(RESP("<Response><MSK><keyDomainID><b>Ji8B</b></keyDomainID><MSKID>AQIAAA==</MSKID></MSK><ResponseCode>200</ResponseCode></Response>"),
		   "<keyDomainID>");
	/* TS 26.346 §11.8.2: "200 OK", the status code leads. */
	{
		static const char ok[] = RESP(ONE("200 OK"));
		static const char busy[] = RESP(ONE("\n 503 Service Unavailable \n"));

		CHECK(xml_parse_msk_response(ok, strlen(ok), r, &n, err, sizeof(err)) == 0);
		CHECK(n == 1 && r[0].code == 200);
		CHECK(xml_parse_msk_response(busy, strlen(busy), r, &n, err, sizeof(err)) == 0);
		CHECK(n == 1 && r[0].code == 503);
	}
	expect_bad(RESP(ONE("OK 200")), "<ResponseCode>");
	expect_bad(RESP(ONE("2000 OK")), "<ResponseCode>");
	expect_bad(RESP(ONE("200OK")), "<ResponseCode>");
	expect_bad(RESP(ONE("20")), "<ResponseCode> at line 1");
	expect_bad(RESP(ONE("600")), "<ResponseCode>");
	expect_bad(RESP(ONE("099")), "<ResponseCode>");
	expect_bad(RESP(ONE("abc")), "<ResponseCode>");
	expect_bad(RESP("<Response><MSK><keyDomainID>Ji8B</keyDomainID><MSKID>AQIAAA==</MSKID></MSK>"
			"<MSK><keyDomainID>Ji8B</keyDomainID><MSKID>AQIAAA==</MSKID></MSK><ResponseCode>200</ResponseCode></Response>"),
		   "more than one <MSK>");
	expect_bad(RESP("<Response><MSK><keyDomainID>Ji8B</keyDomainID><MSKID>AQIAAA==</MSKID></MSK>"
			"<ResponseCode>200</ResponseCode><ResponseCode>200</ResponseCode></Response>"),
		   "more than one <ResponseCode>");
	/* A DTD (entity expansion, external entities): refused. */
	expect_bad("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]>"
		   "<mbmsMSKResponse xmlns=\"" NS "\">" ONE("&b;") "</mbmsMSKResponse>",
		   "a DTD is not allowed");
	expect_bad("<!DOCTYPE r SYSTEM \"http://example.invalid/x.dtd\">"
		   "<mbmsMSKResponse xmlns=\"" NS "\">" ONE("200") "</mbmsMSKResponse>",
		   "a DTD is not allowed");
	/* Too many responses. */
	big = malloc(XML_MAX_BODY + 16);
	strcpy(big, "<mbmsMSKResponse xmlns=\"" NS "\">");
	for (i = 0; i <= XML_MAX_MSKS; i++)
		strcat(big, ONE("200"));
	strcat(big, "</mbmsMSKResponse>");
	expect_bad(big, "more than 16 <Response> elements");
	memset(big, ' ', XML_MAX_BODY + 1);
	big[XML_MAX_BODY + 1] = '\0';
	expect_bad(big, "exceeds");
	free(big);
}

static void test_map(void)
{
	struct xml_msk_response r[2] = { { .code = 503 }, { .code = 200 } };

	CHECK(http_map_result(200, r, 2) == POL_RES_OK);
	CHECK(http_map_result(200, r, 1) == POL_RES_BUSY);
	r[0].code = 404;
	CHECK(http_map_result(200, r, 1) == POL_RES_FAILED);
	CHECK(http_map_result(200, r, 0) == POL_RES_FAILED);
	CHECK(http_map_result(401, NULL, 0) == POL_RES_UNAUTHORIZED);
	CHECK(http_map_result(503, NULL, 0) == POL_RES_BUSY);
	CHECK(http_map_result(500, NULL, 0) == POL_RES_FAILED);
	CHECK(http_map_result(0, NULL, 0) == POL_RES_FAILED);

	CHECK(http_parse_retry_after(" 120 ", 0) == 120000);
	CHECK(http_parse_retry_after("0", 0) == 0);
	CHECK(http_parse_retry_after("12a", 0) == 0);
	CHECK(http_parse_retry_after("", 0) == 0);
	CHECK(http_parse_retry_after(NULL, 0) == 0);
	CHECK(http_parse_retry_after("99999999999", 0) == 24u * 3600 * 1000);
	/* HTTP-date, 1994-11-06 08:49:37 GMT = 784111777. */
	CHECK(http_parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT",
				     784111777 - 30) == 30000);
	CHECK(http_parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT",
				     784111777 + 30) == 1);
	CHECK(http_parse_retry_after("garbage date", 0) == 0);
}

/* ---- an in-process BM-SC ------------------------------------------------ */

/*
 * M_OK..M_404 use libmicrohttpd's own Digest (qop auth), an independent
 * server implementation.  M_AUTHINT and later speak Digest by hand, with
 * qop auth-int only, as TS 33.246 Annex H asks, and answer with
 * Authentication-Info (good, or a forged rspauth); M_REALM challenges
 * with another realm than the configured BM-SC's; M_200OK answers the
 * TS 26.346 §11.8.2 form "200 OK".
 */
enum mode { M_OK, M_401, M_503, M_BIG, M_BADXML, M_404, M_AUTHINT,
	    M_AUTHINT_BADRSP, M_AUTHINT_NOINFO, M_REALM, M_200OK };
static enum mode mode;
static char seen_ua[128], seen_ct[128], seen_body[4096], seen_req[64];
static int seen_auth_ok, seen_authz;
#define REALM "3GPP-bootstrapping@bmsc.test"

struct upload {
	char buf[4096];
	size_t len;
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int code,
			     const char *body, const char *retry_after)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(body), (void *)body,
					    MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(r, "Content-Type", XML_CT_MSK_RESPONSE);
	if (retry_after)
		MHD_add_response_header(r, "Retry-After", retry_after);
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

/* qop auth-int by hand (libmicrohttpd 0.9.75 has none). */
static enum MHD_Result authint(struct MHD_Connection *c, struct upload *u)
{
	static const char body200[] = RESP(ONE("200"));
	static const char body200ok[] = RESP(ONE("200 OK"));
	const char *rbody = mode == M_200OK ? body200ok : body200;
	const char *a = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    "Authorization");
	char bh[DIGEST_HEX_LEN + 1], want[DIGEST_HEX_LEN + 1], info[1024];
	struct digest_fields f;
	struct MHD_Response *r;
	enum MHD_Result ret;
	char err[128];

	if (!a || digest_parse(a, true, &f, err, sizeof(err)) ||
	    strcmp(f.qop, "auth-int") || strcmp(f.realm, REALM) ||
	    strcmp(f.nonce, "n0nce") || strcmp(f.username, "btid1@bsf.test") ||
	    strcmp(f.opaque, "op")) {
		r = MHD_create_response_from_buffer(0, (void *)"",
						    MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "WWW-Authenticate",
			mode == M_REALM ?
			"Digest realm=\"3GPP-bootstrapping@evil.test\", nonce=\"n0nce\", qop=\"auth-int\", opaque=\"op\", algorithm=MD5" :
			"Digest realm=\"" REALM "\", nonce=\"n0nce\", qop=\"auth-int\", opaque=\"op\", algorithm=MD5");
		ret = MHD_queue_response(c, 401, r);
		MHD_destroy_response(r);
		return ret;
	}
	digest_body_hash(u->buf, u->len, bh);
	if (digest_compute(f.username, REALM, "cGFzc3dvcmQ=", "POST", f.uri,
			   f.nonce, f.nc, f.cnonce, "auth-int", bh, want) ||
	    !digest_equal(want, f.response))
		return reply(c, 403, "", NULL);
	seen_auth_ok++;
	digest_body_hash(rbody, strlen(rbody), bh);
	digest_compute(f.username, REALM, "cGFzc3dvcmQ=", "", f.uri, f.nonce,
		       f.nc, f.cnonce, "auth-int", bh, want);
	if (mode == M_AUTHINT_BADRSP)
		want[0] = want[0] == '0' ? '1' : '0';
	snprintf(info, sizeof(info),
		 "rspauth=\"%s\", qop=auth-int, nc=%s, cnonce=\"%s\"", want,
		 f.nc, f.cnonce);
	r = MHD_create_response_from_buffer(strlen(rbody), (void *)rbody,
					    MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", XML_CT_MSK_RESPONSE);
	if (mode != M_AUTHINT_NOINFO)
		MHD_add_response_header(r, "Authentication-Info", info);
	ret = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
			       const char *url, const char *method,
			       const char *version, const char *data,
			       size_t *data_size, void **con_cls)
{
	struct upload *u = *con_cls;
	const char *v, *pw;
	char *user;
	static char *big;
	enum MHD_Result ret;
	int ok;

	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	if (!u) {
		u = calloc(1, sizeof(*u));
		*con_cls = u;
		return MHD_YES;
	}
	if (*data_size) {
		size_t n = *data_size;

		if (n > sizeof(u->buf) - 1 - u->len)
			n = sizeof(u->buf) - 1 - u->len;
		memcpy(u->buf + u->len, data, n);
		u->len += n;
		*data_size = 0;
		return MHD_YES;
	}
	v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");
	snprintf(seen_ua, sizeof(seen_ua), "%s", v ? v : "");
	v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	snprintf(seen_ct, sizeof(seen_ct), "%s", v ? v : "");
	v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "requesttype");
	snprintf(seen_req, sizeof(seen_req), "%s", v ? v : "");
	snprintf(seen_body, sizeof(seen_body), "%s", u->buf);
	switch (mode) {
	case M_503:
		return reply(c, 503, "busy", "7");
	case M_404:
		return reply(c, 404, "no", NULL);
	default:
		break;
	}
	if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"))
		seen_authz++;
	if (mode >= M_AUTHINT)
		return authint(c, u);
	user = MHD_digest_auth_get_username(c);
	pw = mode == M_401 ? "not-the-password" : "cGFzc3dvcmQ=";
	ok = user && !strcmp(user, "btid1@bsf.test") &&
	     MHD_digest_auth_check2(c, REALM, user, pw, 300,
				    MHD_DIGEST_ALG_MD5) == MHD_YES;
	MHD_free(user);
	if (!ok) {
		struct MHD_Response *r = MHD_create_response_from_buffer(
			0, (void *)"", MHD_RESPMEM_PERSISTENT);

		ret = MHD_queue_auth_fail_response2(c, REALM, "opaque", r, 0,
						    MHD_DIGEST_ALG_MD5);
		MHD_destroy_response(r);
		return ret;
	}
	seen_auth_ok++;
	if (mode == M_BIG) {
		if (!big) {
			big = malloc(XML_MAX_BODY + 100);
			memset(big, ' ', XML_MAX_BODY + 99);
			big[XML_MAX_BODY + 99] = '\0';
		}
		return reply(c, 200, big, NULL);
	}
	if (mode == M_BADXML)
		return reply(c, 200, "<x/>", NULL);
	return reply(c, 200, RESP(ONE("200")), NULL);
}

static void done(void *cls, struct MHD_Connection *c, void **con_cls,
		 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	free(*con_cls);
	*con_cls = NULL;
}

/* A loopback TCP port bound (not listening) by *@fd: refuses connections. */
static uint16_t closed_port(int *fd)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*fd < 0)
		return 0;
	if (bind(*fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(*fd, (struct sockaddr *)&sa, &len)) {
		close(*fd);
		*fd = -1;
		return 0;
	}
	return ntohs(sa.sin_port);
}

static void test_http(void)
{
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	struct http_request rq;
	struct http_outcome out;
	uint16_t port;
	int fd;

	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
			     0, NULL, NULL, handler, NULL,
			     MHD_OPTION_NOTIFY_COMPLETED, done, NULL,
			     MHD_OPTION_NONCE_NC_SIZE, 300,
			     MHD_OPTION_DIGEST_AUTH_RANDOM, 16, "0123456789abcdef",
			     MHD_OPTION_END);
	CHECK(d != NULL);
	if (!d)
		return;
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = info ? info->port : 0;
	CHECK(port != 0);

	memset(&rq, 0, sizeof(rq));
	snprintf(rq.base_uri, sizeof(rq.base_uri), "http://127.0.0.1:%u", port);
	strcpy(rq.btid, "btid1@bsf.test");
	strcpy(rq.password, "cGFzc3dvcmQ=");
	strcpy(rq.realm, REALM);
	rq.msks[0] = (struct xml_msk){ { 0x26, 0x2f, 0x01 }, 0x01020000 };
	rq.nmsks = 1;
	rq.timeout_s = REQ_TIMEOUT_S;

	mode = M_OK;
	http_msk_request(&rq, &out);
	CHECK(out.status == 200 && out.result == POL_RES_OK);
	CHECK(out.nresp == 1 && out.resp[0].msk.msk_id == 0x01020000);
	CHECK(seen_auth_ok == 1);
	CHECK(strstr(seen_ua, "3gpp-gba") != NULL);
	CHECK_STR(seen_ct, XML_CT_MSK_REQUEST);
	CHECK_STR(seen_req, "msk-request");
	CHECK(strstr(seen_body, "<MSKID>AQIAAA==</MSKID>") != NULL);

	mode = M_401;
	http_msk_request(&rq, &out);
	CHECK(out.status == 401 && out.result == POL_RES_UNAUTHORIZED);
	CHECK(seen_auth_ok == 1);

	mode = M_503;
	http_msk_request(&rq, &out);
	CHECK(out.status == 503 && out.result == POL_RES_BUSY);
	CHECK(out.retry_after_ms == 7000);

	mode = M_404;
	http_msk_request(&rq, &out);
	CHECK(out.status == 404 && out.result == POL_RES_FAILED);

	mode = M_BADXML;
	http_msk_request(&rq, &out);
	CHECK(out.result == POL_RES_FAILED);
	CHECK(strstr(out.detail, "bad body") != NULL);

	/* The same through the worker thread. */
	{
		static struct worker_job job;
		static struct worker_result res;
		struct worker *w;
		struct pollfd p;
		char err[100];
		int auth_before;

		w = worker_start(err, sizeof(err));
		CHECK(w != NULL);
		mode = M_OK;
		memset(&job, 0, sizeof(job));
		job.task = WORKER_HTTP;
		job.group = 3;
		job.muk_gen = 7;
		job.req = rq;
		CHECK(!worker_busy(w));
		CHECK(worker_take(w, &res) == -1);
		CHECK(worker_submit(w, &job) == 0);
		CHECK(job.req.password[0] == 0);	/* wiped in the caller */
		CHECK(worker_busy(w));
		job.req = rq;
		CHECK(worker_submit(w, &job) == -1);	/* one slot */
		p.fd = worker_fd(w);
		p.events = POLLIN;
		CHECK(poll(&p, 1, WAIT_MS) == 1);
		CHECK(worker_take(w, &res) == 0);
		CHECK(res.task == WORKER_HTTP && res.group == 3 &&
		      res.muk_gen == 7 && !res.bootstrapped);
		CHECK(res.out.result == POL_RES_OK && res.out.status == 200);
		CHECK(!worker_busy(w));
		/* A bootstrap job that fails: no request, a reason. */
		memset(&job, 0, sizeof(job));
		job.task = WORKER_BOOTSTRAP;
		strcpy(job.gba_cmd, "/bin/false");
		job.gba_timeout_s = REQ_TIMEOUT_S;
		auth_before = seen_auth_ok;
		CHECK(worker_submit(w, &job) == 0);
		CHECK(poll(&p, 1, WAIT_MS) == 1);
		CHECK(worker_take(w, &res) == 0);
		CHECK(res.task == WORKER_BOOTSTRAP);
		CHECK(res.bootstrap_failed && !res.bootstrapped);
		CHECK(res.out.result == POL_RES_FAILED);
		CHECK(strstr(res.out.detail, "GBA bootstrap failed") != NULL);
		CHECK(seen_auth_ok == auth_before);	/* nothing sent */
		worker_stop(w);
	}

	/* qop auth-int with mutual authentication (TS 33.246 Annex H). */
	mode = M_AUTHINT;
	{
		int auth_before = seen_auth_ok;

		http_msk_request(&rq, &out);
		CHECK(seen_auth_ok == auth_before + 1);
	}
	CHECK(out.status == 200 && out.result == POL_RES_OK);
	CHECK(strstr(out.detail, "qop auth-int") != NULL);
	CHECK(strstr(out.detail, "mutually authenticated") != NULL);
	/* The TS 26.346 §11.8.2 form of the response code. */
	mode = M_200OK;
	http_msk_request(&rq, &out);
	CHECK(out.status == 200 && out.result == POL_RES_OK);
	CHECK(out.nresp == 1 && out.resp[0].code == 200);
	/* A forged rspauth: the answer did not come from the BM-SC. */
	mode = M_AUTHINT_BADRSP;
	http_msk_request(&rq, &out);
	CHECK(out.result == POL_RES_FAILED);
	CHECK(strstr(out.detail, "rspauth") != NULL);
	/* No Authentication-Info: accepted (the BM-SC may not send it). */
	mode = M_AUTHINT_NOINFO;
	http_msk_request(&rq, &out);
	CHECK(out.result == POL_RES_OK);
	/* A challenge for another realm: the password is never used. */
	mode = M_REALM;
	{
		int authz_before = seen_authz;

		http_msk_request(&rq, &out);
		CHECK(out.result == POL_RES_FAILED);
		CHECK(strstr(out.detail, "realm") != NULL);
		CHECK(strstr(out.detail, "evil.test") != NULL);
		CHECK(seen_authz == authz_before);
	}

	mode = M_BIG;
	http_msk_request(&rq, &out);
	CHECK(out.result == POL_RES_FAILED);
	CHECK(strstr(out.detail, "larger than") != NULL);

	MHD_stop_daemon(d);
	/*
	 * Nobody listening: a transport failure with a reason.  The port is
	 * one we hold bound without listen(), so the connection is refused
	 * and no test running in parallel can take it over (the server's old
	 * port, once freed, could be).
	 */
	port = closed_port(&fd);
	CHECK(port != 0);
	snprintf(rq.base_uri, sizeof(rq.base_uri), "http://127.0.0.1:%u", port);
	http_msk_request(&rq, &out);
	CHECK(out.result == POL_RES_FAILED && out.status == 0);
	CHECK(out.detail[0] != '\0');
	if (fd >= 0)
		close(fd);
	/* Only http and https. */
	strcpy(rq.base_uri, "file:///etc");
	http_msk_request(&rq, &out);
	CHECK(out.result == POL_RES_FAILED);
	http_request_wipe(&rq);
	CHECK(rq.password[0] == 0);
}

int main(void)
{
	CHECK(http_global_init() == 0);
	test_build();
	test_parse();
	test_map();
	test_http();
	return test_summary("mbmsd_http_test");
}
