// SPDX-License-Identifier: GPL-2.0
/*
 * vlc-rcc-send: the independent RFC 4771 oracle.  Protects the traffic
 * tools' deterministic RTP stream with VLC's SRTP code (srtp.c of Debian's
 * vlc source package, built at test time by scripts/vlc-oracle.sh: no VLC
 * code lives in this repository) and sends it over UDP or dumps it.
 *
 * VLC's srtp.c is the only thing between the plaintext and the wire here:
 * no libsrtp2, no code of ours touches the SRTP transform, except that the
 * MKI (which VLC does not implement) is spliced in, see put_mki().
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gcrypt.h>

/* VLC's modules/access/rtp/srtp.h; it needs <stdint.h> first. */
#include "srtp.h"

#include "mbms/common.h"
#include "net_util.h"
#include "stream_opts.h"

/* VLC's srtp_send() walks its index one call at a time; see warm_up(). */
#define WARM_STEP	63
#define ROC_MAX		1024

struct oracle_opts {
	const char *dst, *ifname, *dump;
	unsigned int port, ttl, mode;
	uint64_t rate, pps;
	bool have_rate, quiet;
};

enum { O_DST = 1, O_PORT, O_IFACE, O_TTL, O_PPS, O_DUMP, O_RCC_MODE, O_RCC_RATE,
	O_TAMPER };

static const struct option oracle_long_opts[] = {
	{ "dst", required_argument, NULL, O_DST },
	{ "port", required_argument, NULL, O_PORT },
	{ "iface", required_argument, NULL, O_IFACE },
	{ "ttl", required_argument, NULL, O_TTL },
	{ "pps", required_argument, NULL, O_PPS },
	{ "dump", required_argument, NULL, O_DUMP },
	{ "rcc-mode", required_argument, NULL, O_RCC_MODE },
	{ "rcc-rate", required_argument, NULL, O_RCC_RATE },
	/* ahead of the stream option of that name, so that it is refused */
	{ "tamper", required_argument, NULL, O_TAMPER },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: vlc-rcc-send --dst ADDR [--port N] --rcc-mode M --rcc-rate R [options]\n"
"       vlc-rcc-send --dump FILE --rcc-mode M --rcc-rate R [options]\n"
"\n"
"Protect the stream that srtp-send/srtp-recv build from the same stream\n"
"options with VLC's SRTP (RFC 3711, and RFC 4771 RCCm1/2/3) and send it\n"
"over UDP to ADDR, or write \"SEQ ROC PLAINTEXT WIRE\" hex lines to FILE.\n"
"\n"
"  --rcc-mode M         0 (plain RFC 3711), 1, 2 or 3 (RCCm1..RCCm3)\n"
"  --rcc-rate R         ROC transmission rate, 1..65535 (modes 1..3)\n"
"  --dst ADDR           destination address\n"
"  --port N             UDP destination port (default 5004)\n"
"  --iface IF           multicast output interface\n"
"  --ttl N              multicast TTL / hop limit (default 1)\n"
"  --pps N              packets per second (default 0: as fast as possible)\n"
"  --dump FILE          write hex lines to FILE (\"-\": stdout) instead\n"
"  -q, --quiet          no summary\n"
"\n"
"Of the stream options, --roc is at most %d, and --rtcp, --key2, --ext\n"
"and --tamper are not supported.\n"
"\n%s", ROC_MAX, stream_opts_help);
}

/*
 * stream_opts.c refers to srtp_stream.c's tamper_parse(), which comes with
 * libsrtp2.  The oracle links neither (libsrtp2 also exports
 * srtp_create(), as VLC's srtp.c does) and never tampers: --tamper is its
 * own option, refused, and this is never called.
 */
int tamper_parse(const char *s)
{
	(void)s;
	return -1;
}

static int oracle_opt(void *ctx, int opt, const char *arg, char *err, size_t errlen)
{
	struct oracle_opts *o = ctx;
	uint64_t v;

	switch (opt) {
	case O_DST: o->dst = arg; return 0;
	case O_IFACE: o->ifname = arg; return 0;
	case O_DUMP: o->dump = arg; return 0;
	case 'q': o->quiet = true; return 0;
	case 'h': usage(stdout); exit(0);
	case O_PORT: case O_TTL:
		if (parse_u64(arg, opt == O_PORT ? 65535 : 255, &v, err, errlen))
			return -1;
		*(opt == O_PORT ? &o->port : &o->ttl) = v;
		return 0;
	case O_TAMPER:
		snprintf(err, errlen, "the oracle sends what VLC sends, untampered");
		return -1;
	case O_PPS:
		return parse_u64(arg, 100000000, &o->pps, err, errlen) ? -1 : 0;
	case O_RCC_MODE:
		if (parse_u64(arg, 3, &v, err, errlen))
			return -1;
		o->mode = v;
		return 0;
	case O_RCC_RATE:
		if (parse_u64(arg, 65535, &o->rate, err, errlen))
			return -1;
		if (!o->rate) {
			snprintf(err, errlen, "the rate R must not be 0 (RFC 4771)");
			return -1;
		}
		o->have_rate = true;
		return 0;
	default:
		usage(stderr);
		return 1;
	}
}

