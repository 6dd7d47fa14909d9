// SPDX-License-Identifier: GPL-2.0
/*
 * libmikey encoders.  Output is a pure function of the inputs (no clock, no
 * randomness here: callers pass CSB ID, counter and RAND), so simulators and
 * tests reproduce messages byte for byte.
 */
#include "mikey_int.h"

/*
 * UNVERIFIED (PROTOCOL.md): order of the payloads after HDR in MSK-type
 * and MTK messages.  EXT right after HDR is the best reading (the ME reads
 * EXT first).  Absent payloads are skipped; KEMAC is always last.
 */
enum slot { S_EXT, S_T, S_RAND, S_IDI, S_IDR, S_SP, S_KEMAC };
static const uint8_t mikey_mbms_order[] = {
	S_EXT, S_T, S_RAND, S_IDI, S_IDR, S_SP, S_KEMAC,
};

/* Everything one message is made of. */
struct build {
	uint8_t data_type;
	bool v;
	uint32_t csb_id;
	uint8_t n_cs, map_type;
	const struct mikey_srtp_id *srtp;
	struct mikey_mbms_ext ext;
	uint32_t counter;
	const uint8_t *rand;		/* RAND payload; NULL: none */
	size_t rand_len;
	const char *idi, *idr;		/* NULL: none */
	const struct mikey_sp *sp;	/* NULL: none */
	const struct mikey_key_data *kd;	/* NULL: encr data len 0 */
	const uint8_t *inkey;
	size_t inkey_len;
	const uint8_t *kdf_rand;	/* RAND for the key derivation */
	size_t kdf_rand_len;
};

struct wr {
	uint8_t *p;
	size_t cap, len;
	size_t next_at;			/* where the last next-payload byte is */
	bool overflow;
};

/* Reserve a payload of @n bytes of type @type and chain it. */
static uint8_t *wr_payload(struct wr *w, uint8_t type, size_t n)
{
	uint8_t *p;

	if (w->overflow || n > w->cap - w->len) {
		w->overflow = true;
		return NULL;
	}
	w->p[w->next_at] = type;
	p = w->p + w->len;
	memset(p, 0, n);
	w->next_at = w->len;		/* every payload but HDR: byte 0 */
	w->len += n;
	return p;
}

static void put_hdr(struct wr *w, const struct build *b)
{
	size_t n = 10 + (b->map_type == MIKEY_MAP_SRTP_ID ? 9u * b->n_cs : 0);
	uint8_t *p;
	size_t i;

	if (n > w->cap) {
		w->overflow = true;
		return;
	}
	p = w->p;
	p[0] = 1;
	p[1] = b->data_type;
	p[2] = MIKEY_PT_LAST;
	p[3] = (uint8_t)((b->v ? 0x80 : 0) | MIKEY_PRF_MIKEY1);
	put_be32(p + 4, b->csb_id);
	p[8] = b->n_cs;
	p[9] = b->map_type;
	for (i = 0; b->map_type == MIKEY_MAP_SRTP_ID && i < b->n_cs; i++) {
		uint8_t *e = p + 10 + 9 * i;

		e[0] = b->srtp[i].policy_no;
		put_be32(e + 1, b->srtp[i].ssrc);
		put_be32(e + 5, b->srtp[i].roc);
	}
	w->len = n;
	w->next_at = 2;
}

static void put_t(struct wr *w, uint32_t counter)
{
	uint8_t *p = wr_payload(w, MIKEY_PT_T, 6);

	if (!p)
		return;
	p[1] = MIKEY_TS_COUNTER;
	put_be32(p + 2, counter);
}

static void put_id(struct wr *w, const char *id)
{
	size_t n = strlen(id);
	uint8_t *p = wr_payload(w, MIKEY_PT_ID, 4 + n);

	if (!p)
		return;
	p[1] = MIKEY_ID_NAI;
	put_be16(p + 2, (uint16_t)n);
	memcpy(p + 4, id, n);
}

