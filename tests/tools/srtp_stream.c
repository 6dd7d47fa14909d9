// SPDX-License-Identifier: GPL-2.0
/* libsrtp2-protected deterministic streams: see srtp_stream.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <srtp2/srtp.h>

#include "mbms/common.h"
#include "mbms/srtp_rcc.h"
#include "srtp_stream.h"

struct stream {
	struct stream_cfg cfg;
	srtp_t srtp;
	uint64_t next;
	unsigned int nkeys;
	uint8_t mki[2][STREAM_MKI_MAX];
	uint8_t plain[RTP_PLAIN_MAX];
	uint8_t wire[STREAM_WIRE_MAX];
};

static const char *const tamper_names[] = {
	[TAMPER_NONE] = "none",
	[TAMPER_PAYLOAD] = "payload",
	[TAMPER_TAG] = "tag",
	[TAMPER_MKI] = "mki",
	[TAMPER_TRUNCATE] = "truncate",
	[TAMPER_VERSION] = "version",
	[TAMPER_CC] = "cc",
	[TAMPER_EXTLEN] = "extlen",
	[TAMPER_ROC] = "roc",
};

const char *tamper_name(enum tamper_mode m)
{
	return (unsigned int)m < ARRAY_SIZE(tamper_names) ? tamper_names[m] : "?";
}

int tamper_parse(const char *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tamper_names); i++)
		if (!strcmp(s, tamper_names[i]))
			return i;
	return -1;
}

bool stream_is_tampered(const struct stream_cfg *c, uint64_t i)
{
	if (c->tamper == TAMPER_NONE || i < c->tamper_first)
		return false;
	return (i - c->tamper_first) % (c->tamper_every ? c->tamper_every : 1) == 0;
}

static unsigned int srtp_tag_len(const struct stream_cfg *c)
{
	if (c->pat.rtcp)
		return 10;	/* SRTCP keeps the 80-bit tag with either suite */
	if (c->tag_len)
		return c->tag_len;
	return c->suite == SUITE_AES_CM_128_HMAC_SHA1_32 ? 4 : 10;
}

static int check_cfg(const struct stream_cfg *c, char *err, size_t errlen)
{
	const struct rtp_pattern *p = &c->pat;
	unsigned int k;

	for (k = 0; k < 2; k++) {
		const struct stream_key *key = &c->key[k];
		bool any = key->have_key || key->have_salt;

		if (k == 0 && (!key->have_key || !key->have_salt)) {
			snprintf(err, errlen, "--key and --salt are required");
			return -1;
		}
		if (k == 1 && any && (!key->have_key || !key->have_salt)) {
			snprintf(err, errlen, "key B needs both --key2 and --salt2");
			return -1;
		}
	}
	if (c->key[1].have_key && c->mki_len == 0) {
		snprintf(err, errlen, "a key switch (--key2) needs --mki-len 1..6");
		return -1;
	}
	if (c->mki_len > STREAM_MKI_MAX) {
		snprintf(err, errlen, "--mki-len %u: at most %d", c->mki_len,
			 STREAM_MKI_MAX);
		return -1;
	}
	if (!c->rcc_mode != !c->rcc_rate) {
		snprintf(err, errlen, "--rcc-mode and --rcc-rate go together");
		return -1;
	}
	if (c->rcc_mode && p->rtcp) {
		snprintf(err, errlen, "--rcc-mode is for SRTP only (RFC 4771)");
		return -1;
	}
	if (c->tamper == TAMPER_ROC && !c->rcc_mode) {
		snprintf(err, errlen, "--tamper roc needs --rcc-mode");
		return -1;
	}
	if (p->rtcp && (p->csrc_count || p->ext_words || p->padding)) {
		snprintf(err, errlen, "--rtcp sends plain sender reports: no --csrc, --ext or --padding");
		return -1;
	}
	switch (c->tamper) {
	case TAMPER_PAYLOAD:
		if (!p->rtcp && !p->payload_size && !p->padding) {
			snprintf(err, errlen, "--tamper payload needs a payload");
			return -1;
		}
		break;
	case TAMPER_MKI:
		if (!c->mki_len) {
			snprintf(err, errlen, "--tamper mki needs --mki-len 1..6");
			return -1;
		}
		break;
	case TAMPER_CC:
		if (p->rtcp) {
			snprintf(err, errlen, "--tamper cc is for RTP only");
			return -1;
		}
		break;
	case TAMPER_EXTLEN:
		if (p->rtcp || !p->ext_words) {
			snprintf(err, errlen, "--tamper extlen needs RTP with --ext N");
			return -1;
		}
		break;
	default:
		break;
	}
	return 0;
}

