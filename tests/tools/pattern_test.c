// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the traffic tools' packet generator: the plaintext pattern,
 * the libsrtp2 protection with MBMS MKIs (checked by decrypting with an
 * independent libsrtp receive session), key switch, ROC, tampering and
 * the content index srtp-recv classifies with.
 */
#include <stdlib.h>
#include <string.h>

#include <srtp2/srtp.h>

#include "../unit/test.h"
#include "mbms/common.h"
#include "pkt_index.h"
#include "rtp_pattern.h"
#include "srtp_stream.h"

static const uint8_t key_a[16] = "0123456789abcdef";
static const uint8_t salt_a[14] = "ABCDEFGHIJKLMN";
static const uint8_t key_b[16] = "fedcba9876543210";
static const uint8_t salt_b[14] = "NMLKJIHGFEDCBA";

static void test_pattern(void)
{
	struct rtp_pattern p = {
		.seed = 7, .ssrc = 0x11223344, .start_seq = 65535,
		.csrc_count = 3, .ext_words = 2, .padding = 5, .payload_size = 100,
	};
	uint8_t a[RTP_PLAIN_MAX], b[RTP_PLAIN_MAX];
	size_t la, lb, h = 12 + 12;

	la = rtp_pattern_build(&p, 1, a, sizeof(a));
	lb = rtp_pattern_build(&p, 1, b, sizeof(b));
	CHECK(la == 12 + 12 + 4 + 8 + 100 + 5);
	CHECK(la == lb && !memcmp(a, b, la));
	CHECK(a[0] == (0x80 | 0x20 | 0x10 | 3));
	CHECK((a[1] & 0x7f) == RTP_PT);
	CHECK(a[2] == 0 && a[3] == 0);		/* 65535 + 1 wraps */
	CHECK(a[8] == 0x11 && a[11] == 0x44);
	CHECK(a[12] == 0x11 && a[15] == 0x45);	/* first CSRC = SSRC + 1 */
	CHECK(a[h] == 0xbe && a[h + 1] == 0xde && a[h + 2] == 0 && a[h + 3] == 2);
	CHECK(a[la - 1] == 5 && a[la - 2] == 0);
	lb = rtp_pattern_build(&p, 2, b, sizeof(b));
	CHECK(la == lb && memcmp(a + 12, b + 12, la - 12));	/* per packet */
	p.seed = 8;
	lb = rtp_pattern_build(&p, 1, b, sizeof(b));
	CHECK(memcmp(a, b, la) != 0);
	CHECK(rtp_pattern_build(&p, 1, b, 20) == 0);	/* too small */
	p.csrc_count = 16;
	CHECK(rtp_pattern_build(&p, 1, b, sizeof(b)) == 0);

	memset(&p, 0, sizeof(p));
	p.rtcp = true;
	p.ssrc = 5;
	la = rtp_pattern_build(&p, 3, a, sizeof(a));
	CHECK(la == RTCP_SR_LEN);
	CHECK(a[0] == 0x80 && a[1] == RTCP_PT_SR && a[2] == 0 && a[3] == 6);
	CHECK(a[7] == 5 && a[23] == 3);		/* SSRC, packet count */
}

static void base_cfg(struct stream_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->pat.seed = 1;
	c->pat.ssrc = 0xcafe;
	c->pat.start_seq = 100;
	c->pat.payload_size = 50;
	c->count = 20;
	c->mki_len = 6;
	memcpy(c->key[0].key, key_a, 16);
	memcpy(c->key[0].salt, salt_a, 14);
	c->key[0].have_key = c->key[0].have_salt = true;
	c->key[0].msk_id = 0x01020304;
	c->key[0].mtk_id = 0x0506;
	c->tamper_every = 1;
	c->truncate_to = 8;
}

