/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line handling shared by the bench tools that take the stream
 * options of srtp-send (bench-replay, bench-relay).
 */
#ifndef MBMS_BENCH_STREAM_H
#define MBMS_BENCH_STREAM_H

#include <getopt.h>
#include <stdio.h>

#include "stream_opts.h"

/*
 * Parse @argv: the tool's own options @own go to @own_opt(@opt, optarg,
 * @ctx) (0: taken, non-zero: stop with that exit status), the stream
 * options into @c, -h prints @usage to stdout.  Returns -1 when all were
 * parsed (optind is past them), else the exit status for main(): 0 after
 * -h, 1 after a message or the usage text on stderr.
 */
int bench_parse_opts(const char *prog, int argc, char **argv,
		     const struct option *own, struct stream_cfg *c,
		     int (*own_opt)(int opt, const char *arg, void *ctx),
		     void *ctx, void (*usage)(FILE *f));

#endif /* MBMS_BENCH_STREAM_H */
