// SPDX-License-Identifier: GPL-2.0
/*
 * AES-CM and HMAC-SHA1 for one SRTP key, set up at install time.
 *
 * Choice of transforms.  The packet path runs in softirq context and must
 * not sleep, so it needs a synchronous skcipher.  On x86 in 6.1 and 6.12
 * the AES-NI CTR mode is registered only as an asynchronous SIMD wrapper
 * ("ctr-aes-aesni", type ASYNC) around an internal synchronous algorithm,
 * "__ctr-aes-aesni" (cra_name "__ctr(aes)", flag CRYPTO_ALG_INTERNAL).  A
 * plain synchronous "ctr(aes)" is the generic CTR template over the "aes"
 * cipher, which for AES-NI means one kernel_fpu_begin()/end() pair per
 * 16-byte block.  So we allocate the internal algorithm directly and use
 * it only when crypto_simd_usable() says the FPU may be used here (it then
 * takes the FPU once per request, not per block); otherwise, or where the
 * internal algorithm does not exist (other CPUs, aesni_intel not built),
 * we use the synchronous "ctr(aes)" fallback, which on x86 then runs the
 * AES library code because SIMD is unusable.  The fallback is allocated
 * first because its lookup of "aes" is what loads aesni_intel, which has
 * no module alias for the internal name.
 *
 * HMAC-SHA1 is an shash: crypto_shash_setkey() precomputes the inner and
 * outer pad states, so each packet costs two SHA-1 finalisations plus the
 * data; the descriptor lives on the stack.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/simd.h>
#include <crypto/aes.h>
#include <crypto/algapi.h>
#include <crypto/internal/simd.h>
#include <linux/kmod.h>
#include <linux/scatterlist.h>
#include <linux/string.h>

#include "crypto.h"

#define MBMS_CTR_SIMD_ALG	"__ctr-aes-aesni"
#define MBMS_CTR_ALG		"ctr(aes)"
#define MBMS_HMAC_ALG		"hmac(sha1)"

/**
 * mbms_crypto_init() - load the x86 SIMD AES and SHA-1 drivers if present
 *
 * udev normally loads them from the CPU's modalias, but a minimal system
 * (our test VM, an initramfs) may not have, and no lookup by algorithm
 * name reaches the internal CTR.  Failure is fine: we fall back.
 */
void mbms_crypto_init(void)
{
	if (!IS_ENABLED(CONFIG_X86))
		return;
	if (request_module("aesni_intel"))
		pr_debug("aesni_intel not loaded; using the generic CTR\n");
	if (request_module("sha1_ssse3"))
		pr_debug("sha1_ssse3 not loaded; using the generic SHA-1\n");
}

/**
 * mbms_cipher_simd_name() - name of the internal SIMD CTR we try first
 *
 * Return: a constant string, for log lines and self tests.
 */
const char *mbms_cipher_simd_name(void)
{
	return MBMS_CTR_SIMD_ALG;
}

/**
 * mbms_cipher_init_ctr() - allocate and key the CTR transforms only
 * @c: zeroed cipher state
 * @enc_key: MBMS_SESSION_KEY_LEN bytes
 *
 * Return: 0 or a negative errno; on error @c holds nothing to free.
 */
int mbms_cipher_init_ctr(struct mbms_cipher *c, const u8 *enc_key)
{
	struct crypto_sync_skcipher *simd;
	int err;

	c->ctr = crypto_alloc_sync_skcipher(MBMS_CTR_ALG, 0, 0);
	if (IS_ERR(c->ctr)) {
		err = PTR_ERR(c->ctr);
		c->ctr = NULL;
		return err;
	}
	err = crypto_sync_skcipher_setkey(c->ctr, enc_key,
					  MBMS_SESSION_KEY_LEN);
	if (err)
		goto err_free;

	simd = crypto_alloc_sync_skcipher(MBMS_CTR_SIMD_ALG,
					  CRYPTO_ALG_INTERNAL,
					  CRYPTO_ALG_INTERNAL);
	if (IS_ERR(simd))
		return 0;	/* not on this CPU or kernel: fallback only */
	if (crypto_sync_skcipher_setkey(simd, enc_key, MBMS_SESSION_KEY_LEN)) {
		crypto_free_sync_skcipher(simd);
		return 0;
	}
	c->ctr_simd = simd;
	return 0;

err_free:
	crypto_free_sync_skcipher(c->ctr);
	c->ctr = NULL;
	return err;
}

/**
 * mbms_cipher_init() - prepare the transforms of one direction
 * @c: zeroed cipher state
 * @enc_key: session encryption key, MBMS_SESSION_KEY_LEN bytes
 * @salt: session salt, MBMS_SESSION_SALT_LEN bytes
 * @auth_key: session authentication key, MBMS_AUTH_KEY_LEN bytes
 *
 * May sleep (allocates transforms, may load modules).
 *
 * Return: 0 or a negative errno; on error @c holds nothing to free.
 */
