// SPDX-License-Identifier: GPL-2.0
/* libmikey: the TS 33.220 Annex B KDF (HMAC-SHA-256) and the MRK from it. */
#include "mikey_int.h"

int ts33220_kdf(const uint8_t *key, size_t key_len, uint8_t fc,
		const struct ts33220_param *params, size_t n_params,
		uint8_t out[32])
{
	struct mikey_iov parts[1 + 2 * TS33220_MAX_PARAMS];
	uint8_t lens[TS33220_MAX_PARAMS][2];
	size_t i, n = 0;

	if (!key || key_len == 0 || n_params > TS33220_MAX_PARAMS ||
	    (n_params && !params))
		return MIKEY_E_INVAL;
	/* S = FC || P0 || L0 || P1 || L1 ... */
	parts[n++] = (struct mikey_iov){ &fc, 1 };
	for (i = 0; i < n_params; i++) {
		if (!params[i].data && params[i].len)
			return MIKEY_E_INVAL;
		put_be16(lens[i], params[i].len);
		parts[n++] = (struct mikey_iov){ params[i].data, params[i].len };
		parts[n++] = (struct mikey_iov){ lens[i], 2 };
	}
	return mikey_hmac("SHA256", key, key_len, parts, n, out, 32);
}

int mikey_mrk_from_ks_naf(const uint8_t *ks_naf, size_t ks_naf_len,
			  uint8_t mrk[MIKEY_MRK_LEN])
{
	static const char label[] = MIKEY_MRK_LABEL;
	struct ts33220_param p0 = {
		.data = (const uint8_t *)label,
		.len = sizeof(label) - 1,	/* L0 = 0x0008 */
	};

	return ts33220_kdf(ks_naf, ks_naf_len, MIKEY_MRK_FC, &p0, 1, mrk);
}
