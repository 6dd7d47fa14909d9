// SPDX-License-Identifier: GPL-2.0
/*
 * libmikey decoder: RFC 3830 framing.  Every payload is parsed (or, for the
 * public-key and Diffie-Hellman payloads MBMS never uses, length-checked and
 * skipped); every length is checked against what is left before it is
 * used; the next-payload chain is bounded.  The MBMS profile is applied
 * afterwards by profile.c.
 */
#include "mikey_int.h"

/* A read cursor over msg->raw. */
struct cur {
	const uint8_t *p;
	size_t off, len;
	struct mikey_msg *msg;
	struct mikey_error *err;
};

static size_t left(const struct cur *c)
{
	return c->len - c->off;
}

/* The fixed part of a payload: @need bytes must be there. */
static int need(struct cur *c, size_t need, const char *name)
{
	if (left(c) < need)
		return mikey_fail(c->err, MIKEY_E_TRUNCATED, c->off,
				  "%s: truncated (header needs %zu bytes, %zu left)",
				  name, need, left(c));
	return 0;
}

/* A variable part of @n bytes announced by field @field. */
static int need_var(struct cur *c, size_t at, size_t n, const char *name,
		    const char *field)
{
	size_t rest = c->len - at;

	if (n > rest)
		return mikey_fail(c->err, MIKEY_E_TRUNCATED, at,
				  "%s: %s %zu exceeds payload (%zu left)",
				  name, field, n, rest);
	return 0;
}

static int parse_hdr(struct cur *c, uint8_t *next)
{
	struct mikey_hdr *h = &c->msg->hdr;
	const uint8_t *p = c->p;
	size_t i, map_len;
	int ret;

	ret = need(c, 10, "HDR");
	if (ret)
		return ret;
	h->version = p[0];
	h->data_type = p[1];
	*next = p[2];
	h->v = p[3] >> 7;
	h->prf = p[3] & 0x7f;
	h->csb_id = get_be32(p + 4);
	h->n_cs = p[8];
	h->map_type = p[9];
	if (h->version != 1)
		return mikey_fail(c->err, MIKEY_E_VERSION, 0,
				  "HDR: version %u (only 1 exists)", h->version);
	if (h->prf != MIKEY_PRF_MIKEY1)
		return mikey_fail(c->err, MIKEY_E_PRF, 3,
				  "HDR: PRF func %u (only 0, MIKEY-1, is defined)",
				  h->prf);
	c->off = 10;
	switch (h->map_type) {
	case MIKEY_MAP_SRTP_ID:
		map_len = 9 * (size_t)h->n_cs;
		ret = need_var(c, c->off, map_len, "HDR", "SRTP-ID map len");
		if (ret)
			return ret;
		if (h->n_cs > MIKEY_MAX_CS)
			return mikey_fail(c->err, MIKEY_E_LIMIT, 8,
					  "HDR: %u crypto sessions (at most %d supported)",
					  h->n_cs, MIKEY_MAX_CS);
		for (i = 0; i < h->n_cs; i++) {
			const uint8_t *e = p + c->off + 9 * i;

			h->srtp[i].policy_no = e[0];
			h->srtp[i].ssrc = get_be32(e + 1);
			h->srtp[i].roc = get_be32(e + 5);
		}
		c->off += map_len;
		break;
	case MIKEY_MAP_EMPTY:
		break;
	default:
		return mikey_fail(c->err, MIKEY_E_CS_MAP, 9,
				  "HDR: CS ID map type %u not known (0 SRTP-ID, 1 Empty)",
				  h->map_type);
	}
	return 0;
}

static int parse_t(struct cur *c, uint8_t *next)
{
	struct mikey_msg *m = c->msg;
	size_t start = c->off, vlen;
	const uint8_t *p;
	int ret;

	if (m->t.present)
		return mikey_fail(c->err, MIKEY_E_DUPLICATE, start,
				  "T: second timestamp payload");
	ret = need(c, 2, "T");
	if (ret)
		return ret;
	p = c->p + start;
	*next = p[0];
	m->t.type = p[1];
	switch (m->t.type) {
	case MIKEY_TS_NTP_UTC:
	case MIKEY_TS_NTP:
		vlen = 8;
		break;
	case MIKEY_TS_COUNTER:
		vlen = 4;
		break;
	default:
		return mikey_fail(c->err, MIKEY_E_TS_TYPE, start + 1,
				  "T: timestamp type %u not known", m->t.type);
	}
	ret = need_var(c, start + 2, vlen, "T", "value len");
	if (ret)
		return ret;
	m->t.value = vlen == 8 ? get_be64(p + 2) : get_be32(p + 2);
	m->t.present = true;
	c->off = start + 2 + vlen;
	m->t_span = (struct mikey_span){ (uint16_t)start,
					 (uint16_t)(c->off - start) };
	return 0;
}

