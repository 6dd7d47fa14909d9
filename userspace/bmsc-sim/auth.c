// SPDX-License-Identifier: GPL-2.0
/* bmsc-sim: HTTP Digest server side with qop auth-int (see auth.h). */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "mbms/common.h"
#include "auth.h"

static void nonce_mac(const uint8_t seed[32], const char *t16,
		      char out[33])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	HMAC(EVP_sha256(), seed, 32, (const unsigned char *)t16, 16, mac, &len);
	for (i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

void auth_nonce_make(const uint8_t seed[32], time_t now,
		     char out[AUTH_NONCE_LEN + 1])
{
	snprintf(out, 17, "%016llx", (unsigned long long)now);
	nonce_mac(seed, out, out + 16);
}

int auth_nonce_check(const uint8_t seed[32], const char *nonce, time_t now,
		     unsigned int max_age)
{
	char want[33], t16[17];
	unsigned long long t;
	char *end;

	if (strlen(nonce) != AUTH_NONCE_LEN)
		return -1;
	memcpy(t16, nonce, 16);
	t16[16] = '\0';
	t = strtoull(t16, &end, 16);
	if (*end)
		return -1;
	nonce_mac(seed, t16, want);
	if (CRYPTO_memcmp(want, nonce + 16, 32))
		return -1;
	return (unsigned long long)now > t + max_age ||
	       (unsigned long long)now + 60 < t ? 1 : 0;
}

void auth_challenge(char *out, size_t cap, const char *realm,
		    const char *opaque, const char *nonce, enum auth_qop qop,
		    bool stale)
{
	snprintf(out, cap,
		 "Digest realm=\"%s\", nonce=\"%s\", opaque=\"%s\", algorithm=MD5, qop=\"%s\"%s",
		 realm, nonce, opaque,
		 qop == AUTH_QOP_AUTH_INT ? "auth-int" : "auth-int,auth",
		 stale ? ", stale=true" : "");
}

bool auth_username(const char *authz, char *out, size_t cap)
{
	struct digest_fields f;
	char err[128];

	if (!authz || digest_parse(authz, true, &f, err, sizeof(err)) ||
	    !f.username[0] || strlen(f.username) >= cap)
		return false;
	memcpy(out, f.username, strlen(f.username) + 1);
	return true;
}

enum auth_verdict auth_check(const char *authz, const uint8_t seed[32],
			     time_t now, unsigned int max_age,
			     const char *realm, const char *uri,
			     const char *password, const void *body,
			     size_t len, enum auth_qop qop,
			     struct auth_ok *ok, const char **why)
{
	char err[128], bh[DIGEST_HEX_LEN + 1], want[DIGEST_HEX_LEN + 1];
	static struct digest_fields f;	/* the event loop's only */
	int fresh;

	*why = "malformed Digest credentials";
	if (digest_parse(authz, true, &f, err, sizeof(err)))
		return AUTH_BAD;
	if (strcmp(f.realm, realm)) {
		*why = "Digest credentials for another realm";
		return AUTH_BAD;
	}
	if (strcmp(f.uri, uri)) {
		*why = "Digest uri is not the request's";
		return AUTH_BAD;
	}
	if (f.algorithm[0] && strcasecmp(f.algorithm, "MD5")) {
		*why = "Digest algorithm not MD5";
		return AUTH_BAD;
	}
	if (strcmp(f.qop, "auth-int") &&
	    (qop == AUTH_QOP_AUTH_INT || strcmp(f.qop, "auth"))) {
		*why = qop == AUTH_QOP_AUTH_INT ?
			"Digest qop is not auth-int (required)" :
			"Digest qop is not auth-int or auth";
		return AUTH_BAD;
	}
	/* The cnonce goes back in Authentication-Info: hex or letters only. */
	if (strlen(f.nc) != 8 || !f.cnonce[0] ||
	    strspn(f.cnonce, "0123456789abcdefghijklmnopqrstuvwxyz"
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZ+/=-_.") != strlen(f.cnonce)) {
		*why = "Digest nc or cnonce missing or malformed";
		return AUTH_BAD;
	}
	fresh = auth_nonce_check(seed, f.nonce, now, max_age);
	if (fresh < 0) {
		*why = "Digest nonce not ours";
		return AUTH_BAD;
	}
	digest_body_hash(body, len, bh);
	if (digest_compute(f.username, realm, password, "POST", f.uri, f.nonce,
			   f.nc, f.cnonce, f.qop, bh, want) ||
	    !digest_equal(want, f.response)) {
		*why = "wrong Digest response";
		return AUTH_BAD;
	}
	if (fresh > 0) {
		*why = "stale nonce";
		return AUTH_STALE;
	}
	snprintf(ok->btid, sizeof(ok->btid), "%s", f.username);
	snprintf(ok->uri, sizeof(ok->uri), "%s", f.uri);
	snprintf(ok->nonce, sizeof(ok->nonce), "%s", f.nonce);
	snprintf(ok->nc, sizeof(ok->nc), "%s", f.nc);
	snprintf(ok->cnonce, sizeof(ok->cnonce), "%s", f.cnonce);
	snprintf(ok->qop, sizeof(ok->qop), "%s",
		 strcmp(f.qop, "auth") ? "auth-int" : "auth");
	*why = "";
	return AUTH_OK;
}

int auth_info(const struct auth_ok *ok, const char *realm,
	      const char *password, const void *body, size_t len, char *out,
	      size_t cap)
{
	char bh[DIGEST_HEX_LEN + 1], rsp[DIGEST_HEX_LEN + 1];
	int n;

	digest_body_hash(body, len, bh);
	if (digest_compute(ok->btid, realm, password, "", ok->uri, ok->nonce,
			   ok->nc, ok->cnonce, ok->qop, bh, rsp))
		return -1;
	n = snprintf(out, cap, "rspauth=\"%s\", qop=%s, nc=%s, cnonce=\"%s\"",
		     rsp, ok->qop, ok->nc, ok->cnonce);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}
