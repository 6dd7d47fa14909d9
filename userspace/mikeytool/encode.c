// SPDX-License-Identifier: GPL-2.0
/* mikeytool encode: build MSK, MTK, solicited-pull and verification messages. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "mbms/common.h"
#include "mikeytool.h"

enum opt {
	O_MUK = 256, O_MSK, O_MTK, O_SALT, O_RAND, O_CSB, O_COUNTER, O_IDI,
	O_IDR, O_DOMAIN, O_MSK_ID, O_MTK_ID, O_KEY_GROUP, O_SEQL, O_SEQU, O_V,
	O_DOWNLOAD, O_SSRC, O_ROC, O_TAG_LEN, O_RCC_MODE, O_RCC_RATE,
	O_VALIDITY, O_OUT, __O_MAX
};

static const struct option opts[] = {
	{ "muk", required_argument, NULL, O_MUK },
	{ "msk", required_argument, NULL, O_MSK },
	{ "mtk", required_argument, NULL, O_MTK },
	{ "salt", required_argument, NULL, O_SALT },
	{ "rand", required_argument, NULL, O_RAND },
	{ "csb-id", required_argument, NULL, O_CSB },
	{ "counter", required_argument, NULL, O_COUNTER },
	{ "idi", required_argument, NULL, O_IDI },
	{ "idr", required_argument, NULL, O_IDR },
	{ "key-domain", required_argument, NULL, O_DOMAIN },
	{ "msk-id", required_argument, NULL, O_MSK_ID },
	{ "mtk-id", required_argument, NULL, O_MTK_ID },
	{ "key-group", required_argument, NULL, O_KEY_GROUP },
	{ "seql", required_argument, NULL, O_SEQL },
	{ "sequ", required_argument, NULL, O_SEQU },
	{ "v", no_argument, NULL, O_V },
	{ "download", no_argument, NULL, O_DOWNLOAD },
	{ "ssrc", required_argument, NULL, O_SSRC },
	{ "roc", required_argument, NULL, O_ROC },
	{ "tag-len", required_argument, NULL, O_TAG_LEN },
	{ "rcc-mode", required_argument, NULL, O_RCC_MODE },
	{ "rcc-rate", required_argument, NULL, O_RCC_RATE },
	{ "validity-only", no_argument, NULL, O_VALIDITY },
	{ "output", required_argument, NULL, O_OUT },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

/* Everything the command line can say; has[] tells "given" from zero. */
struct args {
	bool has[__O_MAX];
	uint8_t muk[MIKEY_MUK_LEN], msk[MIKEY_MBMS_KEY_LEN];
	uint8_t mtk[MIKEY_MBMS_KEY_LEN], salt[MIKEY_MBMS_SALT_LEN];
	uint8_t rand[MIKEY_RAND_LEN], domain[MIKEY_KEY_DOMAIN_LEN];
	uint64_t csb, counter, msk_id, mtk_id, key_group, seql, sequ;
	uint64_t ssrc, roc, tag_len, rcc_mode, rcc_rate;
	const char *idi, *idr, *out;
};

static const char *opt_name(int o)
{
	size_t i;

	for (i = 0; opts[i].name; i++)
		if (opts[i].val == o)
			return opts[i].name;
	return "?";
}

