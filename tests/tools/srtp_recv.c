// SPDX-License-Identifier: GPL-2.0
/*
 * srtp-recv: receive a stream sent by srtp-send (given the same stream
 * options) and compare every datagram byte for byte with the plaintext
 * the sender protected.  See --help.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "mbms/common.h"
#include "net_util.h"
#include "pkt_index.h"
#include "stream_opts.h"

/* after SIGUSR1, stop once no datagram came for this long */
#define STOP_IDLE_MS 200

struct recv_opts {
	const char *listen, *ifname, *ready_file, *tap;
	unsigned int port;
	uint64_t timeout_ms, idle_ms, expect;
	bool json, strict, verbose;
};

struct counts {
	uint64_t received, match, duplicate, encrypted, tampered, mismatch;
	uint64_t missing, tap_plain, tap_wire, tap_other;
};

struct receiver {
	struct recv_opts o;
	struct pkt_index ix;
	uint8_t *seen;		/* per packet: bit 0 plain, bit 1 wire */
	struct counts n;
	EVP_MD_CTX *digest;
	int fd, tap_fd;
};

enum { O_LISTEN = 1, O_PORT, O_IFACE, O_TIMEOUT, O_IDLE, O_EXPECT, O_READY,
	O_TAP, O_STRICT };

static const struct option recv_long_opts[] = {
	{ "listen", required_argument, NULL, O_LISTEN },
	{ "port", required_argument, NULL, O_PORT },
	{ "iface", required_argument, NULL, O_IFACE },
	{ "timeout", required_argument, NULL, O_TIMEOUT },
	{ "idle", required_argument, NULL, O_IDLE },
	{ "expect", required_argument, NULL, O_EXPECT },
	{ "ready-file", required_argument, NULL, O_READY },
	{ "tap", required_argument, NULL, O_TAP },
	{ "strict", no_argument, NULL, O_STRICT },
	{ "json", no_argument, NULL, 'j' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: srtp-recv --listen ADDR [--port N] [options] --key HEX --salt HEX\n"
"\n"
"Receive UDP datagrams on ADDR:N (a multicast ADDR is joined) and classify\n"
"each against the stream that srtp-send builds from the same stream\n"
"options: \"match\" = exactly the original plaintext packet (first time),\n"
"\"duplicate\" = a plaintext already received, \"encrypted\" = exactly the\n"
"SRTP packet as sent (not decrypted), \"tampered\" = a tampered packet as\n"
"sent, \"mismatch\" = anything else.  \"missing\" counts stream packets that\n"
"did not arrive in any form.  The digest is SHA-256 over the datagrams in\n"
"arrival order.  Exit status 1 on any mismatch (or, with --strict, unless\n"
"every packet matched exactly once and nothing else arrived).\n"
"\n"
"Receiving:\n"
"  --listen ADDR        local or multicast address to bind (0.0.0.0, ::)\n"
"  --port N             UDP port (default 5004)\n"
"  --iface IF           interface for the multicast join\n"
"  --timeout SEC        give up after SEC seconds (default 30)\n"
"  --idle MS            stop MS ms after the last datagram (default 2000)\n"
"  --expect N           stop after N datagrams (default: --count)\n"
"                       SIGUSR1: stop once nothing arrived for %d ms (the\n"
"                       caller knows by other means that all was sent)\n"
"  --ready-file FILE    create FILE once the socket is bound\n"
"  --tap IF             also capture on IF with an AF_PACKET socket (this\n"
"                       makes received skbs shared/cloned) and count\n"
"                       whether the capture saw ciphertext or plaintext\n"
"  --strict             see above\n"
"  -j, --json           results as JSON on stdout\n"
"  -v, --verbose        show the first mismatching datagram\n"
"\n%s", STOP_IDLE_MS, stream_opts_help);
}

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void classify(struct receiver *r, const uint8_t *p, size_t len)
{
	uint64_t i;
	char hex[129];

	r->n.received++;
	EVP_DigestUpdate(r->digest, p, len);
	switch (pkt_index_find(&r->ix, p, len, &i)) {
	case PKT_PLAIN:
		if (r->seen[i] & 1)
			r->n.duplicate++;
		else
			r->n.match++;
		r->seen[i] |= 1;
		break;
	case PKT_WIRE:
		if (r->ix.rec[i].tampered)
			r->n.tampered++;
		else
			r->n.encrypted++;
		r->seen[i] |= 2;
		break;
	case PKT_NONE:
		if (r->o.verbose && !r->n.mismatch) {
			hex_encode(p, len < 64 ? len : 64, hex);
			fprintf(stderr, "srtp-recv: first mismatch, %zu bytes: %s%s\n",
				len, hex, len > 64 ? "..." : "");
		}
		r->n.mismatch++;
		break;
	}
}

