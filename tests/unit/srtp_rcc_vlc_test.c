// SPDX-License-Identifier: GPL-2.0
/*
 * srtp_rcc_reframe() against VLC: every packet of
 * tests/vectors/rcc-vlc.txt (written by VLC's SRTP code, see
 * tests/vectors/rcc-vlc.sh) is protected here with libsrtp2's default
 * transform at the vector's ROC, reframed into its RFC 4771 form, and must
 * come out byte for byte as VLC sent it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <srtp2/srtp.h>

#include "mbms/common.h"
#include "mbms/srtp_rcc.h"
#include "test.h"

#define PKT_MAX 512

struct rcc_case {
	unsigned int mode, tag_bits, rate;
	uint8_t mki[8];
	size_t mki_len;
	srtp_t srtp;
	unsigned int line;
};

static const uint8_t key_salt[30] = {
	/* master key e1f97a0d3e018be0d64fa32c06de4139 (rcc-vlc.sh KEY) */
	0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0,
	0xd6, 0x4f, 0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39,
	/* master salt 0ec675ad498afeebb6960b3aabe6 (rcc-vlc.sh SALT) */
	0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe, 0xeb,
	0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6,
};

static unsigned int seen[4][2];	/* [mode][tag 80?] packets checked */
static unsigned int seen_nomki[4][2];	/* the same, without MKI */
static unsigned int rcc_pkts;
/* [mode] packets checked with TS 33.246 §6.6.2.1 NOTE 3's 14-byte tag */
static unsigned int seen112[3];

static size_t tag_len(const struct rcc_case *c)
{
	return c->tag_bits / 8;
}

/* The libsrtp2 sender of a case, its ROC set for the first packet. */
static int case_start(struct rcc_case *c, uint32_t ssrc, uint32_t roc)
{
	srtp_master_key_t mk = {
		.key = (uint8_t *)key_salt, .mki_id = c->mki, .mki_size = c->mki_len,
	};
	srtp_master_key_t *mkp = &mk;
	srtp_policy_t pol;

	memset(&pol, 0, sizeof(pol));
	if (c->tag_bits == 32)
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&pol.rtp);
	else
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtp);
	if (c->tag_bits == 112)
		pol.rtp.auth_tag_len = 14;	/* HMAC-SHA1 truncated */
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtcp);
	pol.ssrc.type = ssrc_specific;
	pol.ssrc.value = ssrc;
	pol.window_size = 1024;
	pol.allow_repeat_tx = 1;	/* RCC packets are protected twice */
	if (c->mki_len) {
		pol.keys = &mkp;
		pol.num_master_keys = 1;
	} else {
		pol.key = (uint8_t *)key_salt;
	}
	if (srtp_create(&c->srtp, &pol))
		return -1;
	if (roc && srtp_set_stream_roc(c->srtp, ssrc, roc))
		return -1;
	return 0;
}

static void case_end(struct rcc_case *c)
{
	if (c->srtp)
		srtp_dealloc(c->srtp);
	c->srtp = NULL;
}

