// SPDX-License-Identifier: GPL-2.0
/*
 * bmsc-sim: GBA key intake and the HTTP Digest configuration derived from
 * it (realm, password = base64(MRK)), the UE registry, strict base64.
 * The expected MRKs were computed independently with Python's hmac module:
 * HMAC-SHA-256(Ks_NAF, 0x01 || "mbms-mrk" || 0x0008).
 */
#include <stdlib.h>

#include "mbms/common.h"
#include "test.h"
#include "ue.h"

#define KS_11 "1111111111111111111111111111111111111111111111111111111111111111"
#define KS_SEQ "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

static void test_parse_ok(void)
{
	const char *out = "# fake BSF\r\nbtid=tid1@bsf.example.org\r\n"
			  "ks_naf=" KS_11 "\r\nlifetime=60\r\n"
			  "naf_id=bmsc.example.org\r\nextra=ignored\r\n";
	uint8_t mrk[32];
	struct gba_key k;
	char err[256];
	size_t n;

	CHECK(gba_parse(out, strlen(out), 3600, 1000, &k, err, sizeof(err)) == 0);
	CHECK_STR(k.btid, "tid1@bsf.example.org");
	CHECK_STR(k.naf_id, "bmsc.example.org");
	CHECK(k.lifetime_s == 60);
	CHECK(k.expires_ms == 61000);
	CHECK(!gba_key_expired(&k, 60999));
	CHECK(gba_key_expired(&k, 61000));
	CHECK(hex_decode("213d21cb34a8d2c0a5f6f8bb57e9dca8977bed0851266f0b73575e440440bad2",
			 mrk, sizeof(mrk), &n, err, sizeof(err)) == 0);
	CHECK_MEM(k.mrk, mrk, 32);
	CHECK_STR(k.mrk_b64, "IT0hyzSo0sCl9vi7V+ncqJd77QhRJm8Lc1deRARAutI=");
	gba_key_clear(&k);
	CHECK(k.btid[0] == 0 && k.mrk[0] == 0);

	/* No lifetime: the default; no trailing newline. */
	out = "btid=B\nks_naf=" KS_SEQ;
	CHECK(gba_parse(out, strlen(out), 77, 0, &k, err, sizeof(err)) == 0);
	CHECK(k.lifetime_s == 77);
	CHECK_STR(k.mrk_b64, "lkBJafUCRAMF99pUxY1RNFLhEdj9rFMer0QDrHgNtJU=");
	gba_key_clear(&k);
}

static void expect_parse_err(const char *out, size_t len, const char *msg)
{
	struct gba_key k;
	char err[256] = "";

	CHECK(gba_parse(out, len, 3600, 0, &k, err, sizeof(err)) == -1);
	if (msg && !strstr(err, msg)) {
		test_failed++;
		fprintf(stderr, "gba_parse error '%s' lacks '%s'\n", err, msg);
	}
	CHECK(!k.used && !k.ks_naf[0]);
}

#define expect_parse_err_s(out, msg) expect_parse_err(out, strlen(out), msg)

static void test_parse_bad(void)
{
	static char big[GBA_MAX_OUTPUT + 2];
	const char nul[] = "btid=a\0b\nks_naf=" KS_11 "\n";

	expect_parse_err_s("ks_naf=" KS_11 "\n", "btid=");
	expect_parse_err_s("btid=x\n", "ks_naf=");
	expect_parse_err_s("btid=x\nks_naf=1111\n", "expected 64 hex digits");
	expect_parse_err_s("btid=x\nks_naf=" KS_11 "1\n", "ks_naf");
	expect_parse_err_s("btid=x\nks_naf=zz" KS_11 "\n", "ks_naf");
	expect_parse_err_s("btid=x\nks_naf=" KS_11 "\nks_naf=zz"
			   "11111111111111111111111111111111111111111111111111111111111111\n",
			   "bad hex digit");
	expect_parse_err_s("btid=a b\nks_naf=" KS_11 "\n", "btid");
	expect_parse_err_s("btid=a\"b\nks_naf=" KS_11 "\n", "btid");
	expect_parse_err_s("btid=\nks_naf=" KS_11 "\n", "btid");
	expect_parse_err_s("btid=x\nks_naf=" KS_11 "\nlifetime=-1\n", "lifetime");
	expect_parse_err_s("btid=x\nks_naf=" KS_11 "\nlifetime=999999999999\n",
			   "out of range");
	expect_parse_err(nul, sizeof(nul) - 1, "NUL");
	memset(big, 'a', sizeof(big));
	expect_parse_err(big, sizeof(big), "longer than");
	/* A B-TID of 256 characters is one too many. */
	{
		char line[400];

		memset(line, 'b', sizeof(line));
		memcpy(line, "btid=", 5);
		line[5 + 256] = '\n';
		expect_parse_err(line, 5 + 257, "btid");
	}
}

static void test_run(void)
{
	struct gba_key k;
	char err[256];

	/* The B-TID arrives as "$@" after the command. */
	CHECK(gba_run("f() { printf 'btid=%s\\nks_naf=" KS_11 "\\nlifetime=5\\n' \"$1\"; }; f",
		      "tid9@bsf", 0, &k, err, sizeof(err)) == 0);
	CHECK_STR(k.btid, "tid9@bsf");
	CHECK(k.lifetime_s == 5);
	gba_key_clear(&k);
	CHECK(gba_run("echo btid=x; exit 3", NULL, 0, &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "exit status 3") != NULL);
	CHECK(gba_run("head -c 10000 /dev/zero | tr '\\0' a", NULL, 0, &k, err,
		      sizeof(err)) == -1);
	CHECK(strstr(err, "more than") != NULL);
	CHECK(gba_run("true", NULL, 0, &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "lacks btid=") != NULL);
}

