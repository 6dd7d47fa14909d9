// SPDX-License-Identifier: GPL-2.0
/* libmikey: SRTP security policy (SP payload) helpers. */
#include "mikey_int.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

static void add(struct mikey_sp *sp, uint8_t type, uint8_t val)
{
	struct mikey_sp_param *p = &sp->params[sp->n_params++];

	p->type = type;
	p->len = 1;
	p->val[0] = val;
}

void mikey_sp_mbms_default(struct mikey_sp *sp, uint8_t auth_tag_len)
{
	memset(sp, 0, sizeof(*sp));
	sp->policy_no = 0;
	sp->prot_type = MIKEY_SP_PROT_SRTP;
	add(sp, MIKEY_SRTP_ENCR_ALG, 1);		/* AES-CM */
	add(sp, MIKEY_SRTP_ENCR_KEY_LEN, 16);
	add(sp, MIKEY_SRTP_AUTH_ALG, 1);		/* HMAC-SHA-1 */
	add(sp, MIKEY_SRTP_AUTH_KEY_LEN, 20);
	add(sp, MIKEY_SRTP_SALT_LEN, 14);
	add(sp, MIKEY_SRTP_PRF, 0);			/* AES-CM PRF */
	add(sp, MIKEY_SRTP_KDR, 0);			/* TS 33.246: KDR 0 */
	add(sp, MIKEY_SRTP_SRTP_ENCR, 1);
	add(sp, MIKEY_SRTP_SRTCP_ENCR, 1);
	add(sp, MIKEY_SRTP_SRTP_AUTH, 1);
	add(sp, MIKEY_SRTP_AUTH_TAG_LEN, auth_tag_len);
}

bool mikey_sp_get(const struct mikey_sp *sp, uint8_t type, uint64_t *val)
{
	size_t i, j;

	for (i = 0; i < sp->n_params; i++) {
		const struct mikey_sp_param *p = &sp->params[i];

		if (p->type != type || p->len > 8)
			continue;
		*val = 0;
		for (j = 0; j < p->len; j++)
			*val = *val << 8 | p->val[j];
		return true;
	}
	return false;
}

static const struct mikey_sp_param *first(const struct mikey_sp *sp,
					  uint8_t type)
{
	size_t i;

	for (i = 0; i < sp->n_params; i++)
		if (sp->params[i].type == type)
			return &sp->params[i];
	return NULL;
}

const char *mikey_rcc_mode_name(unsigned int mode)
{
	static const char *const n[] = { "none", "rccm1", "rccm2", "rccm3" };

	return mode < N_ELEM(n) ? n[mode] : "?";
}

int mikey_sp_rcc(const struct mikey_sp *sp, struct mikey_rcc *out,
		 struct mikey_error *err)
{
	const struct mikey_sp_param *a, *r;
	struct mikey_rcc v = { 0 };
	uint32_t rate = 0;
	size_t i;

	/* @out stays zero unless the whole policy reads. */
	memset(out, 0, sizeof(*out));
	if (sp->prot_type != MIKEY_SP_PROT_SRTP)
		return mikey_fail(err, MIKEY_E_ALG, 0,
				  "SP: protocol type %u is not SRTP (0)",
				  sp->prot_type);
	a = first(sp, MIKEY_SRTP_AUTH_ALG);
	if (a && a->len != 1)
		return mikey_fail(err, MIKEY_E_LENGTH, 0,
				  "SP: auth alg (parameter 2) of %u bytes, expected 1",
				  a->len);
	switch (a ? a->val[0] : MIKEY_SRTP_AUTH_HMAC_SHA1) {
	case MIKEY_SRTP_AUTH_NULL:
	case MIKEY_SRTP_AUTH_HMAC_SHA1:
		v.mode = MIKEY_RCC_NONE;
		break;
	case MIKEY_SRTP_AUTH_RCCM1:
		v.mode = MIKEY_RCC_MODE1;
		break;
	case MIKEY_SRTP_AUTH_RCCM2:
		v.mode = MIKEY_RCC_MODE2;
		break;
	case MIKEY_SRTP_AUTH_RCCM3:
		v.mode = MIKEY_RCC_MODE3;
		break;
	default:
		return mikey_fail(err, MIKEY_E_ALG, 0,
				  "SP: unknown auth alg %u (parameter 2)",
				  a->val[0]);
	}
	r = first(sp, MIKEY_SRTP_ROC_TX_RATE);
	if (!r) {
		*out = v;
		return MIKEY_OK;
	}
	if (r->len == 0 || r->len > MIKEY_ROC_TX_RATE_MAX_LEN)
		return mikey_fail(err, MIKEY_E_LENGTH, 0,
				  "SP: ROC transmission rate (parameter 13) of %u bytes, expected 1 to %d",
				  r->len, MIKEY_ROC_TX_RATE_MAX_LEN);
	for (i = 0; i < r->len; i++)
		rate = rate << 8 | r->val[i];
	if (rate == 0)
		return mikey_fail(err, MIKEY_E_ALG, 0,
				  "SP: ROC transmission rate (parameter 13) is 0 (RFC 4771: R >= 1)");
	v.rate = (uint16_t)rate;
	*out = v;
	return MIKEY_OK;
}

