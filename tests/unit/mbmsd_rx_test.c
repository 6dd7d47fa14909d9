// SPDX-License-Identifier: GPL-2.0
/*
 * mbmsd receive paths with real MIKEY messages (libmikey's encoders play
 * the BM-SC): MSK push with verification reply, MTK install, replays and
 * forgeries, the solicited pull under relaxed and strict MUK policy,
 * unknown-MKI events, persistence across a "kill -9", the status report.
 * The kernel is a dry run; no HTTP request leaves (no worker).
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mbms/common.h"
#include "../../userspace/mbmsd/daemon.h"
#include "../../userspace/mbmsd/metrics.h"
#include "test.h"

#define T0 1800000000000ull	/* "now" in ms */
#define KG 0x0102
static const uint8_t KD[3] = { 0x26, 0x2f, 0x01 };
static uint8_t MUK[32], MUK2[32], OTHER_MUK[32], MSKEY[16], RAND[16], MTK[16], SALT[14];
static char dir[] = "/tmp/mbmsd_rx_test.XXXXXX";
static uint32_t bmsc_counter = 1;	/* the BM-SC's MSK counter */

static const char CONF[] =
	"[global]\nbmsc_uri=http://127.0.0.1:9\nbmsc_fqdn=bmsc.test\n"
	"gba_bootstrap_command=/bin/false\nmuk_policy=%s\nstate_dir=%s\n"
	"request_jitter=0\n%s"
	"[session tv]\nid=5\nkey_domain=262f01\nkey_group=0x0102\n"
	"flows=232.1.1.1:5004\nmtk_group=232.1.1.1\n%s";
/* Extra lines for [global] and [session tv] (a test sets, then clears). */
static const char *conf_global = "", *conf_session = "";

/*
 * The request due at @now bootstraps first: run the bootstrap job as if
 * the worker got @muk, up to the HTTP job it leads to (left in @job).
 */
static void bootstrap_through(struct mbmsd *d, uint64_t now,
			      const uint8_t *muk, const char *btid,
			      struct worker_job *job)
{
	struct worker_result res;
	struct pol_request rq;

	CHECK(pol_take_due(&d->ue, now, &rq) && rq.bootstrap_first);
	CHECK(requests_make_job(d, &rq, job) == 0 &&
	      job->task == WORKER_BOOTSTRAP);
	memset(&res, 0, sizeof(res));
	res.task = WORKER_BOOTSTRAP;
	res.bootstrapped = true;
	res.bootstrap_ms = now;
	memcpy(res.keys.ks_naf, muk, 32);
	strcpy(res.keys.btid, btid);
	res.keys.lifetime_s = 3600;
	CHECK(requests_bootstrapped(d, &res, job) == 0 &&
	      job->task == WORKER_HTTP);
	gba_keys_wipe(&res.keys);
}

/* A daemon whose MUK (gen 1) was bootstrapped and used at T0. */
static struct mbmsd *start(const char *policy, bool give_muk)
{
	struct mbmsd *d = calloc(1, sizeof(*d));
	struct worker_result res;
	struct worker_job job;
	char text[1024], err[200];

	snprintf(text, sizeof(text), CONF, policy, dir, conf_global,
		 conf_session);
	CHECK(config_load_string(text, "rx.conf", &d->cfg, stderr) == 0);
	d->persist = true;
	CHECK(mbmsd_setup_state(d) == 0);
	d->kern = kernel_open(true, err, sizeof(err));
	if (!give_muk)
		return d;
	/* Through the real path: a request that bootstrapped first. */
	CHECK(pol_request_trigger(&d->ue, &d->groups[0], T0, &d->rng));
	bootstrap_through(d, T0, MUK, "fake1@bsf.test", &job);
	memset(&res, 0, sizeof(res));
	res.task = WORKER_HTTP;
	res.group = 0;
	res.muk_gen = job.muk_gen;
	res.out.result = POL_RES_OK;
	strcpy(res.out.detail, "HTTP 200");
	requests_complete(d, &res, T0);
	CHECK(d->ue.cur >= 0 && d->ue.neg == d->ue.cur);
	secure_zero(&job, sizeof(job));
	return d;
}

static void stop(struct mbmsd *d)
{
	kernel_close(d->kern);
	store_wipe(&d->store);
	free(d);
}

static size_t msk_msg(uint8_t *out, const uint8_t *muk, uint32_t msk_id,
		      uint32_t ctr, bool v, uint32_t seql, uint32_t sequ)
{
	struct mikey_msk_spec s = {
		.csb_id = 0x11223344, .counter = ctr, .idi = "bmsc.test",
		.idr = "fake1@bsf.test", .msk_id = msk_id, .msk = MSKEY,
		.msk_len = 16, .seql = seql, .sequ = sequ, .v = v,
		.ssrc = 0x1234, .roc = 0,
	};
	struct mikey_error e;
	size_t len = 0;

	memcpy(s.rand, RAND, 16);
	memcpy(s.key_domain, KD, 3);
	CHECK(mikey_encode_msk(&s, muk, 32, out, MIKEY_MAX_MESSAGE_LEN, &len,
			       &e) == 0);
	return len;
}

static size_t mtk_msg(uint8_t *out, const uint8_t *msk, uint32_t msk_id,
		      uint16_t mtk_id, uint32_t ctr)
{
	struct mikey_mtk_spec s = {
		.csb_id = 0x55667788, .counter = ctr, .msk_id = msk_id,
		.mtk_id = mtk_id, .mtk = MTK, .mtk_len = 16, .salt = SALT,
		.salt_len = 14,
	};
	struct mikey_error e;
	size_t len = 0;

	memcpy(s.key_domain, KD, 3);
	CHECK(mikey_encode_mtk(&s, msk, 16, RAND, 16, out,
			       MIKEY_MAX_MESSAGE_LEN, &len, &e) == 0);
	return len;
}

static size_t pull_msg(uint8_t *out, const uint8_t *muk, uint32_t ctr)
{
	struct mikey_pull_spec s = {
		.csb_id = 0x99887766, .counter = ctr, .idi = "bmsc.test",
		.idr = "fake1@bsf.test", .key_group = KG,
	};
	struct mikey_error e;
	size_t len = 0;

	memcpy(s.rand, RAND, 16);
	memcpy(s.key_domain, KD, 3);
	CHECK(mikey_encode_solicited_pull(&s, muk, 32, out,
					  MIKEY_MAX_MESSAGE_LEN, &len, &e) == 0);
	return len;
}