static int parse_opt(struct args *a, int o, const char *arg)
{
	switch (o) {
	case O_MUK:
		return opt_secret("muk", arg, a->muk, sizeof(a->muk));
	case O_MSK:
		return opt_secret("msk", arg, a->msk, sizeof(a->msk));
	case O_MTK:
		return opt_secret("mtk", arg, a->mtk, sizeof(a->mtk));
	case O_SALT:
		return opt_secret("salt", arg, a->salt, sizeof(a->salt));
	case O_RAND:
		return opt_hex("rand", arg, a->rand, sizeof(a->rand));
	case O_DOMAIN:
		return opt_hex("key-domain", arg, a->domain, sizeof(a->domain));
	case O_CSB:
		return opt_u64("csb-id", arg, UINT32_MAX, &a->csb);
	case O_COUNTER:
		return opt_u64("counter", arg, UINT32_MAX, &a->counter);
	case O_MSK_ID:
		return opt_u64("msk-id", arg, UINT32_MAX, &a->msk_id);
	case O_MTK_ID:
		return opt_u64("mtk-id", arg, UINT16_MAX, &a->mtk_id);
	case O_KEY_GROUP:
		return opt_u64("key-group", arg, UINT16_MAX, &a->key_group);
	case O_SEQL:
		return opt_u64("seql", arg, UINT16_MAX, &a->seql);
	case O_SEQU:
		return opt_u64("sequ", arg, UINT16_MAX, &a->sequ);
	case O_SSRC:
		return opt_u64("ssrc", arg, UINT32_MAX, &a->ssrc);
	case O_ROC:
		return opt_u64("roc", arg, UINT32_MAX, &a->roc);
	case O_TAG_LEN:
		return opt_u64("tag-len", arg, 20, &a->tag_len);
	case O_RCC_MODE:
		return opt_u64("rcc-mode", arg, MIKEY_RCC_MODE3, &a->rcc_mode);
	case O_RCC_RATE:
		if (opt_u64("rcc-rate", arg, UINT16_MAX, &a->rcc_rate))
			return -1;
		if (!a->rcc_rate) {
			fprintf(stderr, "mikeytool: --rcc-rate: R is at least 1 (RFC 4771)\n");
			return -1;
		}
		return 0;
	case O_IDI:
		a->idi = arg;
		return 0;
	case O_IDR:
		a->idr = arg;
		return 0;
	case O_OUT:
		a->out = arg;
		return 0;
	default:
		return 0;
	}
}

/* Each message type: the options it requires and the ones it accepts. */
struct kind {
	const char *name;
	const int *required;
	const int *optional;
	int (*build)(struct args *a, uint8_t *out, size_t cap, size_t *len,
		     struct mikey_error *e);
};

static int build_msk(struct args *a, uint8_t *out, size_t cap, size_t *len,
		     struct mikey_error *e)
{
	struct mikey_msk_spec s = {
		.csb_id = (uint32_t)a->csb,
		.counter = (uint32_t)a->counter,
		.idi = a->idi,
		.idr = a->idr,
		.msk_id = (uint32_t)a->msk_id,
		.msk = a->has[O_MSK] ? a->msk : NULL,
		.msk_len = a->has[O_MSK] ? sizeof(a->msk) : 0,
		.seql = (uint32_t)a->seql,
		.sequ = (uint32_t)a->sequ,
		.v = a->has[O_V],
		.download = a->has[O_DOWNLOAD],
		.ssrc = (uint32_t)a->ssrc,
		.roc = (uint32_t)a->roc,
	};
	struct mikey_sp sp;

	if (a->has[O_MSK] == a->has[O_VALIDITY]) {
		fprintf(stderr, "mikeytool encode msk: give --msk HEX, or --validity-only for a key-less validity update\n");
		return -EXIT_USAGE;
	}
	if (a->has[O_DOWNLOAD] && (a->has[O_SSRC] || a->has[O_ROC] ||
				   a->has[O_TAG_LEN] || a->has[O_RCC_MODE] ||
				   a->has[O_RCC_RATE])) {
		fprintf(stderr, "mikeytool encode msk: --download has no SRTP stream (no --ssrc, --roc, --tag-len, --rcc-mode, --rcc-rate)\n");
		return -EXIT_USAGE;
	}
	if (a->has[O_TAG_LEN] || a->has[O_RCC_MODE] || a->has[O_RCC_RATE]) {
		struct mikey_rcc rcc = { (uint8_t)a->rcc_mode,
					 (uint16_t)a->rcc_rate };

		mikey_sp_mbms_default(&sp, a->has[O_TAG_LEN] ?
				      (uint8_t)a->tag_len : 10);
		if ((a->has[O_RCC_MODE] || a->has[O_RCC_RATE]) &&
		    mikey_sp_set_rcc(&sp, &rcc)) {
			fprintf(stderr, "mikeytool encode msk: cannot add the RFC 4771 parameters to the SP\n");
			return -1;
		}
		s.sp = &sp;
	}
	memcpy(s.rand, a->rand, sizeof(s.rand));
	memcpy(s.key_domain, a->domain, sizeof(s.key_domain));
	return mikey_encode_msk(&s, a->muk, sizeof(a->muk), out, cap, len, e);
}

