// SPDX-License-Identifier: GPL-2.0
/*
 * mbmsd key store: encoding, the untrusted-bytes decoder, atomic
 * persistence, and the mapping to and from the policy state.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/mbms_srtp.h>

#include "mbms/common.h"
#include "store.h"

static const uint8_t MAGIC[8] = { 'M', 'B', 'M', 'S', 'D', 'S', 'T', 0 };
#define HDR_LEN		16	/* magic, version, reserved, body length */
#define CRC_LEN		4

enum rec_type {
	REC_META = 1, REC_MUK = 2, REC_MSK = 3, REC_MTK = 4, REC_MSK_RCC = 5,
	REC_MSK_ORDER = 6, REC_MSK_ROC = 7, REC_MSK_TAG = 8,
};

#define META_LEN	7
#define MUK_FIXED_LEN	(1 + 4 + 8 + 1 + 4 + STORE_KS_NAF_LEN + 1)
#define MSK_LEN		(3 + 4 + 1 + 4 + 4 + 2 + 4 + 8 + 1 + STORE_KEY_LEN + \
			 STORE_RAND_LEN)
#define MTK_LEN		(4 + 4 + 2 + 8 + STORE_KEY_LEN + STORE_SALT_LEN)
/* key domain, MSK ID, RFC 4771 mode u8, R u16; only when not both 0 */
#define MSK_RCC_LEN	(3 + 4 + 1 + 2)
#define RCC_MODE_MAX	3
#define MSK_ORDER_LEN	(3 + 4 + 4 + 4)
/* key domain, MSK ID, ROC u32 of the push's SRTP-ID map; only when known */
#define MSK_ROC_LEN	(3 + 4 + 4)
/* key domain, MSK ID, SRTP tag length u8; only when not the suite's */
#define MSK_TAG_LEN	(3 + 4 + 1)

uint32_t store_crc32(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffffu;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

void store_init(struct store *s)
{
	secure_zero(s, sizeof(*s));
	s->cur = -1;
	s->neg = -1;
	s->next_gen = 1;
}

void store_wipe(struct store *s)
{
	secure_zero(s, sizeof(*s));
}

/* ---- encoding ------------------------------------------------------------ */

struct wbuf {
	uint8_t *p;
	size_t cap, len;
	bool overflow;
};

static void put(struct wbuf *w, const void *src, size_t n)
{
	if (w->overflow || n > w->cap - w->len) {
		w->overflow = true;
		return;
	}
	memcpy(w->p + w->len, src, n);
	w->len += n;
}

static void put_u8(struct wbuf *w, uint8_t v)
{
	put(w, &v, 1);
}

static void put_u16(struct wbuf *w, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v & 0xff };

	put(w, b, 2);
}

static void put_u32(struct wbuf *w, uint32_t v)
{
	put_u16(w, v >> 16);
	put_u16(w, v & 0xffff);
}

static void put_u64(struct wbuf *w, uint64_t v)
{
	put_u32(w, (uint32_t)(v >> 32));
	put_u32(w, (uint32_t)v);
}

static void put_rec(struct wbuf *w, uint8_t type, uint16_t len)
{
	put_u8(w, type);
	put_u16(w, len);
}

