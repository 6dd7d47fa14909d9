// SPDX-License-Identifier: GPL-2.0
/*
 * libmikey: authenticate, then decrypt.  The KEMAC MAC is checked (in
 * constant time) before a single byte of key data is decrypted or parsed;
 * the verification-message MAC likewise.
 */
#include "mikey_int.h"

/*
 * Key types accepted in an MSK message.  PROTOCOL.md says TEK; TGK is also
 * accepted because a receiver gains nothing by refusing it (the MSK is used
 * only as PRF input).  The encoder writes mikey_mbms_msk_key_type.
 */
const uint8_t mikey_mbms_msk_key_type = MIKEY_KD_TEK;

int mikey_kemac_mac(const struct mikey_kemac_keys *k, const uint8_t *msg,
		    size_t len, uint8_t mac[MIKEY_MAC_LEN])
{
	return mikey_hmac_sha1(k->auth, sizeof(k->auth), msg, len, mac);
}

/*
 * UNVERIFIED coverage of the verification MAC (RFC 3830 §5.2 as read in
 * PROTOCOL.md): the reply up to its MAC field, then the IDi, IDr and T
 * payloads of the initiator's message exactly as they were on the wire.
 */
int mikey_verif_mac(const uint8_t auth[MIKEY_AUTH_KEY_LEN],
		    const uint8_t *reply, size_t reply_len,
		    const struct mikey_msg *init, uint8_t mac[MIKEY_MAC_LEN])
{
	struct mikey_iov parts[4] = {
		{ reply, reply_len },
		{ init->raw + init->idi_span.off, init->idi_span.len },
		{ init->raw + init->idr_span.off, init->idr_span.len },
		{ init->raw + init->t_span.off, init->t_span.len },
	};

	return mikey_hmac("SHA1", auth, MIKEY_AUTH_KEY_LEN, parts, 4, mac,
			  MIKEY_MAC_LEN);
}

/* Does the decrypted key data fit the kind of message it came in? */
static int check_keys(struct mikey_msg *m, struct mikey_error *err)
{
	const struct mikey_key_data *kd = &m->keys[0];

	if (m->n_keys != 1)
		return mikey_fail(err, MIKEY_E_KEY_DATA, 0,
				  "%u keys in one %s message (one expected)",
				  m->n_keys, mikey_kind_name(m->kind));
	if (m->kind == MIKEY_KIND_MSK) {
		if (kd->type != mikey_mbms_msk_key_type &&
		    kd->type != MIKEY_KD_TGK)
			return mikey_fail(err, MIKEY_E_KEY_DATA, 0,
					  "MSK key data of type %u (TEK or TGK expected)",
					  kd->type);
		if (kd->kv != MIKEY_KV_INTERVAL)
			return mikey_fail(err, MIKEY_E_KEY_DATA, 0,
					  "MSK key data with KV type %u (Interval expected)",
					  kd->kv);
		if (kd->key_len != MIKEY_MBMS_KEY_LEN &&
		    kd->key_len != MIKEY_MBMS_KEYLESS_LEN)
			return mikey_fail(err, MIKEY_E_KEY_DATA, 0,
					  "MSK of %u bytes (%d expected)",
					  kd->key_len, MIKEY_MBMS_KEY_LEN);
		return 0;
	}
	/* MTK: TEK+SALT (streaming) or TGK (download), KV Null. */
	if (kd->type == MIKEY_KD_TEK_SALT) {
		if (kd->salt_len != MIKEY_MBMS_SALT_LEN)
			return mikey_fail(err, MIKEY_E_KEY_DATA, 0,
					  "MTK salt of %u bytes (%d expected)",
					  kd->salt_len, MIKEY_MBMS_SALT_LEN);
		m->download = false;
	} else if (kd->type == MIKEY_KD_TGK) {
		m->download = true;
	} else {
		return mikey_fail(err, MIKEY_E_KEY_DATA, 0,
				  "MTK key data of type %u (TEK+SALT or TGK expected)",
				  kd->type);
	}
	if (kd->kv != MIKEY_KV_NULL)
		return mikey_fail(err, MIKEY_E_KEY_DATA, 0,
				  "MTK key data with KV type %u (Null expected)",
				  kd->kv);
	if (kd->key_len != MIKEY_MBMS_KEY_LEN)
		return mikey_fail(err, MIKEY_E_KEY_DATA, 0,
				  "MTK of %u bytes (%d expected)", kd->key_len,
				  MIKEY_MBMS_KEY_LEN);
	return 0;
}