static void put_rand(struct wr *w, const uint8_t *rand, size_t len)
{
	uint8_t *p = wr_payload(w, MIKEY_PT_RAND, 2 + len);

	if (!p)
		return;
	p[1] = (uint8_t)len;
	memcpy(p + 2, rand, len);
}

static void put_ext(struct wr *w, const struct mikey_mbms_ext *ext)
{
	uint8_t tmp[64];
	size_t n = mikey_ext_build_mbms(ext, tmp, sizeof(tmp));
	uint8_t *p = wr_payload(w, MIKEY_PT_EXT, 4 + n);

	if (!p)
		return;
	p[1] = mikey_mbms_ext_type;
	put_be16(p + 2, (uint16_t)n);
	memcpy(p + 4, tmp, n);
}

static void put_sp(struct wr *w, const struct mikey_sp *sp)
{
	size_t n = 0, i;
	uint8_t *p;

	for (i = 0; i < sp->n_params; i++)
		n += 2 + sp->params[i].len;
	p = wr_payload(w, MIKEY_PT_SP, 5 + n);
	if (!p)
		return;
	p[1] = sp->policy_no;
	p[2] = sp->prot_type;
	put_be16(p + 3, (uint16_t)n);
	p += 5;
	for (i = 0; i < sp->n_params; i++) {
		p[0] = sp->params[i].type;
		p[1] = sp->params[i].len;
		memcpy(p + 2, sp->params[i].val, sp->params[i].len);
		p += 2 + sp->params[i].len;
	}
}

/* KEMAC: encrypt the key data, then MAC everything before the MAC. */
static int put_kemac(struct wr *w, const struct build *b)
{
	struct mikey_kemac_keys k;
	uint8_t kd[MIKEY_MAX_KEY_LEN * 2 + 64], iv[16];
	size_t kd_len = 0, start;
	uint8_t *p;
	int ret;

	if (b->kd) {
		kd_len = mikey_keydata_build(b->kd, MIKEY_PT_LAST, kd, sizeof(kd));
		if (!kd_len)
			return MIKEY_E_INVAL;
	}
	p = wr_payload(w, MIKEY_PT_KEMAC, 4 + kd_len + 1 + MIKEY_MAC_LEN);
	if (!p) {
		mikey_wipe(kd, sizeof(kd));
		return MIKEY_E_NOSPACE;
	}
	start = w->len - (4 + kd_len + 1 + MIKEY_MAC_LEN);
	p[1] = MIKEY_ENCR_AES_CM_128;
	put_be16(p + 2, (uint16_t)kd_len);
	p[4 + kd_len] = MIKEY_MAC_HMAC_SHA1_160;
	ret = mikey_derive_kemac_keys(b->inkey, b->inkey_len, b->csb_id,
				      b->kdf_rand, b->kdf_rand_len, &k);
	if (!ret && kd_len) {
		mikey_kemac_iv(k.salt, b->csb_id, (uint64_t)b->counter, iv);
		ret = mikey_aes_cm(k.encr, iv, kd, p + 4, kd_len);
	}
	if (!ret)
		ret = mikey_kemac_mac(&k, w->p, start + 4 + kd_len + 1,
				      p + 4 + kd_len + 1);
	mikey_kemac_keys_clear(&k);
	mikey_wipe(kd, sizeof(kd));
	return ret ? MIKEY_E_CRYPTO : 0;
}