long store_encode(const struct store *s, uint8_t *buf, size_t cap)
{
	struct wbuf w = { buf, cap, 0, false };
	uint32_t crc;
	size_t i, n;

	put(&w, MAGIC, sizeof(MAGIC));
	put_u16(&w, STORE_VERSION);
	put_u16(&w, 0);
	put_u32(&w, 0);		/* body length, patched below */

	put_rec(&w, REC_META, META_LEN);
	put_u8(&w, s->need_bootstrap ? 1 : 0);
	put_u32(&w, s->next_gen);
	put_u8(&w, s->cur < 0 ? 0xff : (uint8_t)s->cur);
	put_u8(&w, s->neg < 0 ? 0xff : (uint8_t)s->neg);

	for (i = 0; i < 2; i++) {
		const struct store_muk *m = &s->muk[i];

		if (!m->present)
			continue;
		n = strnlen(m->btid, STORE_BTID_MAX);
		put_rec(&w, REC_MUK, (uint16_t)(MUK_FIXED_LEN + n));
		put_u8(&w, (uint8_t)i);
		put_u32(&w, m->gen);
		put_u64(&w, m->expires_ms);
		put_u8(&w, m->have_counter ? 1 : 0);
		put_u32(&w, m->msk_counter);
		put(&w, m->ks_naf, STORE_KS_NAF_LEN);
		put_u8(&w, (uint8_t)n);
		put(&w, m->btid, n);
	}
	for (i = 0; i < STORE_MAX_MSKS; i++) {
		const struct store_msk *m = &s->msk[i];

		if (!m->present)
			continue;
		put_rec(&w, REC_MSK, MSK_LEN);
		put(&w, m->key_domain, POL_KEY_DOMAIN_LEN);
		put_u32(&w, m->msk_id);
		put_u8(&w, (m->have_mtk ? 1 : 0) | (m->have_mtk_counter ? 2 : 0));
		put_u32(&w, m->seql);
		put_u32(&w, m->sequ);
		put_u16(&w, m->mtk_id);
		put_u32(&w, m->mtk_counter);
		put_u64(&w, m->received_ms);
		put_u8(&w, m->suite);
		put(&w, m->key, STORE_KEY_LEN);
		put(&w, m->rand, STORE_RAND_LEN);
		/*
		 * The order (TS 33.246 §6.5.3) and the RFC 4771 settings in
		 * records of their own, right after the MSK: an older mbmsd
		 * skips them, and its files, which lack them, still load
		 * (order not known, no RFC 4771).
		 */
		if (m->muk_gen) {
			put_rec(&w, REC_MSK_ORDER, MSK_ORDER_LEN);
			put(&w, m->key_domain, POL_KEY_DOMAIN_LEN);
			put_u32(&w, m->msk_id);
			put_u32(&w, m->muk_gen);
			put_u32(&w, m->ts_counter);
		}
		if (m->rcc_mode || m->rcc_rate) {
			put_rec(&w, REC_MSK_RCC, MSK_RCC_LEN);
			put(&w, m->key_domain, POL_KEY_DOMAIN_LEN);
			put_u32(&w, m->msk_id);
			put_u8(&w, m->rcc_mode);
			put_u16(&w, m->rcc_rate);
		}
		if (m->has_roc) {
			put_rec(&w, REC_MSK_ROC, MSK_ROC_LEN);
			put(&w, m->key_domain, POL_KEY_DOMAIN_LEN);
			put_u32(&w, m->msk_id);
			put_u32(&w, m->roc);
		}
		if (m->tag_len) {
			put_rec(&w, REC_MSK_TAG, MSK_TAG_LEN);
			put(&w, m->key_domain, POL_KEY_DOMAIN_LEN);
			put_u32(&w, m->msk_id);
			put_u8(&w, m->tag_len);
		}
	}
	for (i = 0; i < STORE_MAX_MTKS; i++) {
		const struct store_mtk *m = &s->mtk[i];

		if (!m->present)
			continue;
		put_rec(&w, REC_MTK, MTK_LEN);
		put_u32(&w, m->session_id);
		put_u32(&w, m->msk_id);
		put_u16(&w, m->mtk_id);
		put_u64(&w, m->installed_ms);
		put(&w, m->key, STORE_KEY_LEN);
		put(&w, m->salt, STORE_SALT_LEN);
	}
	if (w.overflow || w.len + CRC_LEN > cap)
		return -1;
	n = w.len - HDR_LEN;
	buf[12] = (uint8_t)(n >> 24);
	buf[13] = (uint8_t)(n >> 16);
	buf[14] = (uint8_t)(n >> 8);
	buf[15] = (uint8_t)n;
	crc = store_crc32(buf, w.len);
	put_u32(&w, crc);
	return (long)w.len;
}

/* ---- decoding (untrusted bytes) ----------------------------------------- */

struct rbuf {
	const uint8_t *p;
	size_t len, off;
};

/* Callers check the remaining length first; these never run past it. */
static uint8_t get_u8(struct rbuf *r)
{
	return r->p[r->off++];
}

static uint16_t get_u16(struct rbuf *r)
{
	uint16_t v = (uint16_t)(r->p[r->off] << 8 | r->p[r->off + 1]);

	r->off += 2;
	return v;
}

static uint32_t get_u32(struct rbuf *r)
{
	uint32_t hi = get_u16(r);

	return hi << 16 | get_u16(r);
}

static uint64_t get_u64(struct rbuf *r)
{
	uint64_t hi = get_u32(r);

	return hi << 32 | get_u32(r);
}

static void get(struct rbuf *r, void *dst, size_t n)
{
	memcpy(dst, r->p + r->off, n);
	r->off += n;
}

