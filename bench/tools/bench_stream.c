// SPDX-License-Identifier: GPL-2.0
/* Option parsing of bench-replay and bench-relay, see bench_stream.h. */
#include <stdio.h>

#include "bench_stream.h"

int bench_parse_opts(const char *prog, int argc, char **argv,
		     const struct option *own, struct stream_cfg *c,
		     int (*own_opt)(int opt, const char *arg, void *ctx),
		     void *ctx, void (*usage)(FILE *f))
{
	struct option opts[64];
	char err[256];
	int opt, rc;

	stream_cfg_defaults(c);
	opts_merge(opts, 64, own, stream_long_opts);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (opt == 'h') {
			usage(stdout);
			return 0;
		}
		if (opt >= STREAM_OPT_FIRST) {
			if (stream_opt(c, opt, optarg, err, sizeof(err))) {
				fprintf(stderr, "%s: %s\n", prog, err);
				return 1;
			}
			continue;
		}
		if (opt == '?') {
			usage(stderr);
			return 1;
		}
		rc = own_opt(opt, optarg, ctx);
		if (rc)
			return rc;
	}
	stream_cfg_finish(c);
	return -1;
}