static int parse_rand(struct cur *c, uint8_t *next)
{
	struct mikey_msg *m = c->msg;
	size_t start = c->off;
	const uint8_t *p;
	int ret;

	if (m->has_rand)
		return mikey_fail(c->err, MIKEY_E_DUPLICATE, start,
				  "RAND: second RAND payload");
	ret = need(c, 2, "RAND");
	if (ret)
		return ret;
	p = c->p + start;
	*next = p[0];
	if (p[1] == 0)
		return mikey_fail(c->err, MIKEY_E_LENGTH, start + 1,
				  "RAND: length 0");
	ret = need_var(c, start + 2, p[1], "RAND", "length");
	if (ret)
		return ret;
	m->rand_len = p[1];
	memcpy(m->rand, p + 2, p[1]);
	m->has_rand = true;
	c->off = start + 2 + p[1];
	return 0;
}

static int parse_id(struct cur *c, uint8_t *next)
{
	struct mikey_msg *m = c->msg;
	size_t start = c->off, len;
	struct mikey_id *id;
	struct mikey_span *span;
	const uint8_t *p;
	int ret;

	if (!m->idi.present) {
		id = &m->idi;
		span = &m->idi_span;
	} else if (!m->idr.present) {
		id = &m->idr;
		span = &m->idr_span;
	} else {
		return mikey_fail(c->err, MIKEY_E_DUPLICATE, start,
				  "ID: third ID payload (only IDi and IDr exist)");
	}
	ret = need(c, 4, "ID");
	if (ret)
		return ret;
	p = c->p + start;
	*next = p[0];
	len = get_be16(p + 2);
	ret = need_var(c, start + 4, len, "ID", "length");
	if (ret)
		return ret;
	if (len == 0)
		return mikey_fail(c->err, MIKEY_E_LENGTH, start + 2,
				  "ID: length 0");
	if (len > MIKEY_MAX_ID_LEN)
		return mikey_fail(c->err, MIKEY_E_LIMIT, start + 2,
				  "ID: length %zu (at most %d supported)", len,
				  MIKEY_MAX_ID_LEN);
	id->type = p[1];
	id->len = (uint16_t)len;
	memcpy(id->data, p + 4, len);
	id->data[len] = '\0';
	id->present = true;
	c->off = start + 4 + len;
	*span = (struct mikey_span){ (uint16_t)start, (uint16_t)(4 + len) };
	return 0;
}

static int mac_len(uint8_t alg)
{
	switch (alg) {
	case MIKEY_MAC_NULL:
		return 0;
	case MIKEY_MAC_HMAC_SHA1_160:
		return MIKEY_MAC_LEN;
	default:
		return -1;
	}
}

static int parse_kemac(struct cur *c, uint8_t *next)
{
	struct mikey_kemac *k = &c->msg->kemac;
	size_t start = c->off, at;
	const uint8_t *p;
	int ret, ml;

	if (k->present)
		return mikey_fail(c->err, MIKEY_E_DUPLICATE, start,
				  "KEMAC: second KEMAC payload");
	ret = need(c, 4, "KEMAC");
	if (ret)
		return ret;
	p = c->p + start;
	*next = p[0];
	k->encr_alg = p[1];
	k->encr_len = get_be16(p + 2);
	if (k->encr_alg > MIKEY_ENCR_AES_KW_128)
		return mikey_fail(c->err, MIKEY_E_ALG, start + 1,
				  "KEMAC: encr alg %u not known", k->encr_alg);
	at = start + 4;
	ret = need_var(c, at, k->encr_len, "KEMAC", "encr data len");
	if (ret)
		return ret;
	k->encr_off = (uint16_t)at;
	at += k->encr_len;
	if (at >= c->len)
		return mikey_fail(c->err, MIKEY_E_TRUNCATED, at,
				  "KEMAC: no MAC alg after %u bytes of encr data",
				  k->encr_len);
	k->mac_alg = c->p[at];
	ml = mac_len(k->mac_alg);
	if (ml < 0)
		return mikey_fail(c->err, MIKEY_E_ALG, at,
				  "KEMAC: MAC alg %u not known", k->mac_alg);
	at++;
	ret = need_var(c, at, (size_t)ml, "KEMAC", "MAC len");
	if (ret)
		return ret;
	k->mac_off = (uint16_t)at;
	memcpy(k->mac, c->p + at, (size_t)ml);
	k->present = true;
	c->off = at + (size_t)ml;
	return 0;
}

