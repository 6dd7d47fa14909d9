/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bmsc-sim's HTTP Digest server side (RFC 2617, TS 33.246 Annex H):
 * stateless nonces (time || HMAC-SHA-256 over it), the qop the BM-SC
 * accepts (auth-int by default), the check of an Authorization header and
 * the rspauth of Authentication-Info.  The digest arithmetic is
 * userspace/digest (shared with mbmsd; RFC 2617 vectors in digest_test).
 */
#ifndef BMSCSIM_AUTH_H
#define BMSCSIM_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "mbms/digest.h"

#define AUTH_NONCE_LEN	48	/* 16 hex of time, 32 hex of MAC */

enum auth_qop {
	AUTH_QOP_AUTH_INT,	/* only auth-int: TS 33.246 Annex H */
	AUTH_QOP_ANY,		/* auth-int or auth (e.g. curl --digest) */
};

/* What a verified Authorization said, for the rspauth of the answer. */
struct auth_ok {
	char btid[DIGEST_FIELD_MAX];
	char uri[DIGEST_FIELD_MAX];
	char nonce[DIGEST_FIELD_MAX];
	char nc[DIGEST_FIELD_MAX];
	char cnonce[DIGEST_FIELD_MAX];
	char qop[16];
};

void auth_nonce_make(const uint8_t seed[32], time_t now,
		     char out[AUTH_NONCE_LEN + 1]);

/* 0: ours and fresh; 1: ours but older than @max_age; -1: not ours. */
int auth_nonce_check(const uint8_t seed[32], const char *nonce, time_t now,
		     unsigned int max_age);

/* The WWW-Authenticate value of a challenge. */
void auth_challenge(char *out, size_t cap, const char *realm,
		    const char *opaque, const char *nonce, enum auth_qop qop,
		    bool stale);

/* The username of an Authorization header, or false. */
bool auth_username(const char *authz, char *out, size_t cap);

enum auth_verdict { AUTH_OK, AUTH_STALE, AUTH_BAD };

/*
 * Check @authz for a POST of @body to @uri with @password: realm, uri,
 * qop allowed by @qop, nonce ours and fresh, response.  @why says what
 * was wrong.  On AUTH_OK @ok is filled for auth_info().
 */
enum auth_verdict auth_check(const char *authz, const uint8_t seed[32],
			     time_t now, unsigned int max_age,
			     const char *realm, const char *uri,
			     const char *password, const void *body,
			     size_t len, enum auth_qop qop,
			     struct auth_ok *ok, const char **why);

/* The Authentication-Info value (rspauth over @body for auth-int). */
int auth_info(const struct auth_ok *ok, const char *realm,
	      const char *password, const void *body, size_t len, char *out,
	      size_t cap);

#endif /* BMSCSIM_AUTH_H */