static int build_mtk(struct args *a, uint8_t *out, size_t cap, size_t *len,
		     struct mikey_error *e)
{
	struct mikey_mtk_spec s = {
		.csb_id = (uint32_t)a->csb,
		.counter = (uint32_t)a->counter,
		.msk_id = (uint32_t)a->msk_id,
		.mtk_id = (uint16_t)a->mtk_id,
		.mtk = a->mtk,
		.mtk_len = sizeof(a->mtk),
		.salt = a->has[O_SALT] ? a->salt : NULL,
		.salt_len = a->has[O_SALT] ? sizeof(a->salt) : 0,
	};

	if (a->has[O_SALT] == a->has[O_DOWNLOAD]) {
		fprintf(stderr, "mikeytool encode mtk: give --salt HEX (streaming, TEK+SALT) or --download (TGK)\n");
		return -EXIT_USAGE;
	}
	memcpy(s.key_domain, a->domain, sizeof(s.key_domain));
	return mikey_encode_mtk(&s, a->msk, sizeof(a->msk), a->rand,
				sizeof(a->rand), out, cap, len, e);
}

static int build_pull(struct args *a, uint8_t *out, size_t cap, size_t *len,
		      struct mikey_error *e)
{
	struct mikey_pull_spec s = {
		.csb_id = (uint32_t)a->csb,
		.counter = (uint32_t)a->counter,
		.idi = a->idi,
		.idr = a->idr,
		.key_group = (uint16_t)a->key_group,
	};

	memcpy(s.rand, a->rand, sizeof(s.rand));
	memcpy(s.key_domain, a->domain, sizeof(s.key_domain));
	return mikey_encode_solicited_pull(&s, a->muk, sizeof(a->muk), out, cap,
					   len, e);
}

static const char *verif_input;

/* The reply to an MSK message with V set: the MSK message is read and its
 * MAC checked first, as a receiver would.
 */
static int build_verification(struct args *a, uint8_t *out, size_t cap,
			      size_t *len, struct mikey_error *e)
{
	static uint8_t in[MIKEY_MAX_MESSAGE_LEN + 1];
	static struct mikey_msg m;
	size_t n;
	int ret = -1;

	if (read_message(verif_input, in, sizeof(in), &n))
		return -1;
	if (mikey_decode(in, n, &m, e)) {
		fprintf(stderr, "mikeytool: malformed MIKEY message: %s\n", e->msg);
		goto out;
	}
	if (m.kind != MIKEY_KIND_MSK || !m.hdr.v) {
		fprintf(stderr, "mikeytool encode verification: input is a %s message%s; only an MSK message with the V bit is answered\n",
			mikey_kind_name(m.kind),
			m.kind == MIKEY_KIND_MSK ? " without the V bit" : "");
		goto out;
	}
	ret = mikey_verify_decrypt(&m, a->muk, sizeof(a->muk), NULL, 0, e);
	if (ret == MIKEY_E_MAC) {
		fprintf(stderr, "mikeytool: the MSK message's MAC does not verify with this MUK\n");
		ret = -EXIT_BADMAC;
		goto out;
	}
	if (ret) {
		fprintf(stderr, "mikeytool: %s\n", e->msg);
		ret = -1;
		goto out;
	}
	ret = mikey_encode_verification(&m, a->muk, sizeof(a->muk), out, cap,
					len, e);
out:
	mikey_msg_clear(&m);
	return ret;
}