static const char *rec_name(uint8_t t)
{
	switch (t) {
	case REC_META: return "meta";
	case REC_MUK: return "muk";
	case REC_MSK: return "msk";
	case REC_MTK: return "mtk";
	case REC_MSK_RCC: return "msk-rcc";
	case REC_MSK_ORDER: return "msk-order";
	case REC_MSK_ROC: return "msk-roc";
	case REC_MSK_TAG: return "msk-tag";
	}
	return "unknown";
}

static int dec_muk(struct rbuf *r, size_t rlen, struct store *s,
		   char *err, size_t errlen)
{
	struct store_muk *m;
	uint8_t slot, n, i;

	if (rlen < MUK_FIXED_LEN) {
		snprintf(err, errlen, "length %zu, at least %d", rlen,
			 MUK_FIXED_LEN);
		return -1;
	}
	slot = r->p[r->off];
	n = r->p[r->off + MUK_FIXED_LEN - 1];
	if (rlen != (size_t)MUK_FIXED_LEN + n) {
		snprintf(err, errlen, "length %zu, expected %d", rlen,
			 MUK_FIXED_LEN + n);
		return -1;
	}
	if (slot > 1 || s->muk[slot].present) {
		snprintf(err, errlen, "bad or repeated MUK slot %u", slot);
		return -1;
	}
	m = &s->muk[slot];
	r->off++;
	m->gen = get_u32(r);
	m->expires_ms = get_u64(r);
	m->have_counter = get_u8(r) & 1;
	m->msk_counter = get_u32(r);
	get(r, m->ks_naf, STORE_KS_NAF_LEN);
	r->off++;	/* n, read above */
	get(r, m->btid, n);
	m->btid[n] = '\0';
	for (i = 0; i < n; i++)
		if (m->btid[i] < 0x21 || m->btid[i] > 0x7e) {
			snprintf(err, errlen, "B-TID byte %u is not printable",
				 i);
			return -1;
		}
	m->present = true;
	return 0;
}

static int dec_msk(struct rbuf *r, size_t rlen, struct store *s,
		   size_t *nmsk, char *err, size_t errlen)
{
	struct store_msk *m;
	uint8_t flags;

	if (rlen != MSK_LEN) {
		snprintf(err, errlen, "length %zu, expected %d", rlen, MSK_LEN);
		return -1;
	}
	if (*nmsk == STORE_MAX_MSKS) {
		snprintf(err, errlen, "more than %d MSKs", STORE_MAX_MSKS);
		return -1;
	}
	m = &s->msk[(*nmsk)++];
	get(r, m->key_domain, POL_KEY_DOMAIN_LEN);
	m->msk_id = get_u32(r);
	flags = get_u8(r);
	m->have_mtk = flags & 1;
	m->have_mtk_counter = flags & 2;
	m->seql = get_u32(r);
	m->sequ = get_u32(r);
	m->mtk_id = get_u16(r);
	m->mtk_counter = get_u32(r);
	m->received_ms = get_u64(r);
	m->suite = get_u8(r);
	get(r, m->key, STORE_KEY_LEN);
	get(r, m->rand, STORE_RAND_LEN);
	m->present = true;
	if (pol_key_group(m->msk_id) == 0 ||
	    pol_key_number(m->msk_id) == POL_KEY_NUMBER_CURRENT) {
		snprintf(err, errlen, "MSK ID 0x%08x is reserved", m->msk_id);
		return -1;
	}
	if (store_msk_find(s, m->key_domain, m->msk_id) != m) {
		snprintf(err, errlen, "MSK ID 0x%08x repeated", m->msk_id);
		return -1;
	}
	return 0;
}

/* The RFC 4771 settings of an MSK stored by an earlier record. */
static int dec_msk_rcc(struct rbuf *r, size_t rlen, struct store *s,
		       char *err, size_t errlen)
{
	uint8_t kd[POL_KEY_DOMAIN_LEN], mode;
	struct store_msk *m;
	uint32_t msk_id;
	uint16_t rate;

	if (rlen != MSK_RCC_LEN) {
		snprintf(err, errlen, "length %zu, expected %d", rlen,
			 MSK_RCC_LEN);
		return -1;
	}
	get(r, kd, POL_KEY_DOMAIN_LEN);
	msk_id = get_u32(r);
	mode = get_u8(r);
	rate = get_u16(r);
	m = store_msk_find(s, kd, msk_id);
	if (!m) {
		snprintf(err, errlen, "MSK ID 0x%08x not stored before it",
			 msk_id);
		return -1;
	}
	if (mode > RCC_MODE_MAX || (!mode && !rate)) {
		snprintf(err, errlen, "bad RFC 4771 mode %u, R %u", mode, rate);
		return -1;
	}
	if (m->rcc_mode || m->rcc_rate) {
		snprintf(err, errlen, "MSK ID 0x%08x repeated", msk_id);
		return -1;
	}
	m->rcc_mode = mode;
	m->rcc_rate = rate;
	return 0;
}