/* The UDP payload of an L3 packet captured on the tap, if it is ours. */
static const uint8_t *tap_payload(const struct receiver *r, const uint8_t *p,
				  size_t len, unsigned int proto, size_t *plen)
{
	const struct udphdr *uh;
	size_t off;

	if (proto == ETH_P_IP && len >= sizeof(struct iphdr)) {
		const struct iphdr *ih = (const void *)p;

		if (ih->protocol != IPPROTO_UDP)
			return NULL;
		off = ih->ihl * 4;
	} else if (proto == ETH_P_IPV6 && len >= sizeof(struct ip6_hdr)) {
		const struct ip6_hdr *ih = (const void *)p;

		if (ih->ip6_nxt != IPPROTO_UDP)
			return NULL;
		off = sizeof(*ih);
	} else {
		return NULL;
	}
	if (len < off + sizeof(*uh))
		return NULL;
	uh = (const void *)(p + off);
	if (ntohs(uh->uh_dport) != r->o.port)
		return NULL;
	*plen = len - off - sizeof(*uh);
	return p + off + sizeof(*uh);
}

static void tap_drain(struct receiver *r)
{
	static uint8_t buf[65536];
	struct sockaddr_ll sll;
	socklen_t sl = sizeof(sll);
	const uint8_t *pl;
	ssize_t n;
	size_t plen;
	uint64_t i;

	while ((n = recvfrom(r->tap_fd, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&sll, &sl)) >= 0) {
		sl = sizeof(sll);
		if (sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		pl = tap_payload(r, buf, n, ntohs(sll.sll_protocol), &plen);
		if (!pl)
			continue;
		switch (pkt_index_find(&r->ix, pl, plen, &i)) {
		case PKT_PLAIN: r->n.tap_plain++; break;
		case PKT_WIRE: r->n.tap_wire++; break;
		case PKT_NONE: r->n.tap_other++; break;
		}
	}
}

static int tap_open(const char *ifname, char *err, size_t errlen)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL) };
	int fd, buf = 64 << 20;

	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex) {
		snprintf(err, errlen, "--tap: no interface '%s'", ifname);
		return -1;
	}
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		snprintf(err, errlen, "--tap %s: %s", ifname, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf));
	return fd;
}

