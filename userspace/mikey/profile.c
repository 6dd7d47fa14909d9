// SPDX-License-Identifier: GPL-2.0
/*
 * libmikey: the TS 33.246 §6.4 profile.  Runs after the RFC 3830 framing
 * checks; decides what the message is (MSK, MTK, solicited pull,
 * verification) and rejects what RFC 3830 allows but MBMS forbids.
 */
#include "mikey_int.h"

static int check_verification(struct mikey_msg *m, struct mikey_error *err)
{
	if (!m->t.present)
		return mikey_fail(err, MIKEY_E_MISSING, 0,
				  "verification message without T payload");
	if (!m->v.present)
		return mikey_fail(err, MIKEY_E_MISSING, 0,
				  "verification message without V payload");
	if (m->v.mac_alg == MIKEY_MAC_NULL)
		return mikey_fail(err, MIKEY_E_NULL_ALG, m->v.mac_off - 1,
				  "V: NULL MAC is forbidden");
	if (m->kemac.present || m->has_rand || m->n_sp)
		return mikey_fail(err, MIKEY_E_PROFILE, 0,
				  "verification message carries %s",
				  m->kemac.present ? "KEMAC" :
				  m->has_rand ? "RAND" : "SP");
	if (m->idr.present)
		return mikey_fail(err, MIKEY_E_DUPLICATE, m->idr_span.off,
				  "verification message with two ID payloads");
	if (m->idi.present) {
		/* HDR, T, [IDr], V: a reply's only ID payload is IDr. */
		m->idr = m->idi;
		m->idr_span = m->idi_span;
		memset(&m->idi, 0, sizeof(m->idi));
		m->idi_span = (struct mikey_span){ 0, 0 };
	}
	m->kind = MIKEY_KIND_VERIFICATION;
	return 0;
}

/* Payloads every MSK-type message (MSK, solicited pull) needs. */
static int check_msk_common(struct mikey_msg *m, const char *what,
			    struct mikey_error *err)
{
	if (!m->has_rand)
		return mikey_fail(err, MIKEY_E_MISSING, 0,
				  "%s message without RAND payload", what);
	if (!m->idi.present || !m->idr.present)
		return mikey_fail(err, MIKEY_E_MISSING, 0,
				  "%s message without %s payload", what,
				  m->idi.present ? "IDr" : "IDi");
	if (mikey_msk_key_group(m->ext.msk_id) == 0)
		return mikey_fail(err, MIKEY_E_PROFILE, 0,
				  "%s message: Key Group 0 is reserved", what);
	return 0;
}