/* The SRTP-ID map ROC of an MSK stored by an earlier record. */
static int dec_msk_roc(struct rbuf *r, size_t rlen, struct store *s,
		       char *err, size_t errlen)
{
	uint8_t kd[POL_KEY_DOMAIN_LEN];
	struct store_msk *m;
	uint32_t msk_id, roc;

	if (rlen != MSK_ROC_LEN) {
		snprintf(err, errlen, "length %zu, expected %d", rlen,
			 MSK_ROC_LEN);
		return -1;
	}
	get(r, kd, POL_KEY_DOMAIN_LEN);
	msk_id = get_u32(r);
	roc = get_u32(r);
	m = store_msk_find(s, kd, msk_id);
	if (!m) {
		snprintf(err, errlen, "MSK ID 0x%08x not stored before it",
			 msk_id);
		return -1;
	}
	if (m->has_roc) {
		snprintf(err, errlen, "MSK ID 0x%08x repeated", msk_id);
		return -1;
	}
	m->has_roc = true;
	m->roc = roc;
	return 0;
}

/*
 * The SRTP tag length of an MSK stored by an earlier record (TS 33.246
 * §6.6.2.1 NOTE 3: 14 with RCCm1/RCCm2).  An mbmsd without this record
 * skips it and falls back to the suite's tag: packets then fail
 * authentication, nothing wrong is delivered.
 */
static int dec_msk_tag(struct rbuf *r, size_t rlen, struct store *s,
		       char *err, size_t errlen)
{
	uint8_t kd[POL_KEY_DOMAIN_LEN], tag;
	struct store_msk *m;
	uint32_t msk_id;

	if (rlen != MSK_TAG_LEN) {
		snprintf(err, errlen, "length %zu, expected %d", rlen,
			 MSK_TAG_LEN);
		return -1;
	}
	get(r, kd, POL_KEY_DOMAIN_LEN);
	msk_id = get_u32(r);
	tag = get_u8(r);
	m = store_msk_find(s, kd, msk_id);
	if (!m) {
		snprintf(err, errlen, "MSK ID 0x%08x not stored before it",
			 msk_id);
		return -1;
	}
	if (tag < MBMS_SRTP_TAG_LEN_MIN || tag > MBMS_SRTP_TAG_LEN_MAX) {
		snprintf(err, errlen, "SRTP tag length %u, expected %d to %d",
			 tag, MBMS_SRTP_TAG_LEN_MIN, MBMS_SRTP_TAG_LEN_MAX);
		return -1;
	}
	if (m->tag_len) {
		snprintf(err, errlen, "MSK ID 0x%08x repeated", msk_id);
		return -1;
	}
	m->tag_len = tag;
	return 0;
}

static int dec_msk_order(struct rbuf *r, size_t rlen, struct store *s,
			 char *err, size_t errlen)
{
	uint8_t kd[POL_KEY_DOMAIN_LEN];
	struct store_msk *m;
	uint32_t id, gen;

	if (rlen != MSK_ORDER_LEN) {
		snprintf(err, errlen, "length %zu, expected %d", rlen,
			 MSK_ORDER_LEN);
		return -1;
	}
	get(r, kd, POL_KEY_DOMAIN_LEN);
	id = get_u32(r);
	gen = get_u32(r);
	m = store_msk_find(s, kd, id);
	if (!m) {
		snprintf(err, errlen, "MSK ID 0x%08x not stored before it",
			 id);
		return -1;
	}
	if (!gen || m->muk_gen) {
		snprintf(err, errlen, "MSK ID 0x%08x: %s", id,
			 gen ? "order repeated" : "MUK generation 0");
		return -1;
	}
	m->muk_gen = gen;
	m->ts_counter = get_u32(r);
	return 0;
}

