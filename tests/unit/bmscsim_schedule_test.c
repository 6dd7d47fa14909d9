// SPDX-License-Identifier: GPL-2.0
/*
 * bmsc-sim: the scenario timeline (MTK use windows, MTK message times and
 * repeats, MSK rollover placement and delivery, the key in use at any
 * instant, faults, limits) and the option parsers for times and faults.
 */
#include <stdlib.h>

#include "options.h"
#include "schedule.h"
#include "test.h"

static struct sched_cfg base(void)
{
	return (struct sched_cfg){
		.duration_ms = 30000,
		.start_ms = 2000,
		.mtk_period_ms = 10000,
		.mtk_delta_ms = 1000,
		.mtk_repeat_ms = 2000,
		.msk_lead_ms = 2000,
	};
}

static size_t count_kind(const struct sched *s, enum sched_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < s->n_ev; i++)
		n += s->ev[i].kind == k;
	return n;
}

/* The times of the MTK messages for (msk, mtk_id), in order. */
static size_t mtk_times(const struct sched *s, uint16_t msk, uint16_t id,
			uint64_t *t, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < s->n_ev && n < max; i++)
		if (s->ev[i].kind == SCHED_MTK && s->ev[i].msk == msk &&
		    s->ev[i].mtk_id == id)
			t[n++] = s->ev[i].t_ms;
	return n;
}

static void test_basic(void)
{
	struct sched_cfg c = base();
	struct sched s;
	uint16_t msk, id;
	uint64_t t[16];
	char err[256];
	size_t i;

	CHECK(sched_build(&c, &s, err, sizeof(err)) == 0);
	CHECK(s.n_mtks == 3 && s.n_msks == 1);
	/* Sorted, and the run ends with SCHED_END at the duration. */
	for (i = 1; i < s.n_ev; i++)
		CHECK(s.ev[i - 1].t_ms <= s.ev[i].t_ms);
	CHECK(s.ev[s.n_ev - 1].kind == SCHED_END &&
	      s.ev[s.n_ev - 1].t_ms == 30000);
	/* MSK 0 becomes current, then is pushed, both at 0, in that order. */
	CHECK(s.ev[0].kind == SCHED_MSK_NEW && s.ev[0].t_ms == 0);
	CHECK(s.ev[1].kind == SCHED_MSK_PUSH && s.ev[1].t_ms == 0);
	/* MTK 1: delta before use (2000), every 2 s while pending or in use. */
	CHECK(mtk_times(&s, 0, 1, t, 16) == 6);
	CHECK(t[0] == 1000 && t[1] == 3000 && t[5] == 11000);
	CHECK(mtk_times(&s, 0, 2, t, 16) == 6);
	CHECK(t[0] == 11000 && t[5] == 21000);
	/* The last MTK's repeats stop at the end of the run. */
	CHECK(mtk_times(&s, 0, 3, t, 16) == 5);
	CHECK(t[0] == 21000 && t[4] == 29000);
	/* Only the first message of each MTK is not a repeat. */
	for (i = 0; i < s.n_ev; i++) {
		const struct sched_event *e = &s.ev[i];

		if (e->kind != SCHED_MTK)
			continue;
		CHECK(mtk_times(&s, e->msk, e->mtk_id, t, 16) > 0);
		CHECK(e->repeat == (e->t_ms != t[0]));
	}
	/* The key at each instant switches exactly at the boundaries. */
	CHECK(!sched_key_at(&s, 1999, &msk, &id));
	CHECK(sched_key_at(&s, 2000, &msk, &id) && msk == 0 && id == 1);
	CHECK(sched_key_at(&s, 11999, &msk, &id) && id == 1);
	CHECK(sched_key_at(&s, 12000, &msk, &id) && id == 2);
	CHECK(sched_key_at(&s, 29999, &msk, &id) && id == 3);
	CHECK(!sched_key_at(&s, 30000, &msk, &id));
	CHECK(sched_last_mtk_id(&s, 0) == 3);
	CHECK(sched_mtk_use_ms(&s, 2) == 22000);
	sched_free(&s);
}