static int parse_v(struct cur *c, uint8_t *next)
{
	struct mikey_v *v = &c->msg->v;
	size_t start = c->off;
	int ret, ml;

	if (v->present)
		return mikey_fail(c->err, MIKEY_E_DUPLICATE, start,
				  "V: second verification payload");
	ret = need(c, 2, "V");
	if (ret)
		return ret;
	*next = c->p[start];
	v->mac_alg = c->p[start + 1];
	ml = mac_len(v->mac_alg);
	if (ml < 0)
		return mikey_fail(c->err, MIKEY_E_ALG, start + 1,
				  "V: MAC alg %u not known", v->mac_alg);
	ret = need_var(c, start + 2, (size_t)ml, "V", "MAC len");
	if (ret)
		return ret;
	v->mac_off = (uint16_t)(start + 2);
	memcpy(v->mac, c->p + start + 2, (size_t)ml);
	v->present = true;
	c->off = start + 2 + (size_t)ml;
	return 0;
}

static int parse_sp(struct cur *c, uint8_t *next)
{
	struct mikey_msg *m = c->msg;
	size_t start = c->off, plen, at, end;
	struct mikey_sp *sp;
	const uint8_t *p;
	int ret;

	ret = need(c, 5, "SP");
	if (ret)
		return ret;
	if (m->n_sp >= MIKEY_MAX_SP)
		return mikey_fail(c->err, MIKEY_E_LIMIT, start,
				  "SP: more than %d SP payloads", MIKEY_MAX_SP);
	sp = &m->sp[m->n_sp];
	p = c->p + start;
	*next = p[0];
	sp->policy_no = p[1];
	sp->prot_type = p[2];
	plen = get_be16(p + 3);
	ret = need_var(c, start + 5, plen, "SP", "param len");
	if (ret)
		return ret;
	at = start + 5;
	end = at + plen;
	while (at < end) {
		struct mikey_sp_param *prm;
		uint8_t vlen;

		if (end - at < 2)
			return mikey_fail(c->err, MIKEY_E_LENGTH, at,
					  "SP: parameter header cut by param len (%zu left)",
					  end - at);
		vlen = c->p[at + 1];
		if (vlen > end - at - 2)
			return mikey_fail(c->err, MIKEY_E_LENGTH, at + 1,
					  "SP: parameter %u len %u exceeds param len (%zu left)",
					  c->p[at], vlen, end - at - 2);
		if (sp->n_params >= MIKEY_MAX_SP_PARAMS)
			return mikey_fail(c->err, MIKEY_E_LIMIT, at,
					  "SP: more than %d parameters",
					  MIKEY_MAX_SP_PARAMS);
		if (vlen > MIKEY_MAX_SP_VAL)
			return mikey_fail(c->err, MIKEY_E_LIMIT, at + 1,
					  "SP: parameter %u len %u (at most %d supported)",
					  c->p[at], vlen, MIKEY_MAX_SP_VAL);
		prm = &sp->params[sp->n_params++];
		prm->type = c->p[at];
		prm->len = vlen;
		memcpy(prm->val, c->p + at + 2, vlen);
		at += 2 + (size_t)vlen;
	}
	m->n_sp++;
	c->off = end;
	return 0;
}

static int parse_err(struct cur *c, uint8_t *next)
{
	struct mikey_msg *m = c->msg;
	int ret;

	ret = need(c, 4, "ERR");
	if (ret)
		return ret;
	if (m->n_err >= MIKEY_MAX_ERR)
		return mikey_fail(c->err, MIKEY_E_LIMIT, c->off,
				  "ERR: more than %d ERR payloads", MIKEY_MAX_ERR);
	*next = c->p[c->off];
	m->err_no[m->n_err++] = c->p[c->off + 1];
	c->off += 4;
	return 0;
}

