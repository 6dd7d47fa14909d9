/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line options that describe a stream, shared by srtp-send and
 * srtp-recv: both must be given the same ones so that the receiver can
 * regenerate what the sender sent.
 */
#ifndef MBMS_STREAM_OPTS_H
#define MBMS_STREAM_OPTS_H

#include <getopt.h>
#include <stddef.h>

#include "srtp_stream.h"

/* getopt_long values of the stream options; tools use values below. */
#define STREAM_OPT_FIRST 1000

extern const struct option stream_long_opts[];
extern const char stream_opts_help[];

void stream_cfg_defaults(struct stream_cfg *c);

/*
 * Handle one getopt_long result.  Returns 1 if @opt is not a stream
 * option, 0 when handled, -1 on a bad value (message in @err).
 */
int stream_opt(struct stream_cfg *c, int opt, const char *arg,
	       char *err, size_t errlen);

/* After parsing: defaults that depend on other options (key B's IDs). */
void stream_cfg_finish(struct stream_cfg *c);

/*
 * Concatenate two NULL-terminated option tables into @out, which holds
 * @max entries.  Returns @out.
 */
struct option *opts_merge(struct option *out, size_t max,
			  const struct option *a, const struct option *b);

/*
 * A tool's own options: 0 when handled, -1 on a bad value (message in
 * @err), 1 for an option it does not know (after printing its usage).
 */
typedef int (*tool_opt_fn)(void *ctx, int opt, const char *arg,
			   char *err, size_t errlen);

/*
 * The command line of srtp-send and srtp-recv: stream options into @c,
 * the tool's own (@tool_opts, short options @shortopts) through @fn with
 * @ctx; no operands.  Errors are printed as "@prog: --OPTION: reason".
 * Calls stream_cfg_finish() on success.  Returns 0 or -1.
 */
int stream_parse_args(const char *prog, int argc, char **argv,
		      const char *shortopts, const struct option *tool_opts,
		      struct stream_cfg *c, tool_opt_fn fn, void *ctx);

#endif /* MBMS_STREAM_OPTS_H */
