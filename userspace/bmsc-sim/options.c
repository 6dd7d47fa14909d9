// SPDX-License-Identifier: GPL-2.0
/* bmsc-sim command line. */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "auth.h"
#include "rtp_pattern.h"

static const char usage_text[] =
"Usage: bmsc-sim [OPTIONS]\n"
"A BM-SC simulator for MBMS security tests: MIKEY MSK push and solicited\n"
"pull, MTK messages on a schedule, an SRTP stream with the MBMS MKI, and\n"
"the HTTP MSK-request endpoint with Digest authentication.  Times are\n"
"seconds (\"10\", \"1.5\") or milliseconds (\"250ms\") since the start.\n"
"\n"
"Output:\n"
"  -j, --json                JSON event per line on stdout\n"
"  -v, --verbose             debug log;  -q, --quiet: warnings only\n"
"  -h, --help                this text\n"
"BM-SC and keys:\n"
"  --fqdn NAME               BM-SC FQDN (IDi, Digest realm) [bmsc.example.org]\n"
"  --key-domain HEX          Key Domain ID, 3 bytes MCC||MNC [00f110]\n"
"  --key-group N             Key Group [1]\n"
"  --key-number N            Key Number of the first MSK [1]\n"
"  --mtk-id-max N            SEQu of each MSK (highest MTK ID) [65534]\n"
"  --seed HEX|@FILE          32-byte secret: reproducible MSKs and MTKs\n"
"  --verify                  set the V bit in MSK pushes, check the replies\n"
"UEs (--gba-file / --gba-cmd apply to the --ue before them):\n"
"  --ue ADDR[:PORT]          a UE (MIKEY push to PORT, default 2269)\n"
"  --gba-file FILE           its GBA keys: btid=, ks_naf=, lifetime=, naf_id=\n"
"  --gba-cmd CMD             run CMD (sh -c) for those lines\n"
"  --bsf-lookup CMD          for an unknown B-TID, run CMD with it as $1\n"
"  --demand-rebootstrap      answer 401 to the initial keys' first request\n"
"Schedule:\n"
"  --duration T              length of the run [30]\n"
"  --start T                 stream start = first MTK in use [2]\n"
"  --mtk-period T            a new MTK every T [10]\n"
"  --mtk-delta T             MTK message sent T before use [1]\n"
"  --mtk-repeat T            resend MTK messages every T, 0 = once [2]\n"
"  --msk-rollover T          next MSK from the first MTK at or after T\n"
"                            (repeatable, at most 8)\n"
"  --msk-delivery MODE       push | pull | none: how UEs get it [push]\n"
"  --msk-lead T              deliver a new MSK T before its first MTK\n"
"                            message [2]\n"
"  --solicited-pull T        solicited pull to every UE at T (repeatable)\n"
"  --fault KIND@T[-T2][xN]   scripted fault (repeatable): msk-forged-mac,\n"
"                            msk-replay, mtk-forged-mac, mtk-replay,\n"
"                            mtk-outside, mtk-unknown-msk, pull-unauth,\n"
"                            pull-expired, srtp-unknown-msk (xN packets),\n"
"                            http-refuse, http-drop, http-503 (T to T2)\n"
"  --retry-after S           Retry-After of 503 answers [5]\n"
"  --digest-qop auth-int|any Digest qop the BM-SC accepts: auth-int only\n"
"                            (TS 33.246 Annex H), or also auth [auth-int]\n"
"Network:\n"
"  --stream ADDR:PORT        SRTP destination (multicast or unicast)\n"
"  --mtk-dest ADDR[:PORT]    MTK messages [stream address, port 2269]\n"
"  --mcast-if ADDR           multicast source interface address\n"
"  --ttl N                   multicast TTL [8]\n"
"  --ssrc N  --pps N  --payload-len N  --seq N  --pattern-seed N\n"
"                            stream [0x4d424d53, 50, 160, 1, 1]\n"
"  --roc N                   ROC of the first packet, also in the MSK\n"
"                            messages' SRTP-ID map [0]\n"
"  --no-map-roc              SRTP-ID map ROC 0 whatever the stream's (then\n"
"                            only RFC 4771 tells a late joiner the ROC)\n"
"  --tag-len N               SRTP auth tag bytes, 4..20 [10]: 10 and 4 are\n"
"                            HMAC-SHA1-80 and -32; 14 is TS 33.246 6.6.2.1\n"
"                            NOTE 3's RCCm1/2 tag (ROC || 10-byte MAC)\n"
"  --rcc-mode 1|2|3 --rcc-rate R\n"
"                            RFC 4771 RCCm1..3 and ROC transmission rate R\n"
"                            (TS 33.246 6.6.2.1) in the MSK messages' SP,\n"
"                            and the SRTP stream sent in that form\n"
"  --http ADDR:PORT          serve the MSK-request endpoint (port 0: any)\n"
"  --mikey-bind ADDR[:PORT]  source of MIKEY messages [0.0.0.0:0]\n";