static void check_pkt(struct rcc_case *c, unsigned int seq, uint32_t roc,
		      const char *plain_hex, const char *wire_hex)
{
	uint8_t plain[PKT_MAX], wire[PKT_MAX], buf[PKT_MAX];
	size_t plen, wlen, n;
	uint32_t ssrc;
	int len;

	if (hex_decode(plain_hex, plain, sizeof(plain) - 32, &plen, NULL, 0) ||
	    hex_decode(wire_hex, wire, sizeof(wire), &wlen, NULL, 0) || plen < 12) {
		fprintf(stderr, "rcc-vlc.txt:%u: bad hex\n", c->line);
		CHECK(0);
		return;
	}
	ssrc = (uint32_t)plain[8] << 24 | plain[9] << 16 | plain[10] << 8 | plain[11];
	if (!c->srtp && case_start(c, ssrc, roc)) {
		fprintf(stderr, "rcc-vlc.txt:%u: libsrtp2 set-up failed\n", c->line);
		CHECK(0);
		return;
	}
	memcpy(buf, plain, plen);
	len = plen;
	CHECK(srtp_protect_mki(c->srtp, buf, &len, c->mki_len > 0, 0) == srtp_err_status_ok);
	CHECK((size_t)len == plen + c->mki_len + tag_len(c));
	n = srtp_rcc_reframe(buf, len, c->mki_len, tag_len(c), c->mode,
			     c->rate, roc);
	if (n != wlen || memcmp(buf, wire, wlen)) {
		fprintf(stderr, "rcc-vlc.txt:%u: mode %u tag %u R %u SEQ %u ROC %u: reframed packet differs from VLC's\n",
			c->line, c->mode, c->tag_bits, c->rate, seq, roc);
		CHECK(0);
		return;
	}
	CHECK(1);
	if (c->tag_bits == 112 && c->mode < 3) {
		seen112[c->mode]++;
	} else {
		seen[c->mode][c->tag_bits == 80]++;
		if (!c->mki_len)
			seen_nomki[c->mode][c->tag_bits == 80]++;
	}
	if (seq % c->rate)
		return;
	/*
	 * An RCC packet carries the ROC it is given: the same packet
	 * reframed with another ROC must not match VLC's.
	 */
	rcc_pkts++;
	memcpy(buf, plain, plen);
	len = plen;
	CHECK(srtp_protect_mki(c->srtp, buf, &len, c->mki_len > 0, 0) == srtp_err_status_ok);
	n = srtp_rcc_reframe(buf, len, c->mki_len, tag_len(c), c->mode,
			     c->rate, roc ^ 1);
	CHECK(n == wlen && memcmp(buf, wire, wlen) != 0);
}

static void run_file(const char *path)
{
	struct rcc_case c = { 0 };
	char *line = NULL, a[PKT_MAX * 2 + 1], b[PKT_MAX * 2 + 1], mki[32];
	size_t cap = 0;
	unsigned int lineno = 0, seq, roc;
	FILE *f = fopen(path, "r");

	CHECK(f != NULL);
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return;
	}
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		if (!strncmp(line, "case ", 5)) {
			case_end(&c);
			memset(&c, 0, sizeof(c));
			c.line = lineno;
			CHECK(sscanf(line, "case %u %u %u %31s", &c.mode, &c.tag_bits,
				     &c.rate, mki) == 4);
			CHECK(c.mode >= 1 && c.mode <= 3 && c.rate > 0 &&
			      (c.tag_bits == 80 || c.tag_bits == 32 ||
			       (c.tag_bits == 112 && c.mode < 3)));
			if (strcmp(mki, "-"))
				CHECK(!hex_decode(mki, c.mki, sizeof(c.mki), &c.mki_len,
						  NULL, 0));
		} else if (!strncmp(line, "pkt ", 4)) {
			c.line = lineno;
			if (sscanf(line, "pkt %u %u %1024s %1024s", &seq, &roc, a, b) != 4 ||
			    c.mode < 1 || c.mode > 3 || !c.rate) {
				fprintf(stderr, "%s:%u: bad line\n", path, lineno);
				CHECK(0);
				continue;
			}
			check_pkt(&c, seq, roc, a, b);
		}
	}
	case_end(&c);
	free(line);
	fclose(f);
}

int main(void)
{
	const char *top = getenv("MBMS_TOP");
	char path[4096];
	unsigned int m;

	CHECK(srtp_init() == srtp_err_status_ok);
	snprintf(path, sizeof(path), "%s/tests/vectors/rcc-vlc.txt", top ? top : "../..");
	run_file(path);
	/*
	 * A short or truncated file must not pass: every mode, both tags,
	 * with and without MKI (the 4-byte tag's RCC packets in modes 1
	 * and 2 end in the ROC and a 0-byte MAC: nothing else after it).
	 */
	for (m = 1; m <= 3; m++) {
		CHECK(seen[m][0] >= 30);
		CHECK(seen[m][1] >= 30);
		CHECK(seen_nomki[m][0] >= 10);
	}
	CHECK(rcc_pkts >= 60);
	CHECK(seen112[1] >= 20 && seen112[2] >= 20);
	srtp_shutdown();
	return test_summary("srtp_rcc_vlc_test");
}
