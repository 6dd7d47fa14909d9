// SPDX-License-Identifier: GPL-2.0
/*
 * AES-CM and HMAC-SHA1 for SRTP, with shared transforms.
 *
 * Memory.  A key holds only its session keys: the 16-byte AES key, the
 * salt and the two HMAC-SHA1 pad states (about 150 bytes for SRTP and
 * SRTCP together).  The transforms are shared: one CTR pair per CPU and
 * one SHA-1 for the module.  Per-key transforms (an AES-NI CTR, a
 * generic CTR with its AES cipher and an HMAC with its SHA-1, for each
 * direction) cost about 5 kB per key.
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
 * we use the synchronous "ctr(aes)" fallback.  The fallback is allocated
 * first because its lookup of "aes" is what loads aesni_intel, which has
 * no module alias for the internal name.
 *
 * Each packet keys this CPU's transform with the key's k_e (an AES-NI key
 * expansion, a few hundred instructions against about 20,000 for a
 * 1200-byte packet) and re-keys it with zeros afterwards, so that no
 * expanded key outlives the packet in shared memory.  Bottom halves are
 * disabled around it: a per-CPU transform must not be re-entered, and
 * the packet path (softirq) is the only other user.
 *
 * HMAC-SHA1: the pad states are computed at install with the shared
 * "sha1" shash and exported; each packet imports the inner state, runs
 * the data through, imports the outer state and finishes, which is what
 * "hmac(sha1)" does internally, so the SIMD SHA-1 drivers serve it alike.
 * The export format of every sha1 shash in 6.1 and 6.12 is struct
 * sha1_state (checked at init); we keep only its 20-byte state, the
 * count of a pad state being one block.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/simd.h>
#include <crypto/aes.h>
#include <crypto/algapi.h>
#include <crypto/internal/simd.h>
#include <linux/kmod.h>
#include <linux/percpu.h>
#include <linux/scatterlist.h>
#include <linux/string.h>

#include "crypto.h"

#define MBMS_CTR_SIMD_ALG	"__ctr-aes-aesni"
#define MBMS_CTR_ALG		"ctr(aes)"
#define MBMS_SHA1_ALG		"sha1"

/* This CPU's CTR transforms: SIMD (NULL if absent) and the fallback. */
struct mbms_ctr_pcpu {
	struct crypto_sync_skcipher *simd;
	struct crypto_sync_skcipher *ctr;
};

static DEFINE_PER_CPU(struct mbms_ctr_pcpu, mbms_ctr_pcpu);
static struct crypto_shash *mbms_sha1;
static bool mbms_has_simd;
static const u8 mbms_zero_key[MBMS_SESSION_KEY_LEN] __aligned(16);

static void mbms_crypto_free_tfms(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct mbms_ctr_pcpu *pc = per_cpu_ptr(&mbms_ctr_pcpu, cpu);

		if (pc->simd)
			crypto_free_sync_skcipher(pc->simd);
		if (pc->ctr)
			crypto_free_sync_skcipher(pc->ctr);
		pc->simd = NULL;
		pc->ctr = NULL;
	}
	if (mbms_sha1)
		crypto_free_shash(mbms_sha1);
	mbms_sha1 = NULL;
}

/* A synchronous CTR transform keyed with zeros, or NULL. */
static struct crypto_sync_skcipher *mbms_ctr_alloc(const char *name, u32 t)
{
	struct crypto_sync_skcipher *tfm;

	tfm = crypto_alloc_sync_skcipher(name, t, t);
	if (IS_ERR(tfm))
		return NULL;
	if (crypto_sync_skcipher_setkey(tfm, mbms_zero_key,
					sizeof(mbms_zero_key))) {
		crypto_free_sync_skcipher(tfm);
		return NULL;
	}
	return tfm;
}

/**
 * mbms_crypto_init() - allocate the shared transforms, at module init
 *
 * Return: 0 or a negative errno; on error nothing is left allocated.
 */
