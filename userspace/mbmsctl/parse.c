// SPDX-License-Identifier: GPL-2.0
/*
 * argv helpers for the object parsers: a cursor over the words and the
 * error messages, so that every object names problems the same way.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_fail(struct mbmsctl_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd->err, sizeof(cmd->err), fmt, ap);
	va_end(ap);
	return -1;
}

void cli_args_init(struct cli_args *a, struct mbmsctl_cmd *cmd,
		   const char *ctx, int argc, char **argv)
{
	*a = (struct cli_args){ .cmd = cmd, .ctx = ctx, .argc = argc,
				.argv = argv };
}

bool cli_more(const struct cli_args *a)
{
	return a->i < a->argc;
}

const char *cli_next(struct cli_args *a)
{
	return a->i < a->argc ? a->argv[a->i++] : NULL;
}

const char *cli_value(struct cli_args *a, const char *opt)
{
	const char *v = cli_next(a);

	if (!v)
		cli_fail(a->cmd, "%s: missing value for '%s'", a->ctx, opt);
	return v;
}

int cli_twice(struct cli_args *a, const char *opt)
{
	return cli_fail(a->cmd, "%s: '%s' given twice", a->ctx, opt);
}

int cli_unknown(struct cli_args *a, const char *word)
{
	return cli_fail(a->cmd, "%s: unknown option '%s'", a->ctx, word);
}

int cli_extra(struct cli_args *a)
{
	return cli_fail(a->cmd, "%s: unexpected argument '%s'", a->ctx,
			a->argv[a->i]);
}

int cli_missing(struct cli_args *a, const char *what)
{
	return cli_fail(a->cmd, "%s: missing %s", a->ctx, what);
}

int cli_verb(struct mbmsctl_cmd *cmd, const char *obj, const char *verb)
{
	if (!verb)
		return cli_fail(cmd, "%s: missing command (add, del, show or help)",
				obj);
	if (!strcmp(verb, "add"))
		cmd->verb = VERB_ADD;
	else if (!strcmp(verb, "del"))
		cmd->verb = VERB_DEL;
	else if (!strcmp(verb, "show"))
		cmd->verb = VERB_SHOW;
	else
		return cli_fail(cmd, "%s: unknown command '%s' (add, del, show or help)",
				obj, verb);
	return 0;
}

/* Only digits (or 0x and hex digits): a number too big, not a non-number. */
static bool looks_numeric(const char *s)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *p = hex ? s + 2 : s;

	if (!*p)
		return false;
	for (; *p; p++)
		if (!(*p >= '0' && *p <= '9') &&
		    !(hex && ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')))
			return false;
	return true;
}

int cli_number(struct cli_args *a, const char *what, const char *s,
	       uint64_t min, uint64_t max, uint64_t *out)
{
	char err[128];
	uint64_t v;

	if (parse_u64(s, UINT64_MAX, &v, err, sizeof(err)) < 0) {
		if (!looks_numeric(s))
			return cli_fail(a->cmd, "%s: %s", what, err);
		v = UINT64_MAX;		/* overflow: report the range below */
		if (max == UINT64_MAX)
			return cli_fail(a->cmd, "%s: %s is out of range (%llu..%llu)",
					what, s, (unsigned long long)min,
					(unsigned long long)max);
	}
	if (v < min || v > max)
		return cli_fail(a->cmd, "%s: %s is out of range (%llu..%llu)",
				what, s, (unsigned long long)min,
				(unsigned long long)max);
	*out = v;
	return 0;
}

int cli_addr(struct cli_args *a, const char *what, const char *s,
	     struct mbms_addr *out)
{
	if (mbms_addr_parse(s, out) < 0)
		return cli_fail(a->cmd, "%s: '%s' is not an IPv4 or IPv6 address",
				what, s);
	return 0;
}
