// SPDX-License-Identifier: GPL-2.0
/* mikeytool: reading messages (hex or binary), writing them, options. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mbms/common.h"
#include "mikeytool.h"

int read_message(const char *path, uint8_t *out, size_t cap, size_t *len)
{
	static char buf[4 * MIKEY_MAX_MESSAGE_LEN + 64];
	char err[128];
	size_t n, i, j;
	FILE *f = stdin;
	bool hex = true;

	if (path && strcmp(path, "-")) {
		f = fopen(path, "rb");
		if (!f) {
			fprintf(stderr, "mikeytool: cannot open '%s': %s\n", path,
				strerror(errno));
			return -1;
		}
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	if (ferror(f)) {
		fprintf(stderr, "mikeytool: cannot read '%s': %s\n",
			path ? path : "-", strerror(errno));
		if (f != stdin)
			fclose(f);
		return -1;
	}
	if (f != stdin)
		fclose(f);
	if (n == sizeof(buf) - 1) {
		fprintf(stderr, "mikeytool: input larger than any MIKEY message\n");
		return -1;
	}
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)buf[i]) &&
		    !isspace((unsigned char)buf[i]))
			hex = false;
	if (!hex || n == 0) {
		if (n > cap) {
			fprintf(stderr, "mikeytool: message of %zu bytes (at most %zu)\n",
				n, cap);
			return -1;
		}
		memcpy(out, buf, n);
		*len = n;
		return 0;
	}
	for (i = j = 0; i < n; i++)
		if (!isspace((unsigned char)buf[i]))
			buf[j++] = buf[i];
	buf[j] = '\0';
	if (hex_decode(buf, out, cap, len, err, sizeof(err))) {
		fprintf(stderr, "mikeytool: hex input: %s\n", err);
		return -1;
	}
	return 0;
}

int write_message(const char *path, const uint8_t *buf, size_t len)
{
	static char hex[2 * MIKEY_MAX_MESSAGE_LEN + 1];
	FILE *f;

	if (!path) {
		hex_encode(buf, len, hex);
		printf("%s\n", hex);
		return fflush(stdout) ? -1 : 0;
	}
	if (!strcmp(path, "-")) {	/* -o -: the binary message on stdout */
		if (fwrite(buf, 1, len, stdout) != len || fflush(stdout)) {
			fprintf(stderr, "mikeytool: cannot write to stdout: %s\n",
				strerror(errno));
			return -1;
		}
		return 0;
	}
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "mikeytool: cannot write '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	return 0;
}

int opt_u64(const char *opt, const char *arg, uint64_t max, uint64_t *out)
{
	char err[128];

	if (parse_u64(arg, max, out, err, sizeof(err))) {
		fprintf(stderr, "mikeytool: --%s: %s\n", opt, err);
		return -1;
	}
	return 0;
}

int opt_hex(const char *opt, const char *arg, uint8_t *out, size_t len)
{
	char err[128];

	if (hex_decode_exact(arg, out, len, err, sizeof(err))) {
		fprintf(stderr, "mikeytool: --%s: %s\n", opt, err);
		return -1;
	}
	return 0;
}

int opt_secret(const char *opt, const char *arg, uint8_t *out, size_t len)
{
	char err[160];

	if (read_secret_hex(arg, out, len, err, sizeof(err))) {
		fprintf(stderr, "mikeytool: --%s: %s\n", opt, err);
		return -1;
	}
	return 0;
}
