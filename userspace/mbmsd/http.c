// SPDX-License-Identifier: GPL-2.0
/* mbmsd HTTP: MSK request through libcurl (easy API, in the worker). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/rand.h>

#include "mbms/common.h"
#include "mbms/digest.h"
#include "http.h"

#define DAY_MS (24u * 3600u * 1000u)

int http_global_init(void)
{
	xml_init();
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void http_request_wipe(struct http_request *rq)
{
	secure_zero(rq->password, sizeof(rq->password));
}

uint32_t http_parse_retry_after(const char *value, time_t now)
{
	char buf[64], *end;
	unsigned long long secs;
	time_t when;
	size_t n;

	if (!value)
		return 0;
	while (isspace((unsigned char)*value))
		value++;
	n = strlen(value);
	while (n && isspace((unsigned char)value[n - 1]))
		n--;
	if (!n || n >= sizeof(buf))
		return 0;
	memcpy(buf, value, n);
	buf[n] = '\0';
	if (isdigit((unsigned char)buf[0])) {
		secs = strtoull(buf, &end, 10);
		if (*end)
			return 0;
	} else {
		when = curl_getdate(buf, NULL);
		if (when < 0)
			return 0;
		secs = when > now ? (unsigned long long)(when - now) : 0;
		if (secs == 0)
			return 1;	/* "now": retry at the earliest */
	}
	return secs >= DAY_MS / 1000 ? DAY_MS : (uint32_t)(secs * 1000);
}

enum pol_result http_map_result(long status, const struct xml_msk_response *r,
				size_t n)
{
	size_t i, busy = 0;

	switch (status) {
	case 200:
		break;
	case 401:
		return POL_RES_UNAUTHORIZED;
	case 503:
		return POL_RES_BUSY;
	default:
		return POL_RES_FAILED;
	}
	for (i = 0; i < n; i++) {
		if (r[i].code == 200)
			return POL_RES_OK;
		if (r[i].code == 503)
			busy++;
	}
	return n && busy == n ? POL_RES_BUSY : POL_RES_FAILED;
}

struct body {
	char *p;
	size_t len;
	bool too_big;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct body *b = arg;
	size_t n = size * nmemb;