static int check_psk_init(struct mikey_msg *m, struct mikey_error *err)
{
	const struct mikey_kemac *k = &m->kemac;
	int ret;

	if (!m->t.present)
		return mikey_fail(err, MIKEY_E_MISSING, 0, "no T payload");
	if (m->t.type != MIKEY_TS_COUNTER)
		return mikey_fail(err, MIKEY_E_TS_TYPE, m->t_span.off + 1,
				  "T: timestamp type %u (MBMS uses COUNTER, 2)",
				  m->t.type);
	if (!k->present)
		return mikey_fail(err, MIKEY_E_MISSING, 0, "no KEMAC payload");
	if (!m->ext.present || !m->ext.has_msk_id)
		return mikey_fail(err, MIKEY_E_EXT, 0,
				  "no MBMS Key ID extension with an MSK ID");
	if (k->encr_alg == MIKEY_ENCR_NULL || k->mac_alg == MIKEY_MAC_NULL)
		return mikey_fail(err, MIKEY_E_NULL_ALG, k->encr_off - 3,
				  "KEMAC: NULL %s is forbidden",
				  k->encr_alg == MIKEY_ENCR_NULL ?
				  "encryption" : "MAC");
	if (k->encr_alg != MIKEY_ENCR_AES_CM_128)
		return mikey_fail(err, MIKEY_E_ALG, k->encr_off - 3,
				  "KEMAC: encr alg %u (MBMS uses AES-CM-128, 1)",
				  k->encr_alg);
	if (m->v.present)
		return mikey_fail(err, MIKEY_E_PROFILE, m->v.mac_off - 2,
				  "V payload in a pre-shared-key message");
	if (m->has_rand && m->rand_len != MIKEY_RAND_LEN)
		return mikey_fail(err, MIKEY_E_PROFILE, 0,
				  "RAND of %u bytes (MBMS uses %d)", m->rand_len,
				  MIKEY_RAND_LEN);

	if (m->ext.has_mtk_id) {
		/* MTK message: HDR, EXT, T, KEMAC on the bearer. */
		if (m->hdr.v)
			return mikey_fail(err, MIKEY_E_PROFILE, 3,
					  "MTK message with the V bit set");
		if (m->has_rand || m->idi.present || m->idr.present || m->n_sp)
			return mikey_fail(err, MIKEY_E_PROFILE, 0,
					  "MTK message carries %s",
					  m->has_rand ? "RAND" : m->n_sp ? "SP" :
					  "an ID payload");
		if (m->hdr.map_type != MIKEY_MAP_EMPTY || m->hdr.n_cs != 0)
			return mikey_fail(err, MIKEY_E_CS_MAP, 8,
					  "MTK message: #CS %u map type %u (needs 0, Empty map)",
					  m->hdr.n_cs, m->hdr.map_type);
		if (mikey_msk_key_group(m->ext.msk_id) == 0 ||
		    mikey_msk_key_number(m->ext.msk_id) == 0)
			return mikey_fail(err, MIKEY_E_PROFILE, 0,
					  "MTK message under MSK ID 0x%08x (Key Group and Key Number must not be 0)",
					  m->ext.msk_id);
		if (m->ext.mtk_id == 0)
			return mikey_fail(err, MIKEY_E_PROFILE, 0,
					  "MTK ID 0 (MTK IDs start above 0)");
		if (k->encr_len == 0)
			return mikey_fail(err, MIKEY_E_PROFILE, k->encr_off - 2,
					  "MTK message without key data");
		m->kind = MIKEY_KIND_MTK;
		return 0;
	}

	if (mikey_msk_key_number(m->ext.msk_id) == 0) {
		/* Solicited pull: MAC only, never asks for a verification. */
		ret = check_msk_common(m, "solicited-pull", err);
		if (ret)
			return ret;
		if (k->encr_len != 0)
			return mikey_fail(err, MIKEY_E_PULL_KEY, k->encr_off - 2,
					  "solicited-pull message carries %u bytes of key data",
					  k->encr_len);
		if (m->hdr.v)
			return mikey_fail(err, MIKEY_E_PROFILE, 3,
					  "solicited-pull message with the V bit set");
		m->kind = MIKEY_KIND_SOLICITED_PULL;
		return 0;
	}

	ret = check_msk_common(m, "MSK", err);
	if (ret)
		return ret;
	if (k->encr_len == 0)
		return mikey_fail(err, MIKEY_E_PROFILE, k->encr_off - 2,
				  "MSK message without key data");
	if (m->hdr.map_type == MIKEY_MAP_SRTP_ID && m->hdr.n_cs == 0)
		return mikey_fail(err, MIKEY_E_CS_MAP, 8,
				  "MSK message: SRTP-ID map with no crypto session");
	m->download = m->hdr.map_type == MIKEY_MAP_EMPTY;
	m->kind = MIKEY_KIND_MSK;
	return 0;
}

int mikey_profile_check(struct mikey_msg *m, struct mikey_error *err)
{
	/* Public-key, DH and error payloads have no place in PSK messages. */
	if (m->n_skipped || m->n_err)
		return mikey_fail(err, MIKEY_E_PROFILE, 0,
				  "%s payload in an MBMS message",
				  m->n_err ? "ERR" : "PKE/DH/SIGN/CERT/CHASH");
	switch (m->hdr.data_type) {
	case MIKEY_DT_PSK_INIT:
		return check_psk_init(m, err);
	case MIKEY_DT_PSK_RESP:
		return check_verification(m, err);
	default:
		return mikey_fail(err, MIKEY_E_DATA_TYPE, 1,
				  "HDR: data type %u (MBMS uses pre-shared key, 0 and 1)",
				  m->hdr.data_type);
	}
}
