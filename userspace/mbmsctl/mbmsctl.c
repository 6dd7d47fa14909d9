// SPDX-License-Identifier: GPL-2.0
/*
 * mbmsctl: configure in-kernel MBMS SRTP decryption (mbms_srtp.ko).
 *
 * The table below names each object with its parser, executor and help;
 * each object lives in its own file.  A command line is parsed completely
 * before the kernel is contacted, so bad input never half-applies.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef MBMSCTL_VERSION
#define MBMSCTL_VERSION "0.1"
#endif

static const struct mbmsctl_object *const objects[] = {
	&mbmsctl_session,
	&mbmsctl_flow,
	&mbmsctl_key,
	&mbmsctl_stats,
	&mbmsctl_monitor,
};

static const struct mbmsctl_object *find_object(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (!strcmp(objects[i]->name, name))
			return objects[i];
	return NULL;
}

static void print_usage(FILE *out, const struct mbmsctl_object *obj)
{
	size_t i;

	if (obj) {
		fprintf(out, "Usage:\n%s", obj->usage);
		return;
	}
	fputs("Usage: mbmsctl [-j | -o FORMAT] OBJECT COMMAND [ARGUMENTS]\n"
	      "       mbmsctl OBJECT help\n"
	      "       mbmsctl { help | --help | --version }\n"
	      "\n"
	      "Configure in-kernel MBMS SRTP decryption (mbms_srtp.ko).\n"
	      "\n"
	      "Objects:\n", out);
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		fprintf(out, "  %-9s %s\n", objects[i]->name, objects[i]->help);
	fputs("\n"
	      "Options:\n"
	      "  -j, --json     print JSON (monitor: one object per line)\n"
	      "  -o, --output text|json|prometheus\n"
	      "                 output format; prometheus: stats only, in the\n"
	      "                 Prometheus text exposition format\n"
	      "  -h, --help     print this help\n"
	      "  -V, --version  print the version\n"
	      "\n"
	      "Commands:\n", out);
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		fputs(objects[i]->usage, out);
	fputs("\n"
	      "Numbers are decimal or 0x hex; @FILE (@- = stdin) reads a key or\n"
	      "salt from a file.  See mbmsctl(8).\n", out);
}

/* -o FORMAT; -j is -o json.  The last one given wins. */
static int parse_output(struct mbmsctl_cmd *cmd, const char *opt,
			const char *fmt)
{
	cmd->json = !strcmp(fmt, "json");
	cmd->prometheus = !strcmp(fmt, "prometheus");
	if (!cmd->json && !cmd->prometheus && strcmp(fmt, "text"))
		return cli_fail(cmd, "%s: unknown format '%s' (text, json or prometheus)",
				opt, fmt);
	return 0;
}

/*
 * The global options at argv[*i]...: before the object, and again right
 * after it ("mbmsctl stats -o prometheus", as node_exporter recipes
 * write it).  Returns 1 when -h or -V ends the parse.
 */
static int parse_globals(struct mbmsctl_cmd *cmd, int argc, char **argv,
			 int *i)
{
	for (; *i < argc && argv[*i][0] == '-'; (*i)++) {
		const char *o = argv[*i];

		if (!strcmp(o, "-j") || !strcmp(o, "--json")) {
			cmd->json = true;
			cmd->prometheus = false;
		} else if (!strcmp(o, "-o") || !strcmp(o, "--output")) {
			if (++*i == argc)
				return cli_fail(cmd, "%s: missing format (text, json or prometheus)",
						o);
			if (parse_output(cmd, o, argv[*i]) < 0)
				return -1;
		} else if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			cmd->help = true;
			return 1;
		} else if (!strcmp(o, "-V") || !strcmp(o, "--version")) {
			cmd->version = true;
			return 1;
		} else {
			return cli_fail(cmd, "unknown option '%s' (try 'mbmsctl help')",
					o);
		}
	}
	return 0;
}

int mbmsctl_parse(struct mbmsctl_cmd *cmd, int argc, char **argv)
{
	int i = 1, ret;

	memset(cmd, 0, sizeof(*cmd));
	ret = parse_globals(cmd, argc, argv, &i);
	if (ret)
		return ret < 0 ? ret : 0;
	if (i == argc)
		return cli_fail(cmd, "missing object (try 'mbmsctl help')");
	if (!strcmp(argv[i], "help")) {
		cmd->help = true;
		return 0;
	}
	cmd->obj = find_object(argv[i]);
	if (!cmd->obj)
		return cli_fail(cmd, "unknown object '%s' (try 'mbmsctl help')",
				argv[i]);
	i++;
	ret = parse_globals(cmd, argc, argv, &i);
	if (ret)
		return ret < 0 ? ret : 0;
	if (i < argc && !strcmp(argv[i], "help")) {
		if (i + 1 < argc)
			return cli_fail(cmd, "%s help: unexpected argument '%s'",
					cmd->obj->name, argv[i + 1]);
		cmd->help = true;
		return 0;
	}
	if (cmd->prometheus && cmd->obj != &mbmsctl_stats)
		return cli_fail(cmd, "-o prometheus: only 'stats' has metrics, not '%s'",
				cmd->obj->name);
	return cmd->obj->parse(cmd, argc - i, argv + i);
}

void mbmsctl_cmd_free(struct mbmsctl_cmd *cmd)
{
	secure_zero(cmd, sizeof(*cmd));
}

int mbmsctl_main(int argc, char **argv)
{
	struct mbmsctl_cmd cmd;
	struct mbms_nl_err err;
	struct mbms_nl *nl;
	int ret;

	if (mbmsctl_parse(&cmd, argc, argv) < 0) {
		fprintf(stderr, "mbmsctl: %s\n", cmd.err);
		mbmsctl_cmd_free(&cmd);
		return MBMSCTL_EXIT_USAGE;
	}
	if (cmd.version) {
		printf("mbmsctl %s (generic netlink family %s, version %d)\n",
		       MBMSCTL_VERSION, MBMS_SRTP_GENL_NAME,
		       MBMS_SRTP_GENL_VERSION);
		return MBMSCTL_EXIT_OK;
	}
	if (cmd.help) {
		print_usage(stdout, cmd.obj);
		return MBMSCTL_EXIT_OK;
	}
	nl = mbms_nl_open(&err);
	if (!nl) {
		fprintf(stderr, "mbmsctl: %s\n",
			err.msg[0] ? err.msg : strerror(-err.code));
		mbmsctl_cmd_free(&cmd);
		return MBMSCTL_EXIT_KERNEL;
	}
	ret = cmd.obj->exec(&cmd, nl);
	mbms_nl_close(nl);
	mbmsctl_cmd_free(&cmd);
	return ret;
}
