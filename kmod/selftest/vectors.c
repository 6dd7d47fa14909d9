// SPDX-License-Identifier: GPL-2.0
/*
 * Known-answer tests: RFC 3711 B.2 (AES-CM keystream, through the same
 * CTR transforms the packet path uses) and B.3 (key derivation), the IV
 * layout of section 4.1.1, and RFC 2202 HMAC-SHA1 through mbms_cipher.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/simd.h>
#include <crypto/internal/simd.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../crypto.h"
#include "../kdf.h"
#include "selftest.h"

static const u8 b2_key[16] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
	0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};

static const u8 b2_iv[16] = {
	0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
	0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0x00, 0x00,
};

static const u8 b2_keystream[48] = {
	0xe0, 0x3e, 0xad, 0x09, 0x35, 0xc9, 0x5e, 0x80,
	0xe1, 0x66, 0xb1, 0x6d, 0xd9, 0x2b, 0x4e, 0xb4,
	0xd2, 0x35, 0x13, 0x16, 0x2b, 0x02, 0xd0, 0xf7,
	0x2a, 0x43, 0xa2, 0xfe, 0x4a, 0x5f, 0x97, 0xab,
	0x41, 0xe9, 0x5b, 0x3b, 0xb0, 0xa2, 0xe8, 0xdd,
	0x47, 0x79, 0x01, 0xe4, 0xfc, 0xa8, 0x94, 0xc0,
};

static const u8 b3_master_key[16] = {
	0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0,
	0xd6, 0x4f, 0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39,
};

static const u8 b3_master_salt[14] = {
	0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe, 0xeb,
	0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6,
};

static const u8 b3_cipher_key[16] = {
	0xc6, 0x1e, 0x7a, 0x93, 0x74, 0x4f, 0x39, 0xee,
	0x10, 0x73, 0x4a, 0xfe, 0x3f, 0xf7, 0xa0, 0x87,
};

static const u8 b3_cipher_salt[14] = {
	0x30, 0xcb, 0xbc, 0x08, 0x86, 0x3d, 0x8c, 0x85,
	0xd4, 0x9d, 0xb3, 0x4a, 0x9a, 0xe1,
};

static const u8 b3_auth_key[20] = {
	0xce, 0xbe, 0x32, 0x1f, 0x6f, 0xf7, 0x71, 0x6b,
	0x6f, 0xd4, 0xab, 0x49, 0xaf, 0x25, 0x6a, 0x15,
	0x6d, 0x38, 0xba, 0xa4,
};

/* Run B.2 through one transform; the fallback and, if present, SIMD. */
static bool mbms_selftest_ctr_one(const struct mbms_cipher *c, bool simd)
{
	u8 *buf = kzalloc(sizeof(b2_keystream), GFP_KERNEL);
	unsigned int n = sizeof(b2_keystream);
	bool ok;

	if (!buf)
		return false;
	ok = !mbms_cipher_ctr_path(c, b2_iv, buf, n, simd) &&
	     !memcmp(buf, b2_keystream, n);
	/* applying it again restores the input (used to undo decryption) */
	ok = ok && !mbms_cipher_ctr_path(c, b2_iv, buf, n, simd) &&
	     !memchr_inv(buf, 0, n);
	kfree(buf);
	return ok;
}

/**
 * mbms_selftest_aes_cm_b2() - RFC 3711 B.2 through the CTR transforms
 *
 * Return: true on success.
 */
bool mbms_selftest_aes_cm_b2(void)
{
	struct mbms_cipher c = { };
	bool ok;

	memcpy(c.key, b2_key, sizeof(c.key));
	pr_info("# ctr transforms: fallback %s, simd %s (usable here: %s)\n",
		mbms_cipher_fallback_name(),
		mbms_cipher_has_simd() ? mbms_cipher_simd_name() : "absent",
		crypto_simd_usable() ? "yes" : "no");
	ok = mbms_selftest_ctr_one(&c, false);
	if (mbms_cipher_has_simd())
		ok = mbms_selftest_ctr_one(&c, true) && ok;
	mbms_cipher_free(&c);
	return ok;
}

