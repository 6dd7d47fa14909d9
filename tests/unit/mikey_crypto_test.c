// SPDX-License-Identifier: GPL-2.0
/*
 * libmikey crypto known answers: RFC 3711 B.2 (AES-CM), and the PRF,
 * §4.1.4 derivations, TS 33.220 KDF and MRK against the vectors computed
 * independently in Python (tests/unit/mikey_prf_check.py ->
 * tests/vectors/mikey/kdf.txt).
 */
#include <stdlib.h>

#include "mbms/common.h"
#include "mbms/mikey.h"
#include "test.h"

static void unhex(const char *h, uint8_t *out, size_t max, size_t *n)
{
	char err[128];

	if (hex_decode(h, out, max, n, err, sizeof(err))) {
		fprintf(stderr, "bad hex in vector: %s\n", err);
		exit(2);
	}
}

static void test_aes_cm_b2(void)
{
	uint8_t key[16], iv[16], ks[48], zero[48] = { 0 }, exp[48], buf[48];
	size_t n;

	unhex("2b7e151628aed2a6abf7158809cf4f3c", key, 16, &n);
	unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfd0000", iv, 16, &n);
	unhex("e03ead0935c95e80e166b16dd92b4eb4"
	      "d23513162b02d0f72a43a2fe4a5f97ab"
	      "41e95b3bb0a2e8dd477901e4fca894c0", exp, 48, &n);
	CHECK(mikey_aes_cm(key, iv, zero, ks, 48) == 0);
	CHECK_MEM(ks, exp, 48);
	/* In place, and the counter continues across a partial block. */
	memset(buf, 0, sizeof(buf));
	CHECK(mikey_aes_cm(key, iv, buf, buf, 37) == 0);
	CHECK_MEM(buf, exp, 37);
	CHECK(buf[37] == 0);
}

static void test_iv(void)
{
	uint8_t salt[14], iv[16];
	struct mikey_ts t = { .present = true, .type = MIKEY_TS_COUNTER,
			      .value = 0x01020304 };
	int i;

	for (i = 0; i < 14; i++)
		salt[i] = (uint8_t)(0x10 + i);
	mikey_kemac_iv(salt, 0xa1b2c3d4, mikey_ts_iv_value(&t), iv);
	/* (S XOR 0x0000||CSB ID||T64) || 0x0000 */
	CHECK(iv[0] == 0x10 && iv[1] == 0x11);
	CHECK(iv[2] == (0x12 ^ 0xa1) && iv[5] == (0x15 ^ 0xd4));
	CHECK(iv[6] == 0x16 && iv[9] == 0x19);	/* zero-extended counter */
	CHECK(iv[10] == (0x1a ^ 0x01) && iv[13] == (0x1d ^ 0x04));
	CHECK(iv[14] == 0 && iv[15] == 0);
}

