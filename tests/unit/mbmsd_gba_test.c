// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for mbmsd's GBA glue: the output parser, MRK / password
 * derivation checked against an independent HMAC-SHA-256, and running the
 * fake BSF (tests/fixtures/fake-bsf.sh) with its failure modes.
 */
#include <stdlib.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "mbms/common.h"
#include "../../userspace/mbmsd/gba.h"
#include "test.h"

#define KS "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

static void expect_bad(const char *text, const char *needle)
{
	struct gba_keys k;
	char err[200] = "";

	CHECK(gba_parse(text, strlen(text), &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, needle) != NULL);
	if (!strstr(err, needle))
		fprintf(stderr, "  wanted \"%s\", got \"%s\"\n", needle, err);
	CHECK(k.ks_naf[0] == 0 && k.btid[0] == 0);	/* wiped */
}

static void test_parse(void)
{
	static const char good[] =
		"  btid=abc@bsf.test \n\nks_naf=" KS "\r\nlifetime=3600\n"
		"naf_id=bmsc.test\nfuture_key=whatever\n";
	uint8_t msg[] = { 0x01, 'm', 'b', 'm', 's', '-', 'm', 'r', 'k', 0x00,
			  0x08 };
	uint8_t mrk[32], b64[64];
	unsigned int len = 0;
	struct gba_keys k;
	char err[200];
	int i;

	CHECK(gba_parse(good, strlen(good), &k, err, sizeof(err)) == 0);
	CHECK_STR(k.btid, "abc@bsf.test");
	CHECK_STR(k.naf_id, "bmsc.test");
	CHECK(k.lifetime_s == 3600);
	for (i = 0; i < 32; i++)
		CHECK(k.ks_naf[i] == i);
	/* MRK = HMAC-SHA-256(Ks_NAF, 0x01 || "mbms-mrk" || 0x0008). */
	HMAC(EVP_sha256(), k.ks_naf, 32, msg, sizeof(msg), mrk, &len);
	CHECK(len == 32 && !memcmp(mrk, k.mrk, 32));
	EVP_EncodeBlock(b64, mrk, 32);
	CHECK_STR(k.password, (char *)b64);
	CHECK(strlen(k.password) == 44);
	gba_keys_wipe(&k);
	CHECK(k.ks_naf[5] == 0 && k.password[0] == 0);

	expect_bad("ks_naf=" KS "\nlifetime=1\n", "no 'btid=' line");
	expect_bad("btid=a\nlifetime=1\n", "no 'ks_naf=' line");
	expect_bad("btid=a\nks_naf=" KS "\n", "no 'lifetime=' line");
	expect_bad("btid=a\nks_naf=00\nlifetime=1\n",
		   "line 2: 'ks_naf': expected 64 hex digits, got 2");
	expect_bad("btid=a\nks_naf=" KS "\nlifetime=0\n",
		   "line 3: 'lifetime': must be at least 1 second");
	expect_bad("btid=a\nks_naf=" KS "\nlifetime=999999999999\n",
		   "line 3: 'lifetime': 999999999999 is out of range");
	expect_bad("btid=a\nks_naf=" KS "\nlifetime=-5\n", "is not a number");
	expect_bad("btid=a b\n", "line 1: 'btid' must be");
	expect_bad("btid=\n", "line 1: 'btid' must be");
	expect_bad("btid=a\nbtid=b\n", "line 2: 'btid' given twice");
	expect_bad("hello\n", "line 1: expected key=value");
	{
		char nul[] = "btid=a\0b\n";

		CHECK(gba_parse(nul, sizeof(nul) - 1, &k, err, sizeof(err)) == -1);
		CHECK(strstr(err, "NUL") != NULL);
	}
	{
		static char big[GBA_OUTPUT_MAX + 2];

		memset(big, 'x', sizeof(big) - 1);
		CHECK(gba_parse(big, sizeof(big) - 1, &k, err, sizeof(err)) == -1);
		CHECK(strstr(err, "longer than") != NULL);
		/* A single long line within the limit is parsed, not overrun. */
		memcpy(big, "naf_id=", 7);
		CHECK(gba_parse(big, GBA_OUTPUT_MAX, &k, err, sizeof(err)) == -1);
		CHECK(strstr(err, "'naf_id' is too long") != NULL);
	}
}