/* An independent libsrtp receive session with both keys. */
static srtp_t rx_session(const struct stream_cfg *c, uint32_t roc)
{
	uint8_t kb[2][30], mki[2][6];
	srtp_master_key_t mk[2], *mkp[2] = { &mk[0], &mk[1] };
	srtp_policy_t pol;
	srtp_t s = NULL;
	int k;

	memset(&pol, 0, sizeof(pol));
	/*
	 * SRTCP uses the 80-bit tag with either suite, but libsrtp 2.5's
	 * receiver looks for the MKI of an SRTCP packet behind the *RTP* tag
	 * length: give it the 80-bit RTP suite when checking SRTCP.
	 */
	if (c->suite == SUITE_AES_CM_128_HMAC_SHA1_32 && !c->pat.rtcp)
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&pol.rtp);
	else
		srtp_crypto_policy_set_rtp_default(&pol.rtp);
	srtp_crypto_policy_set_rtcp_default(&pol.rtcp);
	pol.ssrc.type = ssrc_specific;
	pol.ssrc.value = c->pat.ssrc;
	pol.window_size = 1024;
	for (k = 0; k < 2; k++) {
		const struct stream_key *sk = &c->key[k];

		memcpy(kb[k], k ? key_b : key_a, 16);
		memcpy(kb[k] + 16, k ? salt_b : salt_a, 14);
		mki[k][0] = sk->msk_id >> 24;
		mki[k][1] = sk->msk_id >> 16;
		mki[k][2] = sk->msk_id >> 8;
		mki[k][3] = sk->msk_id;
		mki[k][4] = sk->mtk_id >> 8;
		mki[k][5] = sk->mtk_id;
		mk[k].key = kb[k];
		mk[k].mki_id = mki[k];
		mk[k].mki_size = 6;
	}
	pol.keys = mkp;
	pol.num_master_keys = 2;
	if (srtp_create(&s, &pol))
		return NULL;
	if (roc)
		srtp_set_stream_roc(s, c->pat.ssrc, roc);
	return s;
}

static int unprotect(srtp_t rx, const struct stream_cfg *c,
		     const struct stream_pkt *p, uint8_t *out, int *len)
{
	memcpy(out, p->wire, p->wire_len);
	*len = p->wire_len;
	if (c->pat.rtcp)
		return srtp_unprotect_rtcp_mki(rx, out, len, 1);
	return srtp_unprotect_mki(rx, out, len, 1);
}

static void test_roundtrip(bool rtcp, enum stream_suite suite)
{
	struct stream_cfg c;
	struct stream_pkt p;
	struct stream *s;
	uint8_t out[STREAM_WIRE_MAX];
	unsigned int tag = rtcp || suite == SUITE_AES_CM_128_HMAC_SHA1_80 ? 10 : 4;
	char err[256];
	int len, good = 0, mki_ok = 0, n = 0;
	srtp_t rx;

	base_cfg(&c);
	c.pat.rtcp = rtcp;
	c.suite = suite;
	if (!rtcp) {
		c.pat.csrc_count = 2;
		c.pat.ext_words = 3;
		c.pat.padding = 4;
	}
	memcpy(c.key[1].key, key_b, 16);
	memcpy(c.key[1].salt, salt_b, 14);
	c.key[1].have_key = c.key[1].have_salt = true;
	c.key[1].msk_id = 0x01020304;
	c.key[1].mtk_id = 0x0507;
	c.switch_at = 10;
	s = stream_new(&c, err, sizeof(err));
	CHECK(s != NULL);
	rx = rx_session(&c, 0);
	CHECK(rx != NULL);
	if (!s || !rx)
		return;
	while (stream_next(s, &p, err, sizeof(err)) == 0) {
		const uint8_t *mki = p.wire + p.wire_len - tag - 6;

		n++;
		mki_ok += mki[0] == 1 && mki[3] == 4 && mki[4] == 5 &&
			  mki[5] == (p.index < 10 ? 6 : 7);
		{
			int st = unprotect(rx, &c, &p, out, &len);

			good += st == srtp_err_status_ok &&
				(size_t)len == p.plain_len && !memcmp(out, p.plain, len);
		}
	}
	CHECK(n == 20);
	CHECK(mki_ok == 20);
	CHECK(good == 20);
	stream_free(s);
	srtp_dealloc(rx);
}

/*
 * ROC 2 from seq 65530: the six packets before the wrap carry ROC 2, the
 * rest ROC 3.  A receiver told ROC 2 decrypts all; one told ROC 1 or 3
 * none of the first six.
 */
static int roc_good(uint32_t rx_roc)
{
	struct stream_cfg c;
	struct stream_pkt p;
	struct stream *s;
	uint8_t out[STREAM_WIRE_MAX];
	char err[256];
	int len, good = 0;
	srtp_t rx;

	base_cfg(&c);
	c.roc = 2;
	c.pat.start_seq = 65530;
	s = stream_new(&c, err, sizeof(err));
	rx = rx_session(&c, rx_roc);
	CHECK(s && rx);
	if (!s || !rx)
		return -1;
	while (stream_next(s, &p, err, sizeof(err)) == 0 && p.index < 6)
		good += unprotect(rx, &c, &p, out, &len) == srtp_err_status_ok;
	stream_free(s);
	srtp_dealloc(rx);
	return good;
}

