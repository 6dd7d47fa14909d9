/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbmsd HTTP: the MSK request (TS 33.246 §6.3.2.2.1) over libcurl --
 * POST <bmsc_uri>/keymanagement?requesttype=msk-request, HTTP Digest with
 * username B-TID and password base64(MRK), User-Agent with "3gpp-gba" --
 * and the mapping of what came back onto the policy's result.
 *
 * http_msk_request() blocks (bounded by its timeout): mbmsd calls it from
 * its request worker (worker.c), never from the event loop.
 */
#ifndef MBMSD_HTTP_H
#define MBMSD_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "gba.h"
#include "policy.h"
#include "xml.h"

#define HTTP_USER_AGENT		"mbmsd/1.0 3gpp-gba"
#define HTTP_CONNECT_TIMEOUT_S	10
#define HTTP_TIMEOUT_S		30

struct http_request {
	char base_uri[MBMSD_URI_MAX];	/* bmsc_uri, no trailing slash */
	char btid[GBA_BTID_MAX + 1];
	char password[GBA_PASSWORD_LEN + 1];	/* base64(MRK); secret */
	/* the only Digest realm we answer: 3GPP-bootstrapping@<bmsc_fqdn> */
	char realm[MBMSD_FQDN_MAX + 32];
	struct xml_msk msks[XML_MAX_MSKS];
	size_t nmsks;
	long timeout_s;			/* 0 = HTTP_TIMEOUT_S */
};

struct http_outcome {
	enum pol_result result;
	long status;			/* HTTP status, 0 if none */
	uint32_t retry_after_ms;	/* from a 503's Retry-After, 0 = none */
	/*
	 * Nothing reached the BM-SC: the connection was refused, the host
	 * unreachable or its name unresolved (mbmsd's start-up grace
	 * retries these while the BM-SC is not up yet).
	 */
	bool not_reached;
	size_t nresp;
	struct xml_msk_response resp[XML_MAX_MSKS];
	char detail[256];		/* for the log: what happened */
};

/* Once per process, before any thread: curl and libxml2 global init. */
int http_global_init(void);

/* Send the request and fill @out.  Never fails without saying why. */
void http_msk_request(const struct http_request *rq,
		      struct http_outcome *out);

/*
 * Retry-After (RFC 9110 §10.2.3): delta-seconds or an HTTP-date, relative
 * to @now.  Returns milliseconds, 0 when absent or unparsable, capped at
 * one day.
 */
uint32_t http_parse_retry_after(const char *value, time_t now);

/*
 * Map an HTTP status and the parsed per-MSK response codes onto the
 * policy result: 200 with any per-MSK 200 => OK; a 503 (overall, or for
 * every MSK) => BUSY; 401 => UNAUTHORIZED; anything else => FAILED.
 */
enum pol_result http_map_result(long status, const struct xml_msk_response *r,
				size_t n);

/* Wipe the secret fields of @rq. */
void http_request_wipe(struct http_request *rq);

#endif /* MBMSD_HTTP_H */
