// SPDX-License-Identifier: GPL-2.0
/*
 * mikeytool: a decoded message as a readable tree or as JSON.  Keys appear
 * only when the operator gave the key that protects them and the MAC
 * verified (decrypted key data never exists otherwise).
 */
#include <stdio.h>

#include "mbms/common.h"
#include "mikeytool.h"

static const char *payload_name(uint8_t t)
{
	static const char *const names[] = {
		[MIKEY_PT_KEMAC] = "KEMAC", [MIKEY_PT_PKE] = "PKE",
		[MIKEY_PT_DH] = "DH", [MIKEY_PT_SIGN] = "SIGN",
		[MIKEY_PT_T] = "T", [MIKEY_PT_ID] = "ID",
		[MIKEY_PT_CERT] = "CERT", [MIKEY_PT_CHASH] = "CHASH",
		[MIKEY_PT_V] = "V", [MIKEY_PT_SP] = "SP",
		[MIKEY_PT_RAND] = "RAND", [MIKEY_PT_ERR] = "ERR",
		[MIKEY_PT_EXT] = "EXT",
	};

	if (t == MIKEY_PT_HDR)
		return "HDR";
	return t < ARRAY_SIZE(names) && names[t] ? names[t] : "?";
}

static const char *key_type_name(uint8_t t)
{
	static const char *const n[] = { "TGK", "TGK+SALT", "TEK", "TEK+SALT" };

	return t < ARRAY_SIZE(n) ? n[t] : "?";
}

static const char *kv_name(uint8_t kv)
{
	static const char *const n[] = { "null", "spi", "interval" };

	return kv < ARRAY_SIZE(n) ? n[kv] : "?";
}

static void hexline(const char *label, const uint8_t *b, size_t n)
{
	char s[2 * MIKEY_MAX_RAND_LEN + 1];

	if (n > MIKEY_MAX_RAND_LEN)
		n = MIKEY_MAX_RAND_LEN;
	hex_encode(b, n, s);
	printf("%s%s\n", label, s);
}

/* RFC 4771: the integrity transform and R of an SP, or why unreadable. */
static void print_rcc_line(const struct mikey_sp *sp)
{
	struct mikey_error e = { 0 };
	struct mikey_rcc r;

	if (mikey_sp_rcc(sp, &r, &e)) {
		printf("      RFC 4771: unreadable: %s\n", e.msg);
		return;
	}
	printf("      RFC 4771: integrity transform %s, ROC transmission rate ",
	       mikey_rcc_mode_name(r.mode));
	if (r.rate)
		printf("R = %u\n", r.rate);
	else
		printf("absent\n");
}