int mikey_verify_decrypt(struct mikey_msg *m, const uint8_t *inkey,
			 size_t inkey_len, const uint8_t *rand,
			 size_t rand_len, struct mikey_error *err)
{
	struct mikey_kemac_keys k;
	uint8_t mac[MIKEY_MAC_LEN], iv[16];
	uint8_t plain[MIKEY_MAX_MESSAGE_LEN];
	const struct mikey_kemac *km = &m->kemac;
	int ret;

	m->mac_ok = false;
	mikey_wipe(m->keys, sizeof(m->keys));
	m->n_keys = 0;
	if (m->kind != MIKEY_KIND_MSK && m->kind != MIKEY_KIND_MTK &&
	    m->kind != MIKEY_KIND_SOLICITED_PULL)
		return mikey_fail(err, MIKEY_E_INVAL, 0,
				  "not a decoded MSK, MTK or solicited-pull message");
	if (!inkey || inkey_len == 0)
		return mikey_fail(err, MIKEY_E_KEY, 0, "no key given");
	if (!rand) {
		if (!m->has_rand)
			return mikey_fail(err, MIKEY_E_KEY, 0,
					  "MTK message has no RAND: pass the RAND stored with the MSK");
		rand = m->rand;
		rand_len = m->rand_len;
	}
	if (rand_len == 0 || rand_len > MIKEY_MAX_RAND_LEN)
		return mikey_fail(err, MIKEY_E_KEY, 0, "RAND of %zu bytes",
				  rand_len);

	ret = mikey_derive_kemac_keys(inkey, inkey_len, m->hdr.csb_id, rand,
				      rand_len, &k);
	if (!ret)
		ret = mikey_kemac_mac(&k, m->raw, km->mac_off, mac);
	if (ret) {
		ret = mikey_fail(err, MIKEY_E_CRYPTO, 0, "key derivation failed");
		goto out;
	}
	if (!mikey_mem_equal(mac, km->mac, MIKEY_MAC_LEN)) {
		ret = mikey_fail(err, MIKEY_E_MAC, km->mac_off,
				  "KEMAC: MAC does not verify (wrong key, or message altered)");
		goto out;
	}
	m->mac_ok = true;
	if (m->kind == MIKEY_KIND_SOLICITED_PULL)
		goto out;	/* encr data len 0: checked by the profile */

	mikey_kemac_iv(k.salt, m->hdr.csb_id, mikey_ts_iv_value(&m->t), iv);
	ret = mikey_aes_cm(k.encr, iv, m->raw + km->encr_off, plain,
			   km->encr_len);
	if (ret) {
		ret = mikey_fail(err, MIKEY_E_CRYPTO, 0, "AES-CM failed");
		goto out;
	}
	ret = mikey_keydata_parse(plain, km->encr_len, m, err);
	if (!ret)
		ret = check_keys(m, err);
	if (ret) {
		mikey_wipe(m->keys, sizeof(m->keys));
		m->n_keys = 0;
	}
out:
	mikey_kemac_keys_clear(&k);
	mikey_wipe(plain, sizeof(plain));
	mikey_wipe(mac, sizeof(mac));
	return ret;
}

int mikey_verify_verification(struct mikey_msg *reply,
			      const struct mikey_msg *init,
			      const uint8_t *muk, size_t muk_len,
			      struct mikey_error *err)
{
	struct mikey_kemac_keys k;
	uint8_t mac[MIKEY_MAC_LEN];
	int ret;

	reply->mac_ok = false;
	if (reply->kind != MIKEY_KIND_VERIFICATION ||
	    init->kind != MIKEY_KIND_MSK)
		return mikey_fail(err, MIKEY_E_INVAL, 0,
				  "needs a verification message and the MSK message it answers");
	if (!muk || muk_len == 0)
		return mikey_fail(err, MIKEY_E_KEY, 0, "no MUK given");
	if (reply->hdr.csb_id != init->hdr.csb_id)
		return mikey_fail(err, MIKEY_E_MAC, 4,
				  "verification for CSB ID 0x%08x, MSK message had 0x%08x",
				  reply->hdr.csb_id, init->hdr.csb_id);
	ret = mikey_derive_kemac_keys(muk, muk_len, init->hdr.csb_id,
				      init->rand, init->rand_len, &k);
	if (!ret)
		ret = mikey_verif_mac(k.auth, reply->raw, reply->v.mac_off,
				      init, mac);
	mikey_kemac_keys_clear(&k);
	if (ret)
		return mikey_fail(err, MIKEY_E_CRYPTO, 0, "key derivation failed");
	if (!mikey_mem_equal(mac, reply->v.mac, MIKEY_MAC_LEN))
		return mikey_fail(err, MIKEY_E_MAC, reply->v.mac_off,
				  "V: MAC does not verify");
	reply->mac_ok = true;
	return 0;
}