static void test_repeat_once(void)
{
	struct sched_cfg c = base();
	struct sched s;
	char err[256];

	c.mtk_repeat_ms = 0;
	CHECK(sched_build(&c, &s, err, sizeof(err)) == 0);
	CHECK(count_kind(&s, SCHED_MTK) == 3);
	sched_free(&s);
}

static void test_rollover(void)
{
	static const enum msk_delivery modes[] = {
		MSK_DELIVER_PUSH, MSK_DELIVER_PULL, MSK_DELIVER_NONE };
	struct sched_cfg c = base();
	struct sched s;
	uint16_t msk, id;
	uint64_t t[16];
	char err[256];
	size_t i, m;

	c.duration_ms = 60000;
	c.rollover_ms[0] = 15000;	/* next boundary: MTK 2 at 22000 */
	c.rollover_ms[1] = 42000;	/* exactly a boundary: MTK 4 */
	c.n_rollovers = 2;
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		c.rollover_delivery = modes[m];
		CHECK(sched_build(&c, &s, err, sizeof(err)) == 0);
		CHECK(s.n_msks == 3 && s.n_mtks == 6);
		CHECK(s.first_mtk[1] == 2 && s.first_mtk[2] == 4);
		CHECK(sched_key_at(&s, 21999, &msk, &id) && msk == 0 && id == 2);
		CHECK(sched_key_at(&s, 22000, &msk, &id) && msk == 1 && id == 1);
		CHECK(sched_key_at(&s, 41999, &msk, &id) && msk == 1 && id == 2);
		CHECK(sched_key_at(&s, 42000, &msk, &id) && msk == 2 && id == 1);
		CHECK(sched_last_mtk_id(&s, 0) == 2);
		CHECK(sched_last_mtk_id(&s, 2) == 2);
		/* The first MTK message under MSK 1 goes out at 21000 ... */
		CHECK(mtk_times(&s, 1, 1, t, 16) >= 1 && t[0] == 21000);
		/* ... so MSK 1 is current (and delivered) lead earlier. */
		for (i = 0; i < s.n_ev; i++) {
			const struct sched_event *e = &s.ev[i];

			if (e->kind == SCHED_MSK_NEW && e->msk == 1)
				CHECK(e->t_ms == 19000);
			if (e->kind == SCHED_MSK_PUSH && e->msk == 1)
				CHECK(e->t_ms == 19000 &&
				      modes[m] == MSK_DELIVER_PUSH);
			if (e->kind == SCHED_PULL)
				CHECK(modes[m] == MSK_DELIVER_PULL &&
				      (e->t_ms == 19000 || e->t_ms == 39000));
		}
		CHECK(count_kind(&s, SCHED_MSK_NEW) == 3);
		CHECK(count_kind(&s, SCHED_MSK_PUSH) ==
		      (modes[m] == MSK_DELIVER_PUSH ? 3 : 1));
		CHECK(count_kind(&s, SCHED_PULL) ==
		      (modes[m] == MSK_DELIVER_PULL ? 2 : 0));
		sched_free(&s);
	}
}

static void test_faults_and_pulls(void)
{
	struct sched_cfg c = base();
	struct sched s;
	char err[256];
	size_t i, seen = 0;

	c.pull_ms[0] = 5000;
	c.n_pulls = 1;
	c.faults[0] = (struct sched_fault){ .kind = FAULT_HTTP_503,
					    .at_ms = 4000, .until_ms = 40000 };
	c.faults[1] = (struct sched_fault){ .kind = FAULT_MTK_REPLAY,
					    .at_ms = 8000 };
	c.n_faults = 2;
	CHECK(sched_build(&c, &s, err, sizeof(err)) == 0);
	for (i = 0; i < s.n_ev; i++) {
		const struct sched_event *e = &s.ev[i];

		if (e->kind == SCHED_PULL)
			CHECK(e->t_ms == 5000 && ++seen);
		if (e->kind == SCHED_FAULT)
			CHECK((e->fault == 0 && e->t_ms == 4000) ||
			      (e->fault == 1 && e->t_ms == 8000));
		/* A window past the end is cut at the end of the run. */
		if (e->kind == SCHED_FAULT_END)
			CHECK(e->fault == 0 && e->t_ms == 30000 &&
			      i == s.n_ev - 2);
	}
	CHECK(seen == 1);
	CHECK(count_kind(&s, SCHED_FAULT_END) == 1);
	sched_free(&s);
}