static void make_mki(const struct stream_key *k, unsigned int mki_len,
		     uint8_t *out)
{
	uint8_t full[STREAM_MKI_MAX] = {
		k->msk_id >> 24, k->msk_id >> 16, k->msk_id >> 8, k->msk_id,
		k->mtk_id >> 8, k->mtk_id,
	};

	memcpy(out, full + STREAM_MKI_MAX - mki_len, mki_len);
}

static int protect(struct stream *s, uint8_t *buf, int *len, unsigned int key)
{
	unsigned int use_mki = s->cfg.mki_len > 0;

	if (s->cfg.pat.rtcp)
		return srtp_protect_rtcp_mki(s->srtp, buf, len, use_mki, key);
	return srtp_protect_mki(s->srtp, buf, len, use_mki, key);
}

/*
 * The ROC of the first packet.  libsrtp 2.5 applies it to the first packet
 * whatever its sequence number (pattern_test checks that a receiver at
 * that ROC decrypts a stream starting just below the wrap).
 */
static int set_roc(struct stream *s, char *err, size_t errlen)
{
	srtp_err_status_t st;

	if (s->cfg.pat.rtcp || s->cfg.roc == 0)
		return 0;
	st = srtp_set_stream_roc(s->srtp, s->cfg.pat.ssrc, s->cfg.roc);
	if (st) {
		snprintf(err, errlen, "libsrtp: cannot set ROC %u (error %d)",
			 s->cfg.roc, st);
		return -1;
	}
	return 0;
}

struct stream *stream_new(const struct stream_cfg *c, char *err, size_t errlen)
{
	static bool srtp_ready;
	uint8_t keybuf[2][STREAM_KEY_LEN + STREAM_SALT_LEN];
	srtp_master_key_t mk[2], *mkp[2] = { &mk[0], &mk[1] };
	srtp_policy_t pol;
	struct stream *s;
	srtp_err_status_t st;
	unsigned int k;

	if (check_cfg(c, err, errlen))
		return NULL;
	if (!srtp_ready) {
		st = srtp_init();
		if (st) {
			snprintf(err, errlen, "libsrtp: srtp_init failed (error %d)", st);
			return NULL;
		}
		srtp_ready = true;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->cfg = *c;
	/* Key bytes live in libsrtp from here on; keep no copy of them. */
	secure_zero(s->cfg.key, sizeof(s->cfg.key));
	s->nkeys = c->key[1].have_key ? 2 : 1;

	memset(&pol, 0, sizeof(pol));
	if (c->suite == SUITE_AES_CM_128_HMAC_SHA1_32)
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&pol.rtp);
	else
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtp);
	if (c->tag_len)
		pol.rtp.auth_tag_len = (int)c->tag_len;
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtcp);
	pol.ssrc.type = ssrc_specific;
	pol.ssrc.value = c->pat.ssrc;
	pol.window_size = 1024;
	for (k = 0; k < s->nkeys; k++) {
		memcpy(keybuf[k], c->key[k].key, STREAM_KEY_LEN);
		memcpy(keybuf[k] + STREAM_KEY_LEN, c->key[k].salt, STREAM_SALT_LEN);
		make_mki(&c->key[k], c->mki_len, s->mki[k]);
		mk[k].key = keybuf[k];
		mk[k].mki_id = s->mki[k];
		mk[k].mki_size = c->mki_len;
	}
	if (c->mki_len) {
		pol.keys = mkp;
		pol.num_master_keys = s->nkeys;
	} else {
		pol.key = keybuf[0];
	}
	st = srtp_create(&s->srtp, &pol);
	secure_zero(keybuf, sizeof(keybuf));
	if (st) {
		snprintf(err, errlen, "libsrtp: srtp_create failed (error %d)", st);
		free(s);
		return NULL;
	}
	if (set_roc(s, err, errlen)) {
		stream_free(s);
		return NULL;
	}
	return s;
}