static int parse_ext(struct cur *c, uint8_t *next)
{
	struct mikey_msg *m = c->msg;
	size_t start = c->off, len;
	const uint8_t *p;
	int ret;

	ret = need(c, 4, "EXT");
	if (ret)
		return ret;
	p = c->p + start;
	*next = p[0];
	len = get_be16(p + 2);
	ret = need_var(c, start + 4, len, "EXT", "length");
	if (ret)
		return ret;
	if (p[1] == mikey_mbms_ext_type) {
		if (m->ext.present)
			return mikey_fail(c->err, MIKEY_E_DUPLICATE, start,
					  "EXT: second MBMS Key ID extension");
		ret = mikey_ext_parse_mbms(p + 4, len, start + 4, &m->ext,
					   c->err);
		if (ret)
			return ret;
	} else {
		/* Unknown type: keep it opaque; the MAC covers it anyway. */
		struct mikey_ext_raw *x;

		if (m->n_ext_raw >= MIKEY_MAX_EXT)
			return mikey_fail(c->err, MIKEY_E_LIMIT, start,
					  "EXT: more than %d unknown extensions",
					  MIKEY_MAX_EXT);
		x = &m->ext_raw[m->n_ext_raw++];
		x->type = p[1];
		x->len = (uint16_t)len;
		x->off = (uint16_t)(start + 4);
	}
	c->off = start + 4 + len;
	return 0;
}

/* ---- payloads MBMS does not use: framing checked, content skipped ------- */

static int skip_kv(struct cur *c, size_t at, uint8_t kv, const char *name,
		   size_t *end)
{
	int i, n = kv == MIKEY_KV_INTERVAL ? 2 : kv == MIKEY_KV_SPI ? 1 : 0;

	if (kv > MIKEY_KV_INTERVAL)
		return mikey_fail(c->err, MIKEY_E_LENGTH, at,
				  "%s: KV type %u not known", name, kv);
	for (i = 0; i < n; i++) {
		if (at >= c->len)
			return mikey_fail(c->err, MIKEY_E_TRUNCATED, at,
					  "%s: KV data truncated", name);
		if (need_var(c, at + 1, c->p[at], name, "KV len"))
			return MIKEY_E_TRUNCATED;
		at += 1 + (size_t)c->p[at];
	}
	*end = at;
	return 0;
}

static int skip_dh(struct cur *c, uint8_t *next)
{
	size_t start = c->off, glen, end = 0;
	int ret;

	ret = need(c, 2, "DH");
	if (ret)
		return ret;
	*next = c->p[start];
	switch (c->p[start + 1]) {
	case 0:
		glen = 192;	/* OAKLEY 5, 1536 bits */
		break;
	case 1:
		glen = 96;	/* OAKLEY 1, 768 bits */
		break;
	case 2:
		glen = 128;	/* OAKLEY 2, 1024 bits */
		break;
	default:
		return mikey_fail(c->err, MIKEY_E_ALG, start + 1,
				  "DH: group %u not known", c->p[start + 1]);
	}
	ret = need_var(c, start + 2, glen + 1, "DH", "DH-value len");
	if (ret)
		return ret;
	ret = skip_kv(c, start + 3 + glen, c->p[start + 2 + glen] & 0x0f, "DH",
		      &end);
	if (ret)
		return ret;
	c->off = end;
	return 0;
}

/* PKE: next | C(2) data len(14) | data.  CERT: next | type | len(16). */
static int skip_len16(struct cur *c, uint8_t *next, const char *name,
		      size_t hdr, uint16_t mask)
{
	size_t start = c->off, len;
	int ret;

	ret = need(c, hdr, name);
	if (ret)
		return ret;
	*next = c->p[start];
	len = get_be16(c->p + start + hdr - 2) & mask;
	ret = need_var(c, start + hdr, len, name, "data len");
	if (ret)
		return ret;
	c->off = start + hdr + len;
	return 0;
}

static int skip_chash(struct cur *c, uint8_t *next)
{
	size_t start = c->off, hlen;
	int ret;

	ret = need(c, 2, "CHASH");
	if (ret)
		return ret;
	*next = c->p[start];
	switch (c->p[start + 1]) {
	case 0:
		hlen = 20;	/* SHA-1 */
		break;
	case 1:
		hlen = 16;	/* MD5 */
		break;
	default:
		return mikey_fail(c->err, MIKEY_E_ALG, start + 1,
				  "CHASH: hash func %u not known", c->p[start + 1]);
	}
	ret = need_var(c, start + 2, hlen, "CHASH", "hash len");
	if (ret)
		return ret;
	c->off = start + 2 + hlen;
	return 0;
}