/* Back-to-back outages: the first ends before the second begins. */
static void test_outage_order(void)
{
	struct sched_cfg c = base();
	struct sched s;
	char err[256];
	size_t i, end0 = 0, begin1 = 0;

	c.faults[0] = (struct sched_fault){ .kind = FAULT_HTTP_503,
					    .at_ms = 1000, .until_ms = 5000 };
	c.faults[1] = (struct sched_fault){ .kind = FAULT_HTTP_REFUSE,
					    .at_ms = 5000, .until_ms = 9000 };
	c.n_faults = 2;
	CHECK(sched_build(&c, &s, err, sizeof(err)) == 0);
	for (i = 0; i < s.n_ev; i++) {
		if (s.ev[i].kind == SCHED_FAULT_END && s.ev[i].fault == 0)
			end0 = i;
		if (s.ev[i].kind == SCHED_FAULT && s.ev[i].fault == 1)
			begin1 = i;
	}
	CHECK(end0 && begin1 && end0 < begin1 &&
	      s.ev[end0].t_ms == s.ev[begin1].t_ms);
	sched_free(&s);
}

static void expect_err(struct sched_cfg c, const char *msg)
{
	struct sched s;
	char err[256] = "";

	CHECK(sched_build(&c, &s, err, sizeof(err)) == -1);
	CHECK(s.ev == NULL);
	if (!strstr(err, msg)) {
		test_failed++;
		fprintf(stderr, "schedule error '%s' lacks '%s'\n", err, msg);
	}
}

static void test_errors(void)
{
	struct sched_cfg c;

	c = base();
	c.mtk_delta_ms = 2001;
	expect_err(c, "before the simulator starts");
	c = base();
	c.mtk_period_ms = 0;
	expect_err(c, "MTK period");
	c = base();
	c.duration_ms = 0;
	expect_err(c, "duration");
	c = base();
	c.start_ms = 30000;
	expect_err(c, "stream start");
	c = base();
	c.rollover_ms[0] = 2000;
	c.n_rollovers = 1;
	expect_err(c, "not after the stream start");
	c = base();
	c.rollover_ms[0] = 25000;	/* boundary 32000: after the run */
	c.n_rollovers = 1;
	expect_err(c, "after the last MTK");
	c = base();
	c.rollover_ms[0] = 13000;
	c.rollover_ms[1] = 14000;	/* same boundary, 22000 */
	c.n_rollovers = 2;
	expect_err(c, "same MTK boundary");
	c = base();
	c.rollover_ms[0] = 14000;
	c.rollover_ms[1] = 13000;
	c.n_rollovers = 2;
	expect_err(c, "increasing");
	c = base();
	c.start_ms = 3000;
	c.msk_lead_ms = 100000;
	c.rollover_ms[0] = 4000;
	c.n_rollovers = 1;
	expect_err(c, "before the simulator starts");
	c = base();
	c.faults[0] = (struct sched_fault){ .kind = FAULT_HTTP_DROP,
					    .at_ms = 5000, .until_ms = 5000 };
	c.n_faults = 1;
	expect_err(c, "window");
	c = base();
	c.faults[0] = (struct sched_fault){ .kind = FAULT_MTK_REPLAY,
					    .at_ms = 30000 };
	c.n_faults = 1;
	expect_err(c, "after the end");
	c = base();
	c.pull_ms[0] = 31000;
	c.n_pulls = 1;
	expect_err(c, "after the end");
	/* 24 h of 1 s MTKs under one MSK: more than 65535 MTK IDs. */
	c = base();
	c.duration_ms = SCHED_MAX_DURATION_MS;
	c.mtk_period_ms = 1000;
	c.mtk_repeat_ms = 0;
	expect_err(c, "65534");
	/* TS 33.246 §6.3.3.1 / §6.4.5.1: MTK ID 0xffff (the maximum) is never
	 * used, so one MSK covers at most 65534 MTKs.
	 */
	c = base();
	c.mtk_period_ms = 1000;
	c.mtk_repeat_ms = 0;
	c.duration_ms = c.start_ms + 65535ull * 1000;
	expect_err(c, "65534");
	c.duration_ms = c.start_ms + 65534ull * 1000;
	{
		static struct sched s;
		char err[256];

		CHECK(sched_build(&c, &s, err, sizeof(err)) == 0);
		CHECK(sched_last_mtk_id(&s, 0) == 0xfffe);
		sched_free(&s);
	}
	/* Bounded event count. */
	c = base();
	c.duration_ms = 3600 * 1000;
	c.mtk_period_ms = 60000;
	c.mtk_repeat_ms = 10;
	expect_err(c, "more than 100000 events");
}

