// SPDX-License-Identifier: GPL-2.0
/* mikeytool: command table and usage. */
#include <stdio.h>
#include <string.h>

#include "mbms/common.h"
#include "mikeytool.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "decode", decode_main, "print a MIKEY message (and verify/decrypt it)" },
	{ "encode", encode_main, "build an MSK, MTK, solicited-pull or verification message" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: mikeytool COMMAND [OPTIONS]\n"
		"MIKEY (RFC 3830) messages of the MBMS profile (TS 33.246).\n\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f,
		"\n"
		"  mikeytool decode [-j] [--muk HEX [--init MSK-MESSAGE]]\n"
		"        [--msk HEX --rand HEX] [FILE|-]\n"
		"  mikeytool encode msk --muk HEX --csb-id N --counter N --rand HEX\n"
		"        --idi FQDN --idr BTID --key-domain HEX --msk-id N\n"
		"        (--msk HEX | --validity-only) --seql N --sequ N [--v]\n"
		"        [--download | --ssrc N --roc N [--tag-len N]\n"
		"        [--rcc-mode 0-3] [--rcc-rate R]] [-o FILE]\n"
		"  mikeytool encode mtk --msk HEX --rand HEX --csb-id N --counter N\n"
		"        --key-domain HEX --msk-id N --mtk-id N --mtk HEX\n"
		"        (--salt HEX | --download) [-o FILE]\n"
		"  mikeytool encode solicited-pull --muk HEX --csb-id N --counter N\n"
		"        --rand HEX --idi FQDN --idr BTID --key-domain HEX\n"
		"        --key-group N [-o FILE]\n"
		"  mikeytool encode verification --muk HEX [-o FILE] [MSK-MESSAGE|-]\n"
		"\nKeys are HEX, @FILE or @- (stdin).  Exit status: 0 ok, 1 malformed\n"
		"input or failure, 2 usage, 3 MAC does not verify.  See mikeytool(1).\n");
}

int main(int argc, char **argv)
{
	size_t i;

	log_init("mikeytool", LOG_LVL_INFO);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "mikeytool: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