static void test_bootstrap(void)
{
	const char *top = getenv("MBMS_TOP");
	char cmd[600], counter[] = "/tmp/mbmsd_gba_test.XXXXXX", lock[80];
	struct gba_keys k, k2;
	char err[300], text[300];
	uint8_t ks[32];
	int fd;

	fd = mkstemp(counter);
	close(fd);
	unlink(counter);
	snprintf(lock, sizeof(lock), "%s.lock", counter);
	setenv("FAKE_BSF_COUNTER", counter, 1);
	setenv("FAKE_BSF_SEED", "unit-test-seed", 1);
	snprintf(cmd, sizeof(cmd), "%s/tests/fixtures/fake-bsf.sh",
		 top ? top : "../..");

	CHECK(gba_bootstrap(cmd, 10, &k, err, sizeof(err)) == 0);
	CHECK_STR(k.btid, "fake1@bsf.test");
	CHECK(k.lifetime_s == 3600);
	/* Ks_NAF = SHA-256(seed "|" B-TID), independently. */
	snprintf(text, sizeof(text), "unit-test-seed|%s", k.btid);
	SHA256((const uint8_t *)text, strlen(text), ks);
	CHECK(!memcmp(ks, k.ks_naf, 32));
	CHECK(gba_bootstrap(cmd, 10, &k2, err, sizeof(err)) == 0);
	CHECK_STR(k2.btid, "fake2@bsf.test");
	CHECK(memcmp(k.ks_naf, k2.ks_naf, 32) != 0);

	/* Lookup mode, with an argument: the same key for the same B-TID. */
	snprintf(cmd, sizeof(cmd), "%s/tests/fixtures/fake-bsf.sh fake1@bsf.test",
		 top ? top : "../..");
	CHECK(gba_bootstrap(cmd, 10, &k2, err, sizeof(err)) == 0);
	CHECK(!memcmp(k.ks_naf, k2.ks_naf, 32));
	snprintf(cmd, sizeof(cmd), "%s/tests/fixtures/fake-bsf.sh",
		 top ? top : "../..");

	setenv("FAKE_BSF_FAIL", "1", 1);
	CHECK(gba_bootstrap(cmd, 10, &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "failed (exit status 1)") != NULL);
	unsetenv("FAKE_BSF_FAIL");

	setenv("FAKE_BSF_GARBAGE", "btid=x\nks_naf=zz", 1);
	CHECK(gba_bootstrap(cmd, 10, &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "'ks_naf'") != NULL);
	unsetenv("FAKE_BSF_GARBAGE");

	setenv("FAKE_BSF_SLEEP", "5", 1);
	CHECK(gba_bootstrap(cmd, 1, &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "did not finish within 1 s") != NULL);
	unsetenv("FAKE_BSF_SLEEP");

	CHECK(gba_bootstrap("/nonexistent/gba", 5, &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "cannot run '/nonexistent/gba'") != NULL);
	CHECK(gba_bootstrap("/usr/bin/yes", 5, &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "printed more than 4096 bytes") != NULL);
	/* No shell: metacharacters are plain arguments. */
	CHECK(gba_bootstrap("/bin/echo btid=a;ks_naf=$(id)", 5, &k, err,
			    sizeof(err)) == -1);
	CHECK(strstr(err, "no 'ks_naf=' line") != NULL);
	CHECK(gba_bootstrap("", 5, &k, err, sizeof(err)) == -1);
	unlink(counter);
	unlink(lock);
}

int main(void)
{
	test_parse();
	test_bootstrap();
	return test_summary("mbmsd_gba_test");
}