static void test_parse_time(void)
{
	char err[256];
	uint64_t ms;

	CHECK(parse_time_ms("10", &ms, err, sizeof(err)) == 0 && ms == 10000);
	CHECK(parse_time_ms("2s", &ms, err, sizeof(err)) == 0 && ms == 2000);
	CHECK(parse_time_ms("1.5", &ms, err, sizeof(err)) == 0 && ms == 1500);
	CHECK(parse_time_ms("0.001", &ms, err, sizeof(err)) == 0 && ms == 1);
	CHECK(parse_time_ms("250ms", &ms, err, sizeof(err)) == 0 && ms == 250);
	CHECK(parse_time_ms("0", &ms, err, sizeof(err)) == 0 && ms == 0);
	CHECK(parse_time_ms("86400", &ms, err, sizeof(err)) == 0 &&
	      ms == 86400000);
	CHECK(parse_time_ms("86401", &ms, err, sizeof(err)) == -1);
	CHECK(parse_time_ms("", &ms, err, sizeof(err)) == -1);
	CHECK(parse_time_ms("s", &ms, err, sizeof(err)) == -1);
	CHECK(parse_time_ms("ms", &ms, err, sizeof(err)) == -1);
	CHECK(parse_time_ms("1.", &ms, err, sizeof(err)) == -1);
	CHECK(parse_time_ms(".5", &ms, err, sizeof(err)) == -1);
	CHECK(parse_time_ms("1.2345", &ms, err, sizeof(err)) == -1);
	CHECK(parse_time_ms("1.5ms", &ms, err, sizeof(err)) == -1);
	CHECK(parse_time_ms("-1", &ms, err, sizeof(err)) == -1);
	CHECK(parse_time_ms("0x10", &ms, err, sizeof(err)) == -1);
	CHECK(parse_time_ms("1e3", &ms, err, sizeof(err)) == -1);
	CHECK(parse_time_ms("1.a", &ms, err, sizeof(err)) == -1);
	CHECK(strstr(err, "'1.a' is not a time") != NULL);
}