static int dec_mtk(struct rbuf *r, size_t rlen, struct store *s,
		   size_t *nmtk, char *err, size_t errlen)
{
	struct store_mtk *m;

	if (rlen != MTK_LEN) {
		snprintf(err, errlen, "length %zu, expected %d", rlen, MTK_LEN);
		return -1;
	}
	if (*nmtk == STORE_MAX_MTKS) {
		snprintf(err, errlen, "more than %d MTKs", STORE_MAX_MTKS);
		return -1;
	}
	m = &s->mtk[(*nmtk)++];
	m->session_id = get_u32(r);
	m->msk_id = get_u32(r);
	m->mtk_id = get_u16(r);
	m->installed_ms = get_u64(r);
	get(r, m->key, STORE_KEY_LEN);
	get(r, m->salt, STORE_SALT_LEN);
	m->present = true;
	return 0;
}

static int dec_meta(struct rbuf *r, size_t rlen, struct store *s,
		    char *err, size_t errlen)
{
	uint8_t cur, neg;

	if (rlen != META_LEN) {
		snprintf(err, errlen, "length %zu, expected %d", rlen,
			 META_LEN);
		return -1;
	}
	s->need_bootstrap = get_u8(r) & 1;
	s->next_gen = get_u32(r);
	cur = get_u8(r);
	neg = get_u8(r);
	if ((cur != 0xff && cur > 1) || (neg != 0xff && neg > 1)) {
		snprintf(err, errlen, "bad MUK slot role %u/%u", cur, neg);
		return -1;
	}
	s->cur = cur == 0xff ? -1 : cur;
	s->neg = neg == 0xff ? -1 : neg;
	return 0;
}

static int decode_body(struct rbuf *r, struct store *s, char *err,
		       size_t errlen)
{
	size_t nmsk = 0, nmtk = 0, start, rlen;
	unsigned int idx = 0;
	bool have_meta = false;
	char why[160];
	uint8_t type;
	int ret;

	while (r->off < r->len) {
		idx++;
		start = r->off;
		if (r->len - r->off < 3) {
			snprintf(err, errlen,
				 "record %u at offset %zu: truncated header",
				 idx, start);
			return -1;
		}
		type = get_u8(r);
		rlen = get_u16(r);
		if (rlen > r->len - r->off) {
			snprintf(err, errlen,
				 "record %u (%s) at offset %zu: length %zu exceeds the %zu bytes left",
				 idx, rec_name(type), start, rlen,
				 r->len - r->off);
			return -1;
		}
		why[0] = '\0';
		switch (type) {
		case REC_META:
			ret = have_meta ? -1 : dec_meta(r, rlen, s, why,
							sizeof(why));
			if (have_meta)
				snprintf(why, sizeof(why), "repeated");
			have_meta = true;
			break;
		case REC_MUK:
			ret = dec_muk(r, rlen, s, why, sizeof(why));
			break;
		case REC_MSK:
			ret = dec_msk(r, rlen, s, &nmsk, why, sizeof(why));
			break;
		case REC_MTK:
			ret = dec_mtk(r, rlen, s, &nmtk, why, sizeof(why));
			break;
		case REC_MSK_RCC:
			ret = dec_msk_rcc(r, rlen, s, why, sizeof(why));
			break;
		case REC_MSK_ORDER:
			ret = dec_msk_order(r, rlen, s, why, sizeof(why));
			break;
		case REC_MSK_ROC:
			ret = dec_msk_roc(r, rlen, s, why, sizeof(why));
			break;
		case REC_MSK_TAG:
			ret = dec_msk_tag(r, rlen, s, why, sizeof(why));
			break;
		default:
			/* A newer writer's record: skip, it is length-framed. */
			r->off += rlen;
			ret = 0;
			break;
		}
		if (ret) {
			snprintf(err, errlen, "record %u (%s) at offset %zu: %s",
				 idx, rec_name(type), start, why);
			return -1;
		}
		/* Every decoder consumed exactly its length on success. */
		r->off = start + 3 + rlen;
	}
	if (!have_meta) {
		snprintf(err, errlen, "no meta record");
		return -1;
	}
	if ((s->cur >= 0 && !s->muk[s->cur].present) ||
	    (s->neg >= 0 && !s->muk[s->neg].present)) {
		snprintf(err, errlen, "MUK role names an empty slot");
		return -1;
	}
	return 0;
}

