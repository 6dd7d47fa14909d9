// SPDX-License-Identifier: GPL-2.0
/*
 * libmikey crypto: RFC 3830 PRF and §4.1.4 derivation, the KEMAC IV,
 * AES-CM and HMAC-SHA-1 through OpenSSL libcrypto.
 */
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "mikey_int.h"

#define PRF_CHUNK	32	/* inkey is split into 256-bit chunks */
#define SHA1_LEN	20

bool mikey_mem_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

int mikey_hmac(const char *digest, const uint8_t *key, size_t key_len,
	       const struct mikey_iov *parts, size_t n_parts,
	       uint8_t *out, size_t out_len)
{
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac;
	size_t got = 0, i;
	int ok;

	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		return MIKEY_E_CRYPTO;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	ctx = EVP_MAC_CTX_new(mac);
	ok = ctx && EVP_MAC_init(ctx, key, key_len, params);
	for (i = 0; ok && i < n_parts; i++)
		ok = !parts[i].len ||
		     EVP_MAC_update(ctx, parts[i].data, parts[i].len);
	ok = ok && EVP_MAC_final(ctx, out, &got, out_len) && got == out_len;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	if (!ok) {
		mikey_wipe(out, out_len);
		return MIKEY_E_CRYPTO;
	}
	return 0;
}

int mikey_hmac_sha1(const uint8_t *key, size_t key_len,
		    const uint8_t *data, size_t len, uint8_t out[20])
{
	struct mikey_iov part = { data, len };

	return mikey_hmac("SHA1", key, key_len, &part, 1, out, SHA1_LEN);
}

/*
 * P(s, label, m) of §4.1.2, XORed into @out (@out_len bytes, m blocks of
 * 20 bytes).  A_0 = label, A_i = HMAC(s, A_{i-1}); block i = HMAC(s, A_i ||
 * label).
 */
static int prf_p_xor(const uint8_t *s, size_t s_len, const uint8_t *label,
		     size_t label_len, uint8_t *out, size_t out_len)
{
	uint8_t a[SHA1_LEN], blk[SHA1_LEN];
	size_t done = 0, i, n;
	int ret = MIKEY_E_CRYPTO;

	/* A_1 = HMAC(s, label) */
	if (mikey_hmac_sha1(s, s_len, label, label_len, a))
		return MIKEY_E_CRYPTO;
	while (done < out_len) {
		struct mikey_iov parts[2] = { { a, SHA1_LEN },
					      { label, label_len } };

		if (mikey_hmac("SHA1", s, s_len, parts, 2, blk, SHA1_LEN))
			goto out;
		n = out_len - done < SHA1_LEN ? out_len - done : SHA1_LEN;
		for (i = 0; i < n; i++)
			out[done + i] ^= blk[i];
		done += n;
		if (done < out_len && mikey_hmac_sha1(s, s_len, a, SHA1_LEN, a))
			goto out;
	}
	ret = 0;
out:
	mikey_wipe(a, sizeof(a));
	mikey_wipe(blk, sizeof(blk));
	return ret;
}

int mikey_prf(const uint8_t *inkey, size_t inkey_len,
	      const uint8_t *label, size_t label_len,
	      uint8_t *out, size_t out_len)
{
	size_t off;
	int ret;

	if (!inkey || inkey_len == 0 || !out || (!label && label_len))
		return MIKEY_E_INVAL;
	memset(out, 0, out_len);
	/*
	 * n = ceil(inkey_len / 32) chunks: a 32-byte key is one full chunk,
	 * never a full chunk plus an empty one.
	 */
	for (off = 0; off < inkey_len; off += PRF_CHUNK) {
		size_t n = inkey_len - off < PRF_CHUNK ? inkey_len - off : PRF_CHUNK;

		ret = prf_p_xor(inkey + off, n, label, label_len, out, out_len);
		if (ret) {
			mikey_wipe(out, out_len);
			return ret;
		}
	}
	return 0;
}

int mikey_derive(const uint8_t *inkey, size_t inkey_len, uint32_t constant,
		 uint8_t cs_id, uint32_t csb_id, const uint8_t *rand,
		 size_t rand_len, uint8_t *out, size_t out_len)
{
	uint8_t label[4 + 1 + 4 + MIKEY_MAX_RAND_LEN];

	if (rand_len > MIKEY_MAX_RAND_LEN || (!rand && rand_len))
		return MIKEY_E_INVAL;
	put_be32(label, constant);
	label[4] = cs_id;
	put_be32(label + 5, csb_id);
	if (rand_len)
		memcpy(label + 9, rand, rand_len);
	return mikey_prf(inkey, inkey_len, label, 9 + rand_len, out, out_len);
}

int mikey_derive_kemac_keys(const uint8_t *inkey, size_t inkey_len,
			    uint32_t csb_id, const uint8_t *rand,
			    size_t rand_len, struct mikey_kemac_keys *k)
{
	int ret;

	ret = mikey_derive(inkey, inkey_len, MIKEY_CONST_ENCR,
			   MIKEY_CS_ID_KEMAC, csb_id, rand, rand_len,
			   k->encr, sizeof(k->encr));
	if (!ret)
		ret = mikey_derive(inkey, inkey_len, MIKEY_CONST_AUTH,
				   MIKEY_CS_ID_KEMAC, csb_id, rand, rand_len,
				   k->auth, sizeof(k->auth));
	if (!ret)
		ret = mikey_derive(inkey, inkey_len, MIKEY_CONST_SALT,
				   MIKEY_CS_ID_KEMAC, csb_id, rand, rand_len,
				   k->salt, sizeof(k->salt));
	if (ret)
		mikey_kemac_keys_clear(k);
	return ret;
}

void mikey_kemac_keys_clear(struct mikey_kemac_keys *k)
{
	mikey_wipe(k, sizeof(*k));
}

/*
 * UNVERIFIED (PROTOCOL.md): the IV takes a 64-bit T; a 32-bit COUNTER is
 * zero-extended on the left.  This is the one place that decides it.
 */
uint64_t mikey_ts_iv_value(const struct mikey_ts *t)
{
	if (t->type == MIKEY_TS_COUNTER)
		return (uint64_t)(uint32_t)t->value;
	return t->value;
}

void mikey_kemac_iv(const uint8_t salt[MIKEY_SALT_KEY_LEN], uint32_t csb_id,
		    uint64_t t, uint8_t iv[16])
{
	uint8_t x[16] = { 0 };
	int i;

	/* 0x0000 || CSB ID || T, 112 bits, then two zero bytes */
	put_be32(x + 2, csb_id);
	put_be32(x + 6, (uint32_t)(t >> 32));
	put_be32(x + 10, (uint32_t)t);
	for (i = 0; i < MIKEY_SALT_KEY_LEN; i++)
		iv[i] = salt[i] ^ x[i];
	iv[14] = 0;
	iv[15] = 0;
}

int mikey_aes_cm(const uint8_t key[16], const uint8_t iv[16],
		 const uint8_t *in, uint8_t *out, size_t len)
{
	EVP_CIPHER_CTX *ctx;
	int n = 0, ret = MIKEY_E_CRYPTO;

	if (len == 0)
		return 0;
	if (len > INT32_MAX)
		return MIKEY_E_INVAL;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return MIKEY_E_CRYPTO;
	if (EVP_EncryptInit_ex(ctx, EVP_aes_128_ctr(), NULL, key, iv) &&
	    EVP_EncryptUpdate(ctx, out, &n, in, (int)len) && (size_t)n == len)
		ret = 0;
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}