static int check(const struct oracle_opts *o, const struct stream_cfg *c)
{
	const char *bad = NULL;

	if (!o->dst == !o->dump)
		bad = "give exactly one of --dst and --dump";
	else if (o->mode && !o->have_rate)
		bad = "--rcc-mode 1..3 needs --rcc-rate R";
	else if (!c->key[0].have_key || !c->key[0].have_salt)
		bad = "--key and --salt are required";
	else if (c->pat.rtcp)
		bad = "--rtcp: the oracle sends SRTP only";
	else if (c->key[1].have_key || c->key[1].have_salt)
		bad = "--key2: the oracle protects with one key";
	else if (c->roc > ROC_MAX)
		bad = "--roc: at most 1024 (the warm-up walks the index)";
	else if (c->pat.ext_words)
		/*
		 * VLC 3.0.23's srtp_crypt() adds the extension length to the
		 * header length as bytes, not 32-bit words (RFC 3550 §5.3.1),
		 * and so encrypts the end of the extension.
		 */
		bad = "--ext: VLC's srtp.c mis-sizes header extensions";
	if (bad)
		fprintf(stderr, "vlc-rcc-send: %s\n", bad);
	return bad ? -1 : 0;
}

static srtp_session_t *vlc_session(const struct oracle_opts *o,
				   const struct stream_cfg *c)
{
	static const unsigned int rcc_flag[] = {
		0, SRTP_RCC_MODE1, SRTP_RCC_MODE2, SRTP_RCC_MODE3,
	};
	unsigned int tag = c->suite == SUITE_AES_CM_128_HMAC_SHA1_32 ? 4 : 10;
	srtp_session_t *s;

	/* --tag-len: VLC takes any length up to HMAC-SHA1's 20 bytes */
	if (c->tag_len)
		tag = c->tag_len;

	s = srtp_create(SRTP_ENCR_AES_CM, SRTP_AUTH_HMAC_SHA1, tag,
			SRTP_PRF_AES_CM, rcc_flag[o->mode]);
	if (!s) {
		fprintf(stderr, "vlc-rcc-send: VLC srtp_create failed\n");
		return NULL;
	}
	if (srtp_setkey(s, c->key[0].key, STREAM_KEY_LEN,
			c->key[0].salt, STREAM_SALT_LEN)) {
		fprintf(stderr, "vlc-rcc-send: VLC srtp_setkey failed\n");
		srtp_destroy(s);
		return NULL;
	}
	if (o->mode)
		srtp_setrcc_rate(s, o->rate);
	return s;
}

/*
 * VLC keeps one sender index that starts at ROC 0, SEQ 0 and has no call
 * to set it.  Bring it to just below the stream's first index through its
 * public API: protect header-only packets whose index steps by WARM_STEP
 * (they are thrown away).  Steps stay below 64 because srtp.c shifts its
 * 64-bit replay window by the step.
 */
static int warm_up(srtp_session_t *s, const struct stream_cfg *c)
{
	uint64_t first = ((uint64_t)c->roc << 16) | c->pat.start_seq, i;
	uint8_t hdr[RTP_HDR_LEN + 10 + 4];
	size_t len;

	for (i = WARM_STEP; i < first; i += WARM_STEP) {
		memset(hdr, 0, sizeof(hdr));
		hdr[0] = 0x80;
		hdr[2] = i >> 8;
		hdr[3] = i;
		len = RTP_HDR_LEN;
		if (srtp_send(s, hdr, &len, sizeof(hdr))) {
			fprintf(stderr, "vlc-rcc-send: warm-up to index %llu failed\n",
				(unsigned long long)i);
			return -1;
		}
	}
	return 0;
}

/* The MKI of srtp_stream.c: the last @len bytes of MSK ID || MTK ID. */
static void make_mki(const struct stream_key *k, unsigned int len, uint8_t *out)
{
	uint8_t full[STREAM_MKI_MAX] = {
		k->msk_id >> 24, k->msk_id >> 16, k->msk_id >> 8, k->msk_id,
		k->mtk_id >> 8, k->mtk_id,
	};

	memcpy(out, full + STREAM_MKI_MAX - len, len);
}

/*
 * VLC has no MKI: it appends [ROC] || tag right after the RTP packet of
 * @m bytes.  RFC 3711 §3.1 puts the MKI between the packet and the
 * authentication tag and does not authenticate it (the authenticated
 * portion is header || payload), so moving the trailer @mki_len bytes on
 * and writing the MKI in front of it gives exactly the packet an MKI-aware
 * implementation of the same transform sends.
 */
static size_t put_mki(uint8_t *p, size_t m, size_t len, const uint8_t *mki,
		      size_t mki_len)
{
	memmove(p + m + mki_len, p + m, len - m);
	memcpy(p + m, mki, mki_len);
	return len + mki_len;
}