/* Replace the first parameter @type with @len bytes of @val, or append. */
static int set_param(struct mikey_sp *sp, uint8_t type, const uint8_t *val,
		     uint8_t len)
{
	struct mikey_sp_param *p = (struct mikey_sp_param *)first(sp, type);

	if (!p) {
		if (sp->n_params >= MIKEY_MAX_SP_PARAMS)
			return MIKEY_E_LIMIT;
		p = &sp->params[sp->n_params++];
	}
	p->type = type;
	p->len = len;
	memcpy(p->val, val, len);
	return MIKEY_OK;
}

static void del_param(struct mikey_sp *sp, uint8_t type)
{
	size_t i, k = 0;

	for (i = 0; i < sp->n_params; i++)
		if (sp->params[i].type != type)
			sp->params[k++] = sp->params[i];
	sp->n_params = (uint8_t)k;
}

int mikey_sp_set_rcc(struct mikey_sp *sp, const struct mikey_rcc *rcc)
{
	static const uint8_t alg[] = {
		[MIKEY_RCC_NONE] = MIKEY_SRTP_AUTH_HMAC_SHA1,
		[MIKEY_RCC_MODE1] = MIKEY_SRTP_AUTH_RCCM1,
		[MIKEY_RCC_MODE2] = MIKEY_SRTP_AUTH_RCCM2,
		[MIKEY_RCC_MODE3] = MIKEY_SRTP_AUTH_RCCM3,
	};
	uint8_t r[MIKEY_ROC_TX_RATE_MAX_LEN];
	struct mikey_sp tmp = *sp;
	int ret;

	if (rcc->mode >= N_ELEM(alg))
		return MIKEY_E_INVAL;
	ret = set_param(&tmp, MIKEY_SRTP_AUTH_ALG, &alg[rcc->mode], 1);
	if (!ret && rcc->rate) {
		put_be16(r, rcc->rate);
		ret = set_param(&tmp, MIKEY_SRTP_ROC_TX_RATE, r, sizeof(r));
	} else if (!ret) {
		del_param(&tmp, MIKEY_SRTP_ROC_TX_RATE);
	}
	if (!ret)
		*sp = tmp;
	return ret;
}

int mikey_sp_srtp_tag_len(const struct mikey_sp *sp, unsigned int min,
			  unsigned int max, uint8_t *out,
			  struct mikey_error *err)
{
	const struct mikey_sp_param *t = first(sp, MIKEY_SRTP_AUTH_TAG_LEN);
	uint64_t v = 0;
	size_t i;

	if (!t) {
		v = 10;
	} else {
		if (t->len == 0 || t->len > 8)
			return mikey_fail(err, MIKEY_E_LENGTH, 0,
					  "SP: SRTP auth tag length (parameter 11) of %u bytes, expected 1",
					  t->len);
		for (i = 0; i < t->len; i++)
			v = v << 8 | t->val[i];
	}
	if (v < min || v > max)
		return mikey_fail(err, MIKEY_E_ALG, 0,
				  "SP: SRTP auth tag length (parameter 11) %llu bytes: this receiver takes %u to %u",
				  (unsigned long long)v, min, max);
	*out = (uint8_t)v;
	return MIKEY_OK;
}
