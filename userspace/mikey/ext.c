// SPDX-License-Identifier: GPL-2.0
/*
 * libmikey: the Key ID General Extension (RFC 4563) as TS 33.246 §6.4.4
 * uses it: a sequence of Key ID entries carrying the MBMS Key Domain ID,
 * the MSK ID and (MTK messages) the MTK ID.
 *
 * Every number of the layout is in mikey_keyid_layout below, with its
 * source; the one reading that could not be checked against primary text
 * (the entry header, RFC 4563 §4) is marked there.  See
 * Documentation/mikey.rst "Key ID extension".
 */
#include "mikey_int.h"

static const struct {
	uint8_t ext_type;	/* General Extension type "Key ID" */
	uint8_t type_domain;	/* Key ID types (values of type 3) */
	uint8_t type_msk;
	uint8_t type_mtk;
	uint8_t domain_len;	/* value lengths in bytes */
	uint8_t msk_id_len;
	uint8_t mtk_id_len;
	uint8_t entry_hdr;	/* Key ID type(8) | Key ID length(16) */
} mikey_keyid_layout = {
	/* IANA MIKEY registry, General Extensions types: 3 = Key ID (RFC
	 * 4563); 2 is TESLA I-Key, 4 CSB_ID, 5 OMA BCAST.
	 */
	.ext_type = MIKEY_EXT_KEY_ID,
	/* IANA "Key ID Types (Value 3)": 0 MBMS Key Domain ID, 1 MSK ID,
	 * 2 MTK ID.
	 */
	.type_domain = MIKEY_KEYID_KEY_DOMAIN,
	.type_msk = MIKEY_KEYID_MSK,
	.type_mtk = MIKEY_KEYID_MTK,
	/* TS 33.246 §6.3.2.1 (Key Domain ID = MCC || MNC, MSK ID), §6.3.3.1
	 * (MTK ID).
	 */
	.domain_len = MIKEY_KEY_DOMAIN_LEN,
	.msk_id_len = 4,
	.mtk_id_len = 2,
	/* UNVERIFIED: the entry header is the best reading of RFC 4563 §4,
	 * whose body could not be retrieved (PROTOCOL.md).
	 */
	.entry_hdr = 3,
};

const uint8_t mikey_mbms_ext_type = MIKEY_EXT_KEY_ID;

/* One known entry: where its value goes once its length is right. */
static int keyid_entry(struct mikey_mbms_ext *ext, uint8_t type,
		       const uint8_t *v, size_t len, size_t off,
		       bool *seen_domain, struct mikey_error *err)
{
	const typeof(mikey_keyid_layout) *L = &mikey_keyid_layout;
	const char *name;
	size_t want;
	bool dup;

	if (type == L->type_domain) {
		name = "Key Domain ID";
		want = L->domain_len;
		dup = *seen_domain;
	} else if (type == L->type_msk) {
		name = "MSK ID";
		want = L->msk_id_len;
		dup = ext->has_msk_id;
	} else {
		name = "MTK ID";
		want = L->mtk_id_len;
		dup = ext->has_mtk_id;
	}
	if (dup)
		return mikey_fail(err, MIKEY_E_EXT, off,
				  "EXT: second %s entry", name);
	if (len != want)
		return mikey_fail(err, MIKEY_E_EXT, off + 1,
				  "EXT: %s of %zu bytes (%zu expected)", name,
				  len, want);
	if (type == L->type_domain) {
		memcpy(ext->key_domain, v, L->domain_len);
		*seen_domain = true;
	} else if (type == L->type_msk) {
		ext->msk_id = get_be32(v);
		ext->has_msk_id = true;
	} else {
		ext->mtk_id = get_be16(v);
		ext->has_mtk_id = true;
	}
	return 0;
}

/*
 * Entries may come in any order; unknown Key ID types are skipped (they
 * stay covered by the MAC like every other byte).  The Key Domain ID is
 * required; whether the MSK / MTK IDs must be there is the profile's call.
 */
int mikey_ext_parse_mbms(const uint8_t *data, size_t len, size_t base_off,
			 struct mikey_mbms_ext *ext, struct mikey_error *err)
{
	const typeof(mikey_keyid_layout) *L = &mikey_keyid_layout;
	bool seen_domain = false;
	size_t at = 0;
	int ret;

	while (at < len) {
		uint8_t type;
		size_t idlen;

		if (len - at < L->entry_hdr)
			return mikey_fail(err, MIKEY_E_EXT, base_off + at,
					  "EXT: Key ID entry header truncated (%zu of %u bytes)",
					  len - at, L->entry_hdr);
		type = data[at];
		idlen = get_be16(data + at + 1);
		if (idlen > len - at - L->entry_hdr)
			return mikey_fail(err, MIKEY_E_EXT, base_off + at + 1,
					  "EXT: Key ID length %zu exceeds the extension (%zu left)",
					  idlen, len - at - L->entry_hdr);
		if (type == L->type_domain || type == L->type_msk ||
		    type == L->type_mtk) {
			ret = keyid_entry(ext, type, data + at + L->entry_hdr,
					  idlen, base_off + at, &seen_domain,
					  err);
			if (ret)
				return ret;
		}
		at += L->entry_hdr + idlen;
	}
	if (!seen_domain)
		return mikey_fail(err, MIKEY_E_EXT, base_off,
				  "EXT: no Key Domain ID entry (Key ID type %u)",
				  L->type_domain);
	ext->present = true;
	return 0;
}

static size_t put_entry(uint8_t *out, uint8_t type, const uint8_t *v,
			uint8_t len)
{
	out[0] = type;
	put_be16(out + 1, len);
	memcpy(out + mikey_keyid_layout.entry_hdr, v, len);
	return mikey_keyid_layout.entry_hdr + (size_t)len;
}

/* Key Domain ID first (TS 33.246 Annex D.3), then MSK ID, then MTK ID. */
size_t mikey_ext_build_mbms(const struct mikey_mbms_ext *ext, uint8_t *out,
			    size_t cap)
{
	const typeof(mikey_keyid_layout) *L = &mikey_keyid_layout;
	size_t need = 2u * L->entry_hdr + L->domain_len + L->msk_id_len;
	uint8_t v[4];
	size_t at;

	if (ext->has_mtk_id)
		need += L->entry_hdr + L->mtk_id_len;
	if (cap < need)
		return 0;
	at = put_entry(out, L->type_domain, ext->key_domain, L->domain_len);
	put_be32(v, ext->msk_id);
	at += put_entry(out + at, L->type_msk, v, L->msk_id_len);
	if (ext->has_mtk_id) {
		put_be16(v, ext->mtk_id);
		at += put_entry(out + at, L->type_mtk, v, L->mtk_id_len);
	}
	return at;
}
