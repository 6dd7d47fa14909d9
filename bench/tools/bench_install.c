// SPDX-License-Identifier: GPL-2.0
/*
 * bench-install: install many sessions, flows and keys fast, through one
 * libmbmsnl handle (one netlink socket, one request per object) instead
 * of one mbmsctl process per object.  Session i (from --first-id) gets
 * the flow dst = --dst-base + i, dport --dport; the first --keys sessions
 * also get one key.  The flows never match the benchmark's traffic: they
 * are there to fill the tables.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mbms/common.h"
#include "mbms/nl.h"
#include "bench_util.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: bench-install -n SESSIONS [-k KEYS] [-i FIRST_ID] [-b DST_BASE]\n"
"                     [-p DPORT] [-w sessions|flows|keys]\n"
"\n"
"Install SESSIONS sessions with one flow each (dst DST_BASE + i, default\n"
"10.128.0.0, port DPORT, default 5004) and one key on the first KEYS of\n"
"them (default 0).  -w does one of the three steps only, so that memory\n"
"can be measured per kind of object.  Bench keys only.  Prints one JSON\n"
"line.\n");
}

/* Report the handle's last error, close it, and return the exit status. */
static int fail(struct mbms_nl *nl, const char *what, uint64_t i)
{
	const struct mbms_nl_err *e = mbms_nl_last_error(nl);

	fprintf(stderr, "bench-install: %s %llu: %s%s%s\n", what,
		(unsigned long long)i, strerror(-e->code),
		e->msg[0] ? ": " : "", e->msg);
	mbms_nl_close(nl);
	return 1;
}

int main(int argc, char **argv)
{
	uint64_t n = 0, nkeys = 0, first = 1000000, i, t0, ts, tf, tk;
	unsigned int dport = 5004;
	struct in_addr base = { htonl(0x0a800000) };
	struct mbms_session s;
	struct mbms_flow f;
	struct mbms_key k;
	struct mbms_nl_err e;
	struct mbms_nl *nl;
	bool do_s = true, do_f = true, do_k = true;
	int opt;

	while ((opt = getopt(argc, argv, "n:k:i:b:p:w:h")) != -1) {
		switch (opt) {
		case 'n':
			n = opt_u64("bench-install", "-n", optarg, 1 << 24);
			break;
		case 'k':
			nkeys = opt_u64("bench-install", "-k", optarg, 1 << 24);
			break;
		case 'i':
			first = opt_u64("bench-install", "-i", optarg, UINT32_MAX);
			break;
		case 'b':
			if (inet_pton(AF_INET, optarg, &base) != 1) {
				fprintf(stderr, "bench-install: -b: not an IPv4 address: %s\n",
					optarg);
				return 1;
			}
			break;
		case 'p':
			dport = opt_u64("bench-install", "-p", optarg, 65535);
			break;
		case 'w':
			do_s = !strcmp(optarg, "sessions");
			do_f = !strcmp(optarg, "flows");
			do_k = !strcmp(optarg, "keys");
			if (!do_s && !do_f && !do_k) {
				fprintf(stderr, "bench-install: -w: expected sessions, flows or keys, got '%s'\n",
					optarg);
				return 1;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (!n || nkeys > n || !first || first + n - 1 > UINT32_MAX || !dport) {
		usage(stderr);
		return 1;
	}
	nl = mbms_nl_open(&e);
	if (!nl) {
		fprintf(stderr, "bench-install: %s\n", e.msg[0] ? e.msg : strerror(-e.code));
		return 1;
	}

	t0 = now_ns();
	for (i = 0; do_s && i < n; i++) {
		memset(&s, 0, sizeof(s));
		s.id = first + i;
		if (mbms_nl_session_add(nl, &s) < 0)
			return fail(nl, "session", s.id);
	}
	ts = now_ns();
	for (i = 0; do_f && i < n; i++) {
		memset(&f, 0, sizeof(f));
		f.session_id = first + i;
		f.dst.family = AF_INET;
		f.dst.v4.s_addr = htonl(ntohl(base.s_addr) + i);
		f.dport = dport;
		if (mbms_nl_flow_add(nl, &f) < 0)
			return fail(nl, "flow of session", first + i);
	}
	tf = now_ns();
	memset(&k, 0, sizeof(k));
	for (i = 0; do_k && i < nkeys; i++) {
		memset(&k, 0, sizeof(k));
		k.session_id = first + i;
		k.msk_id = 0x00010002;
		k.mtk_id = 1;
		memset(k.master, 0x5a, sizeof(k.master));
		memset(k.salt, 0xa5, sizeof(k.salt));
		k.master[0] = i;
		if (mbms_nl_key_add(nl, &k) < 0) {
			mbms_key_wipe(&k);
			return fail(nl, "key of session", first + i);
		}
	}
	mbms_key_wipe(&k);
	tk = now_ns();
	printf("{\"sessions\":%llu,\"flows\":%llu,\"keys\":%llu,"
	       "\"session_ns\":%llu,\"flow_ns\":%llu,\"key_ns\":%llu}\n",
	       (unsigned long long)(do_s ? n : 0),
	       (unsigned long long)(do_f ? n : 0),
	       (unsigned long long)(do_k ? nkeys : 0), (unsigned long long)(ts - t0),
	       (unsigned long long)(tf - ts), (unsigned long long)(tk - tf));
	mbms_nl_close(nl);
	return 0;
}
