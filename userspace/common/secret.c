// SPDX-License-Identifier: GPL-2.0
/* Secrets: wiping, and reading keys from files so they stay out of ps(1). */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "mbms/common.h"

void secure_zero(void *p, size_t len)
{
	explicit_bzero(p, len);
}

int read_secret_hex(const char *arg, uint8_t *out, size_t len,
		    char *err, size_t errlen)
{
	char buf[1024];
	size_t n = 0, start = 0;
	FILE *f;
	int ret;

	if (arg[0] != '@')
		return hex_decode_exact(arg, out, len, err, errlen);

	if (!strcmp(arg, "@-")) {
		f = stdin;
	} else {
		f = fopen(arg + 1, "re");
		if (!f) {
			snprintf(err, errlen, "cannot open '%s': %s", arg + 1,
				 strerror(errno));
			return -1;
		}
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	if (f != stdin)
		fclose(f);
	if (n == sizeof(buf) - 1) {
		snprintf(err, errlen, "'%s' is too long for a key", arg + 1);
		secure_zero(buf, sizeof(buf));
		return -1;
	}
	buf[n] = '\0';
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	while (start < n && isspace((unsigned char)buf[start]))
		start++;
	ret = hex_decode_exact(buf + start, out, len, err, errlen);
	secure_zero(buf, sizeof(buf));
	return ret;
}