void print_tree(const struct mikey_msg *m, bool keyed)
{
	const struct mikey_hdr *h = &m->hdr;
	size_t i, j;

	printf("MIKEY %s message, %u bytes\n", mikey_kind_name(m->kind),
	       m->raw_len);
	printf("  payloads:");
	for (i = 0; i < m->n_payloads; i++)
		printf(" %s", payload_name(m->order[i]));
	printf("\n  HDR: version %u, data type %u, V %u, PRF %u, CSB ID 0x%08x\n",
	       h->version, h->data_type, h->v, h->prf, h->csb_id);
	printf("       #CS %u, map type %u (%s)\n", h->n_cs, h->map_type,
	       h->map_type == MIKEY_MAP_SRTP_ID ? "SRTP-ID" : "Empty");
	for (i = 0; h->map_type == MIKEY_MAP_SRTP_ID && i < h->n_cs; i++)
		printf("       CS %zu: policy %u, SSRC 0x%08x, ROC %u\n", i + 1,
		       h->srtp[i].policy_no, h->srtp[i].ssrc, h->srtp[i].roc);
	if (m->ext.present) {
		printf("  EXT: key domain %02x%02x%02x", m->ext.key_domain[0],
		       m->ext.key_domain[1], m->ext.key_domain[2]);
		if (m->ext.has_msk_id)
			printf(", MSK ID 0x%08x (key group %u, key number %u)",
			       m->ext.msk_id, mikey_msk_key_group(m->ext.msk_id),
			       mikey_msk_key_number(m->ext.msk_id));
		if (m->ext.has_mtk_id)
			printf(", MTK ID %u", m->ext.mtk_id);
		printf("\n");
	}
	for (i = 0; i < m->n_ext_raw; i++)
		printf("  EXT: unknown type %u, %u bytes (kept, MAC-covered)\n",
		       m->ext_raw[i].type, m->ext_raw[i].len);
	if (m->t.present)
		printf("  T: type %u, value %llu\n", m->t.type,
		       (unsigned long long)m->t.value);
	if (m->has_rand)
		hexline("  RAND: ", m->rand, m->rand_len);
	if (m->idi.present)
		printf("  IDi: %.*s\n", m->idi.len, m->idi.data);
	if (m->idr.present)
		printf("  IDr: %.*s\n", m->idr.len, m->idr.data);
	for (i = 0; i < m->n_sp; i++) {
		printf("  SP: policy %u, protocol %u:", m->sp[i].policy_no,
		       m->sp[i].prot_type);
		for (j = 0; j < m->sp[i].n_params; j++) {
			uint64_t v = 0;
			size_t k;

			for (k = 0; k < m->sp[i].params[j].len && k < 8; k++)
				v = v << 8 | m->sp[i].params[j].val[k];
			printf(" %u=%llu", m->sp[i].params[j].type,
			       (unsigned long long)v);
		}
		printf("\n");
		print_rcc_line(&m->sp[i]);
	}
	if (m->kemac.present)
		printf("  KEMAC: encr alg %u, encr data len %u, MAC alg %u\n",
		       m->kemac.encr_alg, m->kemac.encr_len, m->kemac.mac_alg);
	if (m->v.present)
		printf("  V: MAC alg %u\n", m->v.mac_alg);
	if (!keyed)
		return;
	printf("  MAC: %s\n", m->mac_ok ? "ok" : "DOES NOT VERIFY");
	for (i = 0; i < m->n_keys; i++) {
		const struct mikey_key_data *k = &m->keys[i];

		printf("  key data: type %s, KV %s\n", key_type_name(k->type),
		       kv_name(k->kv));
		if (k->key_len)
			hexline("    key: ", k->key, k->key_len);
		else
			printf("    key: none (key validity update)\n");
		if (k->has_salt)
			hexline("    salt: ", k->salt, k->salt_len);
		if (k->kv == MIKEY_KV_INTERVAL)
			printf("    SEQl %llu, SEQu %llu%s\n",
			       (unsigned long long)k->seql,
			       (unsigned long long)k->sequ,
			       k->seql > k->sequ ? " (invalidates the MSK)" : "");
	}
}

/* "rcc_mode" and "roc_tx_rate" (null: absent), or "rcc_error". */
static void json_rcc(struct json *j, const struct mikey_sp *sp)
{
	struct mikey_error e = { 0 };
	struct mikey_rcc r;

	if (mikey_sp_rcc(sp, &r, &e)) {
		json_kv_str(j, "rcc_error", e.msg);
		return;
	}
	json_kv_str(j, "rcc_mode", mikey_rcc_mode_name(r.mode));
	json_key(j, "roc_tx_rate");
	if (r.rate)
		json_u64(j, r.rate);
	else
		json_null(j);
}