static void test_digest_config(void)
{
	char realm[64], longest[GBA_MAX_BTID + 2];

	CHECK(digest_realm("bmsc.example.org", realm, sizeof(realm)) == 0);
	CHECK_STR(realm, "3GPP-bootstrapping@bmsc.example.org");
	/* Digest usernames are checked as B-TIDs before any lookup. */
	CHECK(gba_btid_ok("tid1@bsf.example.org"));
	CHECK(!gba_btid_ok(""));
	CHECK(!gba_btid_ok("a\nks_naf=00"));
	CHECK(!gba_btid_ok("a b"));
	CHECK(!gba_btid_ok("a\"b"));
	CHECK(!gba_btid_ok("a\\b"));
	CHECK(!gba_btid_ok("caf\xc3\xa9"));
	memset(longest, 'x', sizeof(longest));
	longest[GBA_MAX_BTID] = '\0';
	CHECK(gba_btid_ok(longest));
	longest[GBA_MAX_BTID] = 'x';
	longest[GBA_MAX_BTID + 1] = '\0';
	CHECK(!gba_btid_ok(longest));
	CHECK(digest_realm("a-very-long-name.example.org.example.org.example.org",
			   realm, 40) == -1);
}

static void test_b64(void)
{
	uint8_t b[4];
	char s[16];

	CHECK(b64_decode_exact("AAEAAQ==", 8, b, 4) == 0);
	CHECK(b[0] == 0 && b[1] == 1 && b[2] == 0 && b[3] == 1);
	CHECK(b64_decode_exact("\n  AAEAAQ==\t\n", 13, b, 4) == 0);
	CHECK(b64_decode_exact("APEQ", 4, b, 3) == 0);
	CHECK(b[0] == 0x00 && b[1] == 0xf1 && b[2] == 0x10);
	CHECK(b64_decode_exact("AAEAAQ=", 7, b, 4) == -1);	/* length */
	CHECK(b64_decode_exact("AAEAAQ==", 8, b, 3) == -1);	/* 4 != 3 */
	CHECK(b64_decode_exact("AAEAAQ==", 8, b, 2) == -1);
	CHECK(b64_decode_exact("AA=AAQ==", 8, b, 4) == -1);	/* inner pad */
	CHECK(b64_decode_exact("AAEA AQ=", 8, b, 4) == -1);	/* inner space */
	CHECK(b64_decode_exact("AAE*AQ==", 8, b, 4) == -1);
	CHECK(b64_decode_exact("", 0, b, 4) == -1);
	CHECK(b64_decode_exact("====", 4, b, 1) == -1);
	CHECK(b64_encode((const uint8_t *)"\x00\x01\x00\x01", 4, s,
			 sizeof(s)) == 0);
	CHECK_STR(s, "AAEAAQ==");
	CHECK(b64_encode((const uint8_t *)"abc", 3, s, 4) == -1);
}

static void test_registry(void)
{
	struct ue_registry *r = calloc(1, sizeof(*r));
	const char *out = "btid=T1\nks_naf=" KS_11 "\nlifetime=10\n";
	struct gba_key k;
	struct ue *ue, *u2;
	char err[256];
	int slot, i;

	ue_registry_init(r);
	ue = ue_add(r, "10.0.0.2", err, sizeof(err));
	CHECK(ue && ntohs(ue->addr.sin_port) == 2269);
	CHECK_STR(ue ? ue->name : NULL, "10.0.0.2:2269");
	CHECK(ue && ue->muk == -1 && !ue_muk(ue));
	CHECK(ue_add(r, "10.0.0.2:7", err, sizeof(err)) == NULL);
	CHECK(strstr(err, "twice") != NULL);
	CHECK(ue_add(r, "10.0.0.300", err, sizeof(err)) == NULL);
	CHECK(ue_add(r, "10.0.0.3:0", err, sizeof(err)) == NULL);
	CHECK(ue_add(r, "10.0.0.3:65536", err, sizeof(err)) == NULL);
	u2 = ue_add(r, "10.0.0.3:4000", err, sizeof(err));
	CHECK(u2 && ntohs(u2->addr.sin_port) == 4000);
	if (!ue || !u2)
		goto out;

	CHECK(gba_parse(out, strlen(out), 1, 100, &k, err, sizeof(err)) == 0);
	slot = ue_store_key(ue, &k);
	CHECK(k.btid[0] == 0);	/* moved and wiped */
	ue->muk = slot;
	CHECK(ue_muk(ue) && !strcmp(ue_muk(ue)->btid, "T1"));
	CHECK(ue_find_btid(r, "T1", &i) == ue && i == slot);
	CHECK(ue_find_btid(r, "T2", &i) == NULL);
	CHECK(ue_find_addr(r, &u2->addr.sin_addr) == u2);

	/* Fill beyond UE_MAX_KEYS: the negotiated MUK is never evicted. */
	for (i = 0; i < UE_MAX_KEYS + 2; i++) {
		char text[200];

		snprintf(text, sizeof(text), "btid=N%d\nks_naf=" KS_SEQ "\n", i);
		CHECK(gba_parse(text, strlen(text), 1, 200 + (uint64_t)i, &k,
				err, sizeof(err)) == 0);
		ue_store_key(ue, &k);
	}
	CHECK(ue_find_btid(r, "T1", &i) == ue && i == ue->muk);
	CHECK(ue_find_btid(r, "N0", &i) == NULL);
	CHECK(ue_find_btid(r, "N5", &i) == ue);
out:
	ue_registry_clear(r);
	free(r);
}

int main(void)
{
	test_parse_ok();
	test_parse_bad();
	test_run();
	test_digest_config();
	test_b64();
	test_registry();
	return test_summary("bmscsim_gba_test");
}