static void test_roc(void)
{
	CHECK(roc_good(2) == 6);
	CHECK(roc_good(1) == 0);
	CHECK(roc_good(3) == 0);
}

static void test_tamper(void)
{
	static const struct {
		enum tamper_mode m;
		srtp_err_status_t want;
	} cases[] = {
		{ TAMPER_PAYLOAD, srtp_err_status_auth_fail },
		{ TAMPER_TAG, srtp_err_status_auth_fail },
		{ TAMPER_MKI, srtp_err_status_bad_mki },
	};
	struct stream_cfg c;
	struct stream_pkt p;
	struct stream *s;
	uint8_t out[STREAM_WIRE_MAX];
	char err[256];
	unsigned int k;
	int len, tampered, refused;
	srtp_t rx;

	for (k = 0; k < ARRAY_SIZE(cases); k++) {
		base_cfg(&c);
		c.tamper = cases[k].m;
		c.tamper_first = 1;
		c.tamper_every = 5;
		s = stream_new(&c, err, sizeof(err));
		rx = rx_session(&c, 0);
		CHECK(s && rx);
		if (!s || !rx)
			return;
		tampered = refused = 0;
		while (stream_next(s, &p, err, sizeof(err)) == 0) {
			int st = unprotect(rx, &c, &p, out, &len);

			tampered += p.tampered;
			if (p.tampered)
				refused += st == (int)cases[k].want;
			else
				refused += st != srtp_err_status_ok;
		}
		CHECK(tampered == 4);	/* packets 1, 6, 11, 16 */
		if (refused != 4)
			fprintf(stderr, "tamper %s: %d refused\n",
				tamper_name(cases[k].m), refused);
		CHECK(refused == 4);
		stream_free(s);
		srtp_dealloc(rx);
	}

	base_cfg(&c);
	c.tamper = TAMPER_TRUNCATE;
	s = stream_new(&c, err, sizeof(err));
	CHECK(s && stream_next(s, &p, err, sizeof(err)) == 0 && p.wire_len == 8);
	stream_free(s);

	base_cfg(&c);
	c.tamper = TAMPER_EXTLEN;	/* needs --ext */
	CHECK(stream_new(&c, err, sizeof(err)) == NULL);
	c.pat.ext_words = 1;
	s = stream_new(&c, err, sizeof(err));
	CHECK(s && stream_next(s, &p, err, sizeof(err)) == 0 &&
	      p.wire[14] == 0xff && p.wire[15] == 0xff);
	stream_free(s);

	base_cfg(&c);
	c.tamper = TAMPER_VERSION;
	s = stream_new(&c, err, sizeof(err));
	CHECK(s && stream_next(s, &p, err, sizeof(err)) == 0 && (p.wire[0] >> 6) == 1);
	stream_free(s);
}

static void test_index(void)
{
	struct pkt_index ix;
	struct stream_cfg c;
	struct stream *s;
	uint8_t buf[STREAM_WIRE_MAX];
	uint64_t i = 99;
	char err[256];
	const struct pkt_rec *r;

	base_cfg(&c);
	c.count = 1000;
	s = stream_new(&c, err, sizeof(err));
	CHECK(s && pkt_index_build(&ix, s, c.count, err, sizeof(err)) == 0);
	if (!s)
		return;
	r = &ix.rec[567];
	CHECK(pkt_index_find(&ix, ix.blob + r->plain_off, r->plain_len, &i) == PKT_PLAIN && i == 567);
	CHECK(pkt_index_find(&ix, ix.blob + r->wire_off, r->wire_len, &i) == PKT_WIRE && i == 567);
	memcpy(buf, ix.blob + r->plain_off, r->plain_len);
	buf[r->plain_len - 1] ^= 1;
	CHECK(pkt_index_find(&ix, buf, r->plain_len, &i) == PKT_NONE);
	CHECK(pkt_index_find(&ix, buf, r->plain_len - 1, &i) == PKT_NONE);
	pkt_index_free(&ix);
	stream_free(s);
}

int main(void)
{
	test_pattern();
	test_roundtrip(false, SUITE_AES_CM_128_HMAC_SHA1_80);
	test_roundtrip(false, SUITE_AES_CM_128_HMAC_SHA1_32);
	test_roundtrip(true, SUITE_AES_CM_128_HMAC_SHA1_32);
	test_roc();
	test_tamper();
	test_index();
	return test_summary("pattern_test");
}