int store_decode(const uint8_t *buf, size_t len, struct store *s,
		 char *err, size_t errlen)
{
	struct rbuf r;
	uint32_t body, crc, want;
	uint16_t ver;

	store_init(s);
	if (len < HDR_LEN + CRC_LEN) {
		snprintf(err, errlen, "file of %zu bytes is too short", len);
		goto fail;
	}
	if (len > STORE_MAX_FILE) {
		snprintf(err, errlen, "file of %zu bytes is too long", len);
		goto fail;
	}
	if (memcmp(buf, MAGIC, sizeof(MAGIC))) {
		snprintf(err, errlen, "not an mbmsd state file (bad magic)");
		goto fail;
	}
	ver = (uint16_t)(buf[8] << 8 | buf[9]);
	if (ver != STORE_VERSION) {
		snprintf(err, errlen, "format version %u, this mbmsd reads %u",
			 ver, STORE_VERSION);
		goto fail;
	}
	body = (uint32_t)buf[12] << 24 | (uint32_t)buf[13] << 16 |
	       (uint32_t)buf[14] << 8 | buf[15];
	if (body != len - HDR_LEN - CRC_LEN) {
		snprintf(err, errlen,
			 "body length %u does not match the file (%zu bytes)",
			 body, len - HDR_LEN - CRC_LEN);
		goto fail;
	}
	want = (uint32_t)buf[len - 4] << 24 | (uint32_t)buf[len - 3] << 16 |
	       (uint32_t)buf[len - 2] << 8 | buf[len - 1];
	crc = store_crc32(buf, len - CRC_LEN);
	if (crc != want) {
		snprintf(err, errlen, "checksum mismatch (torn or corrupted)");
		goto fail;
	}
	r.p = buf + HDR_LEN;
	r.len = body;
	r.off = 0;
	if (decode_body(&r, s, err, errlen))
		goto fail;
	return 0;
fail:
	store_wipe(s);
	store_init(s);
	return -1;
}

/* ---- files --------------------------------------------------------------- */

static int check_mode(const struct stat *st, const char *what,
		      const char *path, char *err, size_t errlen)
{
	if (st->st_uid != geteuid()) {
		snprintf(err, errlen, "%s '%s' is owned by uid %u, not by us",
			 what, path, (unsigned int)st->st_uid);
		return -1;
	}
	if (st->st_mode & 0077) {
		snprintf(err, errlen,
			 "%s '%s' has mode %04o: group and others must have no access (chmod go= '%s')",
			 what, path, (unsigned int)(st->st_mode & 07777), path);
		return -1;
	}
	return 0;
}