int mbms_cipher_init(struct mbms_cipher *c, const u8 *enc_key,
		     const u8 *salt, const u8 *auth_key)
{
	int err;

	err = mbms_cipher_init_ctr(c, enc_key);
	if (err)
		return err;
	c->hmac = crypto_alloc_shash(MBMS_HMAC_ALG, 0, 0);
	if (IS_ERR(c->hmac)) {
		err = PTR_ERR(c->hmac);
		c->hmac = NULL;
		goto err_ctr;
	}
	err = crypto_shash_setkey(c->hmac, auth_key, MBMS_AUTH_KEY_LEN);
	if (err)
		goto err_ctr;
	memcpy(c->salt, salt, MBMS_SESSION_SALT_LEN);
	return 0;

err_ctr:
	mbms_cipher_free(c);
	return err;
}

/**
 * mbms_cipher_free() - free the transforms; their contexts are zeroed
 * @c: cipher state, may be partly set up
 *
 * crypto_free_*() zeroes the transform context (the expanded keys and the
 * HMAC pad states) before freeing it.
 */
void mbms_cipher_free(struct mbms_cipher *c)
{
	if (c->hmac)
		crypto_free_shash(c->hmac);
	if (c->ctr_simd)
		crypto_free_sync_skcipher(c->ctr_simd);
	if (c->ctr)
		crypto_free_sync_skcipher(c->ctr);
	memzero_explicit(c, sizeof(*c));
}

/**
 * mbms_cipher_iv() - RFC 3711 section 4.1.1 AES-CM IV
 * @c: cipher state (for its salt)
 * @ssrc: the packet's SSRC
 * @index: 48-bit SRTP packet index or 31-bit SRTCP index
 * @iv: receives AES_BLOCK_SIZE bytes
 *
 * IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16).
 */
void mbms_cipher_iv(const struct mbms_cipher *c, u32 ssrc, u64 index,
		    u8 *iv)
{
	int i;

	memcpy(iv, c->salt, MBMS_SESSION_SALT_LEN);
	iv[14] = 0;
	iv[15] = 0;
	for (i = 0; i < 4; i++)
		iv[4 + i] ^= ssrc >> (24 - 8 * i);
	for (i = 0; i < 6; i++)
		iv[8 + i] ^= index >> (40 - 8 * i);
}

/**
 * mbms_cipher_ctr() - apply the AES-CM keystream to a buffer in place
 * @c: cipher state
 * @iv: the AES_BLOCK_SIZE-byte initial counter (not modified)
 * @buf: data, in the linear (lowmem) part of an skb or on the heap
 * @len: bytes
 *
 * Encrypting twice restores the input, which the packet path uses to hand
 * a packet back unchanged when a check after decryption fails.
 *
 * Return: 0 or a negative errno from the transform.
 */
int mbms_cipher_ctr(const struct mbms_cipher *c, const u8 *iv, u8 *buf,
		    unsigned int len)
{
	struct crypto_sync_skcipher *tfm = c->ctr;
	u8 ctr[AES_BLOCK_SIZE];
	struct scatterlist sg;
	int err;

	if (!len)
		return 0;
	if (c->ctr_simd && crypto_simd_usable())
		tfm = c->ctr_simd;

	{
		SYNC_SKCIPHER_REQUEST_ON_STACK(req, tfm);

		memcpy(ctr, iv, sizeof(ctr));
		sg_init_one(&sg, buf, len);
		skcipher_request_set_sync_tfm(req, tfm);
		skcipher_request_set_callback(req, 0, NULL, NULL);
		skcipher_request_set_crypt(req, &sg, &sg, len, ctr);
		err = crypto_skcipher_encrypt(req);
		skcipher_request_zero(req);
	}
	return err;
}

/**
 * mbms_cipher_hmac_digest() - HMAC-SHA1 over one contiguous buffer
 * @c: cipher state
 * @data: the authenticated bytes
 * @len: their length
 * @out: receives MBMS_HMAC_LEN bytes; callers compare a prefix
 *
 * The packet path's HMAC: one digest call is one finup of the inner and
 * one of the outer hash, so the SIMD SHA-1 drivers take the FPU twice per
 * packet instead of once per update and final call.
 *
 * Return: 0 or a negative errno from the transform.
 */
int mbms_cipher_hmac_digest(const struct mbms_cipher *c, const u8 *data,
			    unsigned int len, u8 *out)
{
	return crypto_shash_tfm_digest(c->hmac, data, len, out);
}

/**
 * mbms_cipher_hmac() - HMAC-SHA1 over data || trailer
 * @c: cipher state
 * @data: authenticated portion of the packet
 * @len: its length
 * @trailer: for SRTP the big-endian ROC, for SRTCP NULL
 * @tlen: length of @trailer
 * @out: receives MBMS_HMAC_LEN bytes; callers compare a prefix
 *
 * Return: 0 or a negative errno from the transform.
 */
int mbms_cipher_hmac(const struct mbms_cipher *c, const u8 *data,
		     unsigned int len, const u8 *trailer, unsigned int tlen,
		     u8 *out)
{
	SHASH_DESC_ON_STACK(desc, c->hmac);
	int err;

	desc->tfm = c->hmac;
	err = crypto_shash_init(desc);
	if (!err)
		err = crypto_shash_update(desc, data, len);
	if (!err && tlen)
		err = crypto_shash_update(desc, trailer, tlen);
	if (!err)
		err = crypto_shash_final(desc, out);
	shash_desc_zero(desc);
	return err;
}