static void test_parse_fault(void)
{
	struct sched_fault f;
	char err[256];

	CHECK(parse_fault("http-503@5-15", &f, err, sizeof(err)) == 0);
	CHECK(f.kind == FAULT_HTTP_503 && f.at_ms == 5000 && f.until_ms == 15000);
	CHECK(parse_fault("srtp-unknown-msk@12x80", &f, err, sizeof(err)) == 0);
	CHECK(f.kind == FAULT_SRTP_UNKNOWN_MSK && f.at_ms == 12000 &&
	      f.count == 80);
	CHECK(parse_fault("srtp-unknown-msk@1.5", &f, err, sizeof(err)) == 0);
	CHECK(f.count == 50 && f.at_ms == 1500);
	CHECK(parse_fault("mtk-replay@800ms", &f, err, sizeof(err)) == 0);
	CHECK(f.kind == FAULT_MTK_REPLAY && f.at_ms == 800);
	CHECK(parse_fault("nosuch@1", &f, err, sizeof(err)) == -1);
	CHECK(strstr(err, "unknown fault 'nosuch'") != NULL);
	CHECK(parse_fault("http-drop@5", &f, err, sizeof(err)) == -1);
	CHECK(parse_fault("mtk-replay@5-6", &f, err, sizeof(err)) == -1);
	CHECK(parse_fault("mtk-replay@5x3", &f, err, sizeof(err)) == -1);
	CHECK(parse_fault("srtp-unknown-msk@5x0", &f, err, sizeof(err)) == -1);
	CHECK(parse_fault("mtk-replay", &f, err, sizeof(err)) == -1);
	CHECK(parse_fault("mtk-replay@", &f, err, sizeof(err)) == -1);
	CHECK(parse_fault("http-refuse@a-b", &f, err, sizeof(err)) == -1);
	CHECK(fault_parse(fault_name(FAULT_PULL_EXPIRED)) == FAULT_PULL_EXPIRED);
	CHECK(msk_delivery_parse("pull") == MSK_DELIVER_PULL);
	CHECK(msk_delivery_parse("pulled") == -1);
}

static void test_parse_addr(void)
{
	struct sockaddr_in a;
	char err[256];

	CHECK(parse_addr("239.1.2.3:5004", 0, true, &a, err, sizeof(err)) == 0);
	CHECK(ntohs(a.sin_port) == 5004 &&
	      ntohl(a.sin_addr.s_addr) == 0xef010203);
	CHECK(parse_addr("10.0.0.1", 2269, false, &a, err, sizeof(err)) == 0);
	CHECK(ntohs(a.sin_port) == 2269);
	CHECK(parse_addr("10.0.0.1", 0, true, &a, err, sizeof(err)) == -1);
	CHECK(parse_addr("10.0.0.1:70000", 0, true, &a, err, sizeof(err)) == -1);
	CHECK(parse_addr("host:1", 0, true, &a, err, sizeof(err)) == -1);
	CHECK(parse_addr("127.0.0.1:0", 0, true, &a, err, sizeof(err)) == 0);
}

