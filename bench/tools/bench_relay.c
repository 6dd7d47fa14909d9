// SPDX-License-Identifier: GPL-2.0
/*
 * bench-relay: the userspace alternative to the module, built the way a
 * libsrtp2 relay would be: recvmmsg() a batch of SRTP packets,
 * srtp_unprotect_mki() each in place, sendmmsg() the plain RTP on to
 * --forward.  Same keys and MKI as the stream options of srtp-send.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <srtp2/srtp.h>

#include "mbms/common.h"
#include "bench_util.h"
#include "net_util.h"
#include "bench_stream.h"

#define BATCH 64
#define DGRAM_MAX 2048

enum { O_LISTEN = 1, O_PORT, O_FWD, O_FPORT, O_EXPECT, O_IDLE, O_READY };

static const struct option relay_opts[] = {
	{ "listen", required_argument, NULL, O_LISTEN },
	{ "port", required_argument, NULL, O_PORT },
	{ "forward", required_argument, NULL, O_FWD },
	{ "forward-port", required_argument, NULL, O_FPORT },
	{ "expect", required_argument, NULL, O_EXPECT },
	{ "idle", required_argument, NULL, O_IDLE },
	{ "ready-file", required_argument, NULL, O_READY },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: bench-relay --listen ADDR [--port N] --forward ADDR --forward-port N\n"
"                   --expect N [--idle MS] [--ready-file F] STREAM OPTIONS\n"
"\n"
"Unprotect SRTP with libsrtp2 and forward the RTP, until N packets came\n"
"in or none for MS milliseconds (default 2000).  Prints one JSON line.\n"
"\n%s", stream_opts_help);
}

static int make_ctx(const struct stream_cfg *c, srtp_t *ctx)
{
	uint8_t keybuf[STREAM_KEY_LEN + STREAM_SALT_LEN];
	const struct stream_key *k = &c->key[0];
	uint8_t full[STREAM_MKI_MAX] = {
		k->msk_id >> 24, k->msk_id >> 16, k->msk_id >> 8, k->msk_id,
		k->mtk_id >> 8, k->mtk_id,
	};
	srtp_master_key_t mk, *mkp = &mk;
	srtp_policy_t pol;
	int st;

	if (!k->have_key || !k->have_salt) {
		fprintf(stderr, "bench-relay: --key and --salt are required\n");
		return -1;
	}
	st = srtp_init();
	if (st) {
		fprintf(stderr, "bench-relay: srtp_init failed (error %d)\n", st);
		return -1;
	}
	memset(&pol, 0, sizeof(pol));
	if (c->suite == SUITE_AES_CM_128_HMAC_SHA1_32)
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&pol.rtp);
	else
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtp);
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtcp);
	pol.ssrc.type = ssrc_any_inbound;
	pol.window_size = 1024;
	memcpy(keybuf, k->key, STREAM_KEY_LEN);
	memcpy(keybuf + STREAM_KEY_LEN, k->salt, STREAM_SALT_LEN);
	mk.key = keybuf;
	mk.mki_id = full + STREAM_MKI_MAX - c->mki_len;
	mk.mki_size = c->mki_len;
	if (c->mki_len) {
		pol.keys = &mkp;
		pol.num_master_keys = 1;
	} else {
		pol.key = keybuf;
	}
	st = srtp_create(ctx, &pol);
	secure_zero(keybuf, sizeof(keybuf));
	if (st) {
		fprintf(stderr, "bench-relay: srtp_create failed (error %d)\n", st);
		return -1;
	}
	return 0;
}

struct relay {
	srtp_t ctx;
	int in, out;
	unsigned int use_mki;
	struct sockaddr_storage fwd;
	socklen_t flen;
	uint64_t received, forwarded, failed;
};

/* One batch in, unprotected, out.  Returns packets read, or -1. */
static int relay_batch(struct relay *r)
{
	static uint8_t buf[BATCH][DGRAM_MAX];
	static struct mmsghdr in[BATCH], out[BATCH];
	static struct iovec iin[BATCH], iout[BATCH];
	int i, n, len, k = 0, sent;

	for (i = 0; i < BATCH; i++) {
		iin[i].iov_base = buf[i];
		iin[i].iov_len = DGRAM_MAX;
		memset(&in[i].msg_hdr, 0, sizeof(in[i].msg_hdr));
		in[i].msg_hdr.msg_iov = &iin[i];
		in[i].msg_hdr.msg_iovlen = 1;
	}
	n = recvmmsg(r->in, in, BATCH, MSG_DONTWAIT, NULL);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	for (i = 0; i < n; i++) {
		len = in[i].msg_len;
		if (srtp_unprotect_mki(r->ctx, buf[i], &len, r->use_mki)) {
			r->failed++;
			continue;
		}
		iout[k].iov_base = buf[i];
		iout[k].iov_len = len;
		memset(&out[k].msg_hdr, 0, sizeof(out[k].msg_hdr));
		out[k].msg_hdr.msg_name = &r->fwd;
		out[k].msg_hdr.msg_namelen = r->flen;
		out[k].msg_hdr.msg_iov = &iout[k];
		out[k].msg_hdr.msg_iovlen = 1;
		k++;
	}
	for (i = 0; i < k; i += sent) {
		sent = sendmmsg(r->out, out + i, k - i, 0);
		if (sent < 0) {
			if (errno != ENOBUFS && errno != EAGAIN)
				return -1;
			usleep(100);
			sent = 0;
		}
		r->forwarded += sent;
	}
	r->received += n;
	return n;
}