/* SIGUSR1: the caller saw everything delivered; finish what is queued. */
static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void loop(struct receiver *r)
{
	static uint8_t buf[65536];
	uint64_t start = now_ms(), last = 0, t, wait;
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
	ssize_t n;

	for (;;) {
		if (r->n.received >= r->o.expect)
			break;
		t = now_ms();
		if (stop_requested == 1) {
			stop_requested = 2;
			start = t;
			last = t;
			r->o.timeout_ms = 10 * STOP_IDLE_MS;
			if (r->o.idle_ms > STOP_IDLE_MS)
				r->o.idle_ms = STOP_IDLE_MS;
		}
		if (t - start >= r->o.timeout_ms)
			break;
		if (last && t - last >= r->o.idle_ms)
			break;
		wait = start + r->o.timeout_ms - t;
		if (last && last + r->o.idle_ms - t < wait)
			wait = last + r->o.idle_ms - t;
		if (poll(&pfd, 1, wait > 200 ? 200 : (int)wait) <= 0) {
			if (r->tap_fd >= 0)
				tap_drain(r);
			continue;
		}
		while ((n = recv(r->fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0) {
			classify(r, buf, n);
			last = now_ms();
			if (r->n.received >= r->o.expect)
				break;
		}
		if (r->tap_fd >= 0)
			tap_drain(r);
	}
	if (r->tap_fd >= 0)
		tap_drain(r);
}

static void report(struct receiver *r, const struct stream_cfg *c)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	const struct counts *n = &r->n;
	struct json j;
	uint64_t i;

	for (i = 0; i < c->count; i++)
		r->n.missing += !r->seen[i];
	EVP_DigestFinal_ex(r->digest, md, &mdlen);
	hex_encode(md, mdlen, hex);
	if (!r->o.json) {
		printf("srtp-recv: received %llu match %llu duplicate %llu encrypted %llu tampered %llu mismatch %llu missing %llu",
		       (unsigned long long)n->received, (unsigned long long)n->match,
		       (unsigned long long)n->duplicate, (unsigned long long)n->encrypted,
		       (unsigned long long)n->tampered, (unsigned long long)n->mismatch,
		       (unsigned long long)n->missing);
		if (r->tap_fd >= 0)
			printf(" tap_plain %llu tap_wire %llu tap_other %llu",
			       (unsigned long long)n->tap_plain,
			       (unsigned long long)n->tap_wire,
			       (unsigned long long)n->tap_other);
		printf(" digest %s\n", hex);
		return;
	}
	json_init(&j, stdout, false);
	json_obj_begin(&j);
	json_kv_u64(&j, "packets", c->count);
	json_kv_u64(&j, "received", n->received);
	json_kv_u64(&j, "match", n->match);
	json_kv_u64(&j, "duplicate", n->duplicate);
	json_kv_u64(&j, "encrypted", n->encrypted);
	json_kv_u64(&j, "tampered", n->tampered);
	json_kv_u64(&j, "mismatch", n->mismatch);
	json_kv_u64(&j, "missing", n->missing);
	if (r->tap_fd >= 0) {
		json_kv_u64(&j, "tap_plain", n->tap_plain);
		json_kv_u64(&j, "tap_wire", n->tap_wire);
		json_kv_u64(&j, "tap_other", n->tap_other);
	}
	json_kv_str(&j, "digest", hex);
	json_obj_end(&j);
	json_finish(&j);
}

/* The receiver's own options; --expect is remembered for parse(). */
struct recv_parse {
	struct recv_opts *o;
	bool have_expect;
};

static int recv_opt(void *ctx, int opt, const char *arg, char *err, size_t errlen)
{
	struct recv_parse *p = ctx;
	struct recv_opts *o = p->o;
	uint64_t v;

	switch (opt) {
	case O_LISTEN: o->listen = arg; return 0;
	case O_IFACE: o->ifname = arg; return 0;
	case O_READY: o->ready_file = arg; return 0;
	case O_TAP: o->tap = arg; return 0;
	case O_STRICT: o->strict = true; return 0;
	case 'j': o->json = true; return 0;
	case 'v': o->verbose = true; return 0;
	case 'h': usage(stdout); exit(0);
	case O_PORT:
		if (parse_u64(arg, 65535, &v, err, errlen))
			return -1;
		o->port = v;
		return 0;
	case O_TIMEOUT:
		if (parse_u64(arg, 86400, &v, err, errlen))
			return -1;
		o->timeout_ms = v * 1000;
		return 0;
	case O_IDLE:
		return parse_u64(arg, 86400000, &o->idle_ms, err, errlen) ? -1 : 0;
	case O_EXPECT:
		p->have_expect = true;
		return parse_u64(arg, UINT64_MAX, &o->expect, err, errlen) ? -1 : 0;
	default:
		usage(stderr);
		return 1;
	}
}

static int parse(int argc, char **argv, struct recv_opts *o, struct stream_cfg *c)
{
	struct recv_parse p = { .o = o };

	if (stream_parse_args("srtp-recv", argc, argv, "jvh", recv_long_opts,
			      c, recv_opt, &p))
		return -1;
	if (!o->listen) {
		fprintf(stderr, "srtp-recv: --listen ADDR is required\n");
		return -1;
	}
	if (!p.have_expect)
		o->expect = c->count;
	return 0;
}

static int ready(const char *path)
{
	int fd;

	if (!path)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "srtp-recv: cannot create '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct receiver r = {
		.o = { .port = 5004, .timeout_ms = 30000, .idle_ms = 2000 },
		.fd = -1, .tap_fd = -1,
	};
	struct sockaddr_storage local;
	struct stream_cfg cfg;
	struct stream *st = NULL;
	socklen_t llen;
	char err[256];
	int ret = 1;

	stream_cfg_defaults(&cfg);
	if (parse(argc, argv, &r.o, &cfg))
		goto out;
	st = stream_new(&cfg, err, sizeof(err));
	secure_zero(cfg.key, sizeof(cfg.key));
	if (!st || pkt_index_build(&r.ix, st, cfg.count, err, sizeof(err))) {
		fprintf(stderr, "srtp-recv: %s\n", err);
		goto out;
	}
	r.seen = calloc(cfg.count ? cfg.count : 1, 1);
	r.digest = EVP_MD_CTX_new();
	if (!r.seen || !r.digest || !EVP_DigestInit_ex(r.digest, EVP_sha256(), NULL)) {
		fprintf(stderr, "srtp-recv: out of memory\n");
		goto out;
	}
	if (net_parse_addr(r.o.listen, r.o.port, &local, &llen, err, sizeof(err)) ||
	    (r.fd = net_receiver(&local, llen, r.o.ifname, err, sizeof(err))) < 0 ||
	    (r.o.tap && (r.tap_fd = tap_open(r.o.tap, err, sizeof(err))) < 0)) {
		fprintf(stderr, "srtp-recv: %s\n", err);
		goto out;
	}
	{
		/* no SA_RESTART: poll() returns at once on SIGUSR1 */
		struct sigaction sa = { .sa_handler = on_stop };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGUSR1, &sa, NULL);
	}
	if (ready(r.o.ready_file))
		goto out;
	loop(&r);
	report(&r, &cfg);
	ret = r.n.mismatch ? 1 : 0;
	if (r.o.strict && (r.n.match != cfg.count || r.n.received != cfg.count))
		ret = 1;
out:
	if (r.fd >= 0)
		close(r.fd);
	if (r.tap_fd >= 0)
		close(r.tap_fd);
	EVP_MD_CTX_free(r.digest);
	free(r.seen);
	pkt_index_free(&r.ix);
	stream_free(st);
	return ret;
}