static uint8_t m[MIKEY_MAX_MESSAGE_LEN], reply[MIKEY_MAX_MESSAGE_LEN];
static struct mikey_msg init_msg, reply_msg;

/* The counters above as /metrics shows them, 12.345 s after MTK 1. */
static void check_metrics(struct mbmsd *d, uint64_t now)
{
	static const char *const want[] = {
		"# TYPE mbmsd_accepted_total counter\n",
		"mbmsd_accepted_total{type=\"msk\",kind=\"msk\"} 1\n",
		"mbmsd_accepted_total{type=\"mtk\",kind=\"mtk\"} 1\n",
		/* one replayed MSK message, one replayed MTK message */
		"mbmsd_rejected_total{type=\"msk\",reason=\"replay\"} 1\n",
		"mbmsd_rejected_total{type=\"mtk\",reason=\"replay\"} 1\n",
		"mbmsd_rejected_total{type=\"key_needed\",reason=\"replay\"} 0\n",
		"mbmsd_rejected_total{type=\"mtk\",reason=\"auth\"} 0\n",
		"mbmsd_verifications_sent_total 1\n",
		"mbmsd_mtk_installed_total 1\n",
		"mbmsd_bootstraps_total{outcome=\"ok\"} 1\n",
		"# TYPE mbmsd_last_mtk_age_seconds gauge\n",
		"mbmsd_last_mtk_age_seconds{session=\"5\",name=\"tv\"} 12.345\n",
	};
	char *buf = NULL;
	size_t len, i;
	FILE *out = open_memstream(&buf, &len);

	metrics_write(d, out, now);
	fclose(out);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		CHECK(strstr(buf, want[i]) != NULL);
		if (!strstr(buf, want[i]))
			fprintf(stderr, "  missing: %s", want[i]);
	}
	free(buf);
}

static void test_push_and_mtk(void)
{
	struct mbmsd *d = start("relaxed", true);
	struct store_msk *sm;
	struct mikey_error e;
	size_t n, rl;
	int i;

	/* MSK push with V: stored, persisted, verification sent back. */
	n = msk_msg(m, MUK, KG << 16 | 1, bmsc_counter++, true, 0, 100);
	rl = rx_unicast(d, m, n, T0 + 1000, reply, sizeof(reply));
	CHECK(rl > 0);
	CHECK(d->ue.stats.accepted_msk == 1 && d->cnt.verifications_sent == 1);
	sm = store_msk_find(&d->store, KD, KG << 16 | 1);
	CHECK(sm && !memcmp(sm->key, MSKEY, 16) && !memcmp(sm->rand, RAND, 16));
	CHECK(mikey_decode(m, n, &init_msg, &e) == 0);
	CHECK(mikey_decode(reply, rl, &reply_msg, &e) == 0);
	CHECK(reply_msg.kind == MIKEY_KIND_VERIFICATION);
	CHECK(mikey_verify_verification(&reply_msg, &init_msg, MUK, 32, &e) == 0);
	/* Replayed: refused, no second reply. */
	CHECK(rx_unicast(d, m, n, T0 + 1001, reply, sizeof(reply)) == 0);
	CHECK(d->ue.stats.rejected[POL_R_REPLAY] == 1);

	/* MTK 1 on the bearer: installed (dry run) and remembered. */
	n = mtk_msg(m, MSKEY, KG << 16 | 1, 1, 1);
	rx_mtk(d, m, n, T0 + 2000);
	CHECK(d->ue.stats.accepted_mtk == 1 && d->cnt.mtk_installed == 1);
	CHECK(d->store.mtk[0].present && d->store.mtk[0].session_id == 5 &&
	      d->store.mtk[0].mtk_id == 1 &&
	      !memcmp(d->store.mtk[0].key, MTK, 16) &&
	      !memcmp(d->store.mtk[0].salt, SALT, 14));
	/* The same message again, byte for byte (a replay): refused. */
	rx_mtk(d, m, n, T0 + 2100);
	CHECK(d->ue.stats.rejected[POL_R_REPLAY] == 2);
	CHECK(d->ue.stats.mtk_resends == 0);
	check_metrics(d, T0 + 14345);
	/*
	 * The BM-SC's periodic resend of MTK 1 (fresh counter 2): not an
	 * attack and nothing to install, but its counter is recorded...
	 */
	n = mtk_msg(m, MSKEY, KG << 16 | 1, 1, 2);
	rx_mtk(d, m, n, T0 + 2150);
	CHECK(d->ue.stats.mtk_resends == 1);
	CHECK(d->ue.stats.rejected[POL_R_REPLAY] == 2);
	CHECK(d->ue.stats.rejected[POL_R_MTK_OLD] == 0);
	CHECK(d->cnt.mtk_installed == 1);
	CHECK(d->groups[0].msk[0].mtk_counter == 2);
	/* ... so a new MTK ID under the resend's counter is a replay. */
	n = mtk_msg(m, MSKEY, KG << 16 | 1, 2, 2);
	rx_mtk(d, m, n, T0 + 2200);
	CHECK(d->ue.stats.rejected[POL_R_REPLAY] == 3);
	CHECK(d->ue.stats.accepted_mtk == 1 && d->cnt.mtk_installed == 1);
	/* Forged: right IDs, wrong MSK. */
	n = mtk_msg(m, OTHER_MUK, KG << 16 | 1, 3, 9);
	rx_mtk(d, m, n, T0 + 2300);
	CHECK(d->ue.stats.rejected[POL_R_AUTH] == 1);
	/* Unknown MSK: counted, and no request. */
	for (i = 0; i < 50; i++) {
		n = mtk_msg(m, MSKEY, KG << 16 | 7, (uint16_t)(i + 1),
			    (uint32_t)i + 1);
		rx_mtk(d, m, n, T0 + 2400);
	}
	CHECK(d->ue.stats.rejected[POL_R_UNKNOWN_MSK] == 50);
	CHECK(d->ue.stats.rejected_by[POL_T_MTK][POL_R_UNKNOWN_MSK] == 50 &&
	      d->ue.stats.rejected_by[POL_T_MSK][POL_R_UNKNOWN_MSK] == 0);
	CHECK(pol_next_due(&d->ue) == POL_NEVER);
	/* Out of range (SEQu = 100). */
	n = mtk_msg(m, MSKEY, KG << 16 | 1, 101, 20);
	rx_mtk(d, m, n, T0 + 2500);
	CHECK(d->ue.stats.rejected[POL_R_MTK_RANGE] == 1);
	/* A good MTK 2 after all that. */
	n = mtk_msg(m, MSKEY, KG << 16 | 1, 2, 21);
	rx_mtk(d, m, n, T0 + 2600);
	CHECK(d->ue.stats.accepted_mtk == 2 && d->cnt.mtk_installed == 2);

	/* Garbage and wrong kinds. */
	rx_unicast(d, (const uint8_t *)"\x01\x00\x00", 3, T0, reply, sizeof(reply));
	CHECK(d->cnt.decode_errors[MIKEY_E_TRUNCATED] +
	      d->cnt.decode_errors[MIKEY_E_LENGTH] +
	      d->cnt.decode_errors[MIKEY_E_UNKNOWN_PAYLOAD] >= 1);
	n = mtk_msg(m, MSKEY, KG << 16 | 1, 3, 22);
	CHECK(rx_unicast(d, m, n, T0, reply, sizeof(reply)) == 0);
	CHECK(d->cnt.wrong_kind == 1);
	stop(d);

	/* "kill -9": a new process restores everything from the file. */
	d = start("relaxed", false);
	CHECK(d->ue.cur >= 0 && d->ue.neg == d->ue.cur);
	CHECK(d->groups[0].msk[0].present &&
	      d->groups[0].msk[0].msk_id == (KG << 16 | 1) &&
	      d->groups[0].msk[0].mtk_id == 2);
	CHECK(store_msk_find(&d->store, KD, KG << 16 | 1) != NULL);
	/* Counters survive: the old MTK message is still a replay... */
	n = mtk_msg(m, MSKEY, KG << 16 | 1, 2, 21);
	rx_mtk(d, m, n, T0 + 3000);
	CHECK(d->ue.stats.rejected[POL_R_REPLAY] == 1);
	/* ... a resend with a fresh counter is recorded and persisted ... */
	n = mtk_msg(m, MSKEY, KG << 16 | 1, 2, 23);
	rx_mtk(d, m, n, T0 + 3001);
	CHECK(d->ue.stats.mtk_resends == 1 && d->cnt.mtk_installed == 0);
	/* ... and the old MSK message too. */
	n = msk_msg(m, MUK, KG << 16 | 1, 1, true, 0, 100);
	CHECK(rx_unicast(d, m, n, T0 + 3000, reply, sizeof(reply)) == 0);
	CHECK(d->ue.stats.rejected[POL_R_REPLAY] == 2);
	CHECK(kernel_reconcile(d->kern, &d->cfg, &d->store) == 0);
	stop(d);

	/* Restarted again: the resend's counter came back from the file. */
	d = start("relaxed", false);
	CHECK(d->groups[0].msk[0].mtk_counter == 23);
	n = mtk_msg(m, MSKEY, KG << 16 | 1, 2, 22);
	rx_mtk(d, m, n, T0 + 4000);
	CHECK(d->ue.stats.rejected[POL_R_REPLAY] == 1);
	CHECK(d->ue.stats.mtk_resends == 0 && d->cnt.mtk_installed == 0);
	stop(d);
}

