// SPDX-License-Identifier: GPL-2.0
/*
 * mbmsctl stats [session ID]: per-session packet and error counters; with
 * -o prometheus also the sessions' gauges and the keys' use and age.
 */
#include <stdlib.h>
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

/* Counters, gauges and keys in one exposition (one scrape, one file). */
static int stats_prometheus(const struct mbmsctl_cmd *cmd, struct mbms_nl *nl)
{
	struct mbms_session *s;
	struct mbms_key *k;
	size_t n, nk;
	int ret;

	ret = cli_fetch_sessions(cmd, nl, &s, &n);
	if (ret)
		return cli_report(nl, ret);
	ret = cli_fetch_keys(cmd, nl, &k, &nk);
	if (ret) {
		free(s);
		return cli_report(nl, ret);
	}
	cli_print_prometheus(stdout, s, n, k, nk);
	free(k);
	free(s);
	return MBMSCTL_EXIT_OK;
}

static int stats_exec(const struct mbmsctl_cmd *cmd, struct mbms_nl *nl)
{
	if (cmd->prometheus)
		return stats_prometheus(cmd, nl);
	return cli_show_sessions(cmd, nl, cli_print_stats);
}

const struct mbmsctl_object mbmsctl_stats = {
	.name = "stats",
	.parse = stats_parse,
	.exec = stats_exec,
	.help = "per-session packet and error counters",
	.usage = "  mbmsctl [-j | -o prometheus] stats [session ID]\n",
};
