// SPDX-License-Identifier: GPL-2.0
/* mbmsd HTTP: MSK request through libcurl (easy API, in the worker). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "mbms/common.h"
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
};

static size_t on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct headers *h = arg;
	size_t n = size * nmemb, vlen;
	static const char name[] = "retry-after:";

	/* Headers of every response (the 401 challenge too): keep the last. */
	if (n > sizeof(name) - 1 &&
	    !strncasecmp(data, name, sizeof(name) - 1)) {
		vlen = n - (sizeof(name) - 1);
		if (vlen >= sizeof(h->retry_after))
			vlen = sizeof(h->retry_after) - 1;
		memcpy(h->retry_after, data + sizeof(name) - 1, vlen);
		h->retry_after[vlen] = '\0';
	}
	return n;
}

void http_msk_request(const struct http_request *rq, struct http_outcome *out)
{
	struct headers hdr = { "" };
	struct body body = { 0 };
	struct curl_slist *hl = NULL;
	char url[MBMSD_URI_MAX + 64], cerr[CURL_ERROR_SIZE] = "", xerr[160];
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
	/* Digest only: the password never goes out in the clear. */
	curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_DIGEST);
	curl_easy_setopt(c, CURLOPT_USERNAME, rq->btid);
	curl_easy_setopt(c, CURLOPT_PASSWORD, rq->password);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)HTTP_CONNECT_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_TIMEOUT,
			 rq->timeout_s ? rq->timeout_s : (long)HTTP_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &hdr);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);

	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
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
	snprintf(out->detail, sizeof(out->detail), "HTTP %ld, %zu MSK response(s)",
		 out->status, out->nresp);
out:
	curl_slist_free_all(hl);
	/*
	 * libcurl keeps its own copy of the password and frees it without
	 * wiping; the caller wipes rq.  Accepted: the MRK is in this
	 * process's memory anyway while the MUK is current.
	 */
	if (c)
		curl_easy_cleanup(c);
	free(body.p);
	free(req);
}