static void pace(const struct oracle_opts *o, const struct timespec *t0,
		 uint64_t sent)
{
	uint64_t ns;
	struct timespec t;

	if (!o->pps)
		return;
	ns = sent * 1000000000ULL / o->pps;
	t.tv_sec = t0->tv_sec + ns / 1000000000ULL;
	t.tv_nsec = t0->tv_nsec + ns % 1000000000ULL;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
		;
}

struct out {
	FILE *dump;
	int fd;
	struct sockaddr_storage dst;
	socklen_t dlen;
	uint64_t sent, bytes, errors;
};

static void emit(struct out *w, uint16_t seq, uint32_t roc,
		 const uint8_t *plain, size_t plen, const uint8_t *p, size_t len)
{
	static char hex[2 * (RTP_PLAIN_MAX + 32) + 1];
	int tries;

	if (w->dump) {
		fprintf(w->dump, "%u %u ", seq, roc);
		hex_encode(plain, plen, hex);
		fprintf(w->dump, "%s ", hex);
		hex_encode(p, len, hex);
		fprintf(w->dump, "%s\n", hex);
	} else {
		for (tries = 0; tries < 100; tries++) {
			if (sendto(w->fd, p, len, 0, (struct sockaddr *)&w->dst,
				   w->dlen) == (ssize_t)len)
				break;
			if (errno != ENOBUFS && errno != EAGAIN) {
				tries = 100;
				break;
			}
			usleep(1000);
		}
		w->errors += tries == 100;
	}
	w->sent++;
	w->bytes += len;
}

static int run(const struct oracle_opts *o, const struct stream_cfg *c,
	       srtp_session_t *s, const uint8_t *mki, struct out *w)
{
	static uint8_t plain[RTP_PLAIN_MAX], buf[RTP_PLAIN_MAX + 32];
	uint64_t index = ((uint64_t)c->roc << 16) | c->pat.start_seq, i;
	struct timespec t0;
	size_t m, len;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < c->count; i++, index++) {
		m = rtp_pattern_build(&c->pat, i, plain, sizeof(plain));
		if (!m) {
			fprintf(stderr, "vlc-rcc-send: packet parameters out of range\n");
			return -1;
		}
		memcpy(buf, plain, m);
		len = m;
		r = srtp_send(s, buf, &len, sizeof(buf) - STREAM_MKI_MAX);
		if (r) {
			fprintf(stderr, "vlc-rcc-send: VLC srtp_send failed on packet %llu: %s\n",
				(unsigned long long)i, strerror(r));
			return -1;
		}
		len = put_mki(buf, m, len, mki, c->mki_len);
		pace(o, &t0, w->sent);
		emit(w, index & 0xffff, index >> 16, plain, m, buf, len);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct oracle_opts o = { .port = 5004, .ttl = 1 };
	struct out w = { .fd = -1 };
	struct stream_cfg cfg;
	uint8_t mki[STREAM_MKI_MAX];
	srtp_session_t *s = NULL;
	char err[256];
	int ret = 1;

	stream_cfg_defaults(&cfg);
	if (stream_parse_args("vlc-rcc-send", argc, argv, "qh", oracle_long_opts,
			      &cfg, oracle_opt, &o) || check(&o, &cfg))
		goto out;
	if (!gcry_check_version(GCRYPT_VERSION)) {
		fprintf(stderr, "vlc-rcc-send: libgcrypt version mismatch\n");
		goto out;
	}
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	make_mki(&cfg.key[0], cfg.mki_len, mki);
	s = vlc_session(&o, &cfg);
	secure_zero(cfg.key, sizeof(cfg.key));
	if (!s || warm_up(s, &cfg))
		goto out;
	if (o.dump) {
		w.dump = strcmp(o.dump, "-") ? fopen(o.dump, "we") : stdout;
		if (!w.dump) {
			fprintf(stderr, "vlc-rcc-send: cannot create '%s': %s\n",
				o.dump, strerror(errno));
			goto out;
		}
	} else if (net_parse_addr(o.dst, o.port, &w.dst, &w.dlen, err, sizeof(err)) ||
		   (w.fd = net_sender(&w.dst, o.ifname, o.ttl, err, sizeof(err))) < 0) {
		fprintf(stderr, "vlc-rcc-send: %s\n", err);
		goto out;
	}
	if (run(&o, &cfg, s, mki, &w) == 0) {
		ret = w.errors ? 1 : 0;
		if (w.errors)
			fprintf(stderr, "vlc-rcc-send: %llu packets could not be sent\n",
				(unsigned long long)w.errors);
		if (!o.quiet)
			fprintf(w.dump == stdout ? stderr : stdout,
				"vlc-rcc-send: packets %llu sent %llu bytes %llu errors %llu\n",
				(unsigned long long)cfg.count, (unsigned long long)w.sent,
				(unsigned long long)w.bytes, (unsigned long long)w.errors);
	}
out:
	if (w.dump && w.dump != stdout)
		fclose(w.dump);
	else if (w.dump)
		fflush(stdout);
	if (w.fd >= 0)
		close(w.fd);
	if (s)
		srtp_destroy(s);
	return ret;
}