static void test_pull(const char *policy)
{
	bool relaxed = !strcmp(policy, "relaxed");
	struct mbmsd *d;
	struct pol_request rq;
	struct worker_job job;
	size_t n;

	d = start(policy, true);
	/* Forged pull (another MUK): nothing happens. */
	n = pull_msg(m, OTHER_MUK, bmsc_counter++);
	rx_unicast(d, m, n, T0 + 10, reply, sizeof(reply));
	CHECK(d->ue.stats.rejected[POL_R_AUTH] == 1);
	CHECK(pol_next_due(&d->ue) == POL_NEVER);
	/* Genuine pull, unexpired MUK: a request, no bootstrap. */
	n = pull_msg(m, MUK, bmsc_counter++);
	CHECK(rx_unicast(d, m, n, T0 + 20, reply, sizeof(reply)) == 0);
	CHECK(d->ue.stats.accepted_pull == 1);
	/* Not before one window after the start-up request (T0 + 1 s). */
	CHECK(pol_next_due(&d->ue) == T0 + 1000);
	CHECK(pol_take_due(&d->ue, T0 + 1000, &rq) && !rq.bootstrap_first);
	CHECK(requests_make_job(d, &rq, &job) == 0);
	CHECK(job.task == WORKER_HTTP && !strcmp(job.req.btid, "fake1@bsf.test"));
	CHECK(strlen(job.req.password) == 44);
	CHECK(job.req.msks[0].msk_id == (uint32_t)KG << 16);
	CHECK(!memcmp(job.req.msks[0].key_domain, KD, 3));
	pol_request_result(&d->ue, rq.group, POL_RES_OK, 0, job.muk_gen,
			   T0 + 1030, &d->rng);
	/* Replayed pull: refused. */
	CHECK(rx_unicast(d, m, n, T0 + 40, reply, sizeof(reply)) == 0);
	CHECK(d->ue.stats.rejected[POL_R_REPLAY] == 1);

	/* The MUK expires (lifetime 3600 s).  Then the BM-SC pulls. */
	n = pull_msg(m, MUK, bmsc_counter++);
	rx_unicast(d, m, n, T0 + 3600 * 1000 + 5000, reply, sizeof(reply));
	if (relaxed) {
		CHECK(d->ue.stats.accepted_pull == 2);
		CHECK(d->ue.stats.accepted_pull_expired == 1);
		CHECK(d->ue.need_bootstrap);
		CHECK(pol_take_due(&d->ue, T0 + 3600 * 1000 + 70000, &rq) &&
		      rq.bootstrap_first);
		CHECK(requests_make_job(d, &rq, &job) == 0 &&
		      job.task == WORKER_BOOTSTRAP && job.req.btid[0] == 0);
	} else {
		CHECK(d->ue.stats.accepted_pull == 1);
		CHECK(d->ue.stats.rejected[POL_R_MUK_EXPIRED] == 1);
		CHECK(pol_next_due(&d->ue) == POL_NEVER);
		CHECK(!d->ue.need_bootstrap);
	}
	/* An expired MUK never authenticates a push, in either mode. */
	n = msk_msg(m, MUK, KG << 16 | 2, bmsc_counter++, false, 0, 10);
	rx_unicast(d, m, n, T0 + 3600 * 1000 + 6000, reply, sizeof(reply));
	CHECK(!store_msk_find(&d->store, KD, KG << 16 | 2));
	CHECK(d->ue.stats.rejected[POL_R_MUK_EXPIRED] == (relaxed ? 1 : 2));
	secure_zero(&job, sizeof(job));
	stop(d);
}

