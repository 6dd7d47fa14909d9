/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deterministic plaintext RTP and RTCP sender-report packets for the
 * traffic tools: packet i of a stream depends only on the parameters and
 * i, so the receiver regenerates exactly what the sender protected.
 */
#ifndef MBMS_RTP_PATTERN_H
#define MBMS_RTP_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTP_HDR_LEN		12
#define RTP_MAX_CSRC		15
#define RTP_MAX_EXT_WORDS	255
#define RTP_MAX_PAYLOAD		8192	/* > MTU: fragmented datagrams */
#define RTP_EXT_PROFILE		0xBEDE	/* RFC 8285 one-byte header form */
#define RTP_PT			96
#define RTCP_PT_SR		200
#define RTCP_SR_LEN		28
/* Worst case plaintext: header, 15 CSRCs, extension, payload, padding. */
#define RTP_PLAIN_MAX		(RTP_HDR_LEN + 4 * RTP_MAX_CSRC + 4 + \
				 4 * RTP_MAX_EXT_WORDS + RTP_MAX_PAYLOAD + 255)

struct rtp_pattern {
	uint64_t seed;
	uint32_t ssrc;
	uint16_t start_seq;
	unsigned int csrc_count;	/* 0..15 */
	unsigned int ext_words;		/* 0: no extension header */
	unsigned int padding;		/* pad bytes incl. count; 0: none */
	unsigned int payload_size;	/* 0..RTP_MAX_PAYLOAD */
	bool rtcp;			/* sender reports instead of RTP */
};

/* The RTP sequence number of packet @i. */
static inline uint16_t rtp_pattern_seq(const struct rtp_pattern *p, uint64_t i)
{
	return (uint16_t)(p->start_seq + i);
}

/*
 * Write plaintext packet @i (RTP, or an RTCP SR with --rtcp) into @buf of
 * @size bytes.  Returns its length, or 0 if @size is too small or a
 * parameter is out of range.
 */
size_t rtp_pattern_build(const struct rtp_pattern *p, uint64_t i,
			 uint8_t *buf, size_t size);

/* The next value of a splitmix64 generator whose state is *@state. */
uint64_t pattern_rand(uint64_t *state);

#endif /* MBMS_RTP_PATTERN_H */
