// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 3711 section 4.3: session keys from a master key and salt.
 *
 * The kernel AES library is used directly: the derivation runs once per
 * key install, on at most three blocks, so a crypto API transform would
 * cost more than it saves.
 */
#include <crypto/aes.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/mbms_srtp.h>

#include "kdf.h"

/**
 * mbms_kdf() - derive one session key, RFC 3711 section 4.3.1 with KDR 0
 * @master_key: MBMS_SRTP_MASTER_KEY_LEN bytes
 * @master_salt: MBMS_SRTP_MASTER_SALT_LEN bytes
 * @label: enum mbms_kdf_label
 * @out: receives @len bytes
 * @len: bytes to derive, at most 2^16 AES blocks (we need at most 20)
 *
 * With KDR 0 the index term r is 0, so x = (label << 48) XOR master_salt
 * and the output is the AES-CM keystream for IV x * 2^16.
 *
 * Return: 0, or -EINVAL for a bad length.
 */
int mbms_kdf(const u8 *master_key, const u8 *master_salt, u8 label,
	     u8 *out, unsigned int len)
{
	u8 ctr[AES_BLOCK_SIZE], ks[AES_BLOCK_SIZE];
	struct crypto_aes_ctx aes;
	unsigned int i, n;
	int err;

	if (len > 64)
		return -EINVAL;
	err = aes_expandkey(&aes, master_key, MBMS_SRTP_MASTER_KEY_LEN);
	if (err)
		return err;

	memcpy(ctr, master_salt, MBMS_SRTP_MASTER_SALT_LEN);
	ctr[14] = 0;
	ctr[15] = 0;
	/* label sits just left of the 48-bit r, i.e. at byte 7 of the salt */
	ctr[7] ^= label;

	for (i = 0; i < len; i += n) {
		aes_encrypt(&aes, ks, ctr);
		n = min_t(unsigned int, len - i, AES_BLOCK_SIZE);
		memcpy(out + i, ks, n);
		ctr[15]++;	/* fewer than 256 blocks: no carry needed */
	}

	memzero_explicit(&aes, sizeof(aes));
	memzero_explicit(ks, sizeof(ks));
	return 0;
}
