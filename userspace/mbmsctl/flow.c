// SPDX-License-Identifier: GPL-2.0
/* mbmsctl flow add|del|show: which UDP packets go to which session. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Options seen, so each may be given once and required ones checked. */
enum {
	SEEN_SESSION = 1 << 0,
	SEEN_DST = 1 << 1,
	SEEN_DPORT = 1 << 2,
	SEEN_SRC = 1 << 3,
	SEEN_RTCP = 1 << 4,
};

static bool is_unspecified(const struct mbms_addr *a)
{
	static const struct in6_addr any6 = IN6ADDR_ANY_INIT;

	if (a->family == AF_INET)
		return a->v4.s_addr == htonl(INADDR_ANY);
	return !memcmp(&a->v6, &any6, sizeof(any6));
}

static int flow_option(struct cli_args *a, struct mbms_flow *f,
		       unsigned int *seen, bool add, const char *opt)
{
	unsigned int bit;
	const char *v;
	uint64_t n;

	if (add && !strcmp(opt, "session"))
		bit = SEEN_SESSION;
	else if (!strcmp(opt, "dst"))
		bit = SEEN_DST;
	else if (!strcmp(opt, "dport"))
		bit = SEEN_DPORT;
	else if (!strcmp(opt, "src"))
		bit = SEEN_SRC;
	else if (add && !strcmp(opt, "rtcp"))
		bit = SEEN_RTCP;
	else
		return cli_unknown(a, opt);
	if (*seen & bit)
		return cli_twice(a, opt);
	*seen |= bit;
	if (bit == SEEN_RTCP) {
		f->flags |= MBMS_FLOW_RTCP;
		return 0;
	}
	v = cli_value(a, opt);
	if (!v)
		return -1;
	switch (bit) {
	case SEEN_SESSION:
		if (cli_number(a, "session id", v, 1, UINT32_MAX, &n))
			return -1;
		f->session_id = (uint32_t)n;
		return 0;
	case SEEN_DST:
		return cli_addr(a, "dst", v, &f->dst);
	case SEEN_DPORT:
		if (cli_number(a, "dport", v, 1, UINT16_MAX, &n))
			return -1;
		f->dport = (uint16_t)n;
		return 0;
	default:
		f->flags |= MBMS_FLOW_HAS_SRC;
		if (cli_addr(a, "src", v, &f->src))
			return -1;
		/* The kernel spells "any source" as all zeroes. */
		if (is_unspecified(&f->src))
			return cli_fail(a->cmd, "src: '%s' is the unspecified address; omit src for any source",
					v);
		return 0;
	}
}

static int flow_parse(struct mbmsctl_cmd *cmd, int argc, char **argv)
{
	struct mbms_flow *f = &cmd->flow;
	unsigned int seen = 0;
	struct cli_args a;
	bool add;

	if (cli_verb(cmd, "flow", argc ? argv[0] : NULL) < 0)
		return -1;
	add = cmd->verb == VERB_ADD;
	cli_args_init(&a, cmd, add ? "flow add" : cmd->verb == VERB_DEL ?
		      "flow del" : "flow show", argc - 1, argv + 1);
	if (cmd->verb == VERB_SHOW)
		return cli_more(&a) ? cli_extra(&a) : 0;
	while (cli_more(&a))
		if (flow_option(&a, f, &seen, add, cli_next(&a)) < 0)
			return -1;
	if (add && !(seen & SEEN_SESSION))
		return cli_missing(&a, "'session ID'");
	if (!(seen & SEEN_DST))
		return cli_missing(&a, "'dst ADDR'");
	if (!(seen & SEEN_DPORT))
		return cli_missing(&a, "'dport PORT'");
	if ((seen & SEEN_SRC) && f->src.family != f->dst.family)
		return cli_fail(cmd, "src and dst must be the same address family");
	cmd->session_id = f->session_id;
	cmd->has_session_id = add;
	return 0;
}

static int addr_cmp(const struct mbms_addr *a, const struct mbms_addr *b)
{
	if (a->family != b->family)
		return a->family - b->family;
	return a->family == AF_INET ? memcmp(&a->v4, &b->v4, 4) :
		memcmp(&a->v6, &b->v6, 16);
}

/* Sorted by session, then destination, port and source: stable output. */
static int flow_order(const void *x, const void *y)
{
	const struct mbms_flow *a = x, *b = y;
	int c;

	if (a->session_id != b->session_id)
		return a->session_id < b->session_id ? -1 : 1;
	c = addr_cmp(&a->dst, &b->dst);
	if (c)
		return c;
	if (a->dport != b->dport)
		return a->dport < b->dport ? -1 : 1;
	if ((a->flags ^ b->flags) & MBMS_FLOW_HAS_SRC)
		return (a->flags & MBMS_FLOW_HAS_SRC) ? 1 : -1;
	return addr_cmp(&a->src, &b->src);
}

static int flow_exec(const struct mbmsctl_cmd *cmd, struct mbms_nl *nl)
{
	struct mbms_flow *all = NULL;
	size_t n = 0;
	int ret;

	switch (cmd->verb) {
	case VERB_ADD:
		ret = mbms_nl_flow_add(nl, &cmd->flow);
		return ret ? cli_report(nl, ret) : MBMSCTL_EXIT_OK;
	case VERB_DEL:
		ret = mbms_nl_flow_del(nl, &cmd->flow);
		return ret ? cli_report(nl, ret) : MBMSCTL_EXIT_OK;
	default:
		break;
	}
	ret = mbms_nl_flow_dump(nl, &all, &n);
	if (ret)
		return cli_report(nl, ret);
	if (n)
		qsort(all, n, sizeof(*all), flow_order);
	cli_print_flows(stdout, cmd->json, all, n);
	free(all);
	return MBMSCTL_EXIT_OK;
}

const struct mbmsctl_object mbmsctl_flow = {
	.name = "flow",
	.parse = flow_parse,
	.exec = flow_exec,
	.help = "which UDP packets (destination, port, source) go to a session",
	.usage =
	"  mbmsctl [-j] flow add session ID dst ADDR dport PORT [src ADDR] [rtcp]\n"
	"  mbmsctl [-j] flow del dst ADDR dport PORT [src ADDR]\n"
	"  mbmsctl [-j] flow show\n",
};
