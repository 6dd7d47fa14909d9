// SPDX-License-Identifier: GPL-2.0
/*
 * libmikey round trips: every MBMS message type is encoded, decoded,
 * verified, decrypted and compared with its inputs; encoding is
 * reproducible; the wire layout of HDR/EXT/T is checked at fixed offsets;
 * the verification message MAC ties to the MSK message it answers.
 */
#include <stdlib.h>

#include "mbms/common.h"
#include "mikey_fixtures.h"
#include "test.h"

static uint8_t buf[MIKEY_MAX_MESSAGE_LEN], buf2[MIKEY_MAX_MESSAGE_LEN];
static struct mikey_msg m, m2;

static void test_msk(bool download, bool v)
{
	struct mikey_msk_spec s = fx_msk_spec(download, v);
	struct mikey_error e;
	size_t n, n2;
	uint64_t tag;

	CHECK(mikey_encode_msk(&s, fx_muk, 32, buf, sizeof(buf), &n, &e) == 0);
	CHECK(mikey_encode_msk(&s, fx_muk, 32, buf2, sizeof(buf2), &n2, &e) == 0);
	CHECK(n == n2 && !memcmp(buf, buf2, n));	/* reproducible */
	/* HDR: version 1, PSK, next = EXT (UNVERIFIED order), V, PRF 0 */
	CHECK(buf[0] == 1 && buf[1] == 0 && buf[2] == MIKEY_PT_EXT);
	CHECK(buf[3] == (v ? 0x80 : 0x00));
	CHECK(buf[4] == 0x1a && buf[7] == 0x4d);
	CHECK(buf[8] == (download ? 0 : 1));
	CHECK(buf[9] == (download ? MIKEY_MAP_EMPTY : MIKEY_MAP_SRTP_ID));

	CHECK(mikey_decode(buf, n, &m, &e) == 0);
	CHECK(m.kind == MIKEY_KIND_MSK);
	CHECK(m.download == download);
	CHECK(m.hdr.v == v && m.hdr.csb_id == FX_CSB);
	CHECK(m.t.present && m.t.type == MIKEY_TS_COUNTER && m.t.value == 100);
	CHECK(m.has_rand && m.rand_len == 16 && !memcmp(m.rand, fx_rand, 16));
	CHECK_STR(m.idi.data, FX_IDI);
	CHECK_STR(m.idr.data, FX_IDR);
	CHECK(m.ext.present && m.ext.has_msk_id && m.ext.msk_id == FX_MSK_ID);
	CHECK(!m.ext.has_mtk_id);
	CHECK(!memcmp(m.ext.key_domain, fx_domain, 3));
	if (!download) {
		CHECK(m.hdr.n_cs == 1 && m.hdr.srtp[0].ssrc == 0xdeadbeef);
		CHECK(m.n_sp == 1);
		CHECK(mikey_sp_get(&m.sp[0], MIKEY_SRTP_AUTH_TAG_LEN, &tag) &&
		      tag == 10);
		CHECK(mikey_sp_get(&m.sp[0], MIKEY_SRTP_KDR, &tag) && tag == 0);
	} else {
		CHECK(m.n_sp == 0);
	}
	CHECK(m.order[m.n_payloads - 1] == MIKEY_PT_KEMAC);
	CHECK(!m.mac_ok && m.n_keys == 0);

	CHECK(mikey_verify_decrypt(&m, fx_muk, 32, NULL, 0, &e) == 0);
	CHECK(m.mac_ok && m.n_keys == 1);
	CHECK(m.keys[0].type == MIKEY_KD_TEK && m.keys[0].kv == MIKEY_KV_INTERVAL);
	CHECK(m.keys[0].key_len == 16 && !memcmp(m.keys[0].key, fx_msk, 16));
	CHECK(m.keys[0].seql == 0 && m.keys[0].sequ == 100);
	mikey_msg_clear(&m);
	CHECK(m.keys[0].key[0] == 0 && m.raw_len == 0);
}

