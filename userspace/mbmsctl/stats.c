// SPDX-License-Identifier: GPL-2.0
/* mbmsctl stats [session ID]: per-session packet and error counters. */
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

static int by_id(const void *x, const void *y)
{
	const struct mbms_session *a = x, *b = y;

	return (a->id > b->id) - (a->id < b->id);
}

static int stats_exec(const struct mbmsctl_cmd *cmd, struct mbms_nl *nl)
{
	struct mbms_session one, *all = NULL;
	size_t n = 0;
	int ret;

	if (cmd->has_session_id) {
		ret = mbms_nl_session_get(nl, cmd->session_id, &one);
		if (ret)
			return cli_report(nl, ret);
		cli_print_stats(stdout, cmd->json, &one, 1);
		return MBMSCTL_EXIT_OK;
	}
	ret = mbms_nl_session_dump(nl, &all, &n);
	if (ret)
		return cli_report(nl, ret);
	if (n)
		qsort(all, n, sizeof(*all), by_id);
	cli_print_stats(stdout, cmd->json, all, n);
	free(all);
	return MBMSCTL_EXIT_OK;
}

const struct mbmsctl_object mbmsctl_stats = {
	.name = "stats",
	.parse = stats_parse,
	.exec = stats_exec,
	.help = "per-session packet and error counters",
	.usage = "  mbmsctl [-j] stats [session ID]\n",
};
