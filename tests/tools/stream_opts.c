// SPDX-License-Identifier: GPL-2.0
/* Stream options shared by srtp-send and srtp-recv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mbms/common.h"
#include "stream_opts.h"

enum {
	O_SEED = STREAM_OPT_FIRST, O_SSRC, O_SEQ, O_ROC, O_COUNT, O_PAYLOAD,
	O_CSRC, O_EXT, O_PADDING, O_RTCP, O_SUITE, O_MKI_LEN,
	O_MSK, O_MTK, O_KEY, O_SALT, O_MSK2, O_MTK2, O_KEY2, O_SALT2,
	O_SWITCH_AT, O_TAMPER, O_TAMPER_FIRST, O_TAMPER_EVERY, O_TRUNCATE_TO,
	O_RCC_MODE, O_RCC_RATE,
	O_TAG_LEN,
};

const struct option stream_long_opts[] = {
	{ "seed", required_argument, NULL, O_SEED },
	{ "ssrc", required_argument, NULL, O_SSRC },
	{ "seq", required_argument, NULL, O_SEQ },
	{ "roc", required_argument, NULL, O_ROC },
	{ "count", required_argument, NULL, O_COUNT },
	{ "payload-size", required_argument, NULL, O_PAYLOAD },
	{ "csrc", required_argument, NULL, O_CSRC },
	{ "ext", required_argument, NULL, O_EXT },
	{ "padding", required_argument, NULL, O_PADDING },
	{ "rtcp", no_argument, NULL, O_RTCP },
	{ "suite", required_argument, NULL, O_SUITE },
	{ "mki-len", required_argument, NULL, O_MKI_LEN },
	{ "msk-id", required_argument, NULL, O_MSK },
	{ "mtk-id", required_argument, NULL, O_MTK },
	{ "key", required_argument, NULL, O_KEY },
	{ "salt", required_argument, NULL, O_SALT },
	{ "msk-id2", required_argument, NULL, O_MSK2 },
	{ "mtk-id2", required_argument, NULL, O_MTK2 },
	{ "key2", required_argument, NULL, O_KEY2 },
	{ "salt2", required_argument, NULL, O_SALT2 },
	{ "switch-at", required_argument, NULL, O_SWITCH_AT },
	{ "tamper", required_argument, NULL, O_TAMPER },
	{ "tamper-first", required_argument, NULL, O_TAMPER_FIRST },
	{ "tamper-every", required_argument, NULL, O_TAMPER_EVERY },
	{ "truncate-to", required_argument, NULL, O_TRUNCATE_TO },
	{ "rcc-mode", required_argument, NULL, O_RCC_MODE },
	{ "rcc-rate", required_argument, NULL, O_RCC_RATE },
	{ "tag-len", required_argument, NULL, O_TAG_LEN },
	{ NULL, 0, NULL, 0 },
};

const char stream_opts_help[] =
"Stream (give the sender and the receiver the same ones):\n"
"  --key HEX|@FILE      master key A, 16 bytes (test keys only)\n"
"  --salt HEX|@FILE     master salt A, 14 bytes\n"
"  --msk-id N           MSK ID of key A (default 0x00010001)\n"
"  --mtk-id N           MTK ID of key A (default 1)\n"
"  --key2, --salt2      key B; --msk-id2 (default: A's), --mtk-id2\n"
"                       (default: A's + 1)\n"
"  --switch-at N        packets N.. use key B (default 0 with --key2)\n"
"  --mki-len N          MKI bytes on the wire, 0..6 (default 6): the last N\n"
"                       bytes of MSK ID (be32) || MTK ID (be16)\n"
"  --suite S            aes-cm-128-hmac-sha1-80 (default) or\n"
"                       aes-cm-128-hmac-sha1-32 (SRTCP keeps the 80-bit tag)\n"
"  --count N            packets (default 100)\n"
"  --seed N             pattern seed (default 1)\n"
"  --ssrc N             (default 0x4d424d53)\n"
"  --seq N              first sequence number (default 1)\n"
"  --roc N              ROC of the first packet (default 0)\n"
"  --payload-size N     payload bytes, 0..8192 (default 160)\n"
"  --csrc N             CSRC count, 0..15 (default 0)\n"
"  --ext N              header extension of N 32-bit words (default none)\n"
"  --padding N          N padding bytes, 1..255 (default none)\n"
"  --rtcp               SRTCP sender reports instead of SRTP\n"
"  --rcc-mode M         RFC 4771 RCCm1, 2 or 3 (default 0: none): packets\n"
"                       with SEQ mod R = 0 carry the ROC (SRTP only)\n"
"  --rcc-rate R         R, 1..65535 (required with --rcc-mode)\n"
"  --tag-len N          SRTP tag bytes, 4..20 (default: the suite's 10 or 4;\n"
"                       14 for RCCm1/2 per TS 33.246 6.6.2.1 NOTE 3)\n"
"  --tamper MODE        payload, tag, mki, truncate, version, cc, extlen,\n"
"                       roc (flip the lowest bit of an RCC packet's ROC)\n"
"  --tamper-first N     first tampered packet (default 0)\n"
"  --tamper-every N     then every Nth (default 1: all from the first)\n"
"  --truncate-to N      length after --tamper truncate (default 8)\n";

void stream_cfg_defaults(struct stream_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->pat.seed = 1;
	c->pat.ssrc = 0x4d424d53;
	c->pat.start_seq = 1;
	c->pat.payload_size = 160;
	c->count = 100;
	c->suite = SUITE_AES_CM_128_HMAC_SHA1_80;
	c->mki_len = STREAM_MKI_MAX;
	c->key[0].msk_id = 0x00010001;
	c->key[0].mtk_id = 1;
	c->tamper_every = 1;
	c->truncate_to = 8;
}

static int num(const char *arg, uint64_t max, uint64_t *out,
	       char *err, size_t errlen)
{
	return parse_u64(arg, max, out, err, errlen);
}

static int key_opt(struct stream_key *k, bool salt, const char *arg,
		   char *err, size_t errlen)
{
	if (salt) {
		if (read_secret_hex(arg, k->salt, STREAM_SALT_LEN, err, errlen))
			return -1;
		k->have_salt = true;
	} else {
		if (read_secret_hex(arg, k->key, STREAM_KEY_LEN, err, errlen))
			return -1;
		k->have_key = true;
	}
	return 0;
}

static int suite_opt(struct stream_cfg *c, const char *arg,
		     char *err, size_t errlen)
{
	if (!strcmp(arg, "aes-cm-128-hmac-sha1-80") || !strcmp(arg, "80")) {
		c->suite = SUITE_AES_CM_128_HMAC_SHA1_80;
	} else if (!strcmp(arg, "aes-cm-128-hmac-sha1-32") || !strcmp(arg, "32")) {
		c->suite = SUITE_AES_CM_128_HMAC_SHA1_32;
	} else {
		snprintf(err, errlen, "unknown suite '%s'", arg);
		return -1;
	}
	return 0;
}

int stream_opt(struct stream_cfg *c, int opt, const char *arg,
	       char *err, size_t errlen)
{
	uint64_t v = 0;
	int t;

	switch (opt) {
	case O_KEY:
		return key_opt(&c->key[0], false, arg, err, errlen);
	case O_SALT:
		return key_opt(&c->key[0], true, arg, err, errlen);
	case O_KEY2:
		return key_opt(&c->key[1], false, arg, err, errlen);
	case O_SALT2:
		return key_opt(&c->key[1], true, arg, err, errlen);
	case O_SUITE:
		return suite_opt(c, arg, err, errlen);
	case O_RTCP:
		c->pat.rtcp = true;
		return 0;
	case O_TAMPER:
		t = tamper_parse(arg);
		if (t < 0) {
			snprintf(err, errlen, "unknown tamper mode '%s'", arg);
			return -1;
		}
		c->tamper = t;
		return 0;
	}

	/* The rest are numbers. */
	switch (opt) {
	case O_SEED:
		if (num(arg, UINT64_MAX, &c->pat.seed, err, errlen))
			return -1;
		return 0;
	case O_COUNT:
		if (num(arg, 100000000, &c->count, err, errlen))
			return -1;
		return 0;
	case O_SWITCH_AT:
		return num(arg, UINT64_MAX, &c->switch_at, err, errlen);
	case O_TAMPER_FIRST:
		return num(arg, UINT64_MAX, &c->tamper_first, err, errlen);
	case O_TAMPER_EVERY:
		if (num(arg, UINT64_MAX, &c->tamper_every, err, errlen))
			return -1;
		if (!c->tamper_every)
			c->tamper_every = 1;
		return 0;
	case O_SSRC: case O_ROC: case O_MSK: case O_MSK2:
		if (num(arg, UINT32_MAX, &v, err, errlen))
			return -1;
		if (opt == O_SSRC)
			c->pat.ssrc = v;
		else if (opt == O_ROC)
			c->roc = v;
		else
			c->key[opt == O_MSK2].msk_id = v;
		c->key[1].have_msk |= opt == O_MSK2;
		return 0;
	case O_RCC_MODE:
		if (num(arg, 3, &v, err, errlen))
			return -1;
		c->rcc_mode = v;
		return 0;
	case O_TAG_LEN:
		if (num(arg, STREAM_TAG_MAX, &v, err, errlen))
			return -1;
		if (v < 4) {
			snprintf(err, errlen, "%s: at least 4", arg);
			return -1;
		}
		c->tag_len = v;
		return 0;
	case O_SEQ: case O_MTK: case O_MTK2: case O_RCC_RATE:
		if (num(arg, UINT16_MAX, &v, err, errlen))
			return -1;
		if (opt == O_RCC_RATE)
			c->rcc_rate = v;
		else if (opt == O_SEQ)
			c->pat.start_seq = v;
		else
			c->key[opt == O_MTK2].mtk_id = v;
		c->key[1].have_mtk |= opt == O_MTK2;
		return 0;
	case O_PAYLOAD:
		if (num(arg, RTP_MAX_PAYLOAD, &v, err, errlen))
			return -1;
		c->pat.payload_size = v;
		return 0;
	case O_CSRC:
		if (num(arg, RTP_MAX_CSRC, &v, err, errlen))
			return -1;
		c->pat.csrc_count = v;
		return 0;
	case O_EXT:
		if (num(arg, RTP_MAX_EXT_WORDS, &v, err, errlen))
			return -1;
		c->pat.ext_words = v;
		return 0;
	case O_PADDING:
		if (num(arg, 255, &v, err, errlen))
			return -1;
		c->pat.padding = v;
		return 0;
	case O_MKI_LEN:
		if (num(arg, STREAM_MKI_MAX, &v, err, errlen))
			return -1;
		c->mki_len = v;
		return 0;
	case O_TRUNCATE_TO:
		if (num(arg, 65535, &v, err, errlen))
			return -1;
		c->truncate_to = v;
		return 0;
	}
	return 1;
}

