// SPDX-License-Identifier: GPL-2.0
/*
 * libmikey: the MBMS Key ID General Extension (TS 33.246 §6.4.4, RFC 4563)
 * carrying the Key Domain ID, the MSK ID and (MTK messages) the MTK ID.
 *
 * UNVERIFIED: the layout below is the best available reading of RFC 4563
 * (PROTOCOL.md); the primary 3GPP text could not be checked.  Everything
 * that depends on it is in mikey_mbms_ext_layout, so a correction is one
 * edit here.
 */
#include "mikey_int.h"

static const struct {
	uint8_t ext_type;	/* General Extension type of "Key ID" */
	uint8_t type_muk, type_msk, type_mtk;	/* Key Type ID values */
	uint8_t msk_id_len, mtk_id_len;	/* key ID lengths (bytes) */
	bool domain_last;	/* Key Domain ID after the sub-payloads */
} mikey_mbms_ext_layout = {
	.ext_type = MIKEY_EXT_KEY_ID,
	.type_muk = MIKEY_KEYID_MUK,
	.type_msk = MIKEY_KEYID_MSK,
	.type_mtk = MIKEY_KEYID_MTK,
	.msk_id_len = 4,
	.mtk_id_len = 2,
	.domain_last = true,
};

const uint8_t mikey_mbms_ext_type = MIKEY_EXT_KEY_ID;

/* Sub-payload header: key type(8) | key ID len(16). */
#define SUB_HDR 3

int mikey_ext_parse_mbms(const uint8_t *data, size_t len, size_t base_off,
			 struct mikey_mbms_ext *ext, struct mikey_error *err)
{
	const typeof(mikey_mbms_ext_layout) *L = &mikey_mbms_ext_layout;
	size_t at = 0, ids_end, idlen;

	if (len < MIKEY_KEY_DOMAIN_LEN)
		return mikey_fail(err, MIKEY_E_EXT, base_off,
				  "EXT: Key ID data of %zu bytes has no room for the Key Domain ID",
				  len);
	if (L->domain_last) {
		memcpy(ext->key_domain, data + len - MIKEY_KEY_DOMAIN_LEN,
		       MIKEY_KEY_DOMAIN_LEN);
		ids_end = len - MIKEY_KEY_DOMAIN_LEN;
	} else {
		memcpy(ext->key_domain, data, MIKEY_KEY_DOMAIN_LEN);
		at = MIKEY_KEY_DOMAIN_LEN;
		ids_end = len;
	}
	while (at < ids_end) {
		uint8_t type;

		if (ids_end - at < SUB_HDR)
			return mikey_fail(err, MIKEY_E_EXT, base_off + at,
					  "EXT: Key Type ID header truncated (%zu bytes before the Key Domain ID)",
					  ids_end - at);
		type = data[at];
		idlen = get_be16(data + at + 1);
		if (idlen > ids_end - at - SUB_HDR)
			return mikey_fail(err, MIKEY_E_EXT, base_off + at + 1,
					  "EXT: key ID len %zu exceeds the extension (%zu left before the Key Domain ID)",
					  idlen, ids_end - at - SUB_HDR);
		at += SUB_HDR;
		if (type == L->type_msk) {
			if (ext->has_msk_id || idlen != L->msk_id_len)
				return mikey_fail(err, MIKEY_E_EXT, base_off + at,
						  ext->has_msk_id ?
						  "EXT: second MSK ID" :
						  "EXT: MSK ID of %zu bytes (4 expected)",
						  idlen);
			ext->msk_id = get_be32(data + at);
			ext->has_msk_id = true;
		} else if (type == L->type_mtk) {
			if (!ext->has_msk_id)
				return mikey_fail(err, MIKEY_E_EXT, base_off + at,
						  "EXT: MTK ID before the MSK ID");
			if (ext->has_mtk_id || idlen != L->mtk_id_len)
				return mikey_fail(err, MIKEY_E_EXT, base_off + at,
						  ext->has_mtk_id ?
						  "EXT: second MTK ID" :
						  "EXT: MTK ID of %zu bytes (2 expected)",
						  idlen);
			ext->mtk_id = get_be16(data + at);
			ext->has_mtk_id = true;
		} else if (type == L->type_muk) {
			ext->has_muk_id = true;
		} else {
			return mikey_fail(err, MIKEY_E_EXT, base_off + at - SUB_HDR,
					  "EXT: Key Type ID %u not known", type);
		}
		at += idlen;
	}
	ext->present = true;
	return 0;
}

size_t mikey_ext_build_mbms(const struct mikey_mbms_ext *ext, uint8_t *out,
			    size_t cap)
{
	const typeof(mikey_mbms_ext_layout) *L = &mikey_mbms_ext_layout;
	size_t need = SUB_HDR + L->msk_id_len + MIKEY_KEY_DOMAIN_LEN, at = 0;

	if (ext->has_mtk_id)
		need += SUB_HDR + L->mtk_id_len;
	if (cap < need)
		return 0;
	if (!L->domain_last) {
		memcpy(out, ext->key_domain, MIKEY_KEY_DOMAIN_LEN);
		at = MIKEY_KEY_DOMAIN_LEN;
	}
	out[at] = L->type_msk;
	put_be16(out + at + 1, L->msk_id_len);
	put_be32(out + at + SUB_HDR, ext->msk_id);
	at += SUB_HDR + L->msk_id_len;
	if (ext->has_mtk_id) {
		out[at] = L->type_mtk;
		put_be16(out + at + 1, L->mtk_id_len);
		put_be16(out + at + SUB_HDR, ext->mtk_id);
		at += SUB_HDR + L->mtk_id_len;
	}
	if (L->domain_last) {
		memcpy(out + at, ext->key_domain, MIKEY_KEY_DOMAIN_LEN);
		at += MIKEY_KEY_DOMAIN_LEN;
	}
	return at;
}