static int build_msg(const struct build *b, uint8_t *out, size_t cap,
		     size_t *out_len, struct mikey_error *err)
{
	struct wr w = { .p = out, .cap = cap };
	size_t i;
	int ret = 0;

	put_hdr(&w, b);
	for (i = 0; i < sizeof(mikey_mbms_order) && !w.overflow && !ret; i++) {
		switch (mikey_mbms_order[i]) {
		case S_EXT:
			put_ext(&w, &b->ext);
			break;
		case S_T:
			put_t(&w, b->counter);
			break;
		case S_RAND:
			if (b->rand)
				put_rand(&w, b->rand, b->rand_len);
			break;
		case S_IDI:
			if (b->idi)
				put_id(&w, b->idi);
			break;
		case S_IDR:
			if (b->idr)
				put_id(&w, b->idr);
			break;
		case S_SP:
			if (b->sp)
				put_sp(&w, b->sp);
			break;
		case S_KEMAC:
			ret = put_kemac(&w, b);
			break;
		}
	}
	if (w.overflow || ret == MIKEY_E_NOSPACE) {
		mikey_wipe(out, cap);
		return mikey_fail(err, MIKEY_E_NOSPACE, 0,
				  "output buffer of %zu bytes too small", cap);
	}
	if (ret) {
		mikey_wipe(out, cap);
		return mikey_fail(err, ret, 0, "%s while building KEMAC",
				  mikey_strerror(ret));
	}
	*out_len = w.len;
	return 0;
}

static int check_id(const char *id, const char *name, struct mikey_error *err)
{
	size_t n = id ? strlen(id) : 0;

	if (n == 0 || n > MIKEY_MAX_ID_LEN)
		return mikey_fail(err, MIKEY_E_INVAL, 0,
				  "%s must be 1 to %d bytes", name,
				  MIKEY_MAX_ID_LEN);
	return 0;
}

static int check_key(const uint8_t *key, size_t len, const char *name,
		     struct mikey_error *err)
{
	if (!key || len == 0 || len > 4096)
		return mikey_fail(err, MIKEY_E_KEY, 0, "%s missing", name);
	return 0;
}

int mikey_encode_msk(const struct mikey_msk_spec *s, const uint8_t *muk,
		     size_t muk_len, uint8_t *out, size_t cap,
		     size_t *out_len, struct mikey_error *err)
{
	struct mikey_srtp_id cs = { 0, s->ssrc, s->roc };
	struct mikey_key_data kd = { 0 };
	struct mikey_sp sp;
	struct build b = {
		.data_type = MIKEY_DT_PSK_INIT,
		.v = s->v,
		.csb_id = s->csb_id,
		.n_cs = s->download ? 0 : 1,
		.map_type = s->download ? MIKEY_MAP_EMPTY : MIKEY_MAP_SRTP_ID,
		.srtp = &cs,
		.counter = s->counter,
		.rand = s->rand,
		.rand_len = MIKEY_RAND_LEN,
		.idi = s->idi,
		.idr = s->idr,
		.kd = &kd,
		.inkey = muk,
		.inkey_len = muk_len,
		.kdf_rand = s->rand,
		.kdf_rand_len = MIKEY_RAND_LEN,
	};
	int ret;

	if (check_key(muk, muk_len, "MUK", err) ||
	    check_id(s->idi, "IDi", err) || check_id(s->idr, "IDr", err))
		return err ? err->code : MIKEY_E_INVAL;
	if (mikey_msk_key_group(s->msk_id) == 0 ||
	    mikey_msk_key_number(s->msk_id) == 0)
		return mikey_fail(err, MIKEY_E_INVAL, 0,
				  "MSK ID 0x%08x: Key Group and Key Number must not be 0",
				  s->msk_id);
	if (s->msk && s->msk_len != MIKEY_MBMS_KEY_LEN)
		return mikey_fail(err, MIKEY_E_KEY, 0, "MSK of %zu bytes (%d expected)",
				  s->msk_len, MIKEY_MBMS_KEY_LEN);
	if (s->seql > UINT16_MAX || s->sequ > UINT16_MAX)
		return mikey_fail(err, MIKEY_E_INVAL, 0,
				  "SEQl/SEQu above the 16-bit MTK ID range");
	b.ext = (struct mikey_mbms_ext){ .present = true, .has_msk_id = true,
					 .msk_id = s->msk_id };
	memcpy(b.ext.key_domain, s->key_domain, MIKEY_KEY_DOMAIN_LEN);
	if (!s->download && !s->no_sp) {
		if (!s->sp)
			mikey_sp_mbms_default(&sp, 10);
		b.sp = s->sp ? s->sp : &sp;
	}
	kd.type = mikey_mbms_msk_key_type;
	kd.kv = MIKEY_KV_INTERVAL;
	kd.key_len = s->msk ? (uint16_t)s->msk_len : MIKEY_MBMS_KEYLESS_LEN;
	if (s->msk)
		memcpy(kd.key, s->msk, s->msk_len);
	kd.vf_len = MIKEY_MBMS_SEQ_LEN;
	kd.vt_len = MIKEY_MBMS_SEQ_LEN;
	kd.seql = s->seql;
	kd.sequ = s->sequ;
	ret = build_msg(&b, out, cap, out_len, err);
	mikey_wipe(&kd, sizeof(kd));
	return ret;
}