enum {
	OPT_FQDN = 256, OPT_KEY_DOMAIN, OPT_KEY_GROUP, OPT_KEY_NUMBER,
	OPT_MTK_ID_MAX, OPT_SEED, OPT_VERIFY, OPT_UE, OPT_GBA_FILE,
	OPT_GBA_CMD, OPT_BSF_LOOKUP, OPT_DEMAND_REBOOTSTRAP, OPT_DIGEST_QOP, OPT_DURATION,
	OPT_START, OPT_MTK_PERIOD, OPT_MTK_DELTA, OPT_MTK_REPEAT,
	OPT_MSK_ROLLOVER, OPT_MSK_DELIVERY, OPT_MSK_LEAD, OPT_PULL, OPT_FAULT,
	OPT_RETRY_AFTER, OPT_STREAM, OPT_MTK_DEST, OPT_MCAST_IF, OPT_TTL,
	OPT_SSRC, OPT_PPS, OPT_PAYLOAD_LEN, OPT_SEQ, OPT_PATTERN_SEED,
	OPT_TAG_LEN, OPT_RCC_MODE, OPT_RCC_RATE, OPT_HTTP, OPT_MIKEY_BIND,
	OPT_ROC, OPT_NO_MAP_ROC,
};

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "fqdn", required_argument, NULL, OPT_FQDN },
	{ "key-domain", required_argument, NULL, OPT_KEY_DOMAIN },
	{ "key-group", required_argument, NULL, OPT_KEY_GROUP },
	{ "key-number", required_argument, NULL, OPT_KEY_NUMBER },
	{ "mtk-id-max", required_argument, NULL, OPT_MTK_ID_MAX },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "verify", no_argument, NULL, OPT_VERIFY },
	{ "ue", required_argument, NULL, OPT_UE },
	{ "gba-file", required_argument, NULL, OPT_GBA_FILE },
	{ "gba-cmd", required_argument, NULL, OPT_GBA_CMD },
	{ "bsf-lookup", required_argument, NULL, OPT_BSF_LOOKUP },
	{ "demand-rebootstrap", no_argument, NULL, OPT_DEMAND_REBOOTSTRAP },
	{ "digest-qop", required_argument, NULL, OPT_DIGEST_QOP },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "start", required_argument, NULL, OPT_START },
	{ "mtk-period", required_argument, NULL, OPT_MTK_PERIOD },
	{ "mtk-delta", required_argument, NULL, OPT_MTK_DELTA },
	{ "mtk-repeat", required_argument, NULL, OPT_MTK_REPEAT },
	{ "msk-rollover", required_argument, NULL, OPT_MSK_ROLLOVER },
	{ "msk-delivery", required_argument, NULL, OPT_MSK_DELIVERY },
	{ "msk-lead", required_argument, NULL, OPT_MSK_LEAD },
	{ "solicited-pull", required_argument, NULL, OPT_PULL },
	{ "fault", required_argument, NULL, OPT_FAULT },
	{ "retry-after", required_argument, NULL, OPT_RETRY_AFTER },
	{ "stream", required_argument, NULL, OPT_STREAM },
	{ "mtk-dest", required_argument, NULL, OPT_MTK_DEST },
	{ "mcast-if", required_argument, NULL, OPT_MCAST_IF },
	{ "ttl", required_argument, NULL, OPT_TTL },
	{ "ssrc", required_argument, NULL, OPT_SSRC },
	{ "pps", required_argument, NULL, OPT_PPS },
	{ "payload-len", required_argument, NULL, OPT_PAYLOAD_LEN },
	{ "seq", required_argument, NULL, OPT_SEQ },
	{ "roc", required_argument, NULL, OPT_ROC },
	{ "no-map-roc", no_argument, NULL, OPT_NO_MAP_ROC },
	{ "pattern-seed", required_argument, NULL, OPT_PATTERN_SEED },
	{ "tag-len", required_argument, NULL, OPT_TAG_LEN },
	{ "rcc-mode", required_argument, NULL, OPT_RCC_MODE },
	{ "rcc-rate", required_argument, NULL, OPT_RCC_RATE },
	{ "http", required_argument, NULL, OPT_HTTP },
	{ "mikey-bind", required_argument, NULL, OPT_MIKEY_BIND },
	{ NULL, 0, NULL, 0 },
};

