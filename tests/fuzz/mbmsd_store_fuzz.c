// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: mbmsd's state-file decoder (store_decode) on arbitrary
 * bytes.  The CRC would stop the fuzzer at the door, so an input whose
 * first byte is even is taken as a record *body* and wrapped in a correct
 * header and CRC; odd means "decode these bytes as they are".  A file the
 * decoder accepts must re-encode and decode to the same store.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

static struct store a, b;
static uint8_t file[STORE_MAX_FILE + 64], out[STORE_MAX_FILE];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t wrap(const uint8_t *body, size_t blen)
{
	uint32_t crc;

	memcpy(file, "MBMSDST\0\0\x01\0\0", 12);
	file[12] = (uint8_t)(blen >> 24);
	file[13] = (uint8_t)(blen >> 16);
	file[14] = (uint8_t)(blen >> 8);
	file[15] = (uint8_t)blen;
	if (blen)
		memcpy(file + 16, body, blen);
	crc = store_crc32(file, 16 + blen);
	file[16 + blen] = (uint8_t)(crc >> 24);
	file[17 + blen] = (uint8_t)(crc >> 16);
	file[18 + blen] = (uint8_t)(crc >> 8);
	file[19 + blen] = (uint8_t)crc;
	return 20 + blen;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *in = data + 1;
	size_t len = size ? size - 1 : 0;
	char err[256];
	long n;

	if (!size || len > STORE_MAX_FILE)
		return 0;
	if (!(data[0] & 1)) {
		len = wrap(in, len);
		in = file;
	}
	if (store_decode(in, len, &a, err, sizeof(err)))
		return 0;
	n = store_encode(&a, out, sizeof(out));
	if (n < 0)
		abort();
	if (store_decode(out, (size_t)n, &b, err, sizeof(err)))
		abort();
	if (memcmp(a.msk, b.msk, sizeof(a.msk)) ||
	    memcmp(a.mtk, b.mtk, sizeof(a.mtk)) || a.cur != b.cur ||
	    a.neg != b.neg || a.next_gen != b.next_gen)
		abort();
	return 0;
}