static size_t rtp_header_len(const uint8_t *p, size_t len)
{
	size_t h = RTP_HDR_LEN + 4 * (p[0] & 0x0f);

	if ((p[0] & 0x10) && h + 4 <= len)
		h += 4 + 4 * (((size_t)p[h + 2] << 8) | p[h + 3]);
	return h;
}

/* RFC 4771 section 3: is this an RCC packet (SEQ = 0 mod R)? */
static bool rcc_packet(const struct stream_cfg *c, const uint8_t *w)
{
	return c->rcc_mode && ((w[2] << 8) | w[3]) % c->rcc_rate == 0;
}

/*
 * The RFC 4771 form of a packet libsrtp protected, with the ROC libsrtp
 * used for it (the stream's, right after protecting it in order).
 */
static int rcc_reframe(struct stream *s, size_t *n, char *err, size_t errlen)
{
	const struct stream_cfg *c = &s->cfg;
	srtp_err_status_t st;
	uint32_t roc;

	if (!c->rcc_mode)
		return 0;
	st = srtp_get_stream_roc(s->srtp, c->pat.ssrc, &roc);
	if (st) {
		snprintf(err, errlen, "libsrtp: cannot read the ROC (error %d)", st);
		return -1;
	}
	*n = srtp_rcc_reframe(s->wire, *n, c->mki_len, srtp_tag_len(c),
			      c->rcc_mode, c->rcc_rate, roc);
	if (!*n) {
		snprintf(err, errlen, "cannot reframe for RFC 4771");
		return -1;
	}
	return 0;
}

static void tamper(const struct stream_cfg *c, uint8_t *w, size_t *len)
{
	unsigned int tag = srtp_tag_len(c);
	size_t h;

	switch (c->tamper) {
	case TAMPER_ROC:
		/* the ROC leads the tag: 4 bytes in mode 3, the tag's length else */
		if (rcc_packet(c, w))
			w[*len - (c->rcc_mode == 3 ? 4 : tag) + 3] ^= 0x01;
		break;
	case TAMPER_PAYLOAD:
		h = c->pat.rtcp ? 8 : rtp_header_len(w, *len);
		w[h] ^= 0x01;
		break;
	case TAMPER_TAG:
		w[*len - 1] ^= 0x01;
		break;
	case TAMPER_MKI:
		w[*len - tag - c->mki_len] ^= 0x80;
		break;
	case TAMPER_TRUNCATE:
		if (c->truncate_to < *len)
			*len = c->truncate_to;
		break;
	case TAMPER_VERSION:
		w[0] = (w[0] & 0x3f) | 0x40;
		break;
	case TAMPER_CC:
		w[0] |= 0x0f;
		break;
	case TAMPER_EXTLEN:
		h = RTP_HDR_LEN + 4 * (w[0] & 0x0f);
		w[h + 2] = 0xff;
		w[h + 3] = 0xff;
		break;
	case TAMPER_NONE:
		break;
	}
}

int stream_next(struct stream *s, struct stream_pkt *pkt,
		char *err, size_t errlen)
{
	const struct stream_cfg *c = &s->cfg;
	uint64_t i = s->next;
	srtp_err_status_t st;
	size_t n;
	int len;

	if (i >= c->count)
		return 1;
	n = rtp_pattern_build(&c->pat, i, s->plain, sizeof(s->plain));
	if (!n) {
		snprintf(err, errlen, "packet parameters out of range");
		return -1;
	}
	pkt->plain_len = n;
	memcpy(s->wire, s->plain, n);
	len = n;
	pkt->key = (s->nkeys > 1 && i >= c->switch_at) ? 1 : 0;
	st = protect(s, s->wire, &len, pkt->key);
	if (st) {
		snprintf(err, errlen, "libsrtp: protecting packet %llu failed (error %d)",
			 (unsigned long long)i, st);
		return -1;
	}
	n = len;
	if (rcc_reframe(s, &n, err, errlen))
		return -1;
	pkt->tampered = stream_is_tampered(c, i);
	if (pkt->tampered)
		tamper(c, s->wire, &n);
	pkt->index = i;
	pkt->plain = s->plain;
	pkt->wire = s->wire;
	pkt->wire_len = n;
	s->next++;
	return 0;
}

void stream_free(struct stream *s)
{
	if (!s)
		return;
	if (s->srtp)
		srtp_dealloc(s->srtp);
	secure_zero(s, sizeof(*s));
	free(s);
}