int parse_time_ms(const char *s, uint64_t *ms, char *err, size_t errlen)
{
	char whole[32], e[96];
	const char *dot, *end;
	size_t n = strlen(s), wl, fl, i;
	uint64_t w, frac = 0, scale = 1000;

	if (n > 2 && !strcmp(s + n - 2, "ms")) {
		n -= 2;
		scale = 1;
	} else if (n > 1 && s[n - 1] == 's') {
		n--;
	}
	end = s + n;
	dot = memchr(s, '.', n);
	wl = dot ? (size_t)(dot - s) : n;
	fl = dot ? (size_t)(end - dot - 1) : 0;
	if (!wl || wl >= sizeof(whole) || (dot && (scale == 1 || !fl || fl > 3)))
		goto bad;
	memcpy(whole, s, wl);
	whole[wl] = '\0';
	if (parse_u64(whole, SCHED_MAX_DURATION_MS, &w, e, sizeof(e)) ||
	    (whole[0] == '0' && wl > 1 && (whole[1] == 'x' || whole[1] == 'X')))
		goto bad;
	for (i = 0; i < 3; i++) {
		frac *= 10;
		if (i < fl) {
			if (dot[1 + i] < '0' || dot[1 + i] > '9')
				goto bad;
			frac += (uint64_t)(dot[1 + i] - '0');
		}
	}
	*ms = w * scale + (scale == 1 ? 0 : frac);
	if (*ms > SCHED_MAX_DURATION_MS)
		goto bad;
	return 0;
bad:
	snprintf(err, errlen, "'%s' is not a time (seconds like 10 or 1.5, or 250ms, at most 24 h)",
		 s);
	return -1;
}

int parse_fault(const char *s, struct sched_fault *f, char *err,
		size_t errlen)
{
	char buf[128], *at, *x, *dash;
	uint64_t v;
	char e[160];
	int kind;

	memset(f, 0, sizeof(*f));
	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	at = strchr(buf, '@');
	if (!at)
		goto bad;
	*at++ = '\0';
	kind = fault_parse(buf);
	if (kind < 0) {
		snprintf(err, errlen, "unknown fault '%s' (see --help)", buf);
		return -1;
	}
	f->kind = (enum fault_kind)kind;
	x = strchr(at, 'x');
	if (x) {
		*x++ = '\0';
		if (f->kind != FAULT_SRTP_UNKNOWN_MSK ||
		    parse_u64(x, SIM_MAX_BURST, &v, e, sizeof(e)) || !v) {
			snprintf(err, errlen, "fault '%s': a count (xN, 1 to %d) applies to srtp-unknown-msk only",
				 s, SIM_MAX_BURST);
			return -1;
		}
		f->count = (uint32_t)v;
	} else if (f->kind == FAULT_SRTP_UNKNOWN_MSK) {
		f->count = 50;
	}
	dash = strchr(at, '-');
	if (dash)
		*dash++ = '\0';
	if (parse_time_ms(at, &f->at_ms, e, sizeof(e)) ||
	    (dash && parse_time_ms(dash, &f->until_ms, e, sizeof(e)))) {
		snprintf(err, errlen, "fault '%s': %s", s, e);
		return -1;
	}
	if ((f->kind == FAULT_HTTP_REFUSE || f->kind == FAULT_HTTP_DROP ||
	     f->kind == FAULT_HTTP_503) != !!dash) {
		snprintf(err, errlen, "fault '%s': %s", s, dash ?
			 "only HTTP faults take an end time" :
			 "HTTP faults need a window, KIND@FROM-TO");
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "fault '%s' is not KIND@TIME[-END][xCOUNT]", s);
	return -1;
}

