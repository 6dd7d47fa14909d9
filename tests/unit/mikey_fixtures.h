/* SPDX-License-Identifier: GPL-2.0 */
/* Fixed inputs for the libmikey tests: every message type, byte-exact. */
#ifndef MIKEY_FIXTURES_H
#define MIKEY_FIXTURES_H

#include <string.h>

#include "mbms/mikey.h"

static const uint8_t fx_muk[32] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa,
	0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
	0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
};
static const uint8_t fx_msk[16] = {
	0x4d, 0x53, 0x4b, 0x2d, 0x6b, 0x65, 0x79, 0x2d,
	0x30, 0x30, 0x30, 0x31, 0xa5, 0x5a, 0x0f, 0xf0,
};
static const uint8_t fx_mtk[16] = {
	0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0,
	0xd6, 0x4f, 0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39,
};
static const uint8_t fx_salt[14] = {
	0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe, 0xeb,
	0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6,
};
static const uint8_t fx_rand[16] = {
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
};
static const uint8_t fx_domain[3] = { 0x26, 0x20, 0x01 };	/* MCC 262 MNC 01 */
#define FX_IDI "bmsc.mbms.mnc001.mcc262.3gppnetwork.org"
#define FX_IDR "AQIDBAUGBwgJCgsMDQ4PEA==@bsf.mnc001.mcc262.3gppnetwork.org"
#define FX_MSK_ID 0x00050001u
#define FX_CSB 0x1a2b3c4du

static inline struct mikey_msk_spec fx_msk_spec(bool download, bool v)
{
	struct mikey_msk_spec s = {
		.csb_id = FX_CSB,
		.counter = 100,
		.idi = FX_IDI,
		.idr = FX_IDR,
		.msk_id = FX_MSK_ID,
		.msk = fx_msk,
		.msk_len = sizeof(fx_msk),
		.seql = 0,
		.sequ = 100,
		.v = v,
		.download = download,
		.ssrc = 0xdeadbeef,
		.roc = 0,
	};

	memcpy(s.rand, fx_rand, 16);
	memcpy(s.key_domain, fx_domain, 3);
	return s;
}

static inline struct mikey_mtk_spec fx_mtk_spec(bool download)
{
	struct mikey_mtk_spec s = {
		.csb_id = 0x5a5a0001,
		.counter = 7,
		.msk_id = FX_MSK_ID,
		.mtk_id = 1,
		.mtk = fx_mtk,
		.mtk_len = sizeof(fx_mtk),
		.salt = download ? NULL : fx_salt,
		.salt_len = download ? 0 : sizeof(fx_salt),
	};

	memcpy(s.key_domain, fx_domain, 3);
	return s;
}

static inline struct mikey_pull_spec fx_pull_spec(void)
{
	struct mikey_pull_spec s = {
		.csb_id = 0x77777777,
		.counter = 101,
		.idi = FX_IDI,
		.idr = FX_IDR,
		.key_group = 5,
	};

	memcpy(s.rand, fx_rand, 16);
	s.rand[0] ^= 0xff;
	memcpy(s.key_domain, fx_domain, 3);
	return s;
}

#endif /* MIKEY_FIXTURES_H */
