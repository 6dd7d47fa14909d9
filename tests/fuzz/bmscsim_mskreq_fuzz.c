// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for bmsc-sim's input parsers: the mbmsMSKRequest body
 * (from the network), the response built from whatever parsed, strict
 * base64, and the bootstrap-output parser.
 */
#include <stdlib.h>
#include <string.h>

#include "mskreq.h"
#include "ue.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	unsigned int codes[MSKREQ_MAX_MSKS];
	struct mskreq req;
	struct gba_key k;
	uint8_t out[48];
	char err[256], *xml;
	size_t len, i;

	if (!init) {
		mskreq_init();
		init = 1;
	}
	if (!mskreq_parse((const char *)data, size, &req, err, sizeof(err))) {
		if (req.n == 0 || req.n > MSKREQ_MAX_MSKS)
			abort();
		for (i = 0; i < req.n; i++)
			codes[i] = 200;
		if (!mskresp_build(&req, codes, &xml, &len))
			free(xml);
	}
	for (i = 0; i <= 48; i += 3)
		b64_decode_exact((const char *)data, size, out, i);
	if (!gba_parse((const char *)data, size, 60, 0, &k, err, sizeof(err)))
		gba_key_clear(&k);
	return 0;
}
