// SPDX-License-Identifier: GPL-2.0
/*
 * srtp_rcc_reframe() against RFC 4771 section 3's text, not against our
 * own output: an RCC packet (SEQ = 0 mod R) has TAG = ROC_sender ||
 * MAC_tr, MAC_tr being the default MAC (over M || ROC) truncated by 32
 * bits, i.e. its most significant n_tag - 4 bytes; RCCm3 sends the ROC
 * only; other packets keep the default tag in RCCm2 (section 3.1, "mode
 * 2") and carry none in RCCm1/RCCm3.  The MKI stays before the tag
 * (RFC 3711 section 3.1).  The "default tag" below is arbitrary bytes
 * T0..T9 standing for libsrtp2's HMAC-SHA1 truncated to n_tag.
 */
#include <stdint.h>
#include <string.h>

#include "mbms/srtp_rcc.h"
#include "test.h"

#define MKI_LEN	6
#define PL_LEN	5

/* RTP header (SEQ @seq) || payload || MKI || the default tag T0.. */
static size_t build(uint8_t *p, uint16_t seq, size_t tag_len)
{
	static const uint8_t hdr[12] = { 0x80, 0x60, 0, 0, 0, 0, 0, 1,
					 0xca, 0xfe, 0xba, 0xbe };
	static const uint8_t mki[MKI_LEN] = { 1, 2, 3, 4, 0, 7 };
	size_t i, n = 0;

	memcpy(p, hdr, sizeof(hdr));
	p[2] = seq >> 8;
	p[3] = seq & 0xff;
	n = sizeof(hdr);
	for (i = 0; i < PL_LEN; i++)
		p[n++] = 0xa0 + i;
	memcpy(p + n, mki, MKI_LEN);
	n += MKI_LEN;
	for (i = 0; i < tag_len; i++)
		p[n++] = 0xd0 + i;	/* T0, T1, ... */
	return n;
}

#define M_LEN	(12 + PL_LEN)		/* authenticated portion */
#define PFX	(M_LEN + MKI_LEN)	/* up to the tag */

static void test_rcc_packet(void)
{
	/* ROC 5 = 00 00 00 05; 80-bit tag: MAC_tr = T0..T5 */
	static const uint8_t m12[] = { 0, 0, 0, 5,
				       0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5 };
	static const uint8_t roc[] = { 0, 0, 0, 5 };
	uint8_t p[64], ref[64];
	unsigned int mode;
	size_t n;

	for (mode = 1; mode <= 2; mode++) {
		n = build(p, 32, 10);		/* 32 = 0 mod 16 */
		build(ref, 32, 10);
		CHECK(srtp_rcc_reframe(p, n, MKI_LEN, 10, mode, 16, 5) == n);
		CHECK_MEM(p, ref, PFX);	/* M and MKI unchanged */
		CHECK_MEM(p + PFX, m12, sizeof(m12));
	}
	n = build(p, 32, 10);
	CHECK(srtp_rcc_reframe(p, n, MKI_LEN, 10, 3, 16, 5) == PFX + 4);
	CHECK_MEM(p + PFX, roc, 4);
	/* 32-bit tag, mode 3: the ROC takes the tag's place */
	n = build(p, 0, 4);			/* SEQ 0 is 0 mod any R */
	CHECK(srtp_rcc_reframe(p, n, MKI_LEN, 4, 3, 7, 5) == PFX + 4);
	CHECK_MEM(p + PFX, roc, 4);
	/* R = 1: every packet; the ROC in network byte order */
	n = build(p, 12345, 10);
	CHECK(srtp_rcc_reframe(p, n, MKI_LEN, 10, 1, 1, 0x01020304) == n);
	CHECK(p[PFX] == 1 && p[PFX + 1] == 2 && p[PFX + 2] == 3 &&
	      p[PFX + 3] == 4 && p[PFX + 4] == 0xd0);
	/* SEQ 0xfff0 = 65520 = 0 mod 16, the top of the range */
	n = build(p, 0xfff0, 10);
	CHECK(srtp_rcc_reframe(p, n, MKI_LEN, 10, 2, 16, 5) == n);
	CHECK_MEM(p + PFX, m12, sizeof(m12));
}

static void test_other_packet(void)
{
	uint8_t p[64], ref[64];
	size_t n;

	/* SEQ 33 is not 0 mod 16 */
	n = build(p, 33, 10);
	build(ref, 33, 10);
	CHECK(srtp_rcc_reframe(p, n, MKI_LEN, 10, 2, 16, 5) == n);
	CHECK_MEM(p, ref, n);			/* mode 2: the default tag */
	CHECK(srtp_rcc_reframe(p, n, MKI_LEN, 10, 1, 16, 5) == PFX);
	CHECK_MEM(p, ref, PFX);			/* mode 1: no tag, MKI kept */
	CHECK(srtp_rcc_reframe(p, n, MKI_LEN, 10, 3, 16, 5) == PFX);
	n = build(p, 33, 4);
	CHECK(srtp_rcc_reframe(p, n, MKI_LEN, 4, 3, 16, 5) == PFX);
	/* no MKI */
	n = build(p, 33, 10);
	CHECK(srtp_rcc_reframe(p, n - MKI_LEN, 0, 10, 1, 16, 5) ==
	      n - MKI_LEN - 10);
}

static void test_bad_input(void)
{
	uint8_t p[64];
	size_t n = build(p, 32, 10);

	CHECK(srtp_rcc_reframe(p, n, MKI_LEN, 10, 0, 16, 5) == n);
	CHECK(srtp_rcc_reframe(p, n, MKI_LEN, 10, 4, 16, 5) == 0);
	CHECK(srtp_rcc_reframe(p, n, MKI_LEN, 10, 1, 0, 5) == 0);
	CHECK(srtp_rcc_reframe(p, n, MKI_LEN, 3, 1, 16, 5) == 0);
	CHECK(srtp_rcc_reframe(p, 12 + MKI_LEN + 9, MKI_LEN, 10, 1, 16, 5)
	      == 0);
	CHECK(srtp_rcc_reframe(p, 12 + MKI_LEN + 10, MKI_LEN, 10, 1, 16, 5)
	      == 12 + MKI_LEN + 10);
}

int main(void)
{
	test_rcc_packet();
	test_other_packet();
	test_bad_input();
	return test_summary("srtp_rcc_test");
}
