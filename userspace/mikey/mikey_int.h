/* SPDX-License-Identifier: GPL-2.0 */
/* libmikey internals shared between its files; not installed. */
#ifndef MIKEY_INT_H
#define MIKEY_INT_H

#include <stdarg.h>
#include <string.h>

#include "mbms/mikey.h"

/* Record an error (code, offset, printf-style message); returns @code. */
int mikey_fail(struct mikey_error *err, enum mikey_err code, size_t offset,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static inline void mikey_wipe(void *p, size_t len)
{
	explicit_bzero(p, len);
}

static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* A piece of HMAC input. */
struct mikey_iov {
	const uint8_t *data;
	size_t len;
};

/* HMAC with OpenSSL digest @digest ("SHA1", "SHA256") over the parts. */
int mikey_hmac(const char *digest, const uint8_t *key, size_t key_len,
	       const struct mikey_iov *parts, size_t n_parts,
	       uint8_t *out, size_t out_len);

/* Human name of a payload type ("KEMAC", "T", ...), "payload 13" style
 * names are not produced: unknown types give "unknown".
 */
const char *mikey_payload_name(uint8_t type);

/* ---- ext.c: the Key ID EXT (RFC 4563; one table) ---------------------- */
int mikey_ext_parse_mbms(const uint8_t *data, size_t len, size_t base_off,
			 struct mikey_mbms_ext *ext, struct mikey_error *err);
/* Write the EXT payload data (not the 4-byte EXT header); returns bytes
 * written or 0 if @cap is too small.
 */
size_t mikey_ext_build_mbms(const struct mikey_mbms_ext *ext, uint8_t *out,
			    size_t cap);
extern const uint8_t mikey_mbms_ext_type;

/* ---- profile.c ---------------------------------------------------------- */
int mikey_profile_check(struct mikey_msg *msg, struct mikey_error *err);

/* ---- keydata.c ---------------------------------------------------------- */
/* Parse the decrypted KEMAC plaintext (a chain of Key data sub-payloads). */
int mikey_keydata_parse(const uint8_t *p, size_t len, struct mikey_msg *msg,
			struct mikey_error *err);
/* Serialise one key data sub-payload with next payload @next; returns bytes
 * written, 0 on overflow.
 */
size_t mikey_keydata_build(const struct mikey_key_data *kd, uint8_t next,
			   uint8_t *out, size_t cap);

/* ---- verify.c: MBMS key-data choices (see Documentation/mikey.rst) ---- */
extern const uint8_t mikey_mbms_msk_key_type;
/*
 * UNVERIFIED: a key-less MSK message (validity update) is a Key data
 * sub-payload with this key length (0) and a KV Interval.
 */
#define MIKEY_MBMS_KEYLESS_LEN	0

/* ---- verify.c ----------------------------------------------------------- */
/* Compute the KEMAC MAC / encrypt: shared by encoders and verifiers. */
int mikey_kemac_mac(const struct mikey_kemac_keys *k, const uint8_t *msg,
		    size_t len, uint8_t mac[MIKEY_MAC_LEN]);
int mikey_verif_mac(const uint8_t auth[MIKEY_AUTH_KEY_LEN],
		    const uint8_t *reply, size_t reply_len,
		    const struct mikey_msg *init, uint8_t mac[MIKEY_MAC_LEN]);

#endif /* MIKEY_INT_H */