static void test_unknown_mki_and_status(void)
{
	struct mbmsd *d = start("relaxed", true);
	struct mbms_event ev = {
		.cmd = MBMS_SRTP_CMD_KEY_NEEDED_NTF,
		.flags = MBMS_EVENT_HAS_SESSION_ID | MBMS_EVENT_HAS_MSK_ID |
			 MBMS_EVENT_HAS_REASON,
		.session_id = 5, .msk_id = KG << 16 | 1,
		.reason = MBMS_SRTP_EVENT_UNKNOWN_MKI,
	};
	char *buf = NULL, *p, *q, hexkey[33];
	size_t len = 0, n;
	FILE *f;
	int i;

	/* Held MSK: only the MTK is missing, nothing to ask. */
	n = msk_msg(m, MUK, KG << 16 | 1, bmsc_counter++, false, 0, 10);
	rx_unicast(d, m, n, T0 + 100, reply, sizeof(reply));
	rx_kernel_event(d, &ev, T0 + 200);
	CHECK(pol_next_due(&d->ue) == POL_NEVER);
	/* A burst for an unknown MSK: one request. */
	ev.msk_id = KG << 16 | 2;
	for (i = 0; i < 1000; i++)
		rx_kernel_event(d, &ev, T0 + 300 + (uint64_t)i);
	CHECK(pol_next_due(&d->ue) != POL_NEVER);
	CHECK(d->ue.stats.rejected[POL_R_RATE_LIMITED] == 999);
	/* An unknown session: ignored. */
	ev.session_id = 77;
	rx_kernel_event(d, &ev, T0 + 2000);
	CHECK(d->cnt.kernel_events == 1002);

	f = open_memstream(&buf, &len);
	status_write(d, f, true, T0 + 3000);
	fclose(f);
	CHECK(strstr(buf, "\"msk_id\": 16908289") != NULL);
	CHECK(strstr(buf, "\"muk_gen\": 1,") != NULL);
	CHECK(strstr(buf, "\"verifications_withheld\": 0") != NULL);
	CHECK(strstr(buf, "\"btid\": \"fake1@bsf.test\"") != NULL);
	CHECK(strstr(buf, "\"rate-limited\": 999") != NULL);
	/* ... and by type: key-needed events, not MSK or MTK messages */
	p = strstr(buf, "\"by_type\"");
	q = p ? strstr(p, "\"key_needed\": {") : NULL;
	CHECK(p && q);
	if (p && q) {
		*q = '\0';
		CHECK(!strstr(p, "\"rate-limited\": 999"));	/* msk, mtk */
		p = strstr(q + 1, "\"rate-limited\": ");
		CHECK(p && !strncmp(p, "\"rate-limited\": 999,", 20));
	}
	CHECK(strstr(buf, "\"state\": \"scheduled\"") != NULL);
	hex_encode(MSKEY, 16, hexkey);
	CHECK(strstr(buf, hexkey) == NULL);	/* never key bytes */
	hex_encode(MUK, 16, hexkey);
	CHECK(strstr(buf, hexkey) == NULL);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	status_write(d, f, false, T0 + 3000);
	fclose(f);
	CHECK(strstr(buf, "msk: 262f01/0x01020001") != NULL);
	CHECK(strstr(buf, "request: 262f01/0x0102 scheduled") != NULL);
	free(buf);
	stop(d);
}

/*
 * TS 33.246 §6.4.5.1: the SP is optional in a push and the BM-SC may not
 * change the policy.  MSK 1 says HMAC-SHA1-32; MSK 2 of the same key group
 * comes without SP: it must stay on the 32-bit tag, also after a restart.
 */
static size_t msk_msg_roc(uint8_t *out, uint32_t msk_id, uint32_t ctr,
			  const struct mikey_sp *sp, uint32_t roc)
{
	struct mikey_msk_spec s = {
		.csb_id = 0x11223344, .counter = ctr, .idi = "bmsc.test",
		.idr = "fake1@bsf.test", .msk_id = msk_id, .msk = MSKEY,
		.msk_len = 16, .seql = 0, .sequ = 100, .ssrc = 0x1234,
		.roc = roc, .sp = sp, .no_sp = !sp,
	};
	struct mikey_error e;
	size_t len = 0;

	memcpy(s.rand, RAND, 16);
	memcpy(s.key_domain, KD, 3);
	CHECK(mikey_encode_msk(&s, MUK, 32, out, MIKEY_MAX_MESSAGE_LEN, &len,
			       &e) == 0);
	return len;
}

static size_t msk_msg_sp(uint8_t *out, uint32_t msk_id, uint32_t ctr,
			 const struct mikey_sp *sp)
{
	return msk_msg_roc(out, msk_id, ctr, sp, 0);
}

static void test_sp_kept_per_group(void)
{
	struct mbmsd *d = start("relaxed", true);
	struct store_msk *sm;
	struct mikey_sp sp32;
	size_t n;

	mikey_sp_mbms_default(&sp32, 4);
	n = msk_msg_sp(m, KG << 16 | 1, 1, &sp32);
	rx_unicast(d, m, n, T0 + 1000, reply, sizeof(reply));
	sm = store_msk_find(&d->store, KD, KG << 16 | 1);
	CHECK(sm && sm->suite == MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32);
	n = msk_msg_sp(m, KG << 16 | 2, 2, NULL);
	rx_unicast(d, m, n, T0 + 2000, reply, sizeof(reply));
	sm = store_msk_find(&d->store, KD, KG << 16 | 2);
	CHECK(sm && sm->suite == MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32);
	stop(d);
	/* Restarted: the policy came back with the stored MSKs. */
	d = start("relaxed", false);
	n = msk_msg_sp(m, KG << 16 | 3, 3, NULL);
	rx_unicast(d, m, n, T0 + 3000, reply, sizeof(reply));
	sm = store_msk_find(&d->store, KD, KG << 16 | 3);
	CHECK(sm && sm->suite == MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32);
	stop(d);
}

/* The status report of @d, text or JSON, in a malloc'ed string. */
static char *status_of(struct mbmsd *d, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	status_write(d, f, json, T0 + 5000);
	fclose(f);
	return buf;
}

/*
 * RFC 4771 R (TS 33.246 §6.6.2.1) in the SP of a push: kept with the key
 * group's policy like the suite -- reported by `mbmsd status`, kept by an
 * SP-less push and across a restart.  An SP whose R is 0 is refused.
 */
