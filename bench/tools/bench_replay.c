// SPDX-License-Identifier: GPL-2.0
/*
 * bench-replay: protect a whole deterministic SRTP stream with libsrtp2 up
 * front (the stream options of srtp-send), then replay it as fast as
 * possible with sendmmsg().  Protection happens before the clock starts,
 * so the run measures the receiver alone.  Every packet has its own
 * sequence number: a replay window never drops one.
 *
 * Just before the first packet it writes the start stamp (time, CPU time
 * of the whole system) to --stamp FILE for bench-sink.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mbms/common.h"
#include "bench_util.h"
#include "net_util.h"
#include "bench_stream.h"

#define BATCH_MAX 256

enum { O_DST = 1, O_PORT, O_IFACE, O_STAMP, O_BATCH, O_PLAIN };

static const struct option replay_opts[] = {
	{ "dst", required_argument, NULL, O_DST },
	{ "port", required_argument, NULL, O_PORT },
	{ "iface", required_argument, NULL, O_IFACE },
	{ "stamp", required_argument, NULL, O_STAMP },
	{ "batch", required_argument, NULL, O_BATCH },
	{ "plain", no_argument, NULL, O_PLAIN },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: bench-replay --dst ADDR [--port N] [--stamp FILE] [--batch N]\n"
"                    [--plain] STREAM OPTIONS\n"
"\n"
"Protect --count packets with libsrtp2 in memory, then send them with\n"
"sendmmsg() in batches of N (default 32) as fast as possible.  --plain\n"
"sends the unprotected RTP instead.  Prints one JSON line.\n"
"\n%s", stream_opts_help);
}

struct wire {
	uint8_t *buf;		/* count slots of STREAM_WIRE_MAX bytes */
	size_t *len;
	uint64_t n;
};

static int build(const struct stream_cfg *c, bool plain, struct wire *w)
{
	struct stream_pkt pkt;
	struct stream *st;
	char err[256];
	int r;

	w->buf = malloc(c->count * STREAM_WIRE_MAX);
	w->len = calloc(c->count, sizeof(*w->len));
	if (!w->buf || !w->len) {
		fprintf(stderr, "bench-replay: out of memory for %llu packets\n",
			(unsigned long long)c->count);
		return -1;
	}
	st = stream_new(c, err, sizeof(err));
	if (!st) {
		fprintf(stderr, "bench-replay: %s\n", err);
		return -1;
	}
	while ((r = stream_next(st, &pkt, err, sizeof(err))) == 0) {
		const uint8_t *p = plain ? pkt.plain : pkt.wire;
		size_t len = plain ? pkt.plain_len : pkt.wire_len;

		memcpy(w->buf + w->n * STREAM_WIRE_MAX, p, len);
		w->len[w->n++] = len;
	}
	stream_free(st);
	if (r < 0) {
		fprintf(stderr, "bench-replay: %s\n", err);
		return -1;
	}
	return 0;
}

static uint64_t blast(int fd, const struct sockaddr_storage *dst,
		      socklen_t dlen, const struct wire *w, unsigned int batch,
		      uint64_t *errors)
{
	static struct mmsghdr msg[BATCH_MAX];
	static struct iovec iov[BATCH_MAX];
	uint64_t i = 0, sent = 0;
	unsigned int k, n;
	int r;

	while (i < w->n) {
		n = w->n - i < batch ? w->n - i : batch;
		for (k = 0; k < n; k++) {
			iov[k].iov_base = w->buf + (i + k) * STREAM_WIRE_MAX;
			iov[k].iov_len = w->len[i + k];
			memset(&msg[k].msg_hdr, 0, sizeof(msg[k].msg_hdr));
			msg[k].msg_hdr.msg_name = (void *)dst;
			msg[k].msg_hdr.msg_namelen = dlen;
			msg[k].msg_hdr.msg_iov = &iov[k];
			msg[k].msg_hdr.msg_iovlen = 1;
		}
		r = sendmmsg(fd, msg, n, 0);
		if (r < 0) {
			if (errno == ENOBUFS || errno == EAGAIN) {
				usleep(200);
				continue;
			}
			/* an ICMP error from an earlier packet: skip one */
			(*errors)++;
			r = 1;
		}
		i += r;
		sent += r;
	}
	return sent;
}

struct replay_args {
	const char *dst, *iface, *stamp;
	unsigned int port, batch;
	bool plain;
};

static int replay_opt(int opt, const char *arg, void *ctx)
{
	struct replay_args *a = ctx;

	switch (opt) {
	case O_DST:
		a->dst = arg;
		break;
	case O_PORT:
		a->port = opt_u64("bench-replay", "--port", arg, 65535);
		break;
	case O_IFACE:
		a->iface = arg;
		break;
	case O_STAMP:
		a->stamp = arg;
		break;
	case O_BATCH:
		a->batch = opt_u64("bench-replay", "--batch", arg, BATCH_MAX);
		if (!a->batch)
			a->batch = 1;
		break;
	case O_PLAIN:
		a->plain = true;
		break;
	default:
		usage(stderr);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct replay_args a = { .port = 5004, .batch = 32 };
	struct sockaddr_storage ss;
	struct stream_cfg c;
	struct cpu_snap cpu;
	struct wire w = { 0 };
	uint64_t t0, t1, sent, errors = 0;
	char err[256];
	socklen_t sl;
	int fd, rc = 1;

	rc = bench_parse_opts("bench-replay", argc, argv, replay_opts, &c,
			      replay_opt, &a, usage);
	if (rc >= 0)
		return rc;
	rc = 1;
	if (!a.dst || optind != argc) {
		usage(stderr);
		return 1;
	}
	if (net_parse_addr(a.dst, a.port, &ss, &sl, err, sizeof(err))) {
		fprintf(stderr, "bench-replay: %s\n", err);
		return 1;
	}
	fd = net_sender(&ss, a.iface, 1, err, sizeof(err));
	if (fd < 0) {
		fprintf(stderr, "bench-replay: %s\n", err);
		return 1;
	}
	if (build(&c, a.plain, &w))
		goto out;
	if (cpu_snap_read(&cpu)) {
		fprintf(stderr, "bench-replay: /proc/stat: %s\n", strerror(errno));
		goto out;
	}
	t0 = now_ns();
	if (a.stamp && stamp_write(a.stamp, t0, &cpu))
		goto out;
	sent = blast(fd, &ss, sl, &w, a.batch, &errors);
	t1 = now_ns();
	printf("{\"sent\":%llu,\"errors\":%llu,\"send_ns\":%llu}\n",
	       (unsigned long long)sent, (unsigned long long)errors,
	       (unsigned long long)(t1 - t0));
	rc = 0;
out:
	secure_zero(c.key, sizeof(c.key));
	close(fd);
	free(w.buf);
	free(w.len);
	return rc;
}
