// SPDX-License-Identifier: GPL-2.0
/*
 * mbmsctl key add|del|show: MTKs.  Key material comes from argv (HEX),
 * a file (@FILE) or stdin (@-); after decoding, a hex key given on the
 * command line is overwritten in place so it lingers in /proc/PID/cmdline
 * for as short a time as possible.  Files are the way to keep it out.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	SEEN_SESSION = 1 << 0,
	SEEN_MSK = 1 << 1,
	SEEN_MTK = 1 << 2,
	SEEN_KEY = 1 << 3,
	SEEN_SALT = 1 << 4,
	SEEN_ROC = 1 << 5,
	SEEN_MAX_PACKETS = 1 << 6,
	SEEN_LIFETIME = 1 << 7,
};

static const struct {
	const char *name;
	unsigned int bit;
	uint64_t min, max;
	unsigned int verbs;		/* 1 << VERB_*: where it is allowed */
} key_options[] = {
	{ "session", SEEN_SESSION, 1, UINT32_MAX,
	  1 << VERB_ADD | 1 << VERB_DEL | 1 << VERB_SHOW },
	{ "msk-id", SEEN_MSK, 0, UINT32_MAX, 1 << VERB_ADD | 1 << VERB_DEL },
	{ "mtk-id", SEEN_MTK, 0, UINT16_MAX, 1 << VERB_ADD | 1 << VERB_DEL },
	{ "key", SEEN_KEY, 0, 0, 1 << VERB_ADD },
	{ "salt", SEEN_SALT, 0, 0, 1 << VERB_ADD },
	{ "roc", SEEN_ROC, 0, UINT32_MAX, 1 << VERB_ADD },
	{ "max-packets", SEEN_MAX_PACKETS, 0, UINT64_MAX, 1 << VERB_ADD },
	{ "lifetime", SEEN_LIFETIME, 0, UINT32_MAX, 1 << VERB_ADD },
};

/* The words of the secrets, decoded once the whole line has been parsed. */
struct secret_args {
	char *key;
	char *salt;
};

static void store_number(struct mbms_key *k, unsigned int bit, uint64_t v)
{
	switch (bit) {
	case SEEN_SESSION:
		k->session_id = (uint32_t)v;
		break;
	case SEEN_MSK:
		k->msk_id = (uint32_t)v;
		break;
	case SEEN_MTK:
		k->mtk_id = (uint16_t)v;
		break;
	case SEEN_ROC:
		k->roc = (uint32_t)v;
		k->flags |= MBMS_KEY_HAS_ROC;
		break;
	case SEEN_MAX_PACKETS:
		k->max_packets = v;
		k->flags |= MBMS_KEY_HAS_MAX_PACKETS;
		break;
	case SEEN_LIFETIME:
		k->lifetime = (uint32_t)v;
		k->flags |= MBMS_KEY_HAS_LIFETIME;
		break;
	}
}

static int key_option(struct cli_args *a, struct mbms_key *k,
		      struct secret_args *sec, unsigned int *seen,
		      const char *opt)
{
	size_t i;
	uint64_t v;
	char *val;

	for (i = 0; i < ARRAY_SIZE(key_options); i++)
		if (!strcmp(opt, key_options[i].name) &&
		    (key_options[i].verbs & 1U << a->cmd->verb))
			break;
	if (i == ARRAY_SIZE(key_options))
		return cli_unknown(a, opt);
	if (*seen & key_options[i].bit)
		return cli_twice(a, opt);
	*seen |= key_options[i].bit;
	val = (char *)cli_value(a, opt);
	if (!val)
		return -1;
	if (key_options[i].bit == SEEN_KEY) {
		sec->key = val;
		return 0;
	}
	if (key_options[i].bit == SEEN_SALT) {
		sec->salt = val;
		return 0;
	}
	if (cli_number(a, key_options[i].bit == SEEN_SESSION ? "session id" :
		       opt, val, key_options[i].min, key_options[i].max, &v))
		return -1;
	store_number(k, key_options[i].bit, v);
	return 0;
}

/* Decode one secret; a hex word on the command line is wiped after use. */
static int read_secret(struct mbmsctl_cmd *cmd, const char *what, char *arg,
		       uint8_t *out, size_t len)
{
	char err[160];
	int ret = read_secret_hex(arg, out, len, err, sizeof(err));

	if (arg[0] != '@')
		secure_zero(arg, strlen(arg));
	if (ret < 0)
		return cli_fail(cmd, "%s: %s", what, err);
	return 0;
}

