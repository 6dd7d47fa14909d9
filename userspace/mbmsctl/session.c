// SPDX-License-Identifier: GPL-2.0
/* mbmsctl session add|del|show: SRTP crypto contexts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int parse_id(struct cli_args *a, const char *s, uint32_t *id)
{
	uint64_t v;

	if (cli_number(a, "session id", s, 1, UINT32_MAX, &v) < 0)
		return -1;
	*id = (uint32_t)v;
	return 0;
}

/* Each option at most once: "session add: 'window' given twice". */
static int once(struct cli_args *a, struct mbms_session *s, uint32_t flag,
		const char *opt)
{
	if (s->flags & flag)
		return cli_twice(a, opt);
	s->flags |= flag;
	return 0;
}

/* One "NAME VALUE" option of session add. */
static int parse_add_option(struct cli_args *a, struct mbms_session *s,
			    const char *opt)
{
	const char *v;
	uint64_t n;
	int e;

	if (!strcmp(opt, "suite")) {
		if (once(a, s, MBMS_SESSION_HAS_SUITE, opt))
			return -1;
		v = cli_value(a, opt);
		if (!v)
			return -1;
		e = mbms_suite_parse(v);
		if (e < 0)
			return cli_fail(a->cmd, "suite: unknown suite '%s' (aes-cm-128-hmac-sha1-80 or aes-cm-128-hmac-sha1-32)",
					v);
		s->suite = (uint8_t)e;
	} else if (!strcmp(opt, "mki-len")) {
		if (once(a, s, MBMS_SESSION_HAS_MKI_LEN, opt))
			return -1;
		v = cli_value(a, opt);
		if (!v || cli_number(a, opt, v, 0, MBMS_SRTP_MKI_LEN_MAX, &n))
			return -1;
		s->mki_len = (uint8_t)n;
	} else if (!strcmp(opt, "window")) {
		if (once(a, s, MBMS_SESSION_HAS_REPLAY_WINDOW, opt))
			return -1;
		v = cli_value(a, opt);
		if (!v || cli_number(a, opt, v, MBMS_SRTP_WINDOW_MIN,
				     MBMS_SRTP_WINDOW_MAX, &n))
			return -1;
		s->replay_window = (uint16_t)n;
	} else if (!strcmp(opt, "max-keys")) {
		if (once(a, s, MBMS_SESSION_HAS_MAX_KEYS, opt))
			return -1;
		v = cli_value(a, opt);
		if (!v || cli_number(a, opt, v, 1, MBMS_SRTP_MAX_KEYS_MAX, &n))
			return -1;
		s->max_keys = (uint8_t)n;
	} else if (!strcmp(opt, "max-ssrcs")) {
		if (once(a, s, MBMS_SESSION_HAS_MAX_SSRCS, opt))
			return -1;
		v = cli_value(a, opt);
		if (!v || cli_number(a, opt, v, 1, MBMS_SRTP_MAX_SSRCS_MAX, &n))
			return -1;
		s->max_ssrcs = (uint16_t)n;
	} else if (!strcmp(opt, "rcc-mode")) {
		if (s->rcc_mode)
			return cli_twice(a, opt);
		v = cli_value(a, opt);
		if (!v || cli_number(a, opt, v, 1, MBMS_SRTP_RCC_MODE_MAX, &n))
			return -1;
		s->rcc_mode = (uint8_t)n;
		s->flags |= MBMS_SESSION_HAS_RCC;
	} else if (!strcmp(opt, "rcc-rate")) {
		if (s->rcc_rate)
			return cli_twice(a, opt);
		v = cli_value(a, opt);
		if (!v || cli_number(a, opt, v, 1, UINT16_MAX, &n))
			return -1;
		s->rcc_rate = (uint16_t)n;
		s->flags |= MBMS_SESSION_HAS_RCC;
	} else if (!strcmp(opt, "tag-len")) {
		if (once(a, s, MBMS_SESSION_HAS_TAG_LEN, opt))
			return -1;
		v = cli_value(a, opt);
		if (!v || cli_number(a, opt, v, MBMS_SRTP_TAG_LEN_MIN,
				     MBMS_SRTP_TAG_LEN_MAX, &n))
			return -1;
		s->tag_len = (uint8_t)n;
	} else if (!strcmp(opt, "on-fail")) {
		if (once(a, s, MBMS_SESSION_HAS_ON_FAIL, opt))
			return -1;
		v = cli_value(a, opt);
		if (!v)
			return -1;
		e = mbms_on_fail_parse(v);
		if (e < 0)
			return cli_fail(a->cmd, "on-fail: expected 'drop' or 'pass', got '%s'",
					v);
		s->on_fail = (uint8_t)e;
	} else {
		return cli_unknown(a, opt);
	}
	return 0;
}

