// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: the Digest header parser (WWW-Authenticate, Authorization,
 * Authentication-Info: bytes from the network, on both ends). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mbms/digest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct digest_fields f;
	char err[128], *s;

	if (len > 4 * DIGEST_HEADER_MAX)
		return 0;
	s = malloc(len + 1);
	if (!s)
		return 0;
	memcpy(s, data, len);
	s[len] = '\0';
	if (!digest_parse(s, len && data[0] == 'D', &f, err, sizeof(err)))
		(void)digest_qop_has(f.qop, "auth-int");
	free(s);
	return 0;
}