static int key_parse(struct mbmsctl_cmd *cmd, int argc, char **argv)
{
	static const char *const ctx[] = {
		[VERB_ADD] = "key add", [VERB_DEL] = "key del",
		[VERB_SHOW] = "key show",
	};
	struct secret_args sec = { 0 };
	struct mbms_key *k = &cmd->key;
	unsigned int seen = 0;
	struct cli_args a;

	if (cli_verb(cmd, "key", argc ? argv[0] : NULL) < 0)
		return -1;
	cli_args_init(&a, cmd, ctx[cmd->verb], argc - 1, argv + 1);
	while (cli_more(&a))
		if (key_option(&a, k, &sec, &seen, cli_next(&a)) < 0)
			return -1;
	cmd->session_id = k->session_id;
	cmd->has_session_id = seen & SEEN_SESSION;
	if (cmd->verb == VERB_SHOW)
		return 0;
	if (!(seen & SEEN_SESSION))
		return cli_missing(&a, "'session ID'");
	if (!(seen & SEEN_MSK))
		return cli_missing(&a, "'msk-id N'");
	if (!(seen & SEEN_MTK))
		return cli_missing(&a, "'mtk-id N'");
	if (cmd->verb == VERB_DEL)
		return 0;
	if (!sec.key)
		return cli_missing(&a, "'key HEX|@FILE'");
	if (!sec.salt)
		return cli_missing(&a, "'salt HEX|@FILE'");
	if (!strcmp(sec.key, "@-") && !strcmp(sec.salt, "@-"))
		return cli_fail(cmd, "key and salt cannot both be read from stdin ('@-')");
	if (read_secret(cmd, "key", sec.key, k->master, sizeof(k->master)) < 0)
		return -1;
	return read_secret(cmd, "salt", sec.salt, k->salt, sizeof(k->salt));
}

static int key_order(const void *x, const void *y)
{
	const struct mbms_key *a = x, *b = y;

	if (a->session_id != b->session_id)
		return a->session_id < b->session_id ? -1 : 1;
	if (a->msk_id != b->msk_id)
		return a->msk_id < b->msk_id ? -1 : 1;
	return (a->mtk_id > b->mtk_id) - (a->mtk_id < b->mtk_id);
}

/*
 * Keep the keys of one session.  The kernel filters the dump already; this
 * keeps the output right should a kernel ever ignore the filter.
 */
static size_t only_session(struct mbms_key *k, size_t n, uint32_t id)
{
	size_t i, kept = 0;

	for (i = 0; i < n; i++)
		if (k[i].session_id == id)
			k[kept++] = k[i];
	return kept;
}

int cli_fetch_keys(const struct mbmsctl_cmd *cmd, struct mbms_nl *nl,
		   struct mbms_key **k, size_t *n)
{
	int ret;

	*k = NULL;
	*n = 0;
	ret = mbms_nl_key_dump(nl, cmd->has_session_id ? cmd->session_id : 0,
			       k, n);
	if (ret)
		return ret;
	if (cmd->has_session_id)
		*n = only_session(*k, *n, cmd->session_id);
	if (*n)
		qsort(*k, *n, sizeof(**k), key_order);
	return 0;
}

static int key_exec(const struct mbmsctl_cmd *cmd, struct mbms_nl *nl)
{
	const struct mbms_key *k = &cmd->key;
	struct mbms_key *all = NULL;
	size_t n = 0;
	int ret;

	switch (cmd->verb) {
	case VERB_ADD:
		ret = mbms_nl_key_add(nl, k);
		return ret ? cli_report(nl, ret) : MBMSCTL_EXIT_OK;
	case VERB_DEL:
		ret = mbms_nl_key_del(nl, k->session_id, k->msk_id, k->mtk_id);
		return ret ? cli_report(nl, ret) : MBMSCTL_EXIT_OK;
	default:
		break;
	}
	ret = cli_fetch_keys(cmd, nl, &all, &n);
	if (ret)
		return cli_report(nl, ret);
	cli_print_keys(stdout, cmd->json, all, n);
	free(all);
	return MBMSCTL_EXIT_OK;
}

const struct mbmsctl_object mbmsctl_key = {
	.name = "key",
	.parse = key_parse,
	.exec = key_exec,
	.help = "MTKs (MBMS traffic keys) installed in a session",
	.usage =
	"  mbmsctl [-j] key add session ID msk-id N mtk-id N key HEX|@FILE salt HEX|@FILE\n"
	"                    [roc N] [max-packets N] [lifetime SECONDS]\n"
	"  mbmsctl [-j] key del session ID msk-id N mtk-id N\n"
	"  mbmsctl [-j] key show [session ID]\n",
};