int parse_addr(const char *s, uint16_t default_port, bool need_port,
	       struct sockaddr_in *out, char *err, size_t errlen)
{
	const char *colon = strchr(s, ':');
	size_t hl = colon ? (size_t)(colon - s) : strlen(s);
	char host[INET_ADDRSTRLEN], e[96];
	uint64_t port = default_port;

	memset(out, 0, sizeof(*out));
	out->sin_family = AF_INET;
	if (hl >= sizeof(host))
		goto bad;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (inet_pton(AF_INET, host, &out->sin_addr) != 1)
		goto bad;
	if (!colon && need_port) {
		snprintf(err, errlen, "'%s' needs a port (ADDR:PORT)", s);
		return -1;
	}
	if (colon && parse_u64(colon + 1, 65535, &port, e, sizeof(e))) {
		snprintf(err, errlen, "port in '%s': %s", s, e);
		return -1;
	}
	out->sin_port = htons((uint16_t)port);
	return 0;
bad:
	snprintf(err, errlen, "'%s' is not an IPv4 address", s);
	return -1;
}

static void defaults(struct cli *cli)
{
	struct sim_opts *o = &cli->o;

	memset(cli, 0, sizeof(*cli));
	o->fqdn = "bmsc.example.org";
	o->key_domain[0] = 0x00;
	o->key_domain[1] = 0xf1;
	o->key_domain[2] = 0x10;
	o->key_group = 1;
	o->first_key_number = 1;
	o->mtk_id_max = SCHED_MTK_ID_MAX;
	o->retry_after_s = 5;
	o->ttl = 8;
	o->ssrc = 0x4d424d53;
	o->pps = 50;
	o->payload_len = 160;
	o->tag_len = 10;
	o->first_seq = 1;
	o->pattern_seed = 1;
	o->sched.duration_ms = 30000;
	o->sched.start_ms = 2000;
	o->sched.mtk_period_ms = 10000;
	o->sched.mtk_delta_ms = 1000;
	o->sched.mtk_repeat_ms = 2000;
	o->sched.msk_lead_ms = 2000;
	o->sched.rollover_delivery = MSK_DELIVER_PUSH;
	o->mikey_bind.sin_family = AF_INET;
}

/* A number option: 0 and *@v set, or -1 with the reason in @err. */
static int num(const char *arg, uint64_t min, uint64_t max, uint64_t *v,
	       char *err, size_t errlen)
{
	if (parse_u64(arg, max, v, err, errlen))
		return -1;
	if (*v < min) {
		snprintf(err, errlen, "%s is below %llu", arg,
			 (unsigned long long)min);
		return -1;
	}
	return 0;
}

