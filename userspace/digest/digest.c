// SPDX-License-Identifier: GPL-2.0
/* HTTP Digest (RFC 2617) with qop auth and auth-int, on OpenSSL's MD5. */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "mbms/common.h"
#include "mbms/digest.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static char *field_of(struct digest_fields *f, const char *name, size_t n)
{
	static const struct {
		const char *name;
		size_t off;
	} map[] = {
		{ "realm", offsetof(struct digest_fields, realm) },
		{ "nonce", offsetof(struct digest_fields, nonce) },
		{ "opaque", offsetof(struct digest_fields, opaque) },
		{ "algorithm", offsetof(struct digest_fields, algorithm) },
		{ "qop", offsetof(struct digest_fields, qop) },
		{ "stale", offsetof(struct digest_fields, stale) },
		{ "username", offsetof(struct digest_fields, username) },
		{ "uri", offsetof(struct digest_fields, uri) },
		{ "nc", offsetof(struct digest_fields, nc) },
		{ "cnonce", offsetof(struct digest_fields, cnonce) },
		{ "response", offsetof(struct digest_fields, response) },
		{ "rspauth", offsetof(struct digest_fields, rspauth) },
		{ "nextnonce", offsetof(struct digest_fields, nextnonce) },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i].name) == n && !strncasecmp(map[i].name, name, n))
			return (char *)f + map[i].off;
	return NULL;
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

static bool is_token_char(char c)
{
	return c > 32 && c < 127 && !strchr("()<>@,;:\\\"/[]?={}", c);
}

int digest_parse(const char *hdr, bool scheme, struct digest_fields *f,
		 char *err, size_t errlen)
{
	const char *p = skip_ws(hdr), *name;
	char val[DIGEST_FIELD_MAX], *dst;
	size_t nlen, vlen;

	memset(f, 0, sizeof(*f));
	if (strlen(hdr) > DIGEST_HEADER_MAX)
		return fail(err, errlen, "Digest header longer than %d bytes",
			    DIGEST_HEADER_MAX);
	if (scheme) {
		if (strncasecmp(p, "Digest", 6) || (p[6] && p[6] != ' ' && p[6] != '\t'))
			return fail(err, errlen, "not a Digest header: '%.20s'", p);
		p = skip_ws(p + 6);
	}
	while (*p) {
		name = p;
		while (is_token_char(*p))
			p++;
		nlen = (size_t)(p - name);
		if (!nlen)
			return fail(err, errlen, "Digest: parameter name expected at '%.20s'", p);
		p = skip_ws(p);
		if (*p++ != '=')
			return fail(err, errlen, "Digest: '=' expected after '%.*s'",
				    (int)nlen, name);
		p = skip_ws(p);
		vlen = 0;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				if (vlen + 1 >= sizeof(val))
					return fail(err, errlen, "Digest: value of '%.*s' too long",
						    (int)nlen, name);
				val[vlen++] = *p;
			}
			if (*p != '"')
				return fail(err, errlen, "Digest: unterminated quoted value of '%.*s'",
					    (int)nlen, name);
			p++;
		} else {
			for (; is_token_char(*p); p++) {
				if (vlen + 1 >= sizeof(val))
					return fail(err, errlen, "Digest: value of '%.*s' too long",
						    (int)nlen, name);
				val[vlen++] = *p;
			}
		}
		val[vlen] = '\0';
		dst = field_of(f, name, nlen);
		if (dst) {
			if (*dst)
				return fail(err, errlen, "Digest: parameter '%.*s' given twice",
					    (int)nlen, name);
			if (!vlen)
				return fail(err, errlen, "Digest: parameter '%.*s' is empty",
					    (int)nlen, name);
			memcpy(dst, val, vlen + 1);
		}
		p = skip_ws(p);
		if (*p == ',')
			p = skip_ws(p + 1);
		else if (*p)
			return fail(err, errlen, "Digest: ',' expected at '%.20s'", p);
	}
	secure_zero(val, sizeof(val));
	return 0;
}

bool digest_qop_has(const char *list, const char *token)
{
	size_t n = strlen(token);
	const char *p = list;

	while (*p) {
		const char *s;

		p = skip_ws(p);
		s = p;
		while (*p && *p != ',' && *p != ' ' && *p != '\t')
			p++;
		if ((size_t)(p - s) == n && !strncasecmp(s, token, n))
			return true;
		while (*p && *p != ',')
			p++;
		if (*p == ',')
			p++;
	}
	return false;
}

static void md5_hex(const void *data, size_t len, char hex[DIGEST_HEX_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	EVP_Digest(data, len, md, &mdlen, EVP_md5(), NULL);
	for (i = 0; i < 16; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[DIGEST_HEX_LEN] = '\0';
	secure_zero(md, sizeof(md));
}

void digest_body_hash(const void *data, size_t len,
		      char hex[DIGEST_HEX_LEN + 1])
{
	md5_hex(data ? data : "", len, hex);
}

int digest_compute(const char *user, const char *realm, const char *password,
		   const char *method, const char *uri, const char *nonce,
		   const char *nc, const char *cnonce, const char *qop,
		   const char *body_hash, char out[DIGEST_HEX_LEN + 1])
{
	char buf[4 * DIGEST_FIELD_MAX + 64], ha1[DIGEST_HEX_LEN + 1];
	char ha2[DIGEST_HEX_LEN + 1];
	bool integrity;
	int n;

	if (!strcmp(qop, "auth"))
		integrity = false;
	else if (!strcmp(qop, "auth-int") && body_hash)
		integrity = true;
	else
		return -1;
	n = snprintf(buf, sizeof(buf), "%s:%s:%s", user, realm, password);
	if (n < 0 || (size_t)n >= sizeof(buf))
		goto too_long;
	md5_hex(buf, (size_t)n, ha1);
	secure_zero(buf, sizeof(buf));
	n = integrity ?
		snprintf(buf, sizeof(buf), "%s:%s:%s", method, uri, body_hash) :
		snprintf(buf, sizeof(buf), "%s:%s", method, uri);
	if (n < 0 || (size_t)n >= sizeof(buf))
		goto too_long;
	md5_hex(buf, (size_t)n, ha2);
	n = snprintf(buf, sizeof(buf), "%s:%s:%s:%s:%s:%s", ha1, nonce, nc,
		     cnonce, qop, ha2);
	if (n < 0 || (size_t)n >= sizeof(buf))
		goto too_long;
	md5_hex(buf, (size_t)n, out);
	secure_zero(buf, sizeof(buf));
	secure_zero(ha1, sizeof(ha1));
	return 0;
too_long:
	secure_zero(buf, sizeof(buf));
	secure_zero(ha1, sizeof(ha1));
	return -1;
}

bool digest_equal(const char *a, const char *b)
{
	size_t i;
	unsigned int d = 0;

	if (strlen(a) != DIGEST_HEX_LEN || strlen(b) != DIGEST_HEX_LEN)
		return false;
	for (i = 0; i < DIGEST_HEX_LEN; i++)
		d |= (unsigned int)(tolower((unsigned char)a[i]) ^
				    tolower((unsigned char)b[i]));
	return d == 0;
}