static void test_rcc_rate_kept(void)
{
	struct mbmsd *d = start("relaxed", true);
	struct mikey_rcc rcc = { MIKEY_RCC_MODE2, 16 };
	struct store_msk *sm;
	struct mikey_sp sp;
	char *out;
	size_t n;

	mikey_sp_mbms_default(&sp, 10);
	CHECK(mikey_sp_set_rcc(&sp, &rcc) == MIKEY_OK);
	n = msk_msg_sp(m, KG << 16 | 1, 1, &sp);
	rx_unicast(d, m, n, T0 + 1000, reply, sizeof(reply));
	sm = store_msk_find(&d->store, KD, KG << 16 | 1);
	CHECK(sm && sm->rcc_mode == MIKEY_RCC_MODE2 && sm->rcc_rate == 16);
	out = status_of(d, true);
	CHECK(strstr(out, "\"roc_tx_rate\": 16") != NULL);
	CHECK(strstr(out, "\"rcc_mode\": \"rccm2\"") != NULL);
	free(out);
	out = status_of(d, false);
	CHECK(strstr(out, "msk: 262f01/0x01020001, MTK IDs (0, 100], suite aes-cm-128-hmac-sha1-80, rfc4771 rccm2 R 16") != NULL);
	free(out);
	/* An SP-less push of the same group keeps R and the mode. */
	n = msk_msg_sp(m, KG << 16 | 2, 2, NULL);
	rx_unicast(d, m, n, T0 + 2000, reply, sizeof(reply));
	sm = store_msk_find(&d->store, KD, KG << 16 | 2);
	CHECK(sm && sm->rcc_mode == MIKEY_RCC_MODE2 && sm->rcc_rate == 16);
	out = status_of(d, false);
	CHECK(strstr(out, "msk: 262f01/0x01020002, MTK IDs (0, 100], suite aes-cm-128-hmac-sha1-80, rfc4771 rccm2 R 16") != NULL);
	free(out);
	stop(d);
	/* Restarted: R came back from the store file. */
	d = start("relaxed", false);
	sm = store_msk_find(&d->store, KD, KG << 16 | 2);
	CHECK(sm && sm->rcc_mode == MIKEY_RCC_MODE2 && sm->rcc_rate == 16);
	out = status_of(d, true);
	CHECK(strstr(out, "\"roc_tx_rate\": 16") != NULL);
	free(out);
	/* R = 0: the authentic push is refused as malformed, nothing kept. */
	sp.params[sp.n_params - 1].val[1] = 0;
	n = msk_msg_sp(m, KG << 16 | 3, 3, &sp);
	rx_unicast(d, m, n, T0 + 3000, reply, sizeof(reply));
	CHECK(store_msk_find(&d->store, KD, KG << 16 | 3) == NULL);
	CHECK(d->ue.stats.rejected[POL_R_MALFORMED] == 1);
	CHECK(d->cnt.decode_errors[MIKEY_E_ALG] == 1);
	/* A push whose SP has no R: none, R absent (null). */
	mikey_sp_mbms_default(&sp, 10);
	n = msk_msg_sp(m, KG << 16 | 4, 4, &sp);
	rx_unicast(d, m, n, T0 + 4000, reply, sizeof(reply));
	sm = store_msk_find(&d->store, KD, KG << 16 | 4);
	CHECK(sm && sm->rcc_mode == MIKEY_RCC_NONE && sm->rcc_rate == 0);
	out = status_of(d, true);
	CHECK(strstr(out, "\"roc_tx_rate\": null") != NULL);
	free(out);
	stop(d);
}

/* The stored MTK @mtk_id of session 5, or NULL. */
static const struct store_mtk *stored_mtk(struct mbmsd *d, uint16_t mtk_id)
{
	size_t i;

	for (i = 0; i < STORE_MAX_MTKS; i++)
		if (d->store.mtk[i].present && d->store.mtk[i].session_id == 5 &&
		    d->store.mtk[i].mtk_id == mtk_id)
			return &d->store.mtk[i];
	return NULL;
}

/* MTK @mtk_id is stored, and the kernel key made of it carries @roc. */
#define check_mtk_roc(d, mtk_id, want) do {				\
	const struct store_mtk *t_ = stored_mtk(d, mtk_id);		\
	struct mbms_key k_;						\
									\
	CHECK(t_ != NULL);						\
	if (t_) {							\
		kernel_key_from_store(&(d)->store, KD, t_, &k_);	\
		CHECK((k_.flags & MBMS_KEY_HAS_ROC) && k_.roc == (want)); \
		mbms_key_wipe(&k_);					\
	}								\
} while (0)

/*
 * A late joiner (issue 15): the MSK message's SP gives the RFC 4771 mode
 * and R, its SRTP-ID map the stream's ROC (RFC 3830 §6.1.1).  The kernel
 * session gets the mode and R, the MTKs under that MSK the ROC; both
 * survive a restart.  A push that changes the policy re-creates the
 * kernel session (counted); one without SP changes nothing.
 */
static void test_late_joiner(void)
{
	struct mbmsd *d = start("relaxed", true);
	struct mikey_rcc rcc = { MIKEY_RCC_MODE1, 16 };
	struct mbms_session ks;
	struct store_msk *sm;
	struct mikey_sp sp;
	size_t n;

	mikey_sp_mbms_default(&sp, 10);
	CHECK(mikey_sp_set_rcc(&sp, &rcc) == MIKEY_OK);
	n = msk_msg_roc(m, KG << 16 | 1, 1, &sp, 5);
	rx_unicast(d, m, n, T0 + 1000, reply, sizeof(reply));
	sm = store_msk_find(&d->store, KD, KG << 16 | 1);
	CHECK(sm && sm->has_roc && sm->roc == 5);
	/* The first policy of the group: the session was re-created once. */
	CHECK(d->cnt.sessions_recreated == 1);
	kernel_session_want(&d->cfg.sessions[0], &d->store, &ks);
	CHECK((ks.flags & MBMS_SESSION_HAS_RCC) && ks.rcc_mode == 1 &&
	      ks.rcc_rate == 16);
	n = mtk_msg(m, MSKEY, KG << 16 | 1, 1, 1);
	rx_mtk(d, m, n, T0 + 1100);
	CHECK(d->cnt.mtk_installed == 1);
	check_mtk_roc(d, 1, 5);
	/* Same policy again (an SP-less push): nothing re-created. */
	n = msk_msg_roc(m, KG << 16 | 2, 2, NULL, 6);
	rx_unicast(d, m, n, T0 + 2000, reply, sizeof(reply));
	CHECK(d->cnt.sessions_recreated == 1);
	sm = store_msk_find(&d->store, KD, KG << 16 | 2);
	CHECK(sm && sm->has_roc && sm->roc == 6 && sm->rcc_mode == 1);
	stop(d);

	/* Restarted: ROC and policy came back from the store file. */
	d = start("relaxed", false);
	sm = store_msk_find(&d->store, KD, KG << 16 | 1);
	CHECK(sm && sm->has_roc && sm->roc == 5);
	check_mtk_roc(d, 1, 5);
	/* The BM-SC changes the policy (it may not, §6.4.5.1): re-created. */
	rcc.mode = MIKEY_RCC_MODE2;
	CHECK(mikey_sp_set_rcc(&sp, &rcc) == MIKEY_OK);
	n = msk_msg_roc(m, KG << 16 | 3, 3, &sp, 7);
	rx_unicast(d, m, n, T0 + 3000, reply, sizeof(reply));
	CHECK(store_msk_find(&d->store, KD, KG << 16 | 3) != NULL);
	CHECK(d->cnt.sessions_recreated == 1);
	kernel_session_want(&d->cfg.sessions[0], &d->store, &ks);
	CHECK(ks.rcc_mode == 2 && ks.rcc_rate == 16);
	stop(d);
}