int mikey_encode_mtk(const struct mikey_mtk_spec *s, const uint8_t *msk,
		     size_t msk_len, const uint8_t *rand, size_t rand_len,
		     uint8_t *out, size_t cap, size_t *out_len,
		     struct mikey_error *err)
{
	struct mikey_key_data kd = { 0 };
	struct build b = {
		.data_type = MIKEY_DT_PSK_INIT,
		.csb_id = s->csb_id,
		.map_type = MIKEY_MAP_EMPTY,
		.counter = s->counter,
		.kd = &kd,
		.inkey = msk,
		.inkey_len = msk_len,
		.kdf_rand = rand,
		.kdf_rand_len = rand_len,
	};
	int ret;

	if (check_key(msk, msk_len, "MSK", err))
		return MIKEY_E_KEY;
	if (!rand || rand_len == 0 || rand_len > MIKEY_MAX_RAND_LEN)
		return mikey_fail(err, MIKEY_E_KEY, 0,
				  "the RAND stored with the MSK is needed");
	if (!s->mtk || s->mtk_len != MIKEY_MBMS_KEY_LEN)
		return mikey_fail(err, MIKEY_E_KEY, 0, "MTK of %zu bytes (%d expected)",
				  s->mtk ? s->mtk_len : 0, MIKEY_MBMS_KEY_LEN);
	if (s->salt && s->salt_len != MIKEY_MBMS_SALT_LEN)
		return mikey_fail(err, MIKEY_E_KEY, 0, "salt of %zu bytes (%d expected)",
				  s->salt_len, MIKEY_MBMS_SALT_LEN);
	if (mikey_msk_key_group(s->msk_id) == 0 ||
	    mikey_msk_key_number(s->msk_id) == 0 || s->mtk_id == 0)
		return mikey_fail(err, MIKEY_E_INVAL, 0,
				  "MSK ID 0x%08x / MTK ID %u: zero parts are reserved",
				  s->msk_id, s->mtk_id);
	b.ext = (struct mikey_mbms_ext){ .present = true, .has_msk_id = true,
					 .msk_id = s->msk_id,
					 .has_mtk_id = true,
					 .mtk_id = s->mtk_id };
	memcpy(b.ext.key_domain, s->key_domain, MIKEY_KEY_DOMAIN_LEN);
	kd.type = s->salt ? MIKEY_KD_TEK_SALT : MIKEY_KD_TGK;
	kd.kv = MIKEY_KV_NULL;
	kd.key_len = MIKEY_MBMS_KEY_LEN;
	memcpy(kd.key, s->mtk, MIKEY_MBMS_KEY_LEN);
	if (s->salt) {
		kd.has_salt = true;
		kd.salt_len = MIKEY_MBMS_SALT_LEN;
		memcpy(kd.salt, s->salt, MIKEY_MBMS_SALT_LEN);
	}
	ret = build_msg(&b, out, cap, out_len, err);
	mikey_wipe(&kd, sizeof(kd));
	return ret;
}