static int session_parse(struct mbmsctl_cmd *cmd, int argc, char **argv)
{
	static const char *const ctx[] = {
		[VERB_ADD] = "session add", [VERB_DEL] = "session del",
		[VERB_SHOW] = "session show",
	};
	struct cli_args a;
	const char *id;

	if (cli_verb(cmd, "session", argc ? argv[0] : NULL) < 0)
		return -1;
	cli_args_init(&a, cmd, ctx[cmd->verb], argc - 1, argv + 1);
	id = cli_next(&a);
	if (!id) {
		if (cmd->verb == VERB_SHOW)
			return 0;
		return cli_missing(&a, "session ID");
	}
	if (parse_id(&a, id, &cmd->session_id) < 0)
		return -1;
	cmd->has_session_id = true;
	cmd->session.id = cmd->session_id;
	if (cmd->verb != VERB_ADD)
		return cli_more(&a) ? cli_extra(&a) : 0;
	while (cli_more(&a))
		if (parse_add_option(&a, &cmd->session, cli_next(&a)) < 0)
			return -1;
	/* RFC 4771: the mode and R only make sense together */
	if (!cmd->session.rcc_mode != !cmd->session.rcc_rate)
		return cli_fail(cmd, "session add: rcc-mode and rcc-rate go together (got only %s)",
				cmd->session.rcc_mode ? "rcc-mode" : "rcc-rate");
	return 0;
}

static int by_id(const void *x, const void *y)
{
	const struct mbms_session *a = x, *b = y;

	return (a->id > b->id) - (a->id < b->id);
}

int cli_fetch_sessions(const struct mbmsctl_cmd *cmd, struct mbms_nl *nl,
		       struct mbms_session **s, size_t *n)
{
	int ret;

	*s = NULL;
	*n = 0;
	if (cmd->has_session_id) {
		*s = calloc(1, sizeof(**s));
		if (!*s)
			return -ENOMEM;
		ret = mbms_nl_session_get(nl, cmd->session_id, *s);
		if (ret) {
			free(*s);
			*s = NULL;
			return ret;
		}
		*n = 1;
		return 0;
	}
	ret = mbms_nl_session_dump(nl, s, n);
	if (!ret && *n)
		qsort(*s, *n, sizeof(**s), by_id);
	return ret;
}

int cli_show_sessions(const struct mbmsctl_cmd *cmd, struct mbms_nl *nl,
		      cli_session_printer print)
{
	struct mbms_session *all;
	size_t n;
	int ret;

	ret = cli_fetch_sessions(cmd, nl, &all, &n);
	if (ret)
		return cli_report(nl, ret);
	print(stdout, cmd->json, all, n);
	free(all);
	return MBMSCTL_EXIT_OK;
}

/*
 * RFC 4771 section 3: an RCC packet's MAC is the tag truncated by the 4
 * bytes of the ROC, nothing with the 32-bit tag.  In mode 2 the other
 * packets are still authenticated (the kernel only takes such a ROC as a
 * hint); in mode 1 no packet is.
 */
const char *cli_session_add_warning(const struct mbms_session *s)
{
	if (s->rcc_mode == 1 &&
	    s->suite == MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32)
		return "rcc-mode 1 with aes-cm-128-hmac-sha1-32 gives no integrity (same as rcc-mode 3): its RCC packets carry the ROC and no MAC, the others no tag";
	return NULL;
}

static int session_exec(const struct mbmsctl_cmd *cmd, struct mbms_nl *nl)
{
	const char *warn;
	int ret;

	switch (cmd->verb) {
	case VERB_ADD:
		ret = mbms_nl_session_add(nl, &cmd->session);
		if (ret)
			return cli_report(nl, ret);
		warn = cli_session_add_warning(&cmd->session);
		if (warn)
			fprintf(stderr, "mbmsctl: warning: %s\n", warn);
		return MBMSCTL_EXIT_OK;
	case VERB_DEL:
		ret = mbms_nl_session_del(nl, cmd->session_id);
		return ret ? cli_report(nl, ret) : MBMSCTL_EXIT_OK;
	default:
		break;
	}
	return cli_show_sessions(cmd, nl, cli_print_sessions);
}

const struct mbmsctl_object mbmsctl_session = {
	.name = "session",
	.parse = session_parse,
	.exec = session_exec,
	.help = "SRTP crypto contexts: suite, MKI length, replay window, keys",
	.usage =
	"  mbmsctl [-j] session add ID [suite aes-cm-128-hmac-sha1-80|aes-cm-128-hmac-sha1-32]\n"
	"                    [mki-len N] [window N] [max-keys N] [max-ssrcs N]\n"
	"                    [on-fail drop|pass] [rcc-mode 1|2|3 rcc-rate R]\n"
	"                    [tag-len N]\n"
	"  mbmsctl [-j] session del ID\n"
	"  mbmsctl [-j] session show [ID]\n",
};
