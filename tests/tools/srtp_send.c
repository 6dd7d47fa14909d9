// SPDX-License-Identifier: GPL-2.0
/*
 * srtp-send: send a deterministic SRTP (or SRTCP sender-report) stream,
 * protected by libsrtp2 with MBMS MKIs, over UDP or into a file.  See
 * --help; srtp-recv checks what arrives.
 */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "mbms/common.h"
#include "net_util.h"
#include "stream_opts.h"

#define REORDER_MAX 1024
/* UDP_MAX_SEGMENTS of the kernel; a GSO send is one datagram of <= 64 KiB */
#define GSO_MAX 64
#define GSO_BYTES_MAX 65000

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

struct send_opts {
	const char *dst, *ifname, *out;
	unsigned int port, ttl;
	uint64_t rate, duplicate, reorder, gso;
	bool json, quiet;
};

struct held_pkt {
	size_t len;
	uint8_t data[STREAM_WIRE_MAX];
};

struct sender {
	struct send_opts o;
	int fd;
	struct sockaddr_storage dst;
	socklen_t dlen;
	FILE *out;
	struct timespec t0;
	uint64_t sent, dups, tampered, bytes, errors, gso_sends;
	EVP_MD_CTX *digest;
	/* --gso: packets of equal length waiting to go out in one sendmsg */
	uint8_t gso_buf[GSO_BYTES_MAX];
	size_t gso_len, gso_seg, gso_n;
};

enum { O_DST = 1, O_PORT, O_IFACE, O_TTL, O_RATE, O_DUP, O_REORDER, O_OUT, O_GSO };

static const struct option send_long_opts[] = {
	{ "dst", required_argument, NULL, O_DST },
	{ "port", required_argument, NULL, O_PORT },
	{ "iface", required_argument, NULL, O_IFACE },
	{ "ttl", required_argument, NULL, O_TTL },
	{ "rate", required_argument, NULL, O_RATE },
	{ "duplicate", required_argument, NULL, O_DUP },
	{ "reorder", required_argument, NULL, O_REORDER },
	{ "out", required_argument, NULL, O_OUT },
	{ "gso", required_argument, NULL, O_GSO },
	{ "json", no_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: srtp-send --dst ADDR [--port N] [options] --key HEX --salt HEX\n"
"       srtp-send --out FILE [options] --key HEX --salt HEX\n"
"\n"
"Protect a deterministic RTP stream (or RTCP sender reports) with libsrtp2\n"
"and send it over UDP to ADDR (IPv4 or IPv6, unicast or multicast), or\n"
"write the packets to FILE, one hex line each.  Prints a summary; the\n"
"digest is SHA-256 over the plaintext packets in order, which srtp-recv\n"
"reproduces when everything arrives decrypted, once and in order.\n"
"\n"
"Sending:\n"
"  --dst ADDR           destination address\n"
"  --port N             UDP destination port (default 5004)\n"
"  --iface IF           multicast output interface\n"
"  --ttl N              multicast TTL / hop limit (default 1)\n"
"  --rate PPS           packets per second (default 0: as fast as possible)\n"
"  --duplicate N        send every Nth packet twice\n"
"  --reorder N          send each block of N packets in reverse (N <= %d)\n"
"  --gso N              send up to N consecutive packets of equal length in\n"
"                       one sendmsg, as a UDP GSO super-packet (UDP_SEGMENT,\n"
"                       segment size = packet length; N <= %d)\n"
"  --out FILE           write hex lines to FILE (\"-\": stdout) instead\n"
"  -j, --json           summary as JSON on stdout\n"
"  -q, --quiet          no summary\n"
"\n%s", REORDER_MAX, GSO_MAX, stream_opts_help);
}

static void pace(struct sender *s)
{
	struct timespec t;
	uint64_t ns;

	if (!s->o.rate)
		return;
	ns = (s->sent * 1000000000ULL) / s->o.rate;
	t.tv_sec = s->t0.tv_sec + ns / 1000000000ULL;
	t.tv_nsec = s->t0.tv_nsec + ns % 1000000000ULL;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
		;
}

/*
 * One datagram, or with @seg > 0 a GSO super-packet of @n segments of
 * @seg bytes.  Not connected: a connected UDP socket would fail later
 * sends after an ICMP error.  A full queue is transient: back off.
 */