int mikey_encode_solicited_pull(const struct mikey_pull_spec *s,
				const uint8_t *muk, size_t muk_len,
				uint8_t *out, size_t cap, size_t *out_len,
				struct mikey_error *err)
{
	struct build b = {
		.data_type = MIKEY_DT_PSK_INIT,
		.csb_id = s->csb_id,
		.map_type = MIKEY_MAP_EMPTY,
		.counter = s->counter,
		.rand = s->rand,
		.rand_len = MIKEY_RAND_LEN,
		.idi = s->idi,
		.idr = s->idr,
		.inkey = muk,
		.inkey_len = muk_len,
		.kdf_rand = s->rand,
		.kdf_rand_len = MIKEY_RAND_LEN,
	};

	if (check_key(muk, muk_len, "MUK", err) ||
	    check_id(s->idi, "IDi", err) || check_id(s->idr, "IDr", err))
		return err ? err->code : MIKEY_E_INVAL;
	if (s->key_group == 0)
		return mikey_fail(err, MIKEY_E_INVAL, 0, "Key Group 0 is reserved");
	b.ext = (struct mikey_mbms_ext){ .present = true, .has_msk_id = true,
					 .msk_id = (uint32_t)s->key_group << 16 };
	memcpy(b.ext.key_domain, s->key_domain, MIKEY_KEY_DOMAIN_LEN);
	return build_msg(&b, out, cap, out_len, err);
}

int mikey_encode_verification(const struct mikey_msg *init,
			      const uint8_t *muk, size_t muk_len,
			      uint8_t *out, size_t cap, size_t *out_len,
			      struct mikey_error *err)
{
	struct mikey_kemac_keys k;
	struct build b = { 0 };
	struct wr w = { .p = out, .cap = cap };
	uint8_t *v;
	int ret;

	if (init->kind != MIKEY_KIND_MSK || !init->t.present ||
	    !init->idr.present)
		return mikey_fail(err, MIKEY_E_INVAL, 0,
				  "a verification message answers a decoded MSK message");
	if (check_key(muk, muk_len, "MUK", err))
		return MIKEY_E_KEY;
	/* HDR || T || IDr || V, same CSB ID; #CS 0 and the Empty map
	 * (TS 33.246 §6.4.5.2), whatever map the MSK message had.
	 */
	b.data_type = MIKEY_DT_PSK_RESP;
	b.csb_id = init->hdr.csb_id;
	b.n_cs = 0;
	b.map_type = MIKEY_MAP_EMPTY;
	put_hdr(&w, &b);
	put_t(&w, (uint32_t)init->t.value);
	if (!w.overflow) {
		uint8_t *p = wr_payload(&w, MIKEY_PT_ID, 4 + init->idr.len);

		if (p) {
			p[1] = init->idr.type;
			put_be16(p + 2, init->idr.len);
			memcpy(p + 4, init->idr.data, init->idr.len);
		}
	}
	v = wr_payload(&w, MIKEY_PT_V, 2 + MIKEY_MAC_LEN);
	if (!v || w.overflow) {
		mikey_wipe(out, cap);
		return mikey_fail(err, MIKEY_E_NOSPACE, 0,
				  "output buffer of %zu bytes too small", cap);
	}
	v[1] = MIKEY_MAC_HMAC_SHA1_160;
	ret = mikey_derive_kemac_keys(muk, muk_len, init->hdr.csb_id,
				      init->rand, init->rand_len, &k);
	if (!ret)
		ret = mikey_verif_mac(k.auth, out, w.len - MIKEY_MAC_LEN, init,
				      v + 2);
	mikey_kemac_keys_clear(&k);
	if (ret) {
		mikey_wipe(out, cap);
		return mikey_fail(err, MIKEY_E_CRYPTO, 0, "MAC computation failed");
	}
	*out_len = w.len;
	return 0;
}