	if (n > XML_MAX_BODY - b->len) {
		b->too_big = true;
		return 0;	/* aborts the transfer */
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return n;
}

struct headers {
	char retry_after[64];
	char www_auth[DIGEST_HEADER_MAX + 1];	/* the Digest challenge */
	char auth_info[DIGEST_HEADER_MAX + 1];	/* Authentication-Info */
};

/* Copy the value of header @name from @data into @dst, or return false. */
static bool header_value(const char *data, size_t n, const char *name,
			 char *dst, size_t cap)
{
	size_t nlen = strlen(name), vlen;

	if (n <= nlen || strncasecmp(data, name, nlen))
		return false;
	data += nlen;
	n -= nlen;
	while (n && (*data == ' ' || *data == '\t')) {
		data++;
		n--;
	}
	while (n && (data[n - 1] == '\r' || data[n - 1] == '\n' ||
		     data[n - 1] == ' '))
		n--;
	vlen = n < cap ? n : cap - 1;
	memcpy(dst, data, vlen);
	dst[vlen] = '\0';
	return true;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct headers *h = arg;
	size_t n = size * nmemb;
	char v[DIGEST_HEADER_MAX + 1];

	header_value(data, n, "retry-after:", h->retry_after,
		     sizeof(h->retry_after));
	header_value(data, n, "authentication-info:", h->auth_info,
		     sizeof(h->auth_info));
	/* Several schemes may be offered, one header each: keep Digest's. */
	if (header_value(data, n, "www-authenticate:", v, sizeof(v)) &&
	    !strncasecmp(v, "Digest", 6))
		memcpy(h->www_auth, v, sizeof(v));
	return n;
}

/* What one Digest exchange used, to check the BM-SC's rspauth. */
struct digest_state {
	char uri[MBMSD_URI_MAX];
	char nonce[DIGEST_FIELD_MAX];
	char cnonce[2 * 16 + 1];
	char nc[9];
	const char *qop;
};

/* A value we put between quotes: no quote, backslash or control byte. */
static bool quotable(const char *v)
{
	for (; *v; v++)
		if (*v == '"' || *v == '\\' || (unsigned char)*v < 0x20 ||
		    *v == 0x7f)
			return false;
	return true;
}

/*
 * Answer the challenge in @h->www_auth: the realm must be the configured
 * BM-SC's (the password is used for nothing else), qop auth-int when
 * offered (TS 33.246 Annex H), else auth.  Fills @authz with the whole
 * Authorization header line, or returns -1 with @detail saying why.
 */
static int answer_challenge(const struct http_request *rq,
			    const struct headers *h, const char *body,
			    size_t len, struct digest_state *ds, char *authz,
			    size_t cap, char *detail, size_t dlen)
{
	char err[128], bh[DIGEST_HEX_LEN + 1], resp[DIGEST_HEX_LEN + 1];
	uint8_t rnd[16];
	struct digest_fields f;
	size_t i;
	int n;

	if (!h->www_auth[0]) {
		snprintf(detail, dlen, "HTTP 401 without a Digest challenge");
		return -1;
	}
	if (digest_parse(h->www_auth, true, &f, err, sizeof(err))) {
		snprintf(detail, dlen, "bad Digest challenge: %s", err);
		return -1;
	}
	if (!rq->realm[0] || strcmp(f.realm, rq->realm)) {
		snprintf(detail, dlen,
			 "Digest challenge for realm '%.80s', not the BM-SC's '%.80s': password not used",
			 f.realm, rq->realm);
		return -1;
	}
	if (f.algorithm[0] && strcasecmp(f.algorithm, "MD5")) {
		snprintf(detail, dlen, "Digest algorithm '%.40s' not supported (MD5 only)",
			 f.algorithm);
		return -1;
	}
	if (digest_qop_has(f.qop, "auth-int"))
		ds->qop = "auth-int";
	else if (digest_qop_has(f.qop, "auth"))
		ds->qop = "auth";
	else {
		snprintf(detail, dlen, "Digest challenge offers no qop auth-int or auth ('%.40s')",
			 f.qop);
		return -1;
	}
	if (!f.nonce[0] || !quotable(f.nonce) || !quotable(f.opaque)) {
		snprintf(detail, dlen, "Digest challenge with a missing or unusable nonce or opaque");
		return -1;
	}
	if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
		snprintf(detail, dlen, "no random bytes for the cnonce");
		return -1;
	}
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(ds->cnonce + 2 * i, 3, "%02x", rnd[i]);
	snprintf(ds->nc, sizeof(ds->nc), "00000001");	/* fresh nonce each time */
	snprintf(ds->nonce, sizeof(ds->nonce), "%s", f.nonce);
	digest_body_hash(body, len, bh);
	if (digest_compute(rq->btid, f.realm, rq->password, "POST", ds->uri,
			   ds->nonce, ds->nc, ds->cnonce, ds->qop, bh, resp)) {
		snprintf(detail, dlen, "cannot compute the Digest response");
		return -1;
	}
	n = snprintf(authz, cap,
		     "Authorization: Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", qop=%s, nc=%s, cnonce=\"%s\", response=\"%s\", algorithm=MD5%s%s%s",
		     rq->btid, f.realm, ds->nonce, ds->uri, ds->qop, ds->nc,
		     ds->cnonce, resp, f.opaque[0] ? ", opaque=\"" : "",
		     f.opaque, f.opaque[0] ? "\"" : "");
	if (n < 0 || (size_t)n >= cap) {
		snprintf(detail, dlen, "Digest Authorization header too long");
		return -1;
	}
	return 0;
}