static void reset_dir(void);

/* Log lines at warning and above, as the operator sees them. */
static char logbuf[4096];

static void log_capture(enum log_level lvl, const char *msg)
{
	size_t n = strlen(logbuf);

	if (lvl <= LOG_LVL_WARN)
		snprintf(logbuf + n, sizeof(logbuf) - n, "%s\n", msg);
}

/* Push MSK @id with an SP of @tag bytes in RFC 4771 @mode (0: no RCC). */
static void push_rcc(struct mbmsd *d, uint32_t id, uint8_t tag,
		     unsigned int mode, uint64_t now)
{
	struct mikey_rcc rcc = { (enum mikey_rcc_mode)mode, 16 };
	struct mikey_sp sp;
	size_t n;

	mikey_sp_mbms_default(&sp, tag);
	if (mode)
		CHECK(mikey_sp_set_rcc(&sp, &rcc) == MIKEY_OK);
	n = msk_msg_roc(m, KG << 16 | id, id, &sp, 0);
	rx_unicast(d, m, n, now, reply, sizeof(reply));
}

#define REFUSED(d) ((d)->ue.stats.rejected_by[POL_T_MSK][POL_R_RCC_REFUSED])

/*
 * rcc_modes (issue 15): the operator's list of the RFC 4771 modes a
 * BM-SC's MSK message may choose.  A refused policy refuses the message:
 * counted (msk, rcc-policy), logged with key group, mode and setting (no
 * key), nothing stored or re-created, the previous policy kept.  With the
 * 4-byte tag, modes 1 and 2 need mode 3 in the list (no MAC on the ROC).
 */
static void test_rcc_modes_refused(void)
{
	struct mbms_session ks;
	struct store_msk *sm;
	char hexkey[40], *out;
	struct mbmsd *d;
	size_t n;

	conf_global = "rcc_modes=2\n";
	d = start("relaxed", true);
	log_init("mbmsd_rx_test", LOG_LVL_WARN);
	log_set_sink(log_capture);
	logbuf[0] = '\0';
	push_rcc(d, 1, 10, 3, T0 + 1000);
	CHECK(!store_msk_find(&d->store, KD, KG << 16 | 1));
	CHECK(REFUSED(d) == 1 && d->ue.stats.rejected[POL_R_RCC_REFUSED] == 1);
	CHECK(d->cnt.sessions_recreated == 0);
	CHECK(strstr(logbuf, "MSK 0x01020001 refused: key group 0x0102 asks for RFC 4771 rccm3 (R 16, 10-byte tag), not allowed by rcc_modes = 2") != NULL);
	hex_encode(MSKEY, 16, hexkey);
	CHECK(!strstr(logbuf, hexkey));
	out = status_of(d, true);
	CHECK(strstr(out, "\"rcc-policy\": 1") != NULL);
	free(out);
	/* The refused message's counter was not taken: nothing moved. */
	CHECK(d->groups[0].msk[0].msk_id == 0 && d->groups[0].msk[1].msk_id == 0);
	/* Mode 2 with the 10-byte tag: integrity on every packet. */
	push_rcc(d, 2, 10, 2, T0 + 2000);
	sm = store_msk_find(&d->store, KD, KG << 16 | 2);
	CHECK(sm && sm->rcc_mode == 2);
	CHECK(d->cnt.sessions_recreated == 1);
	/* Mode 2 with the 4-byte tag: the RCC packets' ROC has no MAC. */
	push_rcc(d, 3, 4, 2, T0 + 3000);
	CHECK(!store_msk_find(&d->store, KD, KG << 16 | 3));
	CHECK(REFUSED(d) == 2);
	CHECK(strstr(logbuf, "key group 0x0102 asks for RFC 4771 rccm2 (R 16, 4-byte tag), not allowed by rcc_modes = 2") != NULL);
	push_rcc(d, 4, 10, 1, T0 + 4000);
	CHECK(REFUSED(d) == 3 && !store_msk_find(&d->store, KD, KG << 16 | 4));
	/* No RCC at all is always allowed (and a policy change). */
	push_rcc(d, 5, 10, 0, T0 + 5000);
	CHECK(store_msk_find(&d->store, KD, KG << 16 | 5) != NULL);
	/* The kernel session follows the accepted policy only. */
	kernel_session_want(&d->cfg.sessions[0], &d->store, &ks);
	CHECK(!(ks.flags & MBMS_SESSION_HAS_RCC));
	CHECK(d->cnt.sessions_recreated == 2);
	/* The log names the tag the SP gave (TS 33.246's 14 bytes). */
	push_rcc(d, 6, 14, 1, T0 + 6000);
	CHECK(REFUSED(d) == 4 && !store_msk_find(&d->store, KD, KG << 16 | 6));
	CHECK(strstr(logbuf, "key group 0x0102 asks for RFC 4771 rccm1 (R 16, 14-byte tag), not allowed by rcc_modes = 2") != NULL);
	stop(d);
	reset_dir();

	/* "none": every RCC mode refused. */
	conf_global = "rcc_modes=none\n";
	d = start("relaxed", true);
	logbuf[0] = '\0';
	push_rcc(d, 1, 10, 2, T0 + 1000);
	CHECK(REFUSED(d) == 1 && !store_msk_find(&d->store, KD, KG << 16 | 1));
	CHECK(strstr(logbuf, "not allowed by rcc_modes = none") != NULL);
	stop(d);
	reset_dir();

	/* The configured 4-byte suite counts as well as the SP's. */
	conf_global = "rcc_modes=1,2\n";
	conf_session = "suite=aes128-sha1-32\n";
	d = start("relaxed", true);
	push_rcc(d, 1, 10, 2, T0 + 1000);
	CHECK(REFUSED(d) == 1 && !store_msk_find(&d->store, KD, KG << 16 | 1));
	stop(d);
	reset_dir();

	/* The default (1,2,3) takes every mode, 4-byte tag included. */
	conf_global = conf_session = "";
	d = start("relaxed", true);
	push_rcc(d, 1, 4, 3, T0 + 1000);
	push_rcc(d, 2, 4, 1, T0 + 2000);
	push_rcc(d, 3, 4, 2, T0 + 3000);
	n = (store_msk_find(&d->store, KD, KG << 16 | 2) != NULL) +
	    (store_msk_find(&d->store, KD, KG << 16 | 3) != NULL);
	CHECK(REFUSED(d) == 0 && n == 2);
	/* ... and passes RCCm2 with it to the kernel session as it came. */
	kernel_session_want(&d->cfg.sessions[0], &d->store, &ks);
	CHECK((ks.flags & MBMS_SESSION_HAS_RCC) && ks.rcc_mode == 2 &&
	      ks.rcc_rate == 16);
	stop(d);
	log_set_sink(NULL);
	log_init("mbmsd_rx_test", LOG_LVL_ERR);
}

