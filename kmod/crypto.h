/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-key SRTP/SRTCP key material, prepared once when a key is installed;
 * the transforms themselves are shared (kmod/crypto.c).
 */
#ifndef _MBMS_CRYPTO_H
#define _MBMS_CRYPTO_H

#include <crypto/hash.h>
#include <crypto/sha1.h>
#include <crypto/skcipher.h>
#include <linux/types.h>

#include "kdf.h"

#define MBMS_HMAC_LEN		20

/**
 * struct mbms_cipher - key material of one direction (SRTP or SRTCP)
 * @key: the session encryption key k_e, set into this CPU's CTR transform
 *	for each packet
 * @salt: the session salt (k_s) for the IV
 * @ipad: SHA-1 state after (k_a XOR ipad), the HMAC inner start
 * @opad: SHA-1 state after (k_a XOR opad), the HMAC outer start
 */
struct mbms_cipher {
	u8 key[MBMS_SESSION_KEY_LEN] __aligned(16);
	u8 salt[MBMS_SESSION_SALT_LEN];
	u32 ipad[SHA1_DIGEST_SIZE / 4];
	u32 opad[SHA1_DIGEST_SIZE / 4];
};

int mbms_cipher_init(struct mbms_cipher *c, const u8 *enc_key,
		     const u8 *salt, const u8 *auth_key);
int mbms_cipher_init_hmac(struct mbms_cipher *c, const u8 *key,
			  unsigned int len);
void mbms_cipher_free(struct mbms_cipher *c);
int mbms_cipher_ctr(const struct mbms_cipher *c, const u8 *iv, u8 *buf,
		    unsigned int len);
int mbms_cipher_ctr_path(const struct mbms_cipher *c, const u8 *iv, u8 *buf,
			 unsigned int len, bool simd);
int mbms_cipher_hmac_digest(const struct mbms_cipher *c, const u8 *data,
			    unsigned int len, u8 *out);
int mbms_cipher_hmac(const struct mbms_cipher *c, const u8 *data,
		     unsigned int len, const u8 *trailer, unsigned int tlen,
		     u8 *out);
void mbms_cipher_iv(const struct mbms_cipher *c, u32 ssrc, u64 index,
		    u8 *iv);
const char *mbms_cipher_simd_name(void);
const char *mbms_cipher_fallback_name(void);
bool mbms_cipher_has_simd(void);
int mbms_crypto_init(void);
void mbms_crypto_exit(void);

#endif /* _MBMS_CRYPTO_H */