/*
 * Mutual authentication (RFC 2617 §3.2.3): when the BM-SC sends
 * Authentication-Info, its rspauth must prove it knows the password (and,
 * with auth-int, covers the response body).  0 = verified, 1 = none sent,
 * -1 = forged or malformed (@detail says which).
 */
static int check_rspauth(const struct http_request *rq,
			 const struct digest_state *ds, const char *info,
			 const char *body, size_t len, char *detail,
			 size_t dlen)
{
	char err[128], bh[DIGEST_HEX_LEN + 1], want[DIGEST_HEX_LEN + 1];
	struct digest_fields f;

	if (!info[0])
		return 1;
	if (digest_parse(info, false, &f, err, sizeof(err))) {
		snprintf(detail, dlen, "bad Authentication-Info: %s", err);
		return -1;
	}
	if (!f.rspauth[0])
		return 1;
	if ((f.qop[0] && strcmp(f.qop, ds->qop)) ||
	    (f.cnonce[0] && strcmp(f.cnonce, ds->cnonce)) ||
	    (f.nc[0] && strcmp(f.nc, ds->nc))) {
		snprintf(detail, dlen,
			 "Authentication-Info for another exchange (qop, cnonce or nc differ)");
		return -1;
	}
	digest_body_hash(body, len, bh);
	if (digest_compute(rq->btid, rq->realm, rq->password, "", ds->uri,
			   ds->nonce, ds->nc, ds->cnonce, ds->qop, bh, want) ||
	    !digest_equal(want, f.rspauth)) {
		snprintf(detail, dlen,
			 "Authentication-Info rspauth does not match: the answer is not from the BM-SC");
		return -1;
	}
	return 0;
}

/* The Digest uri of @url: its path and query, as sent on the request line. */
static int request_uri(const char *url, char *out, size_t cap)
{
	CURLU *u = curl_url();
	char *path = NULL, *query = NULL;
	int rc = -1, n;

	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0))
		goto out;
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	n = snprintf(out, cap, "%s%s%s", path, query ? "?" : "",
		     query ? query : "");
	rc = n < 0 || (size_t)n >= cap || !quotable(out) ? -1 : 0;
out:
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(u);
	return rc;
}

static CURLcode perform(CURL *c, struct body *b, struct headers *h,
			long *status)
{
	CURLcode rc;

	b->len = 0;
	b->too_big = false;
	memset(h, 0, sizeof(*h));
	*status = 0;
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	return rc;
}

/*
 * The MSK request: POST, then on a 401 answer the Digest challenge
 * ourselves (libcurl cannot do qop auth-int on POST, nor check the realm
 * before it uses the password) and POST again.
 */
