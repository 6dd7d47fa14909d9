// SPDX-License-Identifier: GPL-2.0
/*
 * libmikey: Key data sub-payloads (RFC 3830 §6.13), the decrypted content
 * of KEMAC.  Parsed only after the MAC verified, but still bounds-checked
 * like everything else: a sender with the key can still be buggy.
 */
#include "mikey_int.h"

/* Read one KV field (len(8) | value) as a big-endian integer. */
static int kv_int(const uint8_t *p, size_t len, size_t *at, uint8_t *flen,
		  uint64_t *val, const char *name, struct mikey_error *err)
{
	size_t i, n;

	if (*at >= len)
		return mikey_fail(err, MIKEY_E_KEY_DATA, *at,
				  "key data: %s len missing", name);
	n = p[*at];
	if (n > len - *at - 1)
		return mikey_fail(err, MIKEY_E_KEY_DATA, *at,
				  "key data: %s len %zu exceeds key data (%zu left)",
				  name, n, len - *at - 1);
	if (n == 0 || n > MIKEY_MAX_KV_LEN)
		return mikey_fail(err, MIKEY_E_LIMIT, *at,
				  "key data: %s len %zu (1 to %d supported)",
				  name, n, MIKEY_MAX_KV_LEN);
	*val = 0;
	for (i = 0; i < n; i++)
		*val = *val << 8 | p[*at + 1 + i];
	*flen = (uint8_t)n;
	*at += 1 + n;
	return 0;
}

static int parse_one(const uint8_t *p, size_t len, size_t *at,
		     struct mikey_key_data *kd, uint8_t *next,
		     struct mikey_error *err)
{
	size_t a = *at, n;
	int ret;

	if (len - a < 4)
		return mikey_fail(err, MIKEY_E_KEY_DATA, a,
				  "key data: header truncated (%zu bytes left)",
				  len - a);
	*next = p[a];
	kd->type = p[a + 1] >> 4;
	kd->kv = p[a + 1] & 0x0f;
	n = get_be16(p + a + 2);
	a += 4;
	if (kd->type > MIKEY_KD_TEK_SALT)
		return mikey_fail(err, MIKEY_E_KEY_DATA, a - 3,
				  "key data: type %u not known", kd->type);
	if (kd->kv > MIKEY_KV_INTERVAL)
		return mikey_fail(err, MIKEY_E_KEY_DATA, a - 3,
				  "key data: KV type %u not known", kd->kv);
	if (n > len - a)
		return mikey_fail(err, MIKEY_E_KEY_DATA, a - 2,
				  "key data: key len %zu exceeds key data (%zu left)",
				  n, len - a);
	if (n > MIKEY_MAX_KEY_LEN)
		return mikey_fail(err, MIKEY_E_LIMIT, a - 2,
				  "key data: key len %zu (at most %d supported)",
				  n, MIKEY_MAX_KEY_LEN);
	kd->key_len = (uint16_t)n;
	memcpy(kd->key, p + a, n);
	a += n;
	kd->has_salt = kd->type == MIKEY_KD_TGK_SALT ||
		       kd->type == MIKEY_KD_TEK_SALT;
	if (kd->has_salt) {
		if (len - a < 2)
			return mikey_fail(err, MIKEY_E_KEY_DATA, a,
					  "key data: salt len missing");
		n = get_be16(p + a);
		a += 2;
		if (n > len - a)
			return mikey_fail(err, MIKEY_E_KEY_DATA, a - 2,
					  "key data: salt len %zu exceeds key data (%zu left)",
					  n, len - a);
		if (n > MIKEY_MAX_SALT_LEN)
			return mikey_fail(err, MIKEY_E_LIMIT, a - 2,
					  "key data: salt len %zu (at most %d supported)",
					  n, MIKEY_MAX_SALT_LEN);
		kd->salt_len = (uint16_t)n;
		memcpy(kd->salt, p + a, n);
		a += n;
	}
	if (kd->kv == MIKEY_KV_SPI) {
		if (a >= len || p[a] > len - a - 1)
			return mikey_fail(err, MIKEY_E_KEY_DATA, a,
					  "key data: SPI truncated");
		if (p[a] > MIKEY_MAX_SPI_LEN)
			return mikey_fail(err, MIKEY_E_LIMIT, a,
					  "key data: SPI len %u (at most %d supported)",
					  p[a], MIKEY_MAX_SPI_LEN);
		kd->spi_len = p[a];
		memcpy(kd->spi, p + a + 1, p[a]);
		a += 1 + (size_t)p[a];
	} else if (kd->kv == MIKEY_KV_INTERVAL) {
		ret = kv_int(p, len, &a, &kd->vf_len, &kd->seql, "VF", err);
		if (!ret)
			ret = kv_int(p, len, &a, &kd->vt_len, &kd->sequ, "VT",
				     err);
		if (ret)
			return ret;
	}
	*at = a;
	return 0;
}