/* Output, BM-SC, key and UE options; -2 if @c is not one of them. */
static int key_opt(struct cli *cli, int c, const char *arg, char *err,
		   size_t errlen)
{
	struct sim_opts *o = &cli->o;
	uint64_t v = 0;

	switch (c) {
	case 'j':
		o->json = true;
		return 0;
	case 'v':
		log_init("bmsc-sim", LOG_LVL_DEBUG);
		return 0;
	case 'q':
		log_init("bmsc-sim", LOG_LVL_WARN);
		return 0;
	case 'h':
		fputs(usage_text, stdout);
		return 1;
	case OPT_FQDN:
		if (!*arg || strlen(arg) > 253 || strpbrk(arg, " \t\"\\")) {
			snprintf(err, errlen, "'%s' is not a host name", arg);
			return -1;
		}
		o->fqdn = arg;
		return 0;
	case OPT_KEY_DOMAIN:
		return hex_decode_exact(arg, o->key_domain,
					sizeof(o->key_domain), err, errlen);
	case OPT_KEY_GROUP:
		if (num(arg, 0, 0xffff, &v, err, errlen))
			return -1;
		if (!v) {
			snprintf(err, errlen, "Key Group 0 is reserved (TS 33.246 6.3.2.1)");
			return -1;
		}
		o->key_group = (uint16_t)v;
		return 0;
	case OPT_KEY_NUMBER:
		if (num(arg, 0, SIM_UNKNOWN_KEY_NUMBER - 1, &v, err, errlen))
			return -1;
		if (!v) {
			snprintf(err, errlen, "Key Number 0 means \"the current MSK\", not a key");
			return -1;
		}
		o->first_key_number = (uint16_t)v;
		return 0;
	case OPT_MTK_ID_MAX:
		if (num(arg, 1, SCHED_MTK_ID_MAX, &v, err, errlen))
			return -1;
		o->mtk_id_max = (uint32_t)v;
		return 0;
	case OPT_SEED:
		if (read_secret_hex(arg, o->seed, sizeof(o->seed), err, errlen))
			return -1;
		o->have_seed = true;
		return 0;
	case OPT_VERIFY:
		o->verify = true;
		return 0;
	case OPT_UE:
		if (cli->n_ue == UE_MAX) {
			snprintf(err, errlen, "more than %d UEs", UE_MAX);
			return -1;
		}
		cli->ue[cli->n_ue++].addr = arg;
		return 0;
	case OPT_GBA_FILE:
	case OPT_GBA_CMD:
		if (!cli->n_ue) {
			snprintf(err, errlen, "applies to a --ue given before it");
			return -1;
		}
		if (c == OPT_GBA_FILE)
			cli->ue[cli->n_ue - 1].gba_file = arg;
		else
			cli->ue[cli->n_ue - 1].gba_cmd = arg;
		return 0;
	case OPT_BSF_LOOKUP:
		cli->bsf_lookup = arg;
		return 0;
	case OPT_DEMAND_REBOOTSTRAP:
		o->demand_rebootstrap = true;
		return 0;
	case OPT_DIGEST_QOP:
		if (!strcmp(arg, "auth-int")) {
			o->digest_qop = AUTH_QOP_AUTH_INT;
		} else if (!strcmp(arg, "any")) {
			o->digest_qop = AUTH_QOP_ANY;
		} else {
			snprintf(err, errlen,
				 "--digest-qop: '%s' is not auth-int or any", arg);
			return -1;
		}
		return 0;
	}
	return -2;
}

/* Append a time to one of the bounded lists of the schedule. */
static int add_time(const char *arg, uint64_t *list, size_t *n, char *err,
		    size_t errlen)
{
	if (*n == SCHED_MAX_ROLLOVERS) {
		snprintf(err, errlen, "given more than %d times",
			 SCHED_MAX_ROLLOVERS);
		return -1;
	}
	if (parse_time_ms(arg, &list[*n], err, errlen))
		return -1;
	(*n)++;
	return 0;
}