void http_msk_request(const struct http_request *rq, struct http_outcome *out)
{
	static struct headers hdr;	/* the worker's only: one at a time */
	struct body body = { 0 };
	struct curl_slist *hl = NULL, *hl2 = NULL;
	char url[MBMSD_URI_MAX + 64], cerr[CURL_ERROR_SIZE] = "", xerr[160];
	char authz[DIGEST_HEADER_MAX];
	struct digest_state ds = { .qop = NULL };
	const char *mutual = "";
	char *req = NULL;
	size_t reqlen;
	CURLcode rc;
	CURL *c = NULL;

	memset(out, 0, sizeof(*out));
	out->result = POL_RES_FAILED;
	snprintf(url, sizeof(url), "%s/keymanagement?requesttype=msk-request",
		 rq->base_uri);
	if (xml_build_msk_request(rq->msks, rq->nmsks, &req, &reqlen)) {
		snprintf(out->detail, sizeof(out->detail),
			 "cannot build the request body");
		return;
	}
	body.p = malloc(XML_MAX_BODY + 1);
	c = curl_easy_init();
	if (!body.p || !c) {
		snprintf(out->detail, sizeof(out->detail), "out of memory");
		goto out;
	}
	hl = curl_slist_append(hl, "Content-Type: " XML_CT_MSK_REQUEST);
	hl = curl_slist_append(hl, "Accept: " XML_CT_MSK_RESPONSE);
	hl = curl_slist_append(hl, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);	/* worker thread */
	curl_easy_setopt(c, CURLOPT_USERAGENT, HTTP_USER_AGENT);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, req);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)reqlen);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)HTTP_CONNECT_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_TIMEOUT,
			 rq->timeout_s ? rq->timeout_s : (long)HTTP_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &hdr);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);

	rc = perform(c, &body, &hdr, &out->status);
	out->not_reached = rc == CURLE_COULDNT_CONNECT ||
			   rc == CURLE_COULDNT_RESOLVE_HOST;
	if (rc == CURLE_OK && out->status == 401) {
		/* Digest: the password never goes out, in the clear or not. */
		if (request_uri(url, ds.uri, sizeof(ds.uri))) {
			snprintf(out->detail, sizeof(out->detail),
				 "cannot take the request URI of '%.80s'", url);
			goto out;
		}
		if (answer_challenge(rq, &hdr, req, reqlen, &ds, authz,
				     sizeof(authz), out->detail,
				     sizeof(out->detail)))
			goto out;
		hl2 = curl_slist_append(curl_slist_append(NULL, authz),
					"Content-Type: " XML_CT_MSK_REQUEST);
		hl2 = curl_slist_append(hl2, "Accept: " XML_CT_MSK_RESPONSE);
		hl2 = curl_slist_append(hl2, "Expect:");
		if (!hl2) {
			snprintf(out->detail, sizeof(out->detail), "out of memory");
			goto out;
		}
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl2);
		rc = perform(c, &body, &hdr, &out->status);
	}
	if (body.too_big) {
		snprintf(out->detail, sizeof(out->detail),
			 "response body larger than %d bytes", XML_MAX_BODY);
		goto out;
	}
	if (rc != CURLE_OK) {
		snprintf(out->detail, sizeof(out->detail), "%s",
			 cerr[0] ? cerr : curl_easy_strerror(rc));
		goto out;
	}
	if (out->status == 503)
		out->retry_after_ms = http_parse_retry_after(hdr.retry_after,
							     time(NULL));
	if (out->status == 200) {
		if (ds.qop) {
			switch (check_rspauth(rq, &ds, hdr.auth_info, body.p,
					      body.len, out->detail,
					      sizeof(out->detail))) {
			case 0:
				mutual = ", mutually authenticated";
				break;
			case 1:
				mutual = ", no Authentication-Info";
				break;
			default:
				goto out;
			}
		}
		body.p[body.len] = '\0';
		if (xml_parse_msk_response(body.p, body.len, out->resp,
					   &out->nresp, xerr, sizeof(xerr))) {
			snprintf(out->detail, sizeof(out->detail),
				 "HTTP 200 with a bad body: %s", xerr);
			goto out;
		}
	}
	out->result = http_map_result(out->status, out->resp, out->nresp);
	if (out->result == POL_RES_BUSY && !out->retry_after_ms)
		out->retry_after_ms = http_parse_retry_after(hdr.retry_after,
							     time(NULL));
	snprintf(out->detail, sizeof(out->detail), "HTTP %ld, %zu MSK response(s)%s%s",
		 out->status, out->nresp, ds.qop ? ", qop " : "",
		 ds.qop ? ds.qop : "");
	if (*mutual)
		snprintf(out->detail + strlen(out->detail),
			 sizeof(out->detail) - strlen(out->detail), "%s", mutual);
out:
	curl_slist_free_all(hl);
	curl_slist_free_all(hl2);
	secure_zero(authz, sizeof(authz));
	if (c)
		curl_easy_cleanup(c);
	free(body.p);
	free(req);
}
