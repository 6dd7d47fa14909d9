// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP Digest (userspace/digest): RFC 2617 §3.5's worked example, an
 * auth-int request-digest and rspauth computed independently with
 * python3's hashlib (the inputs and the commands are in the comments),
 * and the header parser on good and malformed input.
 */
#include <string.h>

#include "mbms/digest.h"
#include "test.h"

/*
 * python3 -c 'import hashlib;h=lambda s:hashlib.md5(s.encode()).hexdigest();
 *   ...' with the inputs below: HA1 = h(user:realm:pw), body hash =
 *   h(body), HA2 = h("POST:" uri ":" bodyhash), response =
 *   h(HA1:nonce:00000001:cnonce:auth-int:HA2); rspauth as response with
 *   method "" and the response body "<r/>".
 */
#define U	"tmpi123@bsf.test"
#define REALM	"3GPP-bootstrapping@bmsc.test"
#define PW	"cGFzc3dvcmQ="
#define URI	"/keymanagement?requesttype=msk-request"
#define NONCE	"6e6f6e6365"
#define CN	"0123456789abcdef"
#define BODY	"<?xml version=\"1.0\"?><mbmsMSKRequest/>"

static void test_vectors(void)
{
	char out[DIGEST_HEX_LEN + 1], bh[DIGEST_HEX_LEN + 1];

	/* RFC 2617 §3.5 */
	CHECK(!digest_compute("Mufasa", "testrealm@host.com", "Circle Of Life",
			      "GET", "/dir/index.html",
			      "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001",
			      "0a4f113b", "auth", NULL, out));
	CHECK_STR(out, "6629fae49393a05397450978507c4ef1");

	digest_body_hash(BODY, strlen(BODY), bh);
	CHECK_STR(bh, "c815e9e5e5e46b921335ab6fdcd71dd7");
	CHECK(!digest_compute(U, REALM, PW, "POST", URI, NONCE, "00000001", CN,
			      "auth-int", bh, out));
	CHECK_STR(out, "52c5e0a4db2a2baddd841ca8bcbe7ad1");
	digest_body_hash("<r/>", 4, bh);
	CHECK(!digest_compute(U, REALM, PW, "", URI, NONCE, "00000001", CN,
			      "auth-int", bh, out));
	CHECK_STR(out, "f6e10dcb9d12c34eecd8396d24689c57");

	/* the body is covered: one byte changed, another digest */
	digest_body_hash(BODY "x", strlen(BODY) + 1, bh);
	CHECK(!digest_compute(U, REALM, PW, "POST", URI, NONCE, "00000001", CN,
			      "auth-int", bh, out));
	CHECK(strcmp(out, "52c5e0a4db2a2baddd841ca8bcbe7ad1"));

	/* RFC 2069 (no qop), MD5-sess, auth-int without a body hash */
	CHECK(digest_compute(U, REALM, PW, "POST", URI, NONCE, "1", CN, "", NULL, out));
	CHECK(digest_compute(U, REALM, PW, "POST", URI, NONCE, "1", CN, "auth-int",
			     NULL, out));

	CHECK(digest_equal("6629FAE49393A05397450978507C4EF1",
			   "6629fae49393a05397450978507c4ef1"));
	CHECK(!digest_equal("6629fae49393a05397450978507c4ef0",
			    "6629fae49393a05397450978507c4ef1"));
	CHECK(!digest_equal("6629fae4", "6629fae4"));
}

static void test_parse(void)
{
	struct digest_fields f;
	char err[128];

	CHECK(!digest_parse("Digest realm=\"" REALM "\", nonce=\"abc\", "
			    "qop=\"auth,auth-int\", opaque=\"xyz\", algorithm=MD5, "
			    "stale=FALSE, domain=\"/x\"", true, &f, err, sizeof(err)));
	CHECK_STR(f.realm, REALM);
	CHECK_STR(f.nonce, "abc");
	CHECK_STR(f.opaque, "xyz");
	CHECK_STR(f.algorithm, "MD5");
	CHECK(digest_qop_has(f.qop, "auth-int"));
	CHECK(digest_qop_has(f.qop, "auth"));
	CHECK(!digest_qop_has("auth-int", "auth"));
	CHECK(digest_qop_has(" auth , auth-int ", "auth-int"));

	CHECK(!digest_parse("rspauth=\"f6e10dcb9d12c34eecd8396d24689c57\", "
			    "qop=auth-int, nc=00000001, cnonce=\"" CN "\"",
			    false, &f, err, sizeof(err)));
	CHECK_STR(f.rspauth, "f6e10dcb9d12c34eecd8396d24689c57");
	CHECK_STR(f.qop, "auth-int");
	CHECK(!digest_parse("Digest realm=\"a\\\"b\"", true, &f, err, sizeof(err)));
	CHECK_STR(f.realm, "a\"b");

	/* malformed */
	CHECK(digest_parse("Basic realm=\"x\"", true, &f, err, sizeof(err)));
	CHECK(strstr(err, "not a Digest"));
	CHECK(digest_parse("Digest realm=\"x", true, &f, err, sizeof(err)));
	CHECK(strstr(err, "unterminated"));
	CHECK(digest_parse("Digest realm=\"x\", realm=\"y\"", true, &f, err, sizeof(err)));
	CHECK(strstr(err, "twice"));
	CHECK(digest_parse("Digest realm", true, &f, err, sizeof(err)));
	CHECK(digest_parse("Digest =x", true, &f, err, sizeof(err)));
	CHECK(digest_parse("Digest realm=x nonce=y", true, &f, err, sizeof(err)));
	CHECK(digest_parse("Digest nonce=\"\"", true, &f, err, sizeof(err)));
	{
		char big[DIGEST_HEADER_MAX + 16];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		memcpy(big, "Digest nonce=\"", 14);
		CHECK(digest_parse(big, true, &f, err, sizeof(err)));
		big[DIGEST_FIELD_MAX + 40] = '\0';
		CHECK(digest_parse(big, true, &f, err, sizeof(err)));
		CHECK(strstr(err, "too long"));
	}
}

int main(void)
{
	test_vectors();
	test_parse();
	return test_summary("digest_test");
}