static void test_msk_keyless(void)
{
	struct mikey_msk_spec s = fx_msk_spec(false, false);
	struct mikey_error e;
	size_t n;

	s.msk = NULL;
	s.msk_len = 0;
	s.seql = 9;
	s.sequ = 3;	/* invalidates */
	CHECK(mikey_encode_msk(&s, fx_muk, 32, buf, sizeof(buf), &n, &e) == 0);
	CHECK(mikey_decode(buf, n, &m, &e) == 0);
	CHECK(mikey_verify_decrypt(&m, fx_muk, 32, NULL, 0, &e) == 0);
	CHECK(m.n_keys == 1 && m.keys[0].key_len == 0);
	CHECK(m.keys[0].seql == 9 && m.keys[0].sequ == 3);
	mikey_msg_clear(&m);
}

static void test_mtk(bool download)
{
	struct mikey_mtk_spec s = fx_mtk_spec(download);
	struct mikey_error e;
	size_t n;

	CHECK(mikey_encode_mtk(&s, fx_msk, 16, fx_rand, 16, buf, sizeof(buf),
			       &n, &e) == 0);
	CHECK(buf[3] == 0 && buf[8] == 0 && buf[9] == MIKEY_MAP_EMPTY);
	CHECK(mikey_decode(buf, n, &m, &e) == 0);
	CHECK(m.kind == MIKEY_KIND_MTK);
	CHECK(!m.has_rand && !m.idi.present && !m.idr.present && !m.n_sp);
	CHECK(m.ext.has_msk_id && m.ext.msk_id == FX_MSK_ID);
	CHECK(m.ext.has_mtk_id && m.ext.mtk_id == 1);
	CHECK(m.t.value == 7 && m.hdr.csb_id == 0x5a5a0001);
	/* no RAND in the message: the stored one is required */
	CHECK(mikey_verify_decrypt(&m, fx_msk, 16, NULL, 0, &e) == MIKEY_E_KEY);
	CHECK(mikey_verify_decrypt(&m, fx_msk, 16, fx_rand, 16, &e) == 0);
	CHECK(m.mac_ok && m.n_keys == 1 && m.download == download);
	CHECK(!memcmp(m.keys[0].key, fx_mtk, 16));
	if (download) {
		CHECK(m.keys[0].type == MIKEY_KD_TGK && !m.keys[0].has_salt);
	} else {
		CHECK(m.keys[0].type == MIKEY_KD_TEK_SALT);
		CHECK(m.keys[0].salt_len == 14 &&
		      !memcmp(m.keys[0].salt, fx_salt, 14));
	}
	CHECK(m.keys[0].kv == MIKEY_KV_NULL);
	/* wrong RAND => wrong keys => MAC fails, nothing decrypted */
	CHECK(mikey_verify_decrypt(&m, fx_msk, 16, fx_muk, 16, &e) ==
	      MIKEY_E_MAC);
	CHECK(!m.mac_ok && m.n_keys == 0);
	mikey_msg_clear(&m);
}

static void test_pull(void)
{
	struct mikey_pull_spec s = fx_pull_spec();
	struct mikey_error e;
	size_t n;

	CHECK(mikey_encode_solicited_pull(&s, fx_muk, 32, buf, sizeof(buf), &n,
					  &e) == 0);
	CHECK(mikey_decode(buf, n, &m, &e) == 0);
	CHECK(m.kind == MIKEY_KIND_SOLICITED_PULL);
	CHECK(!m.hdr.v && m.kemac.encr_len == 0);
	CHECK(m.ext.msk_id == 0x00050000);
	CHECK(mikey_msk_key_group(m.ext.msk_id) == 5);
	CHECK(mikey_verify_decrypt(&m, fx_muk, 32, NULL, 0, &e) == 0);
	CHECK(m.mac_ok && m.n_keys == 0);
	CHECK(mikey_verify_decrypt(&m, fx_msk, 16, NULL, 0, &e) == MIKEY_E_MAC);
	CHECK(!m.mac_ok);
	mikey_msg_clear(&m);
}