/* Schedule options; -2 if @c is not one of them. */
static int sched_opt(struct cli *cli, int c, const char *arg, char *err,
		     size_t errlen)
{
	struct sched_cfg *sc = &cli->o.sched;
	uint64_t *t = NULL;
	uint64_t v;
	int d;

	switch (c) {
	case OPT_DURATION:
		t = &sc->duration_ms;
		break;
	case OPT_START:
		t = &sc->start_ms;
		break;
	case OPT_MTK_PERIOD:
		t = &sc->mtk_period_ms;
		break;
	case OPT_MTK_DELTA:
		t = &sc->mtk_delta_ms;
		break;
	case OPT_MTK_REPEAT:
		t = &sc->mtk_repeat_ms;
		break;
	case OPT_MSK_LEAD:
		t = &sc->msk_lead_ms;
		break;
	case OPT_MSK_ROLLOVER:
		return add_time(arg, sc->rollover_ms, &sc->n_rollovers, err,
				errlen);
	case OPT_PULL:
		return add_time(arg, sc->pull_ms, &sc->n_pulls, err, errlen);
	case OPT_MSK_DELIVERY:
		d = msk_delivery_parse(arg);
		if (d < 0) {
			snprintf(err, errlen, "'%s': use push, pull or none", arg);
			return -1;
		}
		sc->rollover_delivery = (enum msk_delivery)d;
		return 0;
	case OPT_FAULT:
		if (sc->n_faults == SCHED_MAX_FAULTS) {
			snprintf(err, errlen, "more than %d faults",
				 SCHED_MAX_FAULTS);
			return -1;
		}
		if (parse_fault(arg, &sc->faults[sc->n_faults], err, errlen))
			return -1;
		sc->n_faults++;
		return 0;
	case OPT_RETRY_AFTER:
		if (num(arg, 0, 86400, &v, err, errlen))
			return -1;
		cli->o.retry_after_s = (uint32_t)v;
		return 0;
	default:
		return -2;
	}
	return parse_time_ms(arg, t, err, errlen);
}

/* Stream and socket options; -2 if @c is not one of them. */
static int net_opt(struct cli *cli, int c, const char *arg, char *err,
		   size_t errlen)
{
	struct sim_opts *o = &cli->o;
	uint64_t v = 0;

	switch (c) {
	case OPT_STREAM:
		o->have_stream = true;
		return parse_addr(arg, 0, true, &o->stream, err, errlen);
	case OPT_MTK_DEST:
		o->have_mtk_dest = true;
		return parse_addr(arg, MIKEY_PORT, false, &o->mtk_dest, err,
				  errlen);
	case OPT_HTTP:
		o->have_http = true;
		return parse_addr(arg, 0, true, &o->http, err, errlen);
	case OPT_MIKEY_BIND:
		return parse_addr(arg, 0, false, &o->mikey_bind, err, errlen);
	case OPT_MCAST_IF:
		if (inet_pton(AF_INET, arg, &o->mcast_if) != 1) {
			snprintf(err, errlen, "'%s' is not an IPv4 address", arg);
			return -1;
		}
		o->have_mcast_if = true;
		return 0;
	case OPT_TTL:
		if (num(arg, 0, 255, &v, err, errlen))
			return -1;
		o->ttl = (uint8_t)v;
		return 0;
	case OPT_SSRC:
		if (num(arg, 0, UINT32_MAX, &v, err, errlen))
			return -1;
		o->ssrc = (uint32_t)v;
		return 0;
	case OPT_PPS:
		if (num(arg, 1, SIM_MAX_PPS, &v, err, errlen))
			return -1;
		o->pps = (uint32_t)v;
		return 0;
	case OPT_PAYLOAD_LEN:
		/* a BM-SC's stream fits the MTU; the test tools go further */
		if (num(arg, 0, SIM_MAX_PAYLOAD, &v, err, errlen))
			return -1;
		o->payload_len = (uint32_t)v;
		return 0;
	case OPT_SEQ:
		if (num(arg, 0, 0xffff, &v, err, errlen))
			return -1;
		o->first_seq = (uint16_t)v;
		return 0;
	case OPT_ROC:
		if (num(arg, 0, UINT32_MAX, &v, err, errlen))
			return -1;
		o->first_roc = (uint32_t)v;
		return 0;
	case OPT_NO_MAP_ROC:
		o->no_map_roc = true;
		return 0;
	case OPT_PATTERN_SEED:
		if (num(arg, 0, UINT64_MAX, &v, err, errlen))
			return -1;
		o->pattern_seed = v;
		return 0;
	case OPT_TAG_LEN:
		if (num(arg, 4, 20, &v, err, errlen)) {
			snprintf(err, errlen, "the tag is 4 to 20 bytes (HMAC-SHA1)");
			return -1;
		}
		o->tag_len = (uint8_t)v;
		return 0;
	case OPT_RCC_MODE:
		if (num(arg, 1, 3, &v, err, errlen))
			return -1;
		o->rcc_mode = (uint8_t)v;
		return 0;
	case OPT_RCC_RATE:
		if (num(arg, 1, 0xffff, &v, err, errlen))
			return -1;
		o->rcc_rate = (uint16_t)v;
		return 0;
	}
	return -2;
}