int mbms_crypto_init(void)
{
	struct mbms_ctr_pcpu *pc;
	int cpu;

	/*
	 * Load the x86 SIMD AES and SHA-1 drivers if present: udev normally
	 * loads them from the CPU's modalias, but a minimal system (our test
	 * VM, an initramfs) may not have, and no lookup by algorithm name
	 * reaches the internal CTR.  Their absence is fine: we fall back.
	 */
	if (IS_ENABLED(CONFIG_X86)) {
		if (request_module("aesni_intel"))
			pr_debug("aesni_intel not loaded; using the generic CTR\n");
		if (request_module("sha1_ssse3"))
			pr_debug("sha1_ssse3 not loaded; using the generic SHA-1\n");
	}
	mbms_sha1 = crypto_alloc_shash(MBMS_SHA1_ALG, 0, 0);
	if (IS_ERR(mbms_sha1)) {
		int err = PTR_ERR(mbms_sha1);

		mbms_sha1 = NULL;
		return err;
	}
	if (crypto_shash_statesize(mbms_sha1) != sizeof(struct sha1_state)) {
		pr_err("%s: unexpected export size %u\n",
		       crypto_shash_driver_name(mbms_sha1),
		       crypto_shash_statesize(mbms_sha1));
		goto err;
	}
	mbms_has_simd = true;
	for_each_possible_cpu(cpu) {
		pc = per_cpu_ptr(&mbms_ctr_pcpu, cpu);
		pc->ctr = mbms_ctr_alloc(MBMS_CTR_ALG, 0);
		if (!pc->ctr)
			goto err;
		pc->simd = mbms_ctr_alloc(MBMS_CTR_SIMD_ALG,
					  CRYPTO_ALG_INTERNAL);
		if (!pc->simd)
			mbms_has_simd = false;
	}
	return 0;

err:
	mbms_crypto_free_tfms();
	return -ENOMEM;
}

/**
 * mbms_crypto_exit() - free the shared transforms (their contexts zeroed)
 */
