/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A deterministic SRTP/SRTCP stream protected with libsrtp2, the reference
 * implementation: MKI = MSK ID (be32) || MTK ID (be16), the last mki_len
 * bytes of it on the wire; an optional switch from key A to key B at a
 * packet; optional tampering of chosen packets after protection.  The
 * sender and the receiver both run it, so the receiver knows the exact
 * plaintext and wire bytes of every packet.
 */
#ifndef MBMS_SRTP_STREAM_H
#define MBMS_SRTP_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rtp_pattern.h"

#define STREAM_MKI_MAX		6
#define STREAM_KEY_LEN		16
#define STREAM_SALT_LEN		14
/* The longest SRTP tag: all of HMAC-SHA1. */
#define STREAM_TAG_MAX		20
/* Plaintext plus SRTCP index, MKI and the longest tag. */
#define STREAM_WIRE_MAX		(RTP_PLAIN_MAX + 4 + STREAM_MKI_MAX + \
				 STREAM_TAG_MAX)

enum stream_suite {
	SUITE_AES_CM_128_HMAC_SHA1_80,
	SUITE_AES_CM_128_HMAC_SHA1_32,
};

enum tamper_mode {
	TAMPER_NONE,
	TAMPER_PAYLOAD,		/* flip a bit of the encrypted payload */
	TAMPER_TAG,		/* flip a bit of the authentication tag */
	TAMPER_MKI,		/* flip the top bit of the MKI */
	TAMPER_TRUNCATE,	/* cut the packet to truncate_to bytes */
	TAMPER_VERSION,		/* RTP/RTCP version 1 instead of 2 */
	TAMPER_CC,		/* CSRC count 15 (RTP only) */
	TAMPER_EXTLEN,		/* extension length 0xffff (RTP with --ext) */
	TAMPER_ROC,		/* RFC 4771: flip bit 0 of an RCC packet's ROC */
};

struct stream_key {
	uint8_t key[STREAM_KEY_LEN];
	uint8_t salt[STREAM_SALT_LEN];
	uint32_t msk_id;
	uint16_t mtk_id;
	bool have_key, have_salt, have_msk, have_mtk;
};

struct stream_cfg {
	struct rtp_pattern pat;
	uint32_t roc;			/* ROC of the first packet */
	uint64_t count;
	enum stream_suite suite;
	unsigned int mki_len;		/* 0..6 */
	struct stream_key key[2];	/* A, and B from switch_at on */
	uint64_t switch_at;
	enum tamper_mode tamper;
	uint64_t tamper_first, tamper_every;
	unsigned int truncate_to;
	unsigned int rcc_mode;		/* RFC 4771: 0 none, 1..3 RCCm1..3 */
	uint16_t rcc_rate;		/* R, with a mode */
	unsigned int tag_len;		/* SRTP tag bytes; 0: the suite's */
};

struct stream_pkt {
	uint64_t index;			/* packet number, 0..count-1 */
	const uint8_t *plain;
	size_t plain_len;
	const uint8_t *wire;
	size_t wire_len;
	bool tampered;
	unsigned int key;		/* 0 = A, 1 = B */
};

struct stream;

/* Name of a tamper mode and back; -1 if unknown. */
const char *tamper_name(enum tamper_mode m);
int tamper_parse(const char *s);

/* Whether packet @i gets the configured tampering. */
bool stream_is_tampered(const struct stream_cfg *c, uint64_t i);

/*
 * Check @c and create the libsrtp session.  Returns NULL with a message in
 * @err naming the problem.  The key bytes in @c are not kept.
 */
struct stream *stream_new(const struct stream_cfg *c, char *err, size_t errlen);

/*
 * Build the next packet; its buffers stay valid until the next call.
 * Returns 0, 1 when all @count packets were built, -1 on a libsrtp error
 * (message in @err).
 */
int stream_next(struct stream *s, struct stream_pkt *pkt,
		char *err, size_t errlen);

void stream_free(struct stream *s);

#endif /* MBMS_SRTP_STREAM_H */