void stream_cfg_finish(struct stream_cfg *c)
{
	if (!c->key[1].have_msk)
		c->key[1].msk_id = c->key[0].msk_id;
	if (!c->key[1].have_mtk)
		c->key[1].mtk_id = c->key[0].mtk_id + 1;
}

struct option *opts_merge(struct option *out, size_t max,
			  const struct option *a, const struct option *b)
{
	size_t n = 0;

	for (; a->name && n + 1 < max; a++)
		out[n++] = *a;
	for (; b->name && n + 1 < max; b++)
		out[n++] = *b;
	memset(&out[n], 0, sizeof(out[n]));
	return out;
}

int stream_parse_args(const char *prog, int argc, char **argv,
		      const char *shortopts, const struct option *tool_opts,
		      struct stream_cfg *c, tool_opt_fn fn, void *ctx)
{
	static struct option all[64];
	char err[256];
	int opt, r, li;

	opts_merge(all, ARRAY_SIZE(all), tool_opts, stream_long_opts);
	for (;;) {
		li = -1;
		opt = getopt_long(argc, argv, shortopts, all, &li);
		if (opt == -1)
			break;
		r = stream_opt(c, opt, optarg, err, sizeof(err));
		if (r > 0)
			r = fn(ctx, opt, optarg, err, sizeof(err));
		if (r > 0)
			return -1;
		if (r < 0) {
			fprintf(stderr, "%s: %s%s: %s\n", prog, li >= 0 ? "--" : "",
				li >= 0 ? all[li].name : "option", err);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[optind]);
		return -1;
	}
	stream_cfg_finish(c);
	return 0;
}