/**
 * mbms_selftest_kdf_b3() - RFC 3711 B.3 key derivation
 *
 * Return: true on success.
 */
bool mbms_selftest_kdf_b3(void)
{
	u8 key[16], salt[14], auth[20];

	if (mbms_kdf(b3_master_key, b3_master_salt, MBMS_KDF_SRTP_ENC,
		     key, sizeof(key)) ||
	    mbms_kdf(b3_master_key, b3_master_salt, MBMS_KDF_SRTP_SALT,
		     salt, sizeof(salt)) ||
	    mbms_kdf(b3_master_key, b3_master_salt, MBMS_KDF_SRTP_AUTH,
		     auth, sizeof(auth)))
		return false;
	return !memcmp(key, b3_cipher_key, sizeof(key)) &&
	       !memcmp(salt, b3_cipher_salt, sizeof(salt)) &&
	       !memcmp(auth, b3_auth_key, sizeof(auth));
}

/**
 * mbms_selftest_srtp_iv() - IV = k_s*2^16 ^ SSRC*2^64 ^ index*2^16
 *
 * Return: true on success.
 */
bool mbms_selftest_srtp_iv(void)
{
	static const u8 want[16] = {
		0x00, 0x00, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef,
		0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x00, 0x00,
	};
	static const u8 want_salted[16] = {
		0x30, 0xcb, 0xbc, 0x08, 0x86 ^ 0xde, 0x3d ^ 0xad,
		0x8c ^ 0xbe, 0x85 ^ 0xef, 0xd4 ^ 0x12, 0x9d ^ 0x34,
		0xb3 ^ 0x56, 0x4a ^ 0x78, 0x9a ^ 0x9a, 0xe1 ^ 0xbc,
		0x00, 0x00,
	};
	struct mbms_cipher c = { };
	u8 iv[16];
	bool ok;

	mbms_cipher_iv(&c, 0xdeadbeef, 0x123456789abcULL, iv);
	ok = !memcmp(iv, want, sizeof(iv));
	memcpy(c.salt, b3_cipher_salt, sizeof(c.salt));
	mbms_cipher_iv(&c, 0xdeadbeef, 0x123456789abcULL, iv);
	return ok && !memcmp(iv, want_salted, sizeof(iv));
}

/**
 * mbms_selftest_hmac() - RFC 2202 test case 2 through mbms_cipher_hmac()
 *
 * Return: true on success.
 */
bool mbms_selftest_hmac(void)
{
	/*
	 * The RFC's key is 4 bytes (padded with zeros like any key shorter
	 * than a block); the data is split over the data and trailer
	 * arguments as the SRTP path does, and also given whole.
	 */
	static const u8 want[20] = {
		0xef, 0xfc, 0xdf, 0x6a, 0xe5, 0xeb, 0x2f, 0xa2,
		0xd2, 0x74, 0x16, 0xd5, 0xf1, 0x84, 0xdf, 0x9c,
		0x25, 0x9a, 0x7c, 0x79,
	};
	static const char data[] = "what do ya want for nothing?";
	struct mbms_cipher c = { };
	u8 mac[20];
	bool ok;

	if (mbms_cipher_init_hmac(&c, (const u8 *)"Jefe", 4))
		return false;
	ok = !mbms_cipher_hmac(&c, (const u8 *)data, 24,
			       (const u8 *)data + 24, 4, mac) &&
	     !memcmp(mac, want, sizeof(mac));
	memset(mac, 0, sizeof(mac));
	ok = ok && !mbms_cipher_hmac_digest(&c, (const u8 *)data, 28, mac) &&
	     !memcmp(mac, want, sizeof(mac));
	mbms_cipher_free(&c);
	return ok;
}
