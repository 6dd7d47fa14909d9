// SPDX-License-Identifier: GPL-2.0
/* libmikey: SRTP security policy (SP payload) helpers. */
#include "mikey_int.h"

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