struct relay_args {
	const char *listen, *fwd, *ready;
	unsigned int port, fport, idle_ms;
	uint64_t expect;
};

static int relay_opt(int opt, const char *arg, void *ctx)
{
	struct relay_args *a = ctx;

	switch (opt) {
	case O_LISTEN:
		a->listen = arg;
		break;
	case O_PORT:
		a->port = opt_u64("bench-relay", "--port", arg, 65535);
		break;
	case O_FWD:
		a->fwd = arg;
		break;
	case O_FPORT:
		a->fport = opt_u64("bench-relay", "--forward-port", arg, 65535);
		break;
	case O_EXPECT:
		a->expect = opt_u64("bench-relay", "--expect", arg, UINT64_MAX);
		break;
	case O_IDLE:
		a->idle_ms = opt_u64("bench-relay", "--idle", arg, 600000);
		break;
	case O_READY:
		a->ready = arg;
		break;
	default:
		usage(stderr);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct relay_args a = { .port = 5004, .idle_ms = 2000 };
	struct sockaddr_storage ss;
	struct relay r = { 0 };
	struct stream_cfg c;
	struct pollfd pfd;
	char err[256];
	socklen_t sl;
	int n, rc;

	rc = bench_parse_opts("bench-relay", argc, argv, relay_opts, &c,
			      relay_opt, &a, usage);
	if (rc >= 0)
		return rc;
	rc = 1;
	if (!a.listen || !a.fwd || !a.fport || !a.expect || optind != argc) {
		usage(stderr);
		return 1;
	}
	if (net_parse_addr(a.listen, a.port, &ss, &sl, err, sizeof(err)) ||
	    net_parse_addr(a.fwd, a.fport, &r.fwd, &r.flen, err, sizeof(err))) {
		fprintf(stderr, "bench-relay: %s\n", err);
		return 1;
	}
	r.in = net_receiver(&ss, sl, NULL, err, sizeof(err));
	if (r.in >= 0)
		r.out = net_sender(&r.fwd, NULL, 1, err, sizeof(err));
	if (r.in < 0 || r.out < 0) {
		fprintf(stderr, "bench-relay: %s\n", err);
		return 1;
	}
	r.use_mki = c.mki_len > 0;
	n = make_ctx(&c, &r.ctx);
	secure_zero(c.key, sizeof(c.key));
	if (n)
		goto out;
	if (a.ready) {
		FILE *f = fopen(a.ready, "w");

		if (!f || fclose(f)) {
			fprintf(stderr, "bench-relay: %s: %s\n", a.ready, strerror(errno));
			goto out;
		}
	}

	pfd.fd = r.in;
	pfd.events = POLLIN;
	while (r.received < a.expect) {
		n = poll(&pfd, 1, r.received ? (int)a.idle_ms : 60000);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			break;
		}
		while ((n = relay_batch(&r)) > 0 && r.received < a.expect)
			;
		if (n < 0) {
			fprintf(stderr, "bench-relay: %s\n", strerror(errno));
			goto out;
		}
	}
	printf("{\"received\":%llu,\"forwarded\":%llu,\"failed\":%llu}\n",
	       (unsigned long long)r.received, (unsigned long long)r.forwarded,
	       (unsigned long long)r.failed);
	rc = 0;
out:
	if (r.ctx)
		srtp_dealloc(r.ctx);
	close(r.in);
	close(r.out);
	return rc;
}
