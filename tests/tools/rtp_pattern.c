// SPDX-License-Identifier: GPL-2.0
/* Deterministic RTP / RTCP SR plaintext: see rtp_pattern.h. */
#include <string.h>

#include "rtp_pattern.h"

uint64_t pattern_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void put_be16(uint8_t *b, uint16_t v)
{
	b[0] = v >> 8;
	b[1] = v;
}

static void put_be32(uint8_t *b, uint32_t v)
{
	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

static void fill_rand(uint64_t *state, uint8_t *b, size_t n)
{
	uint64_t r = 0;
	size_t k;

	for (k = 0; k < n; k++) {
		if (k % 8 == 0)
			r = pattern_rand(state);
		b[k] = r >> (8 * (k % 8));
	}
}

/* Per-packet generator state: independent of every other packet. */
static uint64_t packet_state(const struct rtp_pattern *p, uint64_t i)
{
	uint64_t s = p->seed ^ 0x4d424d5300000000ULL;

	s ^= pattern_rand(&s) + i * 0x2545f4914f6cdd1dULL;
	return s;
}

static size_t build_sr(const struct rtp_pattern *p, uint64_t i,
		       uint8_t *buf, size_t size)
{
	uint64_t st = p->seed;

	if (size < RTCP_SR_LEN)
		return 0;
	buf[0] = 0x80;				/* V=2, P=0, RC=0 */
	buf[1] = RTCP_PT_SR;
	put_be16(buf + 2, RTCP_SR_LEN / 4 - 1);
	put_be32(buf + 4, p->ssrc);
	/* NTP time: a seeded epoch plus one second per report. */
	put_be32(buf + 8, (uint32_t)pattern_rand(&st) + (uint32_t)i);
	put_be32(buf + 12, (uint32_t)packet_state(p, i));
	put_be32(buf + 16, (uint32_t)(i * 160));	/* RTP timestamp */
	put_be32(buf + 20, (uint32_t)i);		/* sender's packet count */
	put_be32(buf + 24, (uint32_t)(i * p->payload_size));
	return RTCP_SR_LEN;
}

size_t rtp_pattern_build(const struct rtp_pattern *p, uint64_t i,
			 uint8_t *buf, size_t size)
{
	uint64_t st = p->seed, pst;
	uint32_t ts0;
	size_t len, k;

	if (p->csrc_count > RTP_MAX_CSRC || p->ext_words > RTP_MAX_EXT_WORDS ||
	    p->payload_size > RTP_MAX_PAYLOAD || p->padding > 255)
		return 0;
	if (p->rtcp)
		return build_sr(p, i, buf, size);

	len = RTP_HDR_LEN + 4 * p->csrc_count + p->payload_size + p->padding;
	if (p->ext_words)
		len += 4 + 4 * p->ext_words;
	if (len > size)
		return 0;

	ts0 = (uint32_t)pattern_rand(&st);
	buf[0] = 0x80 | (p->padding ? 0x20 : 0) | (p->ext_words ? 0x10 : 0) |
		 p->csrc_count;
	/* A marker bit now and then, as a talk spurt would set it. */
	buf[1] = RTP_PT | (i % 50 == 0 ? 0x80 : 0);
	put_be16(buf + 2, rtp_pattern_seq(p, i));
	put_be32(buf + 4, ts0 + (uint32_t)(i * 160));
	put_be32(buf + 8, p->ssrc);
	len = RTP_HDR_LEN;
	for (k = 0; k < p->csrc_count; k++, len += 4)
		put_be32(buf + len, p->ssrc + 1 + k);

	pst = packet_state(p, i);
	if (p->ext_words) {
		put_be16(buf + len, RTP_EXT_PROFILE);
		put_be16(buf + len + 2, p->ext_words);
		fill_rand(&pst, buf + len + 4, 4 * p->ext_words);
		len += 4 + 4 * p->ext_words;
	}
	fill_rand(&pst, buf + len, p->payload_size);
	len += p->payload_size;
	if (p->padding) {
		memset(buf + len, 0, p->padding - 1);
		buf[len + p->padding - 1] = p->padding;
		len += p->padding;
	}
	return len;
}