static void send_dgram(struct sender *s, const uint8_t *p, size_t len,
		       uint16_t seg, size_t n)
{
	union {
		char buf[CMSG_SPACE(sizeof(uint16_t))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = (void *)p, .iov_len = len };
	struct msghdr m = {
		.msg_name = &s->dst, .msg_namelen = s->dlen,
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	bool ok = false;
	int tries;

	if (seg) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		m.msg_control = ctl.buf;
		m.msg_controllen = sizeof(ctl.buf);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_UDP;
		c->cmsg_type = UDP_SEGMENT;
		c->cmsg_len = CMSG_LEN(sizeof(seg));
		memcpy(CMSG_DATA(c), &seg, sizeof(seg));
		s->gso_sends++;
	}
	for (tries = 0; tries < 100 && !ok; tries++) {
		ok = sendmsg(s->fd, &m, 0) == (ssize_t)len;
		if (!ok && errno != ENOBUFS && errno != EAGAIN)
			break;
		if (!ok)
			usleep(1000);
	}
	if (!ok)
		s->errors += n;
}

static void gso_flush(struct sender *s)
{
	if (s->gso_n)
		send_dgram(s, s->gso_buf, s->gso_len,
			   s->gso_n > 1 ? s->gso_seg : 0, s->gso_n);
	s->gso_len = 0;
	s->gso_n = 0;
}

/* --gso: queue @p; a packet of another length starts a new batch. */
static void gso_put(struct sender *s, const uint8_t *p, size_t len)
{
	if (s->gso_n && (len != s->gso_seg ||
			 s->gso_len + len > sizeof(s->gso_buf)))
		gso_flush(s);
	memcpy(s->gso_buf + s->gso_len, p, len);
	s->gso_len += len;
	s->gso_seg = len;
	if (++s->gso_n == s->o.gso)
		gso_flush(s);
}

static void put_one(struct sender *s, const uint8_t *p, size_t len)
{
	pace(s);
	if (s->out) {
		char hex[2 * STREAM_WIRE_MAX + 1];

		hex_encode(p, len, hex);
		fprintf(s->out, "%s\n", hex);
	} else if (s->o.gso > 1) {
		gso_put(s, p, len);
	} else {
		send_dgram(s, p, len, 0, 1);
	}
	s->sent++;
	s->bytes += len;
}

static void put_pkt(struct sender *s, const struct held_pkt *h, uint64_t index)
{
	put_one(s, h->data, h->len);
	if (s->o.duplicate && (index + 1) % s->o.duplicate == 0) {
		put_one(s, h->data, h->len);
		s->dups++;
	}
}

static void flush_block(struct sender *s, struct held_pkt *held,
			uint64_t *index, size_t n)
{
	/* Reverse order inside the block: reordering within the window. */
	while (n-- > 0)
		put_pkt(s, &held[n], index[n]);
}

static int run(struct sender *s, struct stream *st)
{
	static struct held_pkt held[REORDER_MAX];
	static uint64_t index[REORDER_MAX];
	size_t block = s->o.reorder > 1 ? s->o.reorder : 1, n = 0;
	struct stream_pkt pkt;
	char err[256];
	int r;

	clock_gettime(CLOCK_MONOTONIC, &s->t0);
	while ((r = stream_next(st, &pkt, err, sizeof(err))) == 0) {
		EVP_DigestUpdate(s->digest, pkt.plain, pkt.plain_len);
		s->tampered += pkt.tampered;
		memcpy(held[n].data, pkt.wire, pkt.wire_len);
		held[n].len = pkt.wire_len;
		index[n] = pkt.index;
		if (++n == block) {
			flush_block(s, held, index, n);
			n = 0;
		}
	}
	flush_block(s, held, index, n);
	gso_flush(s);
	if (r < 0) {
		fprintf(stderr, "srtp-send: %s\n", err);
		return -1;
	}
	return 0;
}

static void summary(struct sender *s, const struct stream_cfg *c)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	struct json j;

	EVP_DigestFinal_ex(s->digest, md, &mdlen);
	hex_encode(md, mdlen, hex);
	if (s->o.quiet)
		return;
	if (!s->o.json) {
		printf("srtp-send: packets %llu sent %llu duplicates %llu tampered %llu bytes %llu errors %llu gso-sends %llu digest %s\n",
		       (unsigned long long)c->count, (unsigned long long)s->sent,
		       (unsigned long long)s->dups, (unsigned long long)s->tampered,
		       (unsigned long long)s->bytes, (unsigned long long)s->errors,
		       (unsigned long long)s->gso_sends, hex);
		return;
	}
	json_init(&j, stdout, false);
	json_obj_begin(&j);
	json_kv_u64(&j, "packets", c->count);
	json_kv_u64(&j, "sent", s->sent);
	json_kv_u64(&j, "duplicates", s->dups);
	json_kv_u64(&j, "tampered", s->tampered);
	json_kv_u64(&j, "bytes", s->bytes);
	json_kv_u64(&j, "errors", s->errors);
	json_kv_u64(&j, "gso_sends", s->gso_sends);
	json_kv_str(&j, "digest", hex);
	json_obj_end(&j);
	json_finish(&j);
}

