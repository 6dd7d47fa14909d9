// SPDX-License-Identifier: GPL-2.0
/* Number parsing for command lines and configuration files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mbms/common.h"

int parse_u64(const char *s, uint64_t max, uint64_t *out,
	      char *err, size_t errlen)
{
	unsigned long long v;
	char *end;
	int base = 10;

	/* strtoull accepts leading blanks and signs: refuse them here. */
	if (!s || !*s || !(s[0] >= '0' && s[0] <= '9')) {
		snprintf(err, errlen, "'%s' is not a number", s ? s : "");
		return -1;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		if (!s[2]) {
			snprintf(err, errlen, "'%s' is not a number", s);
			return -1;
		}
	}
	errno = 0;
	v = strtoull(s, &end, base);
	if (*end) {
		snprintf(err, errlen, "'%s' is not a number", s);
		return -1;
	}
	if (errno == ERANGE || v > max) {
		snprintf(err, errlen, "%s is out of range (at most %llu)", s,
			 (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}