static void test_verification(void)
{
	struct mikey_msk_spec s = fx_msk_spec(false, true);
	struct mikey_error e;
	size_t n, vn;
	uint8_t muk2[32];

	CHECK(mikey_encode_msk(&s, fx_muk, 32, buf, sizeof(buf), &n, &e) == 0);
	CHECK(mikey_decode(buf, n, &m, &e) == 0);
	CHECK(mikey_encode_verification(&m, fx_muk, 32, buf2, sizeof(buf2), &vn,
					&e) == 0);
	CHECK(buf2[1] == MIKEY_DT_PSK_RESP && buf2[2] == MIKEY_PT_T);
	/* TS 33.246 §6.4.5.2: #CS 0 and the Empty map, although the MSK
	 * message it answers has an SRTP-ID map with one CS.
	 */
	CHECK(buf[8] == 1 && buf[9] == MIKEY_MAP_SRTP_ID);
	CHECK(buf2[8] == 0 && buf2[9] == MIKEY_MAP_EMPTY);
	CHECK(buf2[10] == MIKEY_PT_ID && buf2[11] == MIKEY_TS_COUNTER);
	CHECK(mikey_decode(buf2, vn, &m2, &e) == 0);
	CHECK(m2.kind == MIKEY_KIND_VERIFICATION);
	CHECK(m2.hdr.csb_id == FX_CSB && m2.t.value == 100);
	CHECK(!m2.idi.present && m2.idr.present);
	CHECK_STR(m2.idr.data, FX_IDR);	/* the only ID payload: IDr */
	CHECK(m2.v.present && m2.v.mac_alg == MIKEY_MAC_HMAC_SHA1_160);
	CHECK(mikey_verify_verification(&m2, &m, fx_muk, 32, &e) == 0);
	CHECK(m2.mac_ok);
	memcpy(muk2, fx_muk, 32);
	muk2[31] ^= 1;
	CHECK(mikey_verify_verification(&m2, &m, muk2, 32, &e) == MIKEY_E_MAC);
	CHECK(!m2.mac_ok);
	/* tampered reply */
	buf2[vn - 1] ^= 0x01;
	CHECK(mikey_decode(buf2, vn, &m2, &e) == 0);
	CHECK(mikey_verify_verification(&m2, &m, fx_muk, 32, &e) == MIKEY_E_MAC);
	/* only an MSK message can be answered */
	CHECK(mikey_encode_verification(&m2, fx_muk, 32, buf2, sizeof(buf2),
					&vn, &e) == MIKEY_E_INVAL);
	mikey_msg_clear(&m);
	mikey_msg_clear(&m2);
}

static void test_encoder_errors(void)
{
	struct mikey_msk_spec s = fx_msk_spec(false, false);
	struct mikey_mtk_spec t = fx_mtk_spec(false);
	struct mikey_error e;
	size_t n, need;

	CHECK(mikey_encode_msk(&s, fx_muk, 32, buf, sizeof(buf), &need, &e) == 0);
	for (n = 0; n < need; n++)
		CHECK(mikey_encode_msk(&s, fx_muk, 32, buf, n, &n, &e) ==
		      MIKEY_E_NOSPACE || (n = need, 0));
	s.msk_id = 0x00050000;
	CHECK(mikey_encode_msk(&s, fx_muk, 32, buf, sizeof(buf), &n, &e) ==
	      MIKEY_E_INVAL);
	s = fx_msk_spec(false, false);
	s.msk_len = 15;
	CHECK(mikey_encode_msk(&s, fx_muk, 32, buf, sizeof(buf), &n, &e) ==
	      MIKEY_E_KEY);
	s = fx_msk_spec(false, false);
	s.idr = "";
	CHECK(mikey_encode_msk(&s, fx_muk, 32, buf, sizeof(buf), &n, &e) ==
	      MIKEY_E_INVAL);
	CHECK(mikey_encode_msk(&s, NULL, 0, buf, sizeof(buf), &n, &e) ==
	      MIKEY_E_KEY);
	t.mtk_id = 0;
	CHECK(mikey_encode_mtk(&t, fx_msk, 16, fx_rand, 16, buf, sizeof(buf),
			       &n, &e) == MIKEY_E_INVAL);
	t = fx_mtk_spec(false);
	CHECK(mikey_encode_mtk(&t, fx_msk, 16, NULL, 0, buf, sizeof(buf), &n,
			       &e) == MIKEY_E_KEY);
}

