// SPDX-License-Identifier: GPL-2.0
/* mbmsctl stats [session ID]: per-session packet and error counters. */
#include <string.h>

#include "cli.h"

static int stats_parse(struct mbmsctl_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	const char *w, *v;
	uint64_t n;

	cli_args_init(&a, cmd, "stats", argc, argv);
	while ((w = cli_next(&a))) {
		if (strcmp(w, "session"))
			return cli_unknown(&a, w);
		if (cmd->has_session_id)
			return cli_twice(&a, w);
		v = cli_value(&a, w);
		if (!v || cli_number(&a, "session id", v, 1, UINT32_MAX, &n))
			return -1;
		cmd->session_id = (uint32_t)n;
		cmd->has_session_id = true;
	}
	return 0;
}

static int stats_exec(const struct mbmsctl_cmd *cmd, struct mbms_nl *nl)
{
	return cli_show_sessions(cmd, nl, cli_print_stats);
}

const struct mbmsctl_object mbmsctl_stats = {
	.name = "stats",
	.parse = stats_parse,
	.exec = stats_exec,
	.help = "per-session packet and error counters",
	.usage = "  mbmsctl [-j] stats [session ID]\n",
};