int store_check_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (stat(dir, &st)) {
		snprintf(err, errlen, "state directory '%s': %s", dir,
			 strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "state directory '%s' is not a directory",
			 dir);
		return -1;
	}
	return check_mode(&st, "state directory", dir, err, errlen);
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int store_save(const char *dir, const struct store *s, char *err,
	       size_t errlen)
{
	uint8_t *buf;
	long len;
	int dfd = -1, fd = -1, ret = -1;

	if (store_check_dir(dir, err, errlen))
		return -1;
	buf = malloc(STORE_MAX_FILE);
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	len = store_encode(s, buf, STORE_MAX_FILE);
	if (len < 0) {
		snprintf(err, errlen, "state does not fit %d bytes",
			 STORE_MAX_FILE);
		goto out;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		snprintf(err, errlen, "open '%s': %s", dir, strerror(errno));
		goto out;
	}
	unlinkat(dfd, STORE_TMP_FILE, 0);
	fd = openat(dfd, STORE_TMP_FILE,
		    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "create '%s/%s': %s", dir,
			 STORE_TMP_FILE, strerror(errno));
		goto out;
	}
	/* fsync the data before the rename makes it the state. */
	if (write_all(fd, buf, (size_t)len) || fsync(fd)) {
		snprintf(err, errlen, "write '%s/%s': %s", dir,
			 STORE_TMP_FILE, strerror(errno));
		goto out;
	}
	if (close(fd)) {
		fd = -1;
		snprintf(err, errlen, "close '%s/%s': %s", dir,
			 STORE_TMP_FILE, strerror(errno));
		goto out;
	}
	fd = -1;
	if (renameat(dfd, STORE_TMP_FILE, dfd, STORE_FILE)) {
		snprintf(err, errlen, "rename to '%s/%s': %s", dir, STORE_FILE,
			 strerror(errno));
		goto out;
	}
	/* ... and the directory, so the rename itself is durable. */
	if (fsync(dfd)) {
		snprintf(err, errlen, "fsync '%s': %s", dir, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (fd >= 0) {
		close(fd);
		unlinkat(dfd, STORE_TMP_FILE, 0);
	}
	if (dfd >= 0)
		close(dfd);
	secure_zero(buf, STORE_MAX_FILE);
	free(buf);
	return ret;
}

int store_load(const char *dir, struct store *s, char *err, size_t errlen)
{
	char path[512], why[200];
	struct stat st;
	uint8_t *buf = NULL;
	ssize_t n;
	size_t got = 0;
	int fd, ret = -1;

	store_init(s);
	if (store_check_dir(dir, err, errlen))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, STORE_FILE);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		snprintf(err, errlen, "open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st)) {
		snprintf(err, errlen, "stat '%s': %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a regular file", path);
		goto out;
	}
	if (check_mode(&st, "state file", path, err, errlen))
		goto out;
	if (st.st_size > STORE_MAX_FILE) {
		snprintf(err, errlen, "'%s' is larger than %d bytes", path,
			 STORE_MAX_FILE);
		goto out;
	}
	buf = malloc(STORE_MAX_FILE);
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	while (got < STORE_MAX_FILE) {
		n = read(fd, buf + got, STORE_MAX_FILE - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "read '%s': %s", path,
				 strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (store_decode(buf, got, s, why, sizeof(why))) {
		snprintf(err, errlen, "'%s': %s", path, why);
		goto out;
	}
	ret = 0;
out:
	close(fd);
	if (buf) {
		secure_zero(buf, STORE_MAX_FILE);
		free(buf);
	}
	return ret;
}

/* ---- keys ---------------------------------------------------------------- */

struct store_msk *store_msk_find(struct store *s, const uint8_t *key_domain,
				 uint32_t msk_id)
{
	size_t i;

	for (i = 0; i < STORE_MAX_MSKS; i++)
		if (s->msk[i].present && s->msk[i].msk_id == msk_id &&
		    !memcmp(s->msk[i].key_domain, key_domain,
			    POL_KEY_DOMAIN_LEN))
			return &s->msk[i];
	return NULL;
}

struct store_msk *store_msk_put(struct store *s, const uint8_t *key_domain,
				uint32_t msk_id, const uint8_t *key,
				const uint8_t *rand, uint8_t suite,
				uint64_t now_ms)
{
	struct store_msk *m = store_msk_find(s, key_domain, msk_id);
	size_t i;

	for (i = 0; !m && i < STORE_MAX_MSKS; i++)
		if (!s->msk[i].present)
			m = &s->msk[i];
	if (!m)
		return NULL;
	if (!m->present) {
		memset(m, 0, sizeof(*m));
		m->present = true;
		memcpy(m->key_domain, key_domain, POL_KEY_DOMAIN_LEN);
		m->msk_id = msk_id;
	}
	memcpy(m->key, key, STORE_KEY_LEN);
	memcpy(m->rand, rand, STORE_RAND_LEN);
	m->suite = suite;
	m->received_ms = now_ms;
	return m;
}

void store_msk_del(struct store *s, const uint8_t *key_domain,
		   uint32_t msk_id)
{
	struct store_msk *m = store_msk_find(s, key_domain, msk_id);

	if (m)
		secure_zero(m, sizeof(*m));
}

const struct store_msk *store_msk_newest(const struct store *s,
					 const uint8_t *key_domain,
					 uint16_t key_group)
{
	const struct store_msk *best = NULL, *m;
	size_t i;

	for (i = 0; i < STORE_MAX_MSKS; i++) {
		m = &s->msk[i];
		if (!m->present || pol_key_group(m->msk_id) != key_group ||
		    memcmp(m->key_domain, key_domain, POL_KEY_DOMAIN_LEN))
			continue;
		if (!best || m->received_ms >= best->received_ms)
			best = m;
	}
	return best;
}

const struct store_mtk *store_mtk_find(const struct store *s,
				       uint32_t session_id, uint32_t msk_id,
				       uint16_t mtk_id)
{
	size_t i;

	for (i = 0; i < STORE_MAX_MTKS; i++) {
		const struct store_mtk *m = &s->mtk[i];

		if (m->present && m->session_id == session_id &&
		    m->msk_id == msk_id && m->mtk_id == mtk_id)
			return m;
	}
	return NULL;
}

int store_mtk_put(struct store *s, uint32_t session_id, uint32_t msk_id,
		  uint16_t mtk_id, const uint8_t *key, const uint8_t *salt,
		  uint64_t now_ms)
{
	struct store_mtk *oldest = NULL, *free_slot = NULL, *m;
	size_t i, n = 0;

	for (i = 0; i < STORE_MAX_MTKS; i++) {
		m = &s->mtk[i];
		if (!m->present) {
			if (!free_slot)
				free_slot = m;
			continue;
		}
		if (m->session_id != session_id)
			continue;
		if (m->msk_id == msk_id && m->mtk_id == mtk_id) {
			free_slot = m;	/* replace in place */
			n = 0;
			oldest = NULL;
			break;
		}
		n++;
		if (!oldest || m->installed_ms < oldest->installed_ms ||
		    (m->installed_ms == oldest->installed_ms &&
		     m->mtk_id < oldest->mtk_id))
			oldest = m;
	}
	/* Two per session, like the kernel: the oldest goes first. */
	if (n >= 2 && oldest) {
		secure_zero(oldest, sizeof(*oldest));
		free_slot = oldest;
	}
	if (!free_slot)
		return -1;
	m = free_slot;
	m->present = true;
	m->session_id = session_id;
	m->msk_id = msk_id;
	m->mtk_id = mtk_id;
	m->installed_ms = now_ms;
	memcpy(m->key, key, STORE_KEY_LEN);
	memcpy(m->salt, salt, STORE_SALT_LEN);
	return 0;
}

void store_mtk_del_msk(struct store *s, uint32_t msk_id)
{
	size_t i;

	for (i = 0; i < STORE_MAX_MTKS; i++)
		if (s->mtk[i].present && s->mtk[i].msk_id == msk_id)
			secure_zero(&s->mtk[i], sizeof(s->mtk[i]));
}

/* ---- policy <-> store -------------------------------------------------- */

void store_sync_from_policy(struct store *s, const struct pol_ue *ue)
{
	size_t g, k;
	int i;

	s->cur = ue->cur;
	s->neg = ue->neg;
	s->need_bootstrap = ue->need_bootstrap;
	for (i = 0; i < 2; i++) {
		const struct pol_muk *p = &ue->muk[i];
		struct store_muk *m = &s->muk[i];

		if (!p->present) {
			if (m->present)
				secure_zero(m, sizeof(*m));
			continue;
		}
		m->present = true;
		m->gen = p->gen;
		m->expires_ms = p->expires;
		m->have_counter = p->have_counter;
		m->msk_counter = p->msk_counter;
	}
	for (g = 0; g < ue->ngroups; g++) {
		const struct pol_group *grp = &ue->groups[g];

		for (k = 0; k < POL_MSKS_PER_GROUP; k++) {
			const struct pol_msk *p = &grp->msk[k];
			struct store_msk *m;

			if (!p->present)
				continue;
			m = store_msk_find(s, grp->key_domain, p->msk_id);
			if (!m)
				continue;
			m->seql = p->seql;
			m->sequ = p->sequ;
			m->have_mtk = p->have_mtk;
			m->mtk_id = p->mtk_id;
			m->have_mtk_counter = p->have_mtk_counter;
			m->mtk_counter = p->mtk_counter;
			m->muk_gen = p->muk_gen;
			m->ts_counter = p->ts_counter;
		}
	}
}

int store_restore_policy(struct store *s, struct pol_ue *ue)
{
	struct pol_group *g;
	size_t i, k;
	int n = 0;

	for (i = 0; i < 2; i++) {
		const struct store_muk *m = &s->muk[i];
		struct pol_muk p = {
			.present = true, .gen = m->gen,
			.expires = m->expires_ms,
			.have_counter = m->have_counter,
			.msk_counter = m->msk_counter,
		};

		if (m->present)
			pol_muk_restore(ue, (int)i, &p, s->cur == (int)i,
					s->neg == (int)i);
	}
	ue->need_bootstrap = s->need_bootstrap;
	for (i = 0; i < STORE_MAX_MSKS; i++) {
		struct store_msk *m = &s->msk[i];
		struct pol_msk *p = NULL;

		if (!m->present)
			continue;
		g = pol_group_find(ue, m->key_domain, pol_key_group(m->msk_id));
		for (k = 0; g && k < POL_MSKS_PER_GROUP && !p; k++)
			if (!g->msk[k].present)
				p = &g->msk[k];
		if (!p) {
			/* Group gone from the configuration, or a third MSK. */
			store_mtk_del_msk(s, m->msk_id);
			secure_zero(m, sizeof(*m));
			continue;
		}
		p->present = true;
		p->msk_id = m->msk_id;
		p->seql = m->seql;
		p->sequ = m->sequ;
		p->have_mtk = m->have_mtk;
		p->mtk_id = m->mtk_id;
		p->have_mtk_counter = m->have_mtk_counter;
		p->mtk_counter = m->mtk_counter;
		p->muk_gen = m->muk_gen;
		p->ts_counter = m->ts_counter;
		p->received = m->received_ms;
		n++;
	}
	return n;
}
