// SPDX-License-Identifier: GPL-2.0
/*
 * MSK, MTK, salt and RAND material.  Every key is HMAC-SHA-256(run secret,
 * label || index), so that nothing has to be stored per MTK and a run with
 * --seed is reproducible byte for byte (captures can be compared between
 * runs).  Without --seed the run secret is random.  CSB IDs are always
 * random: they have no meaning (TS 33.246 §6.4).
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "sim.h"

static uint8_t run_secret[32];

int keygen_init(const uint8_t *seed, size_t len)
{
	if (seed) {
		if (len != sizeof(run_secret))
			return -1;
		memcpy(run_secret, seed, len);
		return 0;
	}
	return RAND_bytes(run_secret, sizeof(run_secret)) == 1 ? 0 : -1;
}

void keygen_fill(const char *label, uint64_t index, uint8_t *out, size_t len)
{
	uint8_t msg[64], mac[EVP_MAX_MD_SIZE];
	size_t ll = strlen(label), i;
	unsigned int maclen = 0;
	uint32_t block;

	/* Labels are short constants; 32 bytes per HMAC block. */
	for (block = 0; len; block++) {
		size_t n = len < 32 ? len : 32, m = 0;

		if (ll > sizeof(msg) - 12)
			ll = sizeof(msg) - 12;
		memcpy(msg, label, ll);
		m = ll;
		for (i = 0; i < 8; i++)
			msg[m++] = (uint8_t)(index >> (56 - 8 * i));
		for (i = 0; i < 4; i++)
			msg[m++] = (uint8_t)(block >> (24 - 8 * i));
		HMAC(EVP_sha256(), run_secret, sizeof(run_secret), msg, m, mac,
		     &maclen);
		memcpy(out, mac, n);
		out += n;
		len -= n;
	}
	secure_zero(mac, sizeof(mac));
}

uint32_t keygen_csb_id(void)
{
	uint8_t b[4] = { 0 };

	if (RAND_bytes(b, sizeof(b)) != 1)
		keygen_fill("csb-fallback", sim_mono_ms(), b, sizeof(b));
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

void keygen_clear(void)
{
	secure_zero(run_secret, sizeof(run_secret));
}