/*
 * rcc_modes changed between two runs: an MSK kept under a policy the new
 * setting refuses is not used -- dropped from the store with its MTKs at
 * start (logged), so no kernel session runs that mode, and the key group,
 * holding no MSK, asks the BM-SC for the current one.
 */
static void test_rcc_modes_restart(void)
{
	struct mbms_session ks;
	struct mbmsd *d;
	size_t n;

	d = start("relaxed", true);
	push_rcc(d, 1, 10, 3, T0 + 1000);
	n = mtk_msg(m, MSKEY, KG << 16 | 1, 1, 1);
	rx_mtk(d, m, n, T0 + 1100);
	CHECK(stored_mtk(d, 1) != NULL);
	stop(d);
	conf_global = "rcc_modes=1,2\n";
	log_init("mbmsd_rx_test", LOG_LVL_WARN);
	log_set_sink(log_capture);
	logbuf[0] = '\0';
	d = start("relaxed", false);
	CHECK(!store_msk_find(&d->store, KD, KG << 16 | 1));
	CHECK(stored_mtk(d, 1) == NULL);
	CHECK(strstr(logbuf, "stored MSK 0x01020001 dropped: key group 0x0102 asks for RFC 4771 rccm3 (R 16, 10-byte tag), not allowed by rcc_modes = 1,2") != NULL);
	kernel_session_want(&d->cfg.sessions[0], &d->store, &ks);
	CHECK(!(ks.flags & MBMS_SESSION_HAS_RCC));
	CHECK(mbmsd_request_missing(d, T0 + 2000) == 1);
	stop(d);
	/* Saved: the MSK does not come back either. */
	conf_global = "";
	d = start("relaxed", false);
	CHECK(!store_msk_find(&d->store, KD, KG << 16 | 1));
	stop(d);
	log_set_sink(NULL);
	log_init("mbmsd_rx_test", LOG_LVL_ERR);
}

/* An SP with RFC 4771 @mode, R = @rate and SRTP tag length @tag. */
static void sp_rcc_tag(struct mikey_sp *sp, uint8_t mode, uint16_t rate,
		       uint8_t tag)
{
	struct mikey_rcc rcc = { mode, rate };

	mikey_sp_mbms_default(sp, tag);
	CHECK(mikey_sp_set_rcc(sp, &rcc) == MIKEY_OK);
}

/*
 * TS 33.246 §6.6.2.1 NOTE 3: with RCCm1 or RCCm2 "a MAC of 10 octets
 * (proposed by RFC 4771) and a ROC of 4 octets will be added to each SRTP
 * packet": an SRTP tag of 14 octets, SP parameter 11 = 14.  The kernel
 * session gets a 14-byte tag (80-bit suite's SRTCP); it survives a
 * restart.  A tag length the kernel cannot do is refused naming parameter
 * 11 and changes nothing: never silently the 80-bit suite.
 */
static void test_rcc_tag14(void)
{
	static const uint8_t bad[] = { 0, 3, 21 };
	struct mbmsd *d = start("relaxed", true);
	struct mbms_session ks;
	struct store_msk *sm;
	struct mikey_error e;
	struct mikey_sp sp;
	uint32_t ctr = 1;
	uint8_t tag = 0;
	char *out;
	size_t n, i;

	sp_rcc_tag(&sp, MIKEY_RCC_MODE1, 1, 14);
	n = msk_msg_sp(m, KG << 16 | 1, ctr++, &sp);
	rx_unicast(d, m, n, T0 + 1000, reply, sizeof(reply));
	sm = store_msk_find(&d->store, KD, KG << 16 | 1);
	CHECK(sm && sm->rcc_mode == 1 && sm->rcc_rate == 1);
	kernel_session_want(&d->cfg.sessions[0], &d->store, &ks);
	CHECK(ks.rcc_mode == 1 && ks.rcc_rate == 1);
	CHECK(ks.suite == MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80);
	CHECK((ks.flags & MBMS_SESSION_HAS_TAG_LEN) && ks.tag_len == 14);
	/* RCCm2, R = 16: the same tag; the session follows the new mode. */
	sp_rcc_tag(&sp, MIKEY_RCC_MODE2, 16, 14);
	n = msk_msg_sp(m, KG << 16 | 2, ctr++, &sp);
	rx_unicast(d, m, n, T0 + 2000, reply, sizeof(reply));
	kernel_session_want(&d->cfg.sessions[0], &d->store, &ks);
	CHECK(ks.rcc_mode == 2 && ks.rcc_rate == 16);
	CHECK((ks.flags & MBMS_SESSION_HAS_TAG_LEN) && ks.tag_len == 14);
	out = status_of(d, false);
	CHECK(strstr(out, "rfc4771 rccm2 R 16, tag 14\n") != NULL);
	free(out);
	out = status_of(d, true);
	CHECK(strstr(out, "\"tag_len\": 14") != NULL);
	free(out);
	stop(d);
	/* Restarted: the tag length came back from the store file. */
	d = start("relaxed", false);
	kernel_session_want(&d->cfg.sessions[0], &d->store, &ks);
	CHECK((ks.flags & MBMS_SESSION_HAS_TAG_LEN) && ks.tag_len == 14);
	for (i = 0; i < sizeof(bad); i++) {
		sp_rcc_tag(&sp, MIKEY_RCC_MODE1, 1, bad[i]);
		CHECK(mikey_sp_srtp_tag_len(&sp, MBMS_SRTP_TAG_LEN_MIN,
					    MBMS_SRTP_TAG_LEN_MAX, &tag,
					    &e) == MIKEY_E_ALG);
		CHECK(strstr(e.msg, "parameter 11") != NULL);
		n = msk_msg_sp(m, KG << 16 | (uint32_t)(3 + i), ctr++, &sp);
		rx_unicast(d, m, n, T0 + 3000 + i, reply, sizeof(reply));
		CHECK(store_msk_find(&d->store, KD, KG << 16 | (3 + i)) == NULL);
		CHECK(d->ue.stats.rejected[POL_R_MALFORMED] == i + 1);
		CHECK(d->cnt.decode_errors[MIKEY_E_ALG] == i + 1);
		kernel_session_want(&d->cfg.sessions[0], &d->store, &ks);
		CHECK(ks.tag_len == 14 && ks.rcc_mode == 2);
	}
	stop(d);
}