static int send_opt(void *ctx, int opt, const char *arg, char *err, size_t errlen)
{
	struct send_opts *o = ctx;
	uint64_t v;

	switch (opt) {
	case O_DST: o->dst = arg; return 0;
	case O_IFACE: o->ifname = arg; return 0;
	case O_OUT: o->out = arg; return 0;
	case 'j': o->json = true; return 0;
	case 'q': o->quiet = true; return 0;
	case 'h': usage(stdout); exit(0);
	case O_PORT: case O_TTL:
		if (parse_u64(arg, opt == O_PORT ? 65535 : 255, &v, err, errlen))
			return -1;
		*(opt == O_PORT ? &o->port : &o->ttl) = v;
		return 0;
	case O_RATE: case O_DUP: case O_REORDER:
		if (parse_u64(arg, opt == O_REORDER ? REORDER_MAX : 100000000,
			      &v, err, errlen))
			return -1;
		*(opt == O_RATE ? &o->rate : opt == O_DUP ? &o->duplicate : &o->reorder) = v;
		return 0;
	case O_GSO:
		return parse_u64(arg, GSO_MAX, &o->gso, err, errlen) ? -1 : 0;
	default:
		usage(stderr);
		return 1;
	}
}

static int parse(int argc, char **argv, struct send_opts *o, struct stream_cfg *c)
{
	if (stream_parse_args("srtp-send", argc, argv, "jqh", send_long_opts,
			      c, send_opt, o))
		return -1;
	if (!o->dst == !o->out) {
		fprintf(stderr, "srtp-send: give exactly one of --dst and --out\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sender s = { .o = { .port = 5004, .ttl = 1 }, .fd = -1 };
	struct stream_cfg cfg;
	struct stream *st = NULL;
	char err[256];
	int ret = 1;

	stream_cfg_defaults(&cfg);
	if (parse(argc, argv, &s.o, &cfg))
		goto out;
	st = stream_new(&cfg, err, sizeof(err));
	secure_zero(cfg.key, sizeof(cfg.key));
	if (!st) {
		fprintf(stderr, "srtp-send: %s\n", err);
		goto out;
	}
	if (s.o.out) {
		s.out = strcmp(s.o.out, "-") ? fopen(s.o.out, "we") : stdout;
		if (!s.out) {
			fprintf(stderr, "srtp-send: cannot create '%s': %s\n",
				s.o.out, strerror(errno));
			goto out;
		}
	} else {
		if (net_parse_addr(s.o.dst, s.o.port, &s.dst, &s.dlen, err, sizeof(err)) ||
		    (s.fd = net_sender(&s.dst, s.o.ifname, s.o.ttl, err, sizeof(err))) < 0) {
			fprintf(stderr, "srtp-send: %s\n", err);
			goto out;
		}
	}
	s.digest = EVP_MD_CTX_new();
	if (!s.digest || !EVP_DigestInit_ex(s.digest, EVP_sha256(), NULL)) {
		fprintf(stderr, "srtp-send: cannot set up SHA-256\n");
		goto out;
	}
	if (run(&s, st) == 0) {
		summary(&s, &cfg);
		ret = s.errors ? 1 : 0;
		if (s.errors)
			fprintf(stderr, "srtp-send: %llu packets could not be sent\n",
				(unsigned long long)s.errors);
	}
out:
	if (s.out && s.out != stdout)
		fclose(s.out);
	else if (s.out)
		fflush(stdout);
	if (s.fd >= 0)
		close(s.fd);
	EVP_MD_CTX_free(s.digest);
	stream_free(st);
	return ret;
}
