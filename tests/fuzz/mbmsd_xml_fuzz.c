// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: mbmsd's MSK response parser (xml_parse_msk_response). */
#include <stdlib.h>

#include "xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xml_msk_response r[XML_MAX_MSKS];
	static int init;
	char err[256];
	size_t n, i;

	if (!init) {
		xml_init();
		init = 1;
	}
	if (xml_parse_msk_response((const char *)data, size, r, &n, err,
				   sizeof(err)) == 0) {
		if (n == 0 || n > XML_MAX_MSKS)
			abort();
		for (i = 0; i < n; i++)
			if (r[i].code < 100 || r[i].code > 599)
				abort();
	}
	return 0;
}
