// SPDX-License-Identifier: GPL-2.0
/*
 * bench-sink: count the datagrams that reach a UDP socket with recvmmsg()
 * and report throughput and the whole system's CPU time per packet over
 * [the sender's first packet, our last one].  It checks each datagram's
 * length against --len so that a run where the module did not decrypt
 * (ciphertext is longer: MKI and tag) cannot pass for one where it did.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mbms/common.h"
#include "bench_util.h"
#include "net_util.h"

#define BATCH 64
#define DGRAM_MAX 2048

enum { O_LISTEN = 1, O_PORT, O_IFACE, O_EXPECT, O_IDLE, O_STAMP, O_LEN,
	O_READY, O_TIMEOUT };

static const struct option sink_opts[] = {
	{ "listen", required_argument, NULL, O_LISTEN },
	{ "port", required_argument, NULL, O_PORT },
	{ "iface", required_argument, NULL, O_IFACE },
	{ "expect", required_argument, NULL, O_EXPECT },
	{ "idle", required_argument, NULL, O_IDLE },
	{ "stamp", required_argument, NULL, O_STAMP },
	{ "len", required_argument, NULL, O_LEN },
	{ "ready-file", required_argument, NULL, O_READY },
	{ "timeout", required_argument, NULL, O_TIMEOUT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: bench-sink --listen ADDR [--port N] --expect N --stamp FILE\n"
"                  [--len BYTES] [--idle MS] [--timeout S] [--ready-file F]\n"
"\n"
"Receive until N datagrams arrived, or none for MS milliseconds (default\n"
"2000), or S seconds in all (default 120).  --len counts datagrams of\n"
"another length as bad.  Prints one JSON line.\n");
}

struct sink {
	uint64_t received, bad_len, bytes, t_last;
};

static int drain(int fd, struct sink *s, unsigned int want_len)
{
	static uint8_t buf[BATCH][DGRAM_MAX];
	static struct mmsghdr msg[BATCH];
	static struct iovec iov[BATCH];
	int i, n;

	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = DGRAM_MAX;
		memset(&msg[i].msg_hdr, 0, sizeof(msg[i].msg_hdr));
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	n = recvmmsg(fd, msg, BATCH, MSG_DONTWAIT, NULL);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	for (i = 0; i < n; i++) {
		s->bytes += msg[i].msg_len;
		if (want_len && msg[i].msg_len != want_len)
			s->bad_len++;
	}
	s->received += n;
	if (n)
		s->t_last = now_ns();
	return n;
}

int main(int argc, char **argv)
{
	const char *listen_addr = NULL, *iface = NULL, *stamp = NULL;
	const char *ready = NULL;
	unsigned int port = 5004, want_len = 0, idle_ms = 2000;
	uint64_t expect = 0, timeout_s = 120, deadline, t0;
	struct cpu_snap c0, c1;
	unsigned int i;
	struct sockaddr_storage ss;
	struct sink s = { 0 };
	struct pollfd pfd;
	char err[256];
	socklen_t sl;
	int opt, fd, r;

	while ((opt = getopt_long(argc, argv, "h", sink_opts, NULL)) != -1) {
		switch (opt) {
		case O_LISTEN:
			listen_addr = optarg;
			break;
		case O_PORT:
			port = opt_u64("bench-sink", "--port", optarg, 65535);
			break;
		case O_IFACE:
			iface = optarg;
			break;
		case O_EXPECT:
			expect = opt_u64("bench-sink", "--expect", optarg, UINT64_MAX);
			break;
		case O_IDLE:
			idle_ms = opt_u64("bench-sink", "--idle", optarg, 600000);
			break;
		case O_STAMP:
			stamp = optarg;
			break;
		case O_LEN:
			want_len = opt_u64("bench-sink", "--len", optarg, DGRAM_MAX);
			break;
		case O_READY:
			ready = optarg;
			break;
		case O_TIMEOUT:
			timeout_s = opt_u64("bench-sink", "--timeout", optarg, 86400);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (!listen_addr || !stamp || !expect || optind != argc) {
		usage(stderr);
		return 1;
	}
	if (net_parse_addr(listen_addr, port, &ss, &sl, err, sizeof(err))) {
		fprintf(stderr, "bench-sink: %s\n", err);
		return 1;
	}
	fd = net_receiver(&ss, sl, iface, err, sizeof(err));
	if (fd < 0) {
		fprintf(stderr, "bench-sink: %s\n", err);
		return 1;
	}
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (!f || fclose(f)) {
			fprintf(stderr, "bench-sink: %s: %s\n", ready, strerror(errno));
			return 1;
		}
	}

	deadline = now_ns() + timeout_s * 1000000000ULL;
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (s.received < expect && now_ns() < deadline) {
		r = poll(&pfd, 1, s.received ? (int)idle_ms : 1000);
		if (r < 0 && errno != EINTR)
			break;
		if (r == 0 && s.received)
			break;	/* idle: the rest was lost */
		while ((r = drain(fd, &s, want_len)) > 0 && s.received < expect)
			;
		if (r < 0) {
			fprintf(stderr, "bench-sink: recvmmsg: %s\n", strerror(errno));
			return 1;
		}
	}
	if (cpu_snap_read(&c1)) {
		fprintf(stderr, "bench-sink: /proc/stat: %s\n", strerror(errno));
		return 1;
	}
	if (!s.received) {
		fprintf(stderr, "bench-sink: nothing received\n");
		return 1;
	}
	if (stamp_read(stamp, &t0, &c0))
		return 1;
	printf("{\"received\":%llu,\"bad_len\":%llu,\"bytes\":%llu,"
	       "\"elapsed_ns\":%llu,\"busy_ns\":%llu,\"total_ns\":%llu,"
	       "\"cpu_busy_ns\":[",
	       (unsigned long long)s.received, (unsigned long long)s.bad_len,
	       (unsigned long long)s.bytes,
	       (unsigned long long)(s.t_last - t0),
	       (unsigned long long)(c1.busy_ns - c0.busy_ns),
	       (unsigned long long)(c1.total_ns - c0.total_ns));
	/* per CPU, for a receiver pinned apart from the sender */
	for (i = 0; i < c0.ncpu && i < c1.ncpu; i++)
		printf("%s%llu", i ? "," : "",
		       (unsigned long long)(c1.cpu_busy_ns[i] - c0.cpu_busy_ns[i]));
	/* context switches: what a receiver woken per packet costs */
	printf("],\"ctxt\":%llu}\n", (unsigned long long)(c1.ctxt - c0.ctxt));
	close(fd);
	return 0;
}