static const int msk_req[] = { O_MUK, O_CSB, O_COUNTER, O_RAND, O_IDI, O_IDR,
			       O_DOMAIN, O_MSK_ID, O_SEQL, O_SEQU, 0 };
static const int msk_opt[] = { O_MSK, O_VALIDITY, O_V, O_DOWNLOAD, O_SSRC,
			       O_ROC, O_TAG_LEN, O_RCC_MODE, O_RCC_RATE,
			       O_OUT, 0 };
static const int mtk_req[] = { O_MSK, O_RAND, O_CSB, O_COUNTER, O_DOMAIN,
			       O_MSK_ID, O_MTK_ID, O_MTK, 0 };
static const int mtk_opt[] = { O_SALT, O_DOWNLOAD, O_OUT, 0 };
static const int pull_req[] = { O_MUK, O_CSB, O_COUNTER, O_RAND, O_IDI,
				O_IDR, O_DOMAIN, O_KEY_GROUP, 0 };
static const int out_opt[] = { O_OUT, 0 };
static const int ver_req[] = { O_MUK, 0 };

static const struct kind kinds[] = {
	{ "msk", msk_req, msk_opt, build_msk },
	{ "mtk", mtk_req, mtk_opt, build_mtk },
	{ "solicited-pull", pull_req, out_opt, build_pull },
	{ "verification", ver_req, out_opt, build_verification },
};

static bool listed(const int *l, int o)
{
	for (; *l; l++)
		if (*l == o)
			return true;
	return false;
}

int encode_main(int argc, char **argv)
{
	static uint8_t out[MIKEY_MAX_MESSAGE_LEN];
	static struct args a;
	const struct kind *k = NULL;
	struct mikey_error e = { 0 };
	size_t len, i;
	int c, ret = EXIT_USAGE;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fprintf(argc < 2 ? stderr : stdout,
			"Usage: mikeytool encode msk|mtk|solicited-pull|verification OPTIONS (see mikeytool --help)\n");
		return argc < 2 ? EXIT_USAGE : 0;
	}
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(argv[1], kinds[i].name))
			k = &kinds[i];
	if (!k) {
		fprintf(stderr, "mikeytool encode: unknown message type '%s' (msk, mtk, solicited-pull, verification)\n",
			argv[1]);
		return EXIT_USAGE;
	}
	argc--;
	argv++;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (c == 'o')
			c = O_OUT;
		if (c == 'h') {
			fprintf(stdout, "Usage: see mikeytool --help\n");
			ret = 0;
			goto out;
		}
		if (c < O_MUK || c >= __O_MAX)
			goto out;
		if (!listed(k->required, c) && !listed(k->optional, c)) {
			fprintf(stderr, "mikeytool encode %s: --%s does not apply\n",
				k->name, opt_name(c));
			goto out;
		}
		if (parse_opt(&a, c, optarg))
			goto out;
		a.has[c] = true;
	}
	for (i = 0; k->required[i]; i++) {
		if (!a.has[k->required[i]]) {
			fprintf(stderr, "mikeytool encode %s: --%s is required\n",
				k->name, opt_name(k->required[i]));
			goto out;
		}
	}
	if (k->build == build_verification) {
		if (optind + 1 < argc)
			goto out;
		verif_input = optind < argc ? argv[optind] : NULL;
	} else if (optind < argc) {
		fprintf(stderr, "mikeytool encode %s: unexpected argument '%s'\n",
			k->name, argv[optind]);
		goto out;
	}
	c = k->build(&a, out, sizeof(out), &len, &e);
	if (c == -EXIT_BADMAC || c == -EXIT_USAGE) {
		ret = -c;
		goto out;
	}
	if (c) {
		if (c > 0)
			fprintf(stderr, "mikeytool encode %s: %s\n", k->name,
				e.msg);
		ret = EXIT_MALFORMED;
		goto out;
	}
	ret = write_message(a.out, out, len) ? EXIT_MALFORMED : 0;
out:
	secure_zero(&a, sizeof(a));
	secure_zero(out, sizeof(out));
	return ret;
}
