/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbmsd GBA: the UE half of GBA needs a USIM, so mbmsd runs the configured
 * bootstrap command (no shell; argv split from the configuration), bounded
 * in time and output, and parses what it prints:
 *
 *   btid=<B-TID>            required, printable, no spaces, <= 255 bytes
 *   ks_naf=<64 hex digits>  required: Ks_NAF = MUK (GBA_ME, TS 33.246 §4.2)
 *   lifetime=<seconds>      required, 1 .. 10 years
 *   naf_id=<text>           optional, informational
 *
 * and derives MRK = KDF(Ks_NAF, 0x01, "mbms-mrk") (TS 33.220 Annex B via
 * libmikey) and the HTTP Digest password base64(MRK).
 */
#ifndef MBMSD_GBA_H
#define MBMSD_GBA_H

#include <stddef.h>
#include <stdint.h>

#define GBA_BTID_MAX		255
#define GBA_NAF_ID_MAX		255
#define GBA_KEY_LEN		32
#define GBA_OUTPUT_MAX		4096
#define GBA_LIFETIME_MAX_S	(10ull * 365 * 24 * 3600)
#define GBA_PASSWORD_LEN	44	/* base64 of 32 bytes */

/* One bootstrap's result.  Secret fields are wiped by gba_keys_wipe(). */
struct gba_keys {
	char btid[GBA_BTID_MAX + 1];
	char naf_id[GBA_NAF_ID_MAX + 1];
	uint8_t ks_naf[GBA_KEY_LEN];	/* = MUK */
	uint8_t mrk[GBA_KEY_LEN];
	char password[GBA_PASSWORD_LEN + 1];	/* base64(MRK) */
	uint64_t lifetime_s;
};

/*
 * Parse @len bytes of command output (untrusted) into @k, deriving MRK and
 * the password.  Returns 0, or -1 with @err naming the line and key.
 */
int gba_parse(const char *text, size_t len, struct gba_keys *k, char *err,
	      size_t errlen);

/*
 * Run @cmd (split on whitespace, argv[0] an absolute path, no shell) with
 * a @timeout_s deadline, at most GBA_OUTPUT_MAX bytes of output, stdin
 * /dev/null; then gba_parse().  Returns 0 or -1 with @err.  Blocks: call
 * it from the request worker, never from the event loop.
 */
int gba_bootstrap(const char *cmd, unsigned int timeout_s,
		  struct gba_keys *k, char *err, size_t errlen);

/* Derive MRK and the Digest password from k->ks_naf. */
int gba_derive(struct gba_keys *k);

void gba_keys_wipe(struct gba_keys *k);

#endif /* MBMSD_GBA_H */