/* PRF inkey lengths other than 32 work end to end (MSK is 16 bytes). */
static void test_inkey_lengths(void)
{
	struct mikey_msk_spec s = fx_msk_spec(true, false);
	uint8_t k48[48];
	struct mikey_error e;
	size_t n;

	memset(k48, 0x5c, sizeof(k48));
	CHECK(mikey_encode_msk(&s, k48, 48, buf, sizeof(buf), &n, &e) == 0);
	CHECK(mikey_decode(buf, n, &m, &e) == 0);
	CHECK(mikey_verify_decrypt(&m, k48, 48, NULL, 0, &e) == 0);
	CHECK(mikey_verify_decrypt(&m, k48, 32, NULL, 0, &e) == MIKEY_E_MAC);
	mikey_msg_clear(&m);
}

/*
 * Regression only: tests/vectors/mikey/messages.txt ("name hex" lines) is
 * OUR ENCODER's output for every fixture variant, written with
 * MIKEY_WRITE_GOLDEN=1; mikey_prf_check.py verifies and decrypts it in
 * Python.  The independent evidence is test_handbuilt() below.
 */
static void test_golden(void)
{
	static char hex[2 * MIKEY_MAX_MESSAGE_LEN + 1], line[2 * MIKEY_MAX_MESSAGE_LEN + 64];
	const char *top = getenv("MBMS_TOP"), *names[8];
	struct mikey_msk_spec s;
	struct mikey_mtk_spec t = fx_mtk_spec(false), td = fx_mtk_spec(true);
	struct mikey_pull_spec p = fx_pull_spec();
	struct mikey_error e;
	static uint8_t msgs[8][MIKEY_MAX_MESSAGE_LEN];
	size_t lens[8], i, found = 0;
	bool write = getenv("MIKEY_WRITE_GOLDEN") != NULL;
	char path[512];
	FILE *f;

	s = fx_msk_spec(false, false);
	names[0] = "msk-streaming";
	CHECK(!mikey_encode_msk(&s, fx_muk, 32, msgs[0], sizeof(msgs[0]), &lens[0], &e));
	s = fx_msk_spec(false, true);
	names[1] = "msk-streaming-v";
	CHECK(!mikey_encode_msk(&s, fx_muk, 32, msgs[1], sizeof(msgs[1]), &lens[1], &e));
	s = fx_msk_spec(true, false);
	names[2] = "msk-download";
	CHECK(!mikey_encode_msk(&s, fx_muk, 32, msgs[2], sizeof(msgs[2]), &lens[2], &e));
	s.msk = NULL;
	s.seql = 10;
	s.sequ = 5;
	names[3] = "msk-validity-update";
	CHECK(!mikey_encode_msk(&s, fx_muk, 32, msgs[3], sizeof(msgs[3]), &lens[3], &e));
	names[4] = "mtk-streaming";
	CHECK(!mikey_encode_mtk(&t, fx_msk, 16, fx_rand, 16, msgs[4], sizeof(msgs[4]),
				&lens[4], &e));
	names[5] = "mtk-download";
	CHECK(!mikey_encode_mtk(&td, fx_msk, 16, fx_rand, 16, msgs[5], sizeof(msgs[5]),
				&lens[5], &e));
	names[6] = "solicited-pull";
	CHECK(!mikey_encode_solicited_pull(&p, fx_muk, 32, msgs[6], sizeof(msgs[6]),
					   &lens[6], &e));
	names[7] = "verification";
	CHECK(!mikey_decode(msgs[1], lens[1], &m, &e));
	CHECK(!mikey_encode_verification(&m, fx_muk, 32, msgs[7], sizeof(msgs[7]),
					 &lens[7], &e));
	mikey_msg_clear(&m);

	snprintf(path, sizeof(path), "%s/tests/vectors/mikey/messages.txt",
		 top ? top : "../..");
	f = fopen(path, write ? "w" : "r");
	CHECK(f != NULL);
	if (!f)
		return;
	if (write) {
		fprintf(f, "# libmikey encoder output (regression, not independent): see handbuilt.txt\n");
		for (i = 0; i < 8; i++) {
			hex_encode(msgs[i], lens[i], hex);
			fprintf(f, "%s %s\n", names[i], hex);
		}
		fclose(f);
		printf("wrote %s\n", path);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *sp = strchr(line, ' '), *nl = strchr(line, '\n');

		if (!sp || line[0] == '#')
			continue;
		*sp = '\0';
		if (nl)
			*nl = '\0';
		for (i = 0; i < 8; i++) {
			if (strcmp(line, names[i]))
				continue;
			hex_encode(msgs[i], lens[i], hex);
			if (strcmp(sp + 1, hex))
				fprintf(stderr, "golden %s differs:\n  got  %s\n  want %s\n",
					names[i], hex, sp + 1);
			CHECK_STR(sp + 1, hex);
			found++;
		}
	}
	fclose(f);
	CHECK(found == 8);
}

