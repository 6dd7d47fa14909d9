/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-key SRTP/SRTCP transforms, prepared once when a key is installed.
 */
#ifndef _MBMS_CRYPTO_H
#define _MBMS_CRYPTO_H

#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/types.h>

#include "kdf.h"

#define MBMS_HMAC_LEN		20

/**
 * struct mbms_cipher - the transforms of one direction (SRTP or SRTCP)
 * @ctr_simd: the synchronous internal AES-NI CTR, or NULL if unavailable;
 *	used only when crypto_simd_usable()
 * @ctr: synchronous "ctr(aes)", always present
 * @hmac: "hmac(sha1)" keyed with the session auth key
 * @salt: the session salt (k_s) for the IV
 */
struct mbms_cipher {
	struct crypto_sync_skcipher *ctr_simd;
	struct crypto_sync_skcipher *ctr;
	struct crypto_shash *hmac;
	u8 salt[MBMS_SESSION_SALT_LEN];
};

int mbms_cipher_init(struct mbms_cipher *c, const u8 *enc_key,
		     const u8 *salt, const u8 *auth_key);
int mbms_cipher_init_ctr(struct mbms_cipher *c, const u8 *enc_key);
void mbms_cipher_free(struct mbms_cipher *c);
int mbms_cipher_ctr(const struct mbms_cipher *c, const u8 *iv, u8 *buf,
		    unsigned int len);
int mbms_cipher_hmac_digest(const struct mbms_cipher *c, const u8 *data,
			    unsigned int len, u8 *out);
int mbms_cipher_hmac(const struct mbms_cipher *c, const u8 *data,
		     unsigned int len, const u8 *trailer, unsigned int tlen,
		     u8 *out);
void mbms_cipher_iv(const struct mbms_cipher *c, u32 ssrc, u64 index,
		    u8 *iv);
const char *mbms_cipher_simd_name(void);
void mbms_crypto_init(void);

#endif /* _MBMS_CRYPTO_H */