int mikey_keydata_parse(const uint8_t *p, size_t len, struct mikey_msg *msg,
			struct mikey_error *err)
{
	uint8_t next = MIKEY_PT_KEY_DATA;
	size_t at = 0;
	int ret;

	while (next == MIKEY_PT_KEY_DATA) {
		if (msg->n_keys >= MIKEY_MAX_KEYS)
			return mikey_fail(err, MIKEY_E_LIMIT, at,
					  "key data: more than %d keys",
					  MIKEY_MAX_KEYS);
		ret = parse_one(p, len, &at, &msg->keys[msg->n_keys], &next,
				err);
		if (ret)
			return ret;
		msg->n_keys++;
	}
	if (next != MIKEY_PT_LAST)
		return mikey_fail(err, MIKEY_E_KEY_DATA, at,
				  "key data: next payload %u inside KEMAC", next);
	if (at != len)
		return mikey_fail(err, MIKEY_E_KEY_DATA, at,
				  "key data: %zu bytes after the last key",
				  len - at);
	return 0;
}

static void put_kv_int(uint8_t *out, uint8_t n, uint64_t v)
{
	int i;

	out[0] = n;
	for (i = n; i > 0; i--) {
		out[i] = (uint8_t)v;
		v >>= 8;
	}
}

size_t mikey_keydata_build(const struct mikey_key_data *kd, uint8_t next,
			   uint8_t *out, size_t cap)
{
	size_t need = 4 + kd->key_len, at;

	if (kd->has_salt)
		need += 2 + kd->salt_len;
	if (kd->kv == MIKEY_KV_SPI)
		need += 1 + kd->spi_len;
	else if (kd->kv == MIKEY_KV_INTERVAL)
		need += 2 + kd->vf_len + kd->vt_len;
	if (need > cap || kd->key_len > MIKEY_MAX_KEY_LEN ||
	    kd->salt_len > MIKEY_MAX_SALT_LEN || kd->vf_len > MIKEY_MAX_KV_LEN ||
	    kd->vt_len > MIKEY_MAX_KV_LEN || kd->spi_len > MIKEY_MAX_SPI_LEN)
		return 0;
	out[0] = next;
	out[1] = (uint8_t)(kd->type << 4 | (kd->kv & 0x0f));
	put_be16(out + 2, kd->key_len);
	memcpy(out + 4, kd->key, kd->key_len);
	at = 4 + kd->key_len;
	if (kd->has_salt) {
		put_be16(out + at, kd->salt_len);
		memcpy(out + at + 2, kd->salt, kd->salt_len);
		at += 2 + kd->salt_len;
	}
	if (kd->kv == MIKEY_KV_SPI) {
		out[at] = kd->spi_len;
		memcpy(out + at + 1, kd->spi, kd->spi_len);
		at += 1 + kd->spi_len;
	} else if (kd->kv == MIKEY_KV_INTERVAL) {
		put_kv_int(out + at, kd->vf_len, kd->seql);
		at += 1 + kd->vf_len;
		put_kv_int(out + at, kd->vt_len, kd->sequ);
		at += 1 + kd->vt_len;
	}
	return at;
}