void print_json(const struct mikey_msg *m, bool keyed)
{
	struct json j;
	size_t i, k;

	json_init(&j, stdout, true);
	json_obj_begin(&j);
	json_kv_str(&j, "type", mikey_kind_name(m->kind));
	json_kv_u64(&j, "length", m->raw_len);
	json_kv_u64(&j, "data_type", m->hdr.data_type);
	json_kv_bool(&j, "v", m->hdr.v);
	json_kv_u64(&j, "csb_id", m->hdr.csb_id);
	json_kv_u64(&j, "n_cs", m->hdr.n_cs);
	json_kv_str(&j, "cs_map", m->hdr.map_type == MIKEY_MAP_SRTP_ID ?
		    "srtp-id" : "empty");
	if (m->hdr.map_type == MIKEY_MAP_SRTP_ID) {
		json_key(&j, "cs");
		json_arr_begin(&j);
		for (i = 0; i < m->hdr.n_cs; i++) {
			json_obj_begin(&j);
			json_kv_u64(&j, "policy_no", m->hdr.srtp[i].policy_no);
			json_kv_u64(&j, "ssrc", m->hdr.srtp[i].ssrc);
			json_kv_u64(&j, "roc", m->hdr.srtp[i].roc);
			json_obj_end(&j);
		}
		json_arr_end(&j);
	}
	if (m->kind == MIKEY_KIND_MSK || m->kind == MIKEY_KIND_MTK)
		json_kv_bool(&j, "download", m->download);
	if (m->t.present)
		json_kv_u64(&j, "counter", m->t.value);
	if (m->ext.present) {
		json_kv_hex(&j, "key_domain", m->ext.key_domain, 3);
		json_kv_u64(&j, "msk_id", m->ext.msk_id);
		json_kv_u64(&j, "key_group", mikey_msk_key_group(m->ext.msk_id));
		json_kv_u64(&j, "key_number", mikey_msk_key_number(m->ext.msk_id));
		if (m->ext.has_mtk_id)
			json_kv_u64(&j, "mtk_id", m->ext.mtk_id);
	}
	if (m->has_rand)
		json_kv_hex(&j, "rand", m->rand, m->rand_len);
	if (m->idi.present) {
		json_key(&j, "idi");
		json_strn(&j, m->idi.data, m->idi.len);
	}
	if (m->idr.present) {
		json_key(&j, "idr");
		json_strn(&j, m->idr.data, m->idr.len);
	}
	if (m->n_sp) {
		json_key(&j, "sp");
		json_arr_begin(&j);
		for (i = 0; i < m->n_sp; i++) {
			json_obj_begin(&j);
			json_kv_u64(&j, "policy_no", m->sp[i].policy_no);
			json_kv_u64(&j, "prot_type", m->sp[i].prot_type);
			json_key(&j, "params");
			json_obj_begin(&j);
			for (k = 0; k < m->sp[i].n_params; k++) {
				char name[8];

				snprintf(name, sizeof(name), "%u",
					 m->sp[i].params[k].type);
				json_kv_hex(&j, name, m->sp[i].params[k].val,
					    m->sp[i].params[k].len);
			}
			json_obj_end(&j);
			json_rcc(&j, &m->sp[i]);
			json_obj_end(&j);
		}
		json_arr_end(&j);
	}
	if (m->n_ext_raw) {
		json_key(&j, "ext_unknown");
		json_arr_begin(&j);
		for (i = 0; i < m->n_ext_raw; i++) {
			json_obj_begin(&j);
			json_kv_u64(&j, "type", m->ext_raw[i].type);
			json_kv_hex(&j, "data", m->raw + m->ext_raw[i].off,
				    m->ext_raw[i].len);
			json_obj_end(&j);
		}
		json_arr_end(&j);
	}
	if (m->kemac.present) {
		json_kv_u64(&j, "encr_alg", m->kemac.encr_alg);
		json_kv_u64(&j, "encr_len", m->kemac.encr_len);
		json_kv_u64(&j, "mac_alg", m->kemac.mac_alg);
	}
	if (keyed) {
		json_kv_bool(&j, "mac_ok", m->mac_ok);
		if (m->n_keys) {
			const struct mikey_key_data *kd = &m->keys[0];

			json_kv_str(&j, "key_type", key_type_name(kd->type));
			json_kv_str(&j, "kv", kv_name(kd->kv));
			json_kv_hex(&j, "key", kd->key, kd->key_len);
			if (kd->has_salt)
				json_kv_hex(&j, "salt", kd->salt, kd->salt_len);
			if (kd->kv == MIKEY_KV_INTERVAL) {
				json_kv_u64(&j, "seql", kd->seql);
				json_kv_u64(&j, "sequ", kd->sequ);
			}
		}
	}
	json_obj_end(&j);
	json_finish(&j);
}