/* A "msg NAME HEX" line of tests/vectors/mikey/handbuilt.txt into @out. */
static size_t handbuilt(const char *name, uint8_t *out, size_t cap)
{
	static char line[2 * MIKEY_MAX_MESSAGE_LEN + 64];
	const char *top = getenv("MBMS_TOP");
	char path[512];
	size_t n = 0, nl = strlen(name);
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/vectors/mikey/handbuilt.txt",
		 top ? top : "../..");
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *hx = line + 4 + nl + 1;

		if (strncmp(line, "msg ", 4) || strncmp(line + 4, name, nl) ||
		    line[4 + nl] != ' ')
			continue;
		hx[strcspn(hx, "\n")] = '\0';
		if (hex_decode(hx, out, cap, &n, NULL, 0))
			n = 0;
		break;
	}
	fclose(f);
	return n;
}

/*
 * The hand-built vectors (written from the spec tables by
 * tests/vectors/mikey/handbuilt.py, crypto in Python + openssl): the
 * decoder accepts them, the MACs verify with libmikey, and the encoder
 * produces them byte for byte from the same inputs.
 */
static void test_handbuilt(void)
{
	static uint8_t want[MIKEY_MAX_MESSAGE_LEN], msk[MIKEY_MAX_MESSAGE_LEN];
	struct mikey_msk_spec s = fx_msk_spec(false, true);
	struct mikey_mtk_spec t = fx_mtk_spec(false);
	struct mikey_pull_spec p = fx_pull_spec();
	struct mikey_error e;
	struct mikey_rcc rcc;
	struct mikey_sp sp;
	size_t wn, n, mn;

	wn = handbuilt("msk", want, sizeof(want));
	CHECK(wn > 0);
	CHECK(mikey_decode(want, wn, &m, &e) == 0 && m.kind == MIKEY_KIND_MSK);
	CHECK(mikey_verify_decrypt(&m, fx_muk, 32, NULL, 0, &e) == 0);
	CHECK(m.n_keys == 1 && !memcmp(m.keys[0].key, fx_msk, 16));
	CHECK(m.keys[0].seql == 0 && m.keys[0].sequ == 100);
	CHECK(mikey_encode_msk(&s, fx_muk, 32, msk, sizeof(msk), &mn, &e) == 0);
	CHECK(mn == wn && !memcmp(msk, want, wn));

	wn = handbuilt("verification", want, sizeof(want));
	CHECK(wn > 0);
	CHECK(mikey_decode(want, wn, &m2, &e) == 0 &&
	      m2.kind == MIKEY_KIND_VERIFICATION);
	CHECK(mikey_verify_verification(&m2, &m, fx_muk, 32, &e) == 0);
	CHECK(mikey_encode_verification(&m, fx_muk, 32, buf, sizeof(buf), &n,
					&e) == 0);
	CHECK(n == wn && !memcmp(buf, want, wn));

	wn = handbuilt("mtk", want, sizeof(want));
	CHECK(wn > 0);
	CHECK(mikey_decode(want, wn, &m, &e) == 0 && m.kind == MIKEY_KIND_MTK);
	CHECK(m.ext.mtk_id == 1 && m.ext.msk_id == FX_MSK_ID);
	CHECK(mikey_verify_decrypt(&m, fx_msk, 16, fx_rand, 16, &e) == 0);
	CHECK(m.n_keys == 1 && !memcmp(m.keys[0].key, fx_mtk, 16) &&
	      !memcmp(m.keys[0].salt, fx_salt, 14));
	CHECK(mikey_encode_mtk(&t, fx_msk, 16, fx_rand, 16, buf, sizeof(buf),
			       &n, &e) == 0);
	CHECK(n == wn && !memcmp(buf, want, wn));

	/* RFC 4771 in the SP: RCCm2, R = 16 (TS 33.246 §6.6.2.1) */
	wn = handbuilt("msk-rcc", want, sizeof(want));
	CHECK(wn > 0);
	CHECK(mikey_decode(want, wn, &m, &e) == 0 && m.kind == MIKEY_KIND_MSK);
	CHECK(mikey_verify_decrypt(&m, fx_muk, 32, NULL, 0, &e) == 0);
	CHECK(m.n_sp == 1 && mikey_sp_rcc(&m.sp[0], &rcc, &e) == MIKEY_OK);
	CHECK(rcc.mode == MIKEY_RCC_MODE2 && rcc.rate == 16);
	s.csb_id = 0x1a2b3c4e;
	s.counter = 102;
	s.v = false;
	mikey_sp_mbms_default(&sp, 10);
	CHECK(mikey_sp_set_rcc(&sp, &rcc) == MIKEY_OK);
	s.sp = &sp;
	CHECK(mikey_encode_msk(&s, fx_muk, 32, buf, sizeof(buf), &n, &e) == 0);
	CHECK(n == wn && !memcmp(buf, want, wn));

	wn = handbuilt("solicited-pull", want, sizeof(want));
	CHECK(wn > 0);
	CHECK(mikey_decode(want, wn, &m, &e) == 0 &&
	      m.kind == MIKEY_KIND_SOLICITED_PULL);
	CHECK(mikey_verify_decrypt(&m, fx_muk, 32, NULL, 0, &e) == 0);
	CHECK(mikey_encode_solicited_pull(&p, fx_muk, 32, buf, sizeof(buf), &n,
					  &e) == 0);
	CHECK(n == wn && !memcmp(buf, want, wn));
	mikey_msg_clear(&m);
	mikey_msg_clear(&m2);
}

int main(void)
{
	test_msk(false, false);
	test_msk(false, true);
	test_msk(true, false);
	test_msk_keyless();
	test_mtk(false);
	test_mtk(true);
	test_pull();
	test_verification();
	test_encoder_errors();
	test_inkey_lengths();
	test_golden();
	test_handbuilt();
	return test_summary("mikey_codec_test");
}