void mbms_crypto_exit(void)
{
	mbms_crypto_free_tfms();
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
 * mbms_cipher_fallback_name() - driver of the fallback CTR
 *
 * Return: its driver name, for log lines and self tests.
 */
const char *mbms_cipher_fallback_name(void)
{
	struct crypto_sync_skcipher *tfm = this_cpu_read(mbms_ctr_pcpu.ctr);

	return crypto_tfm_alg_driver_name(crypto_skcipher_tfm(&tfm->base));
}

/**
 * mbms_cipher_has_simd() - is the SIMD CTR there on every CPU?
 *
 * Return: true if so.
 */
bool mbms_cipher_has_simd(void)
{
	return mbms_has_simd;
}

/* SHA-1 state after one block of (key, zero-padded) XOR @pad. */
static int mbms_hmac_pad(const u8 *key, unsigned int len, u8 pad, u32 *out)
{
	SHASH_DESC_ON_STACK(desc, mbms_sha1);
	u8 block[SHA1_BLOCK_SIZE];
	struct sha1_state st;
	unsigned int i;
	int err;

	memset(block, pad, sizeof(block));
	for (i = 0; i < len; i++)
		block[i] ^= key[i];
	desc->tfm = mbms_sha1;
	err = crypto_shash_init(desc);
	if (!err)
		err = crypto_shash_update(desc, block, sizeof(block));
	if (!err)
		err = crypto_shash_export(desc, &st);
	if (!err)
		memcpy(out, st.state, sizeof(st.state));
	memzero_explicit(block, sizeof(block));
	memzero_explicit(&st, sizeof(st));
	shash_desc_zero(desc);
	return err;
}

/**
 * mbms_cipher_init_hmac() - the HMAC-SHA1 pad states of a key
 * @c: cipher state
 * @key: the authentication key
 * @len: its length, at most SHA1_BLOCK_SIZE (SRTP's k_a is 20 bytes)
 *
 * Return: 0 or a negative errno.
 */
int mbms_cipher_init_hmac(struct mbms_cipher *c, const u8 *key,
			  unsigned int len)
{
	int err;

	if (len > SHA1_BLOCK_SIZE)
		return -EINVAL;
	err = mbms_hmac_pad(key, len, 0x36, c->ipad);
	if (!err)
		err = mbms_hmac_pad(key, len, 0x5c, c->opad);
	return err;
}

/**
 * mbms_cipher_init() - prepare the key material of one direction
 * @c: zeroed cipher state
 * @enc_key: session encryption key, MBMS_SESSION_KEY_LEN bytes
 * @salt: session salt, MBMS_SESSION_SALT_LEN bytes
 * @auth_key: session authentication key, MBMS_AUTH_KEY_LEN bytes
 *
 * Return: 0 or a negative errno; on error @c is zeroed.
 */
int mbms_cipher_init(struct mbms_cipher *c, const u8 *enc_key,
		     const u8 *salt, const u8 *auth_key)
{
	int err;

	memcpy(c->key, enc_key, MBMS_SESSION_KEY_LEN);
	memcpy(c->salt, salt, MBMS_SESSION_SALT_LEN);
	err = mbms_cipher_init_hmac(c, auth_key, MBMS_AUTH_KEY_LEN);
	if (err)
		mbms_cipher_free(c);
	return err;
}

/**
 * mbms_cipher_free() - wipe the key material
 * @c: cipher state
 */
void mbms_cipher_free(struct mbms_cipher *c)
{
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

/* Key @tfm with @key, run CTR over @buf, key it with zeros again. */
static int mbms_ctr_run(struct crypto_sync_skcipher *tfm, const u8 *key,
			const u8 *iv, u8 *buf, unsigned int len)
{
	SYNC_SKCIPHER_REQUEST_ON_STACK(req, tfm);
	u8 ctr[AES_BLOCK_SIZE];
	struct scatterlist sg;
	int err;

	err = crypto_sync_skcipher_setkey(tfm, key, MBMS_SESSION_KEY_LEN);
	if (err)
		return err;
	memcpy(ctr, iv, sizeof(ctr));
	sg_init_one(&sg, buf, len);
	skcipher_request_set_sync_tfm(req, tfm);
	skcipher_request_set_callback(req, 0, NULL, NULL);
	skcipher_request_set_crypt(req, &sg, &sg, len, ctr);
	err = crypto_skcipher_encrypt(req);
	skcipher_request_zero(req);
	crypto_sync_skcipher_setkey(tfm, mbms_zero_key, sizeof(mbms_zero_key));
	return err;
}

/**
 * mbms_cipher_ctr_path() - AES-CM through a chosen transform
 * @c: cipher state
 * @iv: the AES_BLOCK_SIZE-byte initial counter (not modified)
 * @buf: data, in the linear (lowmem) part of an skb or on the heap
 * @len: bytes
 * @simd: use the SIMD CTR when it is there and usable here
 *
 * Return: 0 or a negative errno from the transform.
 */
int mbms_cipher_ctr_path(const struct mbms_cipher *c, const u8 *iv, u8 *buf,
			 unsigned int len, bool simd)
{
	struct crypto_sync_skcipher *tfm;
	struct mbms_ctr_pcpu *pc;
	int err;

	if (!len)
		return 0;
	local_bh_disable();
	pc = this_cpu_ptr(&mbms_ctr_pcpu);
	tfm = pc->ctr;
	if (simd && pc->simd && crypto_simd_usable())
		tfm = pc->simd;
	err = mbms_ctr_run(tfm, c->key, iv, buf, len);
	local_bh_enable();
	return err;
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
	return mbms_cipher_ctr_path(c, iv, buf, len, true);
}

/* Start @desc from a pad state: one block hashed, @state the result. */
static int mbms_hmac_start(struct shash_desc *desc, const u32 *state)
{
	struct sha1_state st;
	int err;

	memcpy(st.state, state, sizeof(st.state));
	st.count = SHA1_BLOCK_SIZE;
	desc->tfm = mbms_sha1;
	err = crypto_shash_import(desc, &st);
	memzero_explicit(st.state, sizeof(st.state));
	return err;
}

/* The outer hash: opad state, then the inner digest; @out may be @inner. */
static int mbms_hmac_outer(const struct mbms_cipher *c,
			   struct shash_desc *desc, const u8 *inner, u8 *out)
{
	int err = mbms_hmac_start(desc, c->opad);

	if (!err)
		err = crypto_shash_finup(desc, inner, SHA1_DIGEST_SIZE, out);
	return err;
}

/**
 * mbms_cipher_hmac_digest() - HMAC-SHA1 over one contiguous buffer
 * @c: cipher state
 * @data: the authenticated bytes
 * @len: their length
 * @out: receives MBMS_HMAC_LEN bytes; callers compare a prefix
 *
 * The packet path's HMAC: one finup of the inner and one of the outer
 * hash, so the SIMD SHA-1 drivers take the FPU twice per packet.
 *
 * Return: 0 or a negative errno from the transform.
 */
int mbms_cipher_hmac_digest(const struct mbms_cipher *c, const u8 *data,
			    unsigned int len, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, mbms_sha1);
	u8 inner[SHA1_DIGEST_SIZE];
	int err;

	err = mbms_hmac_start(desc, c->ipad);
	if (!err)
		err = crypto_shash_finup(desc, data, len, inner);
	if (!err)
		err = mbms_hmac_outer(c, desc, inner, out);
	shash_desc_zero(desc);
	return err;
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
	SHASH_DESC_ON_STACK(desc, mbms_sha1);
	u8 inner[SHA1_DIGEST_SIZE];
	int err;

	err = mbms_hmac_start(desc, c->ipad);
	if (!err)
		err = crypto_shash_update(desc, data, len);
	if (!err && tlen)
		err = crypto_shash_update(desc, trailer, tlen);
	if (!err)
		err = crypto_shash_final(desc, inner);
	if (!err)
		err = mbms_hmac_outer(c, desc, inner, out);
	shash_desc_zero(desc);
	return err;
}