static void test_vectors(void)
{
	const char *top = getenv("MBMS_TOP");
	char path[512], line[4096], a[6][600];
	int prf = 0, kemac = 0, other = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/vectors/mikey/kdf.txt",
		 top ? top : "../..");
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		uint8_t key[128], label[64], exp[128], out[128], r[32];
		size_t kl, ll, el, rl;
		unsigned int olen, csb, fc;

		if (sscanf(line, "prf %599s %599s %u %599s", a[0], a[1], &olen,
			   a[2]) == 4) {
			unhex(a[0], key, sizeof(key), &kl);
			unhex(a[1], label, sizeof(label), &ll);
			unhex(a[2], exp, sizeof(exp), &el);
			CHECK(el == olen);
			CHECK(mikey_prf(key, kl, label, ll, out, olen) == 0);
			CHECK_MEM(out, exp, olen);
			prf++;
		} else if (sscanf(line, "kemac %599s %x %599s %599s %599s %599s",
				  a[0], &csb, a[1], a[2], a[3], a[4]) == 6) {
			struct mikey_kemac_keys k;

			unhex(a[0], key, sizeof(key), &kl);
			unhex(a[1], r, sizeof(r), &rl);
			CHECK(mikey_derive_kemac_keys(key, kl, csb, r, rl, &k) == 0);
			unhex(a[2], exp, sizeof(exp), &el);
			CHECK(el == 16 && !memcmp(k.encr, exp, 16));
			unhex(a[3], exp, sizeof(exp), &el);
			CHECK(el == 20 && !memcmp(k.auth, exp, 20));
			unhex(a[4], exp, sizeof(exp), &el);
			CHECK(el == 14 && !memcmp(k.salt, exp, 14));
			mikey_kemac_keys_clear(&k);
			CHECK(k.encr[0] == 0 && k.auth[19] == 0);
			kemac++;
		} else if (sscanf(line, "mrk %599s %599s", a[0], a[1]) == 2) {
			unhex(a[0], key, sizeof(key), &kl);
			unhex(a[1], exp, sizeof(exp), &el);
			CHECK(mikey_mrk_from_ks_naf(key, kl, out) == 0);
			CHECK(el == 32 && !memcmp(out, exp, 32));
			other++;
		} else if (sscanf(line, "kdf %599s %x %599s %599s %599s", a[0],
				  &fc, a[1], a[2], a[3]) == 5) {
			uint8_t p0[64], p1[64];
			size_t l0, l1;
			struct ts33220_param p[2];

			unhex(a[0], key, sizeof(key), &kl);
			unhex(a[1], p0, sizeof(p0), &l0);
			unhex(a[2], p1, sizeof(p1), &l1);
			unhex(a[3], exp, sizeof(exp), &el);
			p[0] = (struct ts33220_param){ p0, (uint16_t)l0 };
			p[1] = (struct ts33220_param){ p1, (uint16_t)l1 };
			CHECK(ts33220_kdf(key, kl, (uint8_t)fc, p, 2, out) == 0);
			CHECK(el == 32 && !memcmp(out, exp, 32));
			other++;
		} else {
			fprintf(stderr, "unparsed vector line: %s", line);
			CHECK(0);
		}
	}
	fclose(f);
	/* Every key length class must be there: 16, 32 (the chunking bug),
	 * 48, and the rest.
	 */
	CHECK(prf == 40);
	CHECK(kemac == 3);
	CHECK(other == 2);
}

/* A 32-byte key is one 256-bit chunk: PRF must equal P(s, label, m) alone,
 * not P(s) XOR P(empty).
 */
static void test_prf_chunking(void)
{
	uint8_t k32[32], k64[64], o32[40], o64[40], h[20], lbl[4] = "abcd";
	int i;

	for (i = 0; i < 32; i++)
		k32[i] = (uint8_t)i;
	memcpy(k64, k32, 32);
	memcpy(k64 + 32, k32, 32);
	CHECK(mikey_prf(k32, 32, lbl, 4, o32, 40) == 0);
	/* two identical chunks cancel out */
	CHECK(mikey_prf(k64, 64, lbl, 4, o64, 40) == 0);
	for (i = 0; i < 40; i++)
		CHECK(o64[i] == 0);
	/* first block: HMAC(s, HMAC(s, label) || label) */
	{
		uint8_t a1[20], in[24];

		CHECK(mikey_hmac_sha1(k32, 32, lbl, 4, a1) == 0);
		memcpy(in, a1, 20);
		memcpy(in + 20, lbl, 4);
		CHECK(mikey_hmac_sha1(k32, 32, in, 24, h) == 0);
		CHECK_MEM(o32, h, 20);
	}
	CHECK(mikey_prf(NULL, 0, lbl, 4, o32, 20) == MIKEY_E_INVAL);
}

static void test_misc(void)
{
	CHECK(mikey_mem_equal("abc", "abc", 3));
	CHECK(!mikey_mem_equal("abc", "abd", 3));
	CHECK_STR(mikey_strerror(MIKEY_E_MAC), "mac-mismatch");
	CHECK_STR(mikey_strerror(__MIKEY_E_MAX), "unknown-error");
	CHECK_STR(mikey_kind_name(MIKEY_KIND_SOLICITED_PULL), "solicited-pull");
	CHECK(ts33220_kdf(NULL, 0, 1, NULL, 0, (uint8_t[32]){ 0 }) ==
	      MIKEY_E_INVAL);
}

int main(void)
{
	test_aes_cm_b2();
	test_iv();
	test_vectors();
	test_prf_chunking();
	test_misc();
	return test_summary("mikey_crypto_test");
}
