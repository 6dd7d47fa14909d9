// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for libmikey: the decoder and profile checks on every
 * input; for inputs that decode, the verify/decrypt path with the fixed
 * keys the seed corpus was built with (tests/fuzz/mikey_corpus_gen.sh); then
 * the same message re-sealed (MAC recomputed with the known key), so that
 * mutations of the ciphertext -- AES-CM is malleable, bit for bit -- reach
 * the key-data parser and the per-kind key checks behind the MAC; the
 * verification encoder and verifier; the RFC 4771 reader of every SP;
 * and the key-data parser on the raw input.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../userspace/mikey/mikey_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t muk[32] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa,
	0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
	0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
};
static const uint8_t msk[16] = {
	0x4d, 0x53, 0x4b, 0x2d, 0x6b, 0x65, 0x79, 0x2d,
	0x30, 0x30, 0x30, 0x31, 0xa5, 0x5a, 0x0f, 0xf0,
};
static const uint8_t rnd[16] = {
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
};

static struct mikey_msg m, r;
static uint8_t out[MIKEY_MAX_MESSAGE_LEN];

/* Recompute the KEMAC MAC of decoded @msg with the key, decode, decrypt. */
static void reseal(const struct mikey_msg *msg, const uint8_t *key,
		   size_t klen, const uint8_t *rand)
{
	struct mikey_kemac_keys k;
	struct mikey_error e;

	memcpy(out, msg->raw, msg->raw_len);
	if (!rand)
		rand = msg->rand;
	if (mikey_derive_kemac_keys(key, klen, msg->hdr.csb_id, rand, 16, &k))
		return;
	mikey_kemac_mac(&k, out, msg->kemac.mac_off, out + msg->kemac.mac_off);
	mikey_kemac_keys_clear(&k);
	if (mikey_decode(out, msg->raw_len, &r, &e))
		__builtin_trap();	/* only the MAC bytes changed */
	if (mikey_verify_decrypt(&r, key, klen, rand, 16, &e) == MIKEY_E_MAC)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mikey_error e;
	struct mikey_rcc rcc;
	uint64_t rate;
	size_t n, i;

	if (mikey_decode(data, size, &m, &e) == 0) {
		/* an accepted R is the parameter's value, never 0 */
		for (i = 0; i < m.n_sp; i++)
			if (mikey_sp_rcc(&m.sp[i], &rcc, &e) == MIKEY_OK &&
			    (rcc.mode > MIKEY_RCC_MODE3 ||
			     (mikey_sp_get(&m.sp[i], MIKEY_SRTP_ROC_TX_RATE,
					   &rate) ?
			      rate != rcc.rate || rate == 0 :
			      rcc.rate != 0)))
				__builtin_trap();
		/* an accepted SRTP tag length is within the bounds asked */
		for (i = 0; i < m.n_sp; i++) {
			uint8_t tag = 0;

			if (mikey_sp_srtp_tag_len(&m.sp[i], 4, 20, &tag,
						  &e) == MIKEY_OK &&
			    (tag < 4 || tag > 20))
				__builtin_trap();
		}
		/* the error message must always be a terminated string */
		switch (m.kind) {
		case MIKEY_KIND_MTK:
			mikey_verify_decrypt(&m, msk, sizeof(msk), rnd,
					     sizeof(rnd), &e);
			reseal(&m, msk, sizeof(msk), rnd);
			break;
		case MIKEY_KIND_MSK:
		case MIKEY_KIND_SOLICITED_PULL:
			mikey_verify_decrypt(&m, muk, sizeof(muk), NULL, 0, &e);
			reseal(&m, muk, sizeof(muk), NULL);
			if (m.kind == MIKEY_KIND_MSK &&
			    !mikey_encode_verification(&m, muk, sizeof(muk), out,
						       sizeof(out), &n, &e) &&
			    !mikey_decode(out, n, &r, &e))
				if (mikey_verify_verification(&r, &m, muk,
							      sizeof(muk), &e))
					__builtin_trap();
			break;
		default:
			break;
		}
	} else if (strnlen(e.msg, sizeof(e.msg)) == sizeof(e.msg)) {
		__builtin_trap();
	}
	/* Key data as it would come out of AES-CM. */
	memset(&r, 0, sizeof(r));
	mikey_keydata_parse(data, size, &r, &e);
	return 0;
}