static int parse_argv(struct cli *cli, const char *line)
{
	char buf[512], *argv[32], *save = NULL, *tok;
	int argc = 0;

	snprintf(buf, sizeof(buf), "bmsc-sim %s", line);
	for (tok = strtok_r(buf, " ", &save); tok && argc < 31;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return options_parse(argc, argv, cli);
}

static void test_options(void)
{
	static struct cli cli;

	/* Defaults, and the MTK destination following the stream. */
	CHECK(parse_argv(&cli, "--stream 239.1.1.1:5004") == 0);
	CHECK(cli.o.key_group == 1 && cli.o.first_key_number == 1);
	CHECK(cli.o.sched.duration_ms == 30000 && cli.o.tag_len == 10);
	CHECK(cli.o.have_mtk_dest && ntohs(cli.o.mtk_dest.sin_port) == 2269 &&
	      cli.o.mtk_dest.sin_addr.s_addr == cli.o.stream.sin_addr.s_addr);
	CHECK(parse_argv(&cli, "--ue 10.0.0.2 --gba-file /x --ue 10.0.0.3:9 "
			 "--gba-cmd true --msk-rollover 12 --msk-rollover 25 "
			 "--msk-delivery none --tag-len 4") == 0);
	CHECK(cli.n_ue == 2 && !strcmp(cli.ue[0].gba_file, "/x") &&
	      !strcmp(cli.ue[1].gba_cmd, "true") && !cli.ue[1].gba_file);
	CHECK(cli.o.sched.n_rollovers == 2 &&
	      cli.o.sched.rollover_ms[1] == 25000 &&
	      cli.o.sched.rollover_delivery == MSK_DELIVER_NONE);
	CHECK(cli.o.tag_len == 4);
	/* SEQu (= --mtk-id-max) never the maximum 0xffff (§6.4.5.1). */
	CHECK(parse_argv(&cli, "--stream 239.1.1.1:5004") == 0);
	CHECK(cli.o.mtk_id_max == 0xfffe);
	CHECK(parse_argv(&cli, "--mtk-id-max 65535") == -1);
	CHECK(parse_argv(&cli, "--mtk-id-max 65534") == 0);
	/* Rejected command lines (each prints why on stderr). */
	CHECK(parse_argv(&cli, "--key-group 0") == -1);
	CHECK(parse_argv(&cli, "--key-number 0") == -1);
	CHECK(parse_argv(&cli, "--key-number 65520") == -1);
	CHECK(parse_argv(&cli, "--gba-file /x") == -1);
	CHECK(parse_argv(&cli, "--tag-len 3") == -1);
	CHECK(parse_argv(&cli, "--tag-len 21") == -1);
	/* TS 33.246 §6.6.2.1 NOTE 3: RCCm1/2 with a 14-byte tag */
	CHECK(parse_argv(&cli, "--tag-len 14 --rcc-mode 1 --rcc-rate 1") == 0);
	CHECK(cli.o.tag_len == 14);
	/* RFC 4771 in the SP: mode 1..3 with R >= 1, both or neither */
	CHECK(parse_argv(&cli, "--rcc-mode 2 --rcc-rate 16") == 0);
	CHECK(cli.o.rcc_mode == 2 && cli.o.rcc_rate == 16);
	CHECK(parse_argv(&cli, "--stream 239.1.1.1:5004") == 0);
	CHECK(cli.o.rcc_mode == 0 && cli.o.rcc_rate == 0);
	/* RFC 4771 modes 1 and 2 with the 4-byte tag (ROC, 0-byte MAC). */
	CHECK(parse_argv(&cli, "--tag-len 4 --rcc-mode 1 --rcc-rate 16") == 0);
	CHECK(cli.o.tag_len == 4 && cli.o.rcc_mode == 1);
	CHECK(parse_argv(&cli, "--tag-len 4 --rcc-mode 2 --rcc-rate 5") == 0);
	CHECK(cli.o.tag_len == 4 && cli.o.rcc_mode == 2 && cli.o.rcc_rate == 5);
	CHECK(parse_argv(&cli, "--rcc-mode 2") == -1);
	CHECK(parse_argv(&cli, "--rcc-rate 16") == -1);
	CHECK(parse_argv(&cli, "--rcc-mode 4 --rcc-rate 16") == -1);
	CHECK(parse_argv(&cli, "--rcc-mode 0 --rcc-rate 16") == -1);
	CHECK(parse_argv(&cli, "--rcc-mode 1 --rcc-rate 0") == -1);
	CHECK(parse_argv(&cli, "--rcc-mode 1 --rcc-rate 65536") == -1);
	CHECK(parse_argv(&cli, "--pps 0") == -1);
	CHECK(parse_argv(&cli, "--payload-len 1401") == -1);
	CHECK(parse_argv(&cli, "--key-domain 00f1") == -1);
	/* the default SEQu 0xfffe leaves room above it for the fault */
	CHECK(parse_argv(&cli, "--fault mtk-outside@3 --stream 1.2.3.4:5") == 0);
	CHECK(parse_argv(&cli, "--fault mtk-outside@3 --stream 1.2.3.4:5 "
			 "--mtk-id-max 100") == 0);
	CHECK(parse_argv(&cli, "--fault http-503@1-2") == -1);
	CHECK(parse_argv(&cli, "--fault srtp-unknown-msk@1") == -1);
	CHECK(parse_argv(&cli, "--fault mtk-replay@1") == -1);
	CHECK(parse_argv(&cli, "--ue 1.2.3.4 --gba-file a --gba-cmd b") == -1);
	CHECK(parse_argv(&cli, "--fqdn a\"b") == -1);
	CHECK(parse_argv(&cli, "stray") == -1);
	CHECK(parse_argv(&cli, "--no-such-option") == -1);
}

int main(void)
{
	test_basic();
	test_repeat_once();
	test_rollover();
	test_faults_and_pulls();
	test_outage_order();
	test_errors();
	test_parse_time();
	test_parse_fault();
	test_parse_addr();
	test_options();
	return test_summary("bmscsim_schedule_test");
}