/* One option; returns 0, 1 (help) or -1. */
static int one_opt(struct cli *cli, int c, const char *arg, char *err,
		   size_t errlen)
{
	int r = key_opt(cli, c, arg, err, errlen);

	if (r == -2)
		r = sched_opt(cli, c, arg, err, errlen);
	if (r == -2)
		r = net_opt(cli, c, arg, err, errlen);
	if (r == -2) {
		snprintf(err, errlen, "unknown option (see --help)");
		r = -1;
	}
	return r;
}

/* Cross-option checks that the schedule cannot make. */
static int check(struct cli *cli, char *err, size_t errlen)
{
	struct sim_opts *o = &cli->o;
	size_t i;

	if ((size_t)o->first_key_number + o->sched.n_rollovers >=
	    SIM_UNKNOWN_KEY_NUMBER) {
		snprintf(err, errlen, "--key-number plus the rollovers reaches Key Number 0x%04x, which the faults use",
			 SIM_UNKNOWN_KEY_NUMBER);
		return -1;
	}
	if (!o->rcc_mode != !o->rcc_rate) {
		snprintf(err, errlen, "--rcc-mode and --rcc-rate go together (RFC 4771 needs both)");
		return -1;
	}
	if (o->have_stream && !o->have_mtk_dest) {
		o->mtk_dest = o->stream;
		o->mtk_dest.sin_port = htons(MIKEY_PORT);
		o->have_mtk_dest = true;
	}
	for (i = 0; i < o->sched.n_faults; i++) {
		enum fault_kind k = o->sched.faults[i].kind;

		if ((k == FAULT_HTTP_503 || k == FAULT_HTTP_DROP ||
		     k == FAULT_HTTP_REFUSE) && !o->have_http) {
			snprintf(err, errlen, "fault %s needs --http", fault_name(k));
			return -1;
		}
		if (k == FAULT_SRTP_UNKNOWN_MSK && !o->have_stream) {
			snprintf(err, errlen, "fault %s needs --stream", fault_name(k));
			return -1;
		}
		if ((k == FAULT_MTK_FORGED_MAC || k == FAULT_MTK_REPLAY ||
		     k == FAULT_MTK_OUTSIDE || k == FAULT_MTK_UNKNOWN_MSK) &&
		    !o->have_mtk_dest) {
			snprintf(err, errlen, "fault %s needs --stream or --mtk-dest",
				 fault_name(k));
			return -1;
		}
	}
	for (i = 0; i < cli->n_ue; i++) {
		if (cli->ue[i].gba_file && cli->ue[i].gba_cmd) {
			snprintf(err, errlen, "UE %s: give --gba-file or --gba-cmd, not both",
				 cli->ue[i].addr);
			return -1;
		}
	}
	return 0;
}

static const char *opt_name(int c)
{
	size_t i;

	for (i = 0; long_opts[i].name; i++)
		if (long_opts[i].val == c)
			return long_opts[i].name;
	return "?";
}

int options_parse(int argc, char **argv, struct cli *cli)
{
	char err[256];
	int c, r;

	defaults(cli);
	optind = 1;
	while ((c = getopt_long(argc, argv, "jvqh", long_opts, NULL)) != -1) {
		if (c == '?') {
			fprintf(stderr, "bmsc-sim: see --help\n");
			return -1;
		}
		r = one_opt(cli, c, optarg, err, sizeof(err));
		if (r < 0)
			fprintf(stderr, "bmsc-sim: --%s: %s\n", opt_name(c), err);
		if (r)
			return r;
	}
	if (optind < argc) {
		fprintf(stderr, "bmsc-sim: unexpected argument '%s' (see --help)\n",
			argv[optind]);
		return -1;
	}
	if (check(cli, err, sizeof(err))) {
		fprintf(stderr, "bmsc-sim: %s\n", err);
		return -1;
	}
	return 0;
}
