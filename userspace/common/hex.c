// SPDX-License-Identifier: GPL-2.0
/* Hex encoding of keys: constant time in the digit values. */
#include <string.h>

#include "mbms/common.h"

/*
 * Map one hex digit to 0..15 or -1, without branches or tables indexed by
 * the secret digit, so that decoding a key leaks nothing through timing.
 */
static int hexval(unsigned char c)
{
	int num = ((c ^ '0') - 10) >> 8 & (c ^ '0');	/* '0'..'9' */
	int lc = c | 0x20;
	int alpha = (((lc - 'a') | ('f' - lc)) >> 8) ^ ~0;	/* 'a'..'f' */
	int isnum = (((c - '0') | ('9' - c)) >> 8) ^ ~0;
	int v;

	v = (isnum & num) | (alpha & (lc - 'a' + 10));
	return (isnum | alpha) ? v : -1;
}

int hex_decode(const char *hex, uint8_t *out, size_t max, size_t *outlen,
	       char *err, size_t errlen)
{
	size_t n = strlen(hex), i;

	if (n % 2) {
		snprintf(err, errlen, "odd number of hex digits (%zu)", n);
		return -1;
	}
	if (n / 2 > max) {
		snprintf(err, errlen, "at most %zu hex digits, got %zu",
			 max * 2, n);
		return -1;
	}
	for (i = 0; i < n; i += 2) {
		int hi = hexval((unsigned char)hex[i]);
		int lo = hexval((unsigned char)hex[i + 1]);

		if (hi < 0 || lo < 0) {
			size_t at = hi < 0 ? i : i + 1;

			snprintf(err, errlen, "bad hex digit '%c' at position %zu",
				 hex[at], at + 1);
			secure_zero(out, i / 2);
			return -1;
		}
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*outlen = n / 2;
	return 0;
}

int hex_decode_exact(const char *hex, uint8_t *out, size_t len,
		     char *err, size_t errlen)
{
	size_t n = strlen(hex), got;

	if (n != len * 2) {
		snprintf(err, errlen, "expected %zu hex digits, got %zu",
			 len * 2, n);
		return -1;
	}
	return hex_decode(hex, out, len, &got, err, errlen);
}

void hex_encode(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}
