/* SPDX-License-Identifier: GPL-2.0 */
/* mikeytool: decode and build MBMS MIKEY messages (internal header). */
#ifndef MIKEYTOOL_H
#define MIKEYTOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mbms/mikey.h"

/* Exit statuses (see mikeytool(1)). */
#define EXIT_MALFORMED	1	/* malformed input, or any other failure */
#define EXIT_USAGE	2
#define EXIT_BADMAC	3	/* the MAC did not verify with the given key */

int decode_main(int argc, char **argv);
int encode_main(int argc, char **argv);

/*
 * Read a MIKEY message from @path ("-" or NULL = stdin), as hex (whitespace
 * allowed) or raw binary: a binary message starts with version byte 0x01,
 * which is not a hex digit.  Returns 0, or -1 after printing why.
 */
int read_message(const char *path, uint8_t *out, size_t cap, size_t *len);

/* Write @len bytes to @path as binary, or as one hex line to stdout when
 * @path is NULL.  Returns 0 or -1 after printing why.
 */
int write_message(const char *path, const uint8_t *buf, size_t len);

/* Printing a decoded (and maybe verified) message. */
void print_tree(const struct mikey_msg *m, bool keyed);
void print_json(const struct mikey_msg *m, bool keyed);

/* Option helpers: print "mikeytool: --opt: <why>" and return -1 on error. */
int opt_u64(const char *opt, const char *arg, uint64_t max, uint64_t *out);
int opt_hex(const char *opt, const char *arg, uint8_t *out, size_t len);
int opt_secret(const char *opt, const char *arg, uint8_t *out, size_t len);

#endif /* MIKEYTOOL_H */