/* SIGN has no next-payload field: it always ends the message. */
static int skip_sign(struct cur *c, uint8_t *next)
{
	size_t start = c->off, len;
	int ret;

	ret = need(c, 2, "SIGN");
	if (ret)
		return ret;
	len = get_be16(c->p + start) & 0x0fff;
	ret = need_var(c, start + 2, len, "SIGN", "signature len");
	if (ret)
		return ret;
	*next = MIKEY_PT_LAST;
	c->off = start + 2 + len;
	return 0;
}

static int parse_payload(struct cur *c, uint8_t type, uint8_t *next)
{
	switch (type) {
	case MIKEY_PT_KEMAC:
		return parse_kemac(c, next);
	case MIKEY_PT_T:
		return parse_t(c, next);
	case MIKEY_PT_ID:
		return parse_id(c, next);
	case MIKEY_PT_V:
		return parse_v(c, next);
	case MIKEY_PT_SP:
		return parse_sp(c, next);
	case MIKEY_PT_RAND:
		return parse_rand(c, next);
	case MIKEY_PT_ERR:
		return parse_err(c, next);
	case MIKEY_PT_EXT:
		return parse_ext(c, next);
	case MIKEY_PT_PKE:
		c->msg->n_skipped++;
		return skip_len16(c, next, "PKE", 3, 0x3fff);
	case MIKEY_PT_DH:
		c->msg->n_skipped++;
		return skip_dh(c, next);
	case MIKEY_PT_SIGN:
		c->msg->n_skipped++;
		return skip_sign(c, next);
	case MIKEY_PT_CERT:
		c->msg->n_skipped++;
		return skip_len16(c, next, "CERT", 4, 0xffff);
	case MIKEY_PT_CHASH:
		c->msg->n_skipped++;
		return skip_chash(c, next);
	case MIKEY_PT_KEY_DATA:
		return mikey_fail(c->err, MIKEY_E_ORDER, c->off,
				  "key data sub-payload outside KEMAC");
	default:
		return mikey_fail(c->err, MIKEY_E_UNKNOWN_PAYLOAD, c->off,
				  "payload type %u not known (cannot skip it)",
				  type);
	}
}

int mikey_decode(const uint8_t *buf, size_t len, struct mikey_msg *msg,
		 struct mikey_error *err)
{
	struct cur c = { .msg = msg, .err = err };
	uint8_t type, next = MIKEY_PT_LAST;
	int ret;

	mikey_msg_clear(msg);
	if (err)
		*err = (struct mikey_error){ 0 };
	if (!buf && len)
		return mikey_fail(err, MIKEY_E_INVAL, 0, "no input");
	if (len > MIKEY_MAX_MESSAGE_LEN)
		return mikey_fail(err, MIKEY_E_OVERSIZE, MIKEY_MAX_MESSAGE_LEN,
				  "message of %zu bytes (at most %d accepted)",
				  len, MIKEY_MAX_MESSAGE_LEN);
	if (len)
		memcpy(msg->raw, buf, len);
	msg->raw_len = (uint16_t)len;
	c.p = msg->raw;
	c.len = len;

	ret = parse_hdr(&c, &next);
	if (ret)
		return ret;
	msg->order[msg->n_payloads++] = MIKEY_PT_HDR;
	while (next != MIKEY_PT_LAST) {
		type = next;
		if (msg->n_payloads >= MIKEY_MAX_PAYLOADS)
			return mikey_fail(err, MIKEY_E_TOO_MANY_PAYLOADS, c.off,
					  "more than %d payloads",
					  MIKEY_MAX_PAYLOADS);
		/* KEMAC ends a PSK message, V a verification message: what
		 * followed would not be covered by their MAC.
		 */
		if ((msg->kemac.present && msg->hdr.data_type == MIKEY_DT_PSK_INIT) ||
		    (msg->v.present && msg->hdr.data_type == MIKEY_DT_PSK_RESP))
			return mikey_fail(err, MIKEY_E_ORDER, c.off,
					  "%s after the %s payload",
					  mikey_payload_name(type),
					  msg->kemac.present ? "KEMAC" : "V");
		ret = parse_payload(&c, type, &next);
		if (ret)
			return ret;
		msg->order[msg->n_payloads++] = type;
	}
	if (c.off != c.len)
		return mikey_fail(err, MIKEY_E_TRAILING, c.off,
				  "%zu bytes after the last payload",
				  c.len - c.off);
	return mikey_profile_check(msg, err);
}

void mikey_msg_clear(struct mikey_msg *msg)
{
	mikey_wipe(msg, sizeof(*msg));
}
