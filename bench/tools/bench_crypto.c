// SPDX-License-Identifier: GPL-2.0
/*
 * bench-crypto: the userspace crypto floor.  Per packet exactly the work
 * of SRTP AES_CM_128_HMAC_SHA1_*: AES-128-CTR with a fresh IV over the
 * payload, HMAC-SHA1 (keyed once, pads reused) over header || payload ||
 * ROC.  The tag length does not change the work (both suites compute the
 * whole SHA-1), so one figure serves both.  OpenSSL libcrypto, EVP API.
 * Each figure is the fastest of ROUNDS rounds: interference from other
 * work on the machine only ever adds time.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "mbms/common.h"
#include "bench_util.h"

#define RTP_HDR 12
#define ROC_LEN 4
#define SIZE_MAX_BYTES 1400
#define ROUNDS 5

struct floor {
	EVP_CIPHER_CTX *aes;
	EVP_MAC_CTX *mac;
	uint8_t buf[RTP_HDR + SIZE_MAX_BYTES + ROC_LEN];
	uint8_t iv[16];
	uint8_t tag[EVP_MAX_MD_SIZE];
};

static int setup(struct floor *f)
{
	static const uint8_t key[16] = { 0x2b, 0x7e, 0x15, 0x16 };
	static const uint8_t akey[20] = { 0x0e, 0xc6, 0x75, 0xad };
	OSSL_PARAM p[2] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						 (char *)"SHA1", 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);

	f->aes = EVP_CIPHER_CTX_new();
	f->mac = mac ? EVP_MAC_CTX_new(mac) : NULL;
	EVP_MAC_free(mac);
	if (!f->aes || !f->mac ||
	    !EVP_EncryptInit_ex(f->aes, EVP_aes_128_ctr(), NULL, key, f->iv) ||
	    !EVP_MAC_init(f->mac, akey, sizeof(akey), p)) {
		fprintf(stderr, "bench-crypto: OpenSSL set-up failed\n");
		return -1;
	}
	return 0;
}

static int ctr(struct floor *f, size_t size, uint64_t i)
{
	int out;

	memcpy(f->iv + 8, &i, sizeof(i));
	return EVP_EncryptInit_ex(f->aes, NULL, NULL, NULL, f->iv) &&
	       EVP_EncryptUpdate(f->aes, f->buf + RTP_HDR, &out,
				 f->buf + RTP_HDR, (int)size) ? 0 : -1;
}

static int hmac(struct floor *f, size_t size)
{
	size_t out;

	return EVP_MAC_init(f->mac, NULL, 0, NULL) &&
	       EVP_MAC_update(f->mac, f->buf, RTP_HDR + size) &&
	       EVP_MAC_update(f->mac, f->buf + RTP_HDR + size, ROC_LEN) &&
	       EVP_MAC_final(f->mac, f->tag, &out, sizeof(f->tag)) ? 0 : -1;
}

/* ns per packet of @what (1 CTR, 2 HMAC, 3 both) over @iters packets. */
static double run(struct floor *f, size_t size, uint64_t iters, int what)
{
	uint64_t t0 = now_ns(), i;

	for (i = 0; i < iters; i++) {
		if ((what & 2) && hmac(f, size))
			return -1;
		if ((what & 1) && ctr(f, size, i))
			return -1;
	}
	return (double)(now_ns() - t0) / (double)iters;
}

static double run_min(struct floor *f, size_t size, uint64_t iters, int what)
{
	uint64_t per = iters / ROUNDS ? iters / ROUNDS : 1;
	double best = -1, t;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		t = run(f, size, per, what);
		if (t < 0)
			return t;
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

int main(int argc, char **argv)
{
	static const unsigned int def_sizes[] = { 64, 172, 512, 1200 };
	unsigned int sizes[16], nsizes = 0, k;
	uint64_t iters = 20000;
	struct floor f = { 0 };
	double both, c, h;
	int opt;

	while ((opt = getopt(argc, argv, "n:s:h")) != -1) {
		switch (opt) {
		case 'n':
			iters = opt_u64("bench-crypto", "-n", optarg, 1ULL << 32);
			if (!iters)
				iters = 1;
			break;
		case 's':
			if (nsizes == ARRAY_SIZE(sizes)) {
				fprintf(stderr, "bench-crypto: at most %zu sizes\n",
					ARRAY_SIZE(sizes));
				return 1;
			}
			sizes[nsizes++] = opt_u64("bench-crypto", "-s", optarg,
						  SIZE_MAX_BYTES);
			break;
		case 'h':
			printf("Usage: bench-crypto [-n ITERATIONS] [-s PAYLOAD_BYTES]...\n"
			       "One JSON line per size: ns per packet for CTR, HMAC, both.\n");
			return 0;
		default:
			fprintf(stderr, "Usage: bench-crypto [-n ITERATIONS] [-s BYTES]...\n");
			return 1;
		}
	}
	if (!nsizes) {
		memcpy(sizes, def_sizes, sizeof(def_sizes));
		nsizes = ARRAY_SIZE(def_sizes);
	}
	if (setup(&f))
		return 1;
	for (k = 0; k < nsizes; k++) {
		run(&f, sizes[k], iters / 10 + 1, 3);	/* warm up */
		both = run_min(&f, sizes[k], iters, 3);
		c = run_min(&f, sizes[k], iters, 1);
		h = run_min(&f, sizes[k], iters, 2);
		if (both < 0 || c < 0 || h < 0) {
			fprintf(stderr, "bench-crypto: OpenSSL operation failed\n");
			return 1;
		}
		printf("{\"payload\":%u,\"iters\":%llu,\"ns_per_pkt\":%.1f,"
		       "\"ctr_ns\":%.1f,\"hmac_ns\":%.1f}\n", sizes[k],
		       (unsigned long long)iters, both, c, h);
	}
	EVP_CIPHER_CTX_free(f.aes);
	EVP_MAC_CTX_free(f.mac);
	return 0;
}
