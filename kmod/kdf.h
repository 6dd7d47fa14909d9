/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RFC 3711 section 4.3 key derivation with the AES-CM PRF and a key
 * derivation rate of 0, as TS 33.246 mandates for MBMS.
 */
#ifndef _MBMS_KDF_H
#define _MBMS_KDF_H

#include <linux/types.h>

/* RFC 3711 section 4.3.2 labels. */
enum mbms_kdf_label {
	MBMS_KDF_SRTP_ENC = 0,
	MBMS_KDF_SRTP_AUTH = 1,
	MBMS_KDF_SRTP_SALT = 2,
	MBMS_KDF_SRTCP_ENC = 3,
	MBMS_KDF_SRTCP_AUTH = 4,
	MBMS_KDF_SRTCP_SALT = 5,
};

#define MBMS_SESSION_KEY_LEN	16
#define MBMS_SESSION_SALT_LEN	14
#define MBMS_AUTH_KEY_LEN	20

int mbms_kdf(const u8 *master_key, const u8 *master_salt, u8 label,
	     u8 *out, unsigned int len);

#endif /* _MBMS_KDF_H */
