/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTTP Digest (RFC 2617) for the MSK request, both ends: mbmsd (client)
 * and bmsc-sim (server).  TS 33.246 §6.2.1.3 and Annex H ask for qop
 * "auth-int" (the body is covered by the response), which neither
 * libcurl (client) nor Debian 12's libmicrohttpd 0.9.75 (server) does,
 * so the computation is here, on OpenSSL's MD5; libcurl and libmicrohttpd
 * still carry the bytes.  Only algorithm MD5 with a qop: RFC 2069
 * (no qop) and MD5-sess are refused.
 */
#ifndef MBMS_DIGEST_H
#define MBMS_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#define DIGEST_HEX_LEN		32	/* an MD5 in lower-case hex */
#define DIGEST_FIELD_MAX	256	/* longest value kept (with NUL) */
#define DIGEST_HEADER_MAX	2048	/* longest header we build or parse */

/*
 * The fields of one Digest header: a challenge (WWW-Authenticate), the
 * credentials (Authorization) or Authentication-Info.  Absent fields are
 * empty strings; parameters this code does not use are skipped.
 */
struct digest_fields {
	char realm[DIGEST_FIELD_MAX];
	char nonce[DIGEST_FIELD_MAX];
	char opaque[DIGEST_FIELD_MAX];
	char algorithm[DIGEST_FIELD_MAX];
	char qop[DIGEST_FIELD_MAX];	/* a list in a challenge */
	char stale[DIGEST_FIELD_MAX];
	char username[DIGEST_FIELD_MAX];
	char uri[DIGEST_FIELD_MAX];
	char nc[DIGEST_FIELD_MAX];
	char cnonce[DIGEST_FIELD_MAX];
	char response[DIGEST_FIELD_MAX];
	char rspauth[DIGEST_FIELD_MAX];
	char nextnonce[DIGEST_FIELD_MAX];
};

/*
 * Parse @hdr, a header value.  With @scheme, it must start with the
 * "Digest" auth-scheme (WWW-Authenticate, Authorization); without, it is
 * a bare parameter list (Authentication-Info).  Returns 0, or -1 with
 * @err saying what was wrong (a duplicate or over-long parameter, a
 * missing quote, another scheme).
 */
int digest_parse(const char *hdr, bool scheme, struct digest_fields *f,
		 char *err, size_t errlen);

/* Does the comma-separated qop list @list name @token ("auth-int")? */
bool digest_qop_has(const char *list, const char *token);

/* MD5(@data) in lower-case hex: the H(entity-body) of qop auth-int. */
void digest_body_hash(const void *data, size_t len,
		      char hex[DIGEST_HEX_LEN + 1]);

/*
 * The request-digest of RFC 2617 §3.2.2.1 with a qop:
 *   HA1 = MD5(user:realm:password)
 *   HA2 = MD5(method:uri)                 qop auth
 *         MD5(method:uri:H(entity-body))  qop auth-int
 *   MD5(HA1:nonce:nc:cnonce:qop:HA2)
 * For the rspauth of Authentication-Info (§3.2.3) pass method "" and,
 * for auth-int, the hash of the response body.  @body_hash is ignored for
 * qop auth.  Returns 0, or -1 for a qop other than auth and auth-int or
 * inputs too long.  HA1 is wiped.
 */
int digest_compute(const char *user, const char *realm, const char *password,
		   const char *method, const char *uri, const char *nonce,
		   const char *nc, const char *cnonce, const char *qop,
		   const char *body_hash, char out[DIGEST_HEX_LEN + 1]);

/* Constant-time comparison of two hex digests (case-insensitive). */
bool digest_equal(const char *a, const char *b);

#endif /* MBMS_DIGEST_H */
