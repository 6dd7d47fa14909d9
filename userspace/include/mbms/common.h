/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by every mbms-srtp userspace program: hex, number
 * parsing, a streaming JSON writer, logging and secret wiping.  Nothing here
 * allocates on behalf of the caller except where said.
 */
#ifndef MBMS_COMMON_H
#define MBMS_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- hex ---------------------------------------------------------------- */

/*
 * Decode exactly @len bytes from the hex string @hex (no prefix, no
 * separators, either case).  Returns 0, or -1 with a message naming the
 * problem in @err ("expected 32 hex digits, got 30", "bad hex digit 'g' at
 * position 4").  Runs in time independent of the digit values.
 */
int hex_decode_exact(const char *hex, uint8_t *out, size_t len,
		     char *err, size_t errlen);

/*
 * Decode a hex string of any even length up to @max bytes into @out;
 * *@outlen receives the byte count.  Same errors as hex_decode_exact().
 */
int hex_decode(const char *hex, uint8_t *out, size_t max, size_t *outlen,
	       char *err, size_t errlen);

/* Encode @len bytes as lowercase hex into @out (2 * len + 1 bytes). */
void hex_encode(const uint8_t *in, size_t len, char *out);

/* ---- numbers ------------------------------------------------------------ */

/*
 * Parse an unsigned decimal or 0x-hex number that must not exceed @max.
 * Returns 0, or -1 with a message in @err naming the value and the limit.
 */
int parse_u64(const char *s, uint64_t max, uint64_t *out,
	      char *err, size_t errlen);

/* ---- secrets ------------------------------------------------------------ */

/* Zero @len bytes at @p in a way the compiler may not elide. */
void secure_zero(void *p, size_t len);

/*
 * Read a secret argument: "HEX" as is, "@FILE" from a file, "@-" from
 * stdin (surrounding whitespace ignored).  Decodes exactly @len bytes.
 * The file buffer is wiped before returning.
 */
int read_secret_hex(const char *arg, uint8_t *out, size_t len,
		    char *err, size_t errlen);

/* ---- JSON writer -------------------------------------------------------- */

/*
 * A streaming JSON writer: the caller opens objects and arrays, writes keys
 * and values; commas and string escaping are handled here.  Nesting is
 * bounded by JSON_MAX_DEPTH; misuse is a programming error (abort()).
 */
#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	int depth;
	bool need_comma[JSON_MAX_DEPTH + 1];
	bool after_key;
	bool pretty;
};

void json_init(struct json *j, FILE *out, bool pretty);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);
void json_strn(struct json *j, const char *s, size_t len);
void json_u64(struct json *j, uint64_t v);
void json_i64(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
void json_hex(struct json *j, const uint8_t *b, size_t len);
/* Ends the document with a newline. */
void json_finish(struct json *j);

/* Key/value shorthands. */
void json_kv_str(struct json *j, const char *k, const char *v);
void json_kv_u64(struct json *j, const char *k, uint64_t v);
void json_kv_bool(struct json *j, const char *k, bool v);
void json_kv_hex(struct json *j, const char *k, const uint8_t *b, size_t len);

/* ---- Prometheus text exposition format (prom.c) ------------------------ */

struct prom_label {
	const char *name;	/* [a-zA-Z_][a-zA-Z0-9_]*, not escaped */
	const char *value;	/* any text; escaped */
};

/* "# HELP NAME HELP" and "# TYPE NAME TYPE" (counter, gauge). */
void prom_family(FILE *out, const char *name, const char *type,
		 const char *help);
/* One sample with @n labels: an integer, or milliseconds as seconds. */
void prom_u64(FILE *out, const char *name, const struct prom_label *l,
	      size_t n, uint64_t v);
void prom_ms(FILE *out, const char *name, const struct prom_label *l,
	     size_t n, uint64_t ms);

/* ---- logging ------------------------------------------------------------ */

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/* Program name used as the message prefix, and the threshold. */
void log_init(const char *prog, enum log_level threshold);
enum log_level log_threshold(void);
/* Parse "error", "warning", "info", "debug"; -1 if unknown. */
int log_level_parse(const char *s);
void log_msg(enum log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Redirect output (default stderr); NULL restores stderr. */
void log_set_sink(void (*sink)(enum log_level lvl, const char *msg));

#define log_err(...)	log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif /* MBMS_COMMON_H */