/*
 * A second GBA bootstrap (a 401 asks for it): MUK2 becomes the last
 * generated MUK while the first stays the last negotiated one, until the
 * BM-SC uses MUK2.  The HTTP request signed with MUK2 stays in flight.
 */
static void bootstrap_again(struct mbmsd *d, uint64_t now)
{
	struct worker_job job;
	struct pol_request rq;
	uint32_t gen1 = d->ue.muk[d->ue.cur].gen;

	CHECK(pol_request_trigger(&d->ue, &d->groups[0], now, &d->rng));
	CHECK(pol_take_due(&d->ue, now, &rq) && !rq.bootstrap_first);
	pol_request_result(&d->ue, rq.group, POL_RES_UNAUTHORIZED, 0, gen1,
			   now, &d->rng);
	bootstrap_through(d, now, MUK2, "fake2@bsf.test", &job);
	secure_zero(&job, sizeof(job));
	CHECK(d->ue.muk[d->ue.cur].gen != gen1 &&
	      d->ue.muk[d->ue.neg].gen == gen1);
}

/*
 * TS 33.246 §6.3.2.3.1, Annex D.1: an MSK push protected with a MUK that
 * is not the last generated one is treated like a solicited pull: the key
 * is taken, but no verification message goes back, V bit or not.  Under
 * the last generated MUK the reply is sent.
 */
static void test_verification_only_under_last_muk(void)
{
	struct mbmsd *d = start("relaxed", true);
	struct mikey_error e;
	size_t n, rl;

	bootstrap_again(d, T0 + 2000);
	/* Under the first (last negotiated, not last generated) MUK. */
	n = msk_msg(m, MUK, KG << 16 | 1, 1, true, 0, 100);
	rl = rx_unicast(d, m, n, T0 + 3000, reply, sizeof(reply));
	CHECK(store_msk_find(&d->store, KD, KG << 16 | 1) != NULL);
	CHECK(rl == 0 && d->cnt.verifications_sent == 0 &&
	      d->cnt.verifications_withheld == 1);
	/* Under the last generated MUK: answered. */
	n = msk_msg(m, MUK2, KG << 16 | 2, 1, true, 0, 100);
	rl = rx_unicast(d, m, n, T0 + 4000, reply, sizeof(reply));
	CHECK(store_msk_find(&d->store, KD, KG << 16 | 2) != NULL);
	CHECK(rl > 0 && d->cnt.verifications_sent == 1);
	CHECK(mikey_decode(m, n, &init_msg, &e) == 0);
	CHECK(rl > 0 && mikey_decode(reply, rl, &reply_msg, &e) == 0 &&
	      mikey_verify_verification(&reply_msg, &init_msg, MUK2, 32,
					&e) == 0);
	mikey_msg_clear(&init_msg);
	mikey_msg_clear(&reply_msg);
	stop(d);

	/* "kill -9": each MSK's §6.5.3 order comes back from the file. */
	d = start("relaxed", false);
	CHECK(d->groups[0].msk[0].msk_id == (KG << 16 | 1) &&
	      d->groups[0].msk[0].muk_gen == 1 &&
	      d->groups[0].msk[0].ts_counter == 1);
	CHECK(d->groups[0].msk[1].msk_id == (KG << 16 | 2) &&
	      d->groups[0].msk[1].muk_gen == 2 &&
	      d->groups[0].msk[1].ts_counter == 1);
	/* A third MSK under MUK2: MSK 1, under the older MUK, goes. */
	n = msk_msg(m, MUK2, KG << 16 | 3, 2, false, 0, 100);
	rx_unicast(d, m, n, T0 + 5000, reply, sizeof(reply));
	CHECK(!store_msk_find(&d->store, KD, KG << 16 | 1) &&
	      store_msk_find(&d->store, KD, KG << 16 | 2) &&
	      store_msk_find(&d->store, KD, KG << 16 | 3));
	stop(d);
}

static void reset_dir(void)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/state", dir);
	unlink(p);
}

int main(void)
{
	int i;

	log_init("mbmsd_rx_test", LOG_LVL_ERR);
	for (i = 0; i < 32; i++) {
		MUK[i] = (uint8_t)(i + 1);
		OTHER_MUK[i] = (uint8_t)(0x80 + i);
		MUK2[i] = (uint8_t)(0xc0 + i);
	}
	for (i = 0; i < 16; i++) {
		MSKEY[i] = (uint8_t)(0x40 + i);
		RAND[i] = (uint8_t)(0x20 + i);
		MTK[i] = (uint8_t)(0x60 + i);
	}
	for (i = 0; i < 14; i++)
		SALT[i] = (uint8_t)(0x70 + i);
	CHECK(mkdtemp(dir) != NULL);
	chmod(dir, 0700);
	test_push_and_mtk();
	reset_dir();
	test_pull("relaxed");
	reset_dir();
	test_pull("strict");
	reset_dir();
	test_unknown_mki_and_status();
	reset_dir();
	test_sp_kept_per_group();
	reset_dir();
	test_rcc_rate_kept();
	reset_dir();
	test_late_joiner();
	reset_dir();
	test_rcc_modes_refused();
	reset_dir();
	test_rcc_modes_restart();
	reset_dir();
	test_rcc_tag14();
	reset_dir();
	test_verification_only_under_last_muk();
	reset_dir();
	rmdir(dir);
	return test_summary("mbmsd_rx_test");
}
