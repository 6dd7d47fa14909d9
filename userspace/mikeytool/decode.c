// SPDX-License-Identifier: GPL-2.0
/* mikeytool decode: print a message; with its key, verify and decrypt. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "mbms/common.h"
#include "mikeytool.h"

int decode_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "muk", required_argument, NULL, 'u' },
		{ "msk", required_argument, NULL, 's' },
		{ "rand", required_argument, NULL, 'r' },
		{ "init", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static uint8_t buf[MIKEY_MAX_MESSAGE_LEN + 1];
	static struct mikey_msg m, init;
	const char *init_path = NULL;
	uint8_t muk[MIKEY_MUK_LEN], msk[MIKEY_MBMS_KEY_LEN], rand[MIKEY_RAND_LEN];
	bool json = false, has_muk = false, has_msk = false, has_rand = false;
	const uint8_t *key = NULL;
	size_t len, klen = 0, i;
	struct mikey_error e;
	int c, ret = EXIT_USAGE;

	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'u':
			if (opt_secret("muk", optarg, muk, sizeof(muk)))
				goto out;
			has_muk = true;
			break;
		case 's':
			if (opt_secret("msk", optarg, msk, sizeof(msk)))
				goto out;
			has_msk = true;
			break;
		case 'r':
			if (opt_hex("rand", optarg, rand, sizeof(rand)))
				goto out;
			has_rand = true;
			break;
		case 'i':
			init_path = optarg;
			break;
		case 'h':
			printf("Usage: mikeytool decode [-j] [--muk HEX [--init MSK-MESSAGE]] [--msk HEX --rand HEX] [FILE|-]\n");
			ret = 0;
			goto out;
		default:
			goto out;
		}
	}
	if (optind + 1 < argc) {
		fprintf(stderr, "mikeytool decode: one input at most\n");
		goto out;
	}
	if (has_muk && has_msk) {
		fprintf(stderr, "mikeytool decode: give --muk (MSK and solicited-pull messages) or --msk (MTK messages), not both\n");
		goto out;
	}
	if (init_path && !has_muk) {
		fprintf(stderr, "mikeytool decode: --init needs --muk\n");
		goto out;
	}
	if (has_msk != has_rand) {
		fprintf(stderr, "mikeytool decode: --msk needs --rand (the RAND of the MSK message)\n");
		goto out;
	}
	ret = EXIT_MALFORMED;
	if (read_message(optind < argc ? argv[optind] : NULL, buf, sizeof(buf),
			 &len))
		goto out;
	if (mikey_decode(buf, len, &m, &e)) {
		fprintf(stderr, "mikeytool: malformed MIKEY message: %s (at byte %zu, %s)\n",
			e.msg, e.offset, mikey_strerror(e.code));
		goto out;
	}
	if (has_muk) {
		key = muk;
		klen = sizeof(muk);
		if (m.kind == MIKEY_KIND_MTK) {
			fprintf(stderr, "mikeytool decode: an MTK message is protected by the MSK: use --msk and --rand\n");
			ret = EXIT_USAGE;
			goto out;
		}
	} else if (has_msk) {
		key = msk;
		klen = sizeof(msk);
		if (m.kind != MIKEY_KIND_MTK) {
			fprintf(stderr, "mikeytool decode: a %s message is protected by the MUK: use --muk\n",
				mikey_kind_name(m.kind));
			ret = EXIT_USAGE;
			goto out;
		}
	}
	if (key && m.kind == MIKEY_KIND_VERIFICATION) {
		static uint8_t ibuf[MIKEY_MAX_MESSAGE_LEN + 1];
		size_t ilen;
		int r;

		if (!init_path) {
			fprintf(stderr, "mikeytool decode: a verification message is checked against the MSK message it answers: add --init FILE\n");
			ret = EXIT_USAGE;
			goto out;
		}
		if (read_message(init_path, ibuf, sizeof(ibuf), &ilen))
			goto out;
		if (mikey_decode(ibuf, ilen, &init, &e)) {
			fprintf(stderr, "mikeytool: --init: malformed MIKEY message: %s\n",
				e.msg);
			goto out;
		}
		r = mikey_verify_verification(&m, &init, key, klen, &e);
		if (r && r != MIKEY_E_MAC) {
			fprintf(stderr, "mikeytool: --init: %s\n", e.msg);
			goto out;
		}
		ret = r ? EXIT_BADMAC : 0;
		goto print;
	}
	if (init_path) {
		fprintf(stderr, "mikeytool decode: --init only applies to a verification message\n");
		ret = EXIT_USAGE;
		goto out;
	}
	ret = 0;
	if (key) {
		int r = mikey_verify_decrypt(&m, key, klen,
					     has_rand ? rand : NULL,
					     sizeof(rand), &e);

		if (r == MIKEY_E_MAC) {
			ret = EXIT_BADMAC;
		} else if (r) {
			fprintf(stderr, "mikeytool: %s (%s)\n", e.msg,
				mikey_strerror(e.code));
			ret = EXIT_MALFORMED;
		}
	}
print:
	if (json)
		print_json(&m, key != NULL);
	else
		print_tree(&m, key != NULL);
	for (i = 0; i < m.n_sp; i++) {
		struct mikey_rcc rcc;

		if (mikey_sp_rcc(&m.sp[i], &rcc, &e) == MIKEY_OK)
			continue;
		/* What mbmsd refuses: RFC 4771 parameters it cannot read. */
		fprintf(stderr, "mikeytool: SP %zu: %s (%s)\n", i + 1, e.msg,
			mikey_strerror(e.code));
		if (!ret)
			ret = EXIT_MALFORMED;
	}
	if (ret == EXIT_BADMAC)
		fprintf(stderr, "mikeytool: MAC does not verify: wrong key or altered message\n");
out:
	mikey_msg_clear(&m);
	mikey_msg_clear(&init);
	secure_zero(muk, sizeof(muk));
	secure_zero(msk, sizeof(msk));
	return ret;
}
