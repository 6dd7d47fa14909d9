// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for mbmsd's kernel reconciliation plan (kernel_plan): what a
 * start-up must delete, create and reinstall so that the kernel matches
 * the configuration and the key store -- no duplicates, nothing stale.
 */
#include <stdlib.h>
#include <sys/socket.h>

#include "mbms/common.h"
#include "../../userspace/mbmsd/kernel.h"
#include "test.h"

static struct mbmsd_config cfg;
static struct store st;

static const char CONF[] =
	"[global]\nbmsc_uri=http://b\nbmsc_fqdn=b\ngba_bootstrap_command=/x\n"
	"[session a]\nid=1\nkey_domain=000001\nkey_group=1\n"
	"flows=232.1.1.1:5004 232.1.1.1:5005,rtcp\nmtk_group=232.1.1.1\n"
	"[session b]\nid=2\nkey_domain=000001\nkey_group=2\n"
	"flows=232.1.1.2:5004,10.0.0.1\nmtk_group=232.1.1.2\non_fail=pass\n";

static size_t count(const struct kplan *p, enum kplan_op op)
{
	size_t i, n = 0;

	for (i = 0; i < p->n; i++)
		n += p->a[i].op == op;
	return n;
}

static bool ordered(const struct kplan *p)
{
	size_t i;

	for (i = 1; i < p->n; i++)
		if (p->a[i].op < p->a[i - 1].op)
			return false;
	return true;
}

static void test_empty_kernel(void)
{
	struct kplan p;

	store_init(&st);
	CHECK(kernel_plan(&cfg, &st, NULL, 0, NULL, 0, NULL, 0, &p) == 0);
	CHECK(count(&p, KP_SESSION_ADD) == 2);
	CHECK(count(&p, KP_FLOW_ADD) == 3);
	CHECK(p.n == 5 && ordered(&p));
	CHECK(p.a[0].session.mki_len == 6 && p.a[0].session.max_keys == 2);
	kplan_free(&p);
}

/* Kernel already exactly as configured, store holds its keys: nothing. */
static void test_in_sync(void)
{
	struct mbms_session ks[2];
	struct mbms_flow kf[3];
	struct mbms_key kk[1];
	uint8_t key[16] = { 1 }, salt[14] = { 2 };
	struct kplan p;

	kernel_session_from_config(&cfg.sessions[0], &ks[0]);
	kernel_session_from_config(&cfg.sessions[1], &ks[1]);
	kernel_flow_from_config(1, &cfg.sessions[0].flows[0], &kf[0]);
	kernel_flow_from_config(1, &cfg.sessions[0].flows[1], &kf[1]);
	kernel_flow_from_config(2, &cfg.sessions[1].flows[0], &kf[2]);
	memset(kk, 0, sizeof(kk));
	kk[0].session_id = 1;
	kk[0].msk_id = 0x00010001;
	kk[0].mtk_id = 5;
	store_init(&st);
	store_mtk_put(&st, 1, 0x00010001, 5, key, salt, 1);
	CHECK(kernel_plan(&cfg, &st, ks, 2, kf, 3, kk, 1, &p) == 0);
	CHECK(p.n == 0);
	kplan_free(&p);

	/* The store lost nothing but the kernel did (module reloaded). */
	CHECK(kernel_plan(&cfg, &st, ks, 2, kf, 3, NULL, 0, &p) == 0);
	CHECK(p.n == 1 && p.a[0].op == KP_KEY_ADD && p.a[0].mtk_id == 5 &&
	      p.a[0].mtk && p.a[0].mtk->key[0] == 1);
	kplan_free(&p);

	/* A key the store does not know: stale, deleted. */
	store_init(&st);
	CHECK(kernel_plan(&cfg, &st, ks, 2, kf, 3, kk, 1, &p) == 0);
	CHECK(p.n == 1 && p.a[0].op == KP_KEY_DEL && p.a[0].msk_id == 0x00010001);
	kplan_free(&p);
}

static void test_drift(void)
{
	struct mbms_session ks[3];
	struct mbms_flow kf[4];
	struct mbms_key kk[2];
	uint8_t key[16] = { 1 }, salt[14] = { 2 };
	struct kplan p;
	size_t i;

	kernel_session_from_config(&cfg.sessions[0], &ks[0]);
	kernel_session_from_config(&cfg.sessions[1], &ks[1]);
	ks[1].on_fail = 0;		/* differs: re-create session 2 */
	memset(&ks[2], 0, sizeof(ks[2]));
	ks[2].id = 9;			/* not configured: delete */
	ks[2].flags = MBMS_SESSION_HAS_SUITE;
	kernel_flow_from_config(1, &cfg.sessions[0].flows[0], &kf[0]);
	kernel_flow_from_config(1, &cfg.sessions[0].flows[1], &kf[1]);
	kf[1].flags &= ~MBMS_FLOW_RTCP;	/* differs: delete + add */
	kernel_flow_from_config(2, &cfg.sessions[1].flows[0], &kf[2]);
	kernel_flow_from_config(9, &cfg.sessions[1].flows[0], &kf[3]);
	kf[3].dport = 7000;		/* goes with session 9 */
	memset(kk, 0, sizeof(kk));
	kk[0].session_id = 2;		/* goes with session 2 */
	kk[0].msk_id = 0x00020001;
	kk[0].mtk_id = 3;
	kk[1].session_id = 1;
	kk[1].msk_id = 0x00010001;
	kk[1].mtk_id = 4;
	store_init(&st);
	store_mtk_put(&st, 2, 0x00020001, 3, key, salt, 1);
	store_mtk_put(&st, 1, 0x00010001, 4, key, salt, 1);
	store_mtk_put(&st, 7, 0x00070001, 1, key, salt, 1);	/* unconfigured */
	CHECK(kernel_plan(&cfg, &st, ks, 3, kf, 4, kk, 2, &p) == 0);
	CHECK(ordered(&p));
	CHECK(count(&p, KP_SESSION_DEL) == 2);	/* 2 (re-create) and 9 */
	CHECK(count(&p, KP_SESSION_ADD) == 1 && count(&p, KP_FLOW_DEL) == 1);
	CHECK(count(&p, KP_FLOW_ADD) == 2);	/* rtcp fixed + session 2's */
	CHECK(count(&p, KP_KEY_DEL) == 0);
	CHECK(count(&p, KP_KEY_ADD) == 1);	/* session 2's key back */
	for (i = 0; i < p.n; i++) {
		if (p.a[i].op == KP_SESSION_ADD)
			CHECK(p.a[i].session.id == 2 && p.a[i].session.on_fail == 1);
		if (p.a[i].op == KP_KEY_ADD)
			CHECK(p.a[i].session_id == 2 && p.a[i].mtk_id == 3);
		if (p.a[i].op == KP_FLOW_DEL)
			CHECK(p.a[i].flow.session_id == 1 && p.a[i].flow.dport == 5005);
	}
	kplan_free(&p);
}

/* Someone else's flow on our (dst, port): moved to our session. */
static void test_flow_conflict(void)
{
	struct mbms_session ks[2];
	struct mbms_flow kf[1];
	struct kplan p;

	kernel_session_from_config(&cfg.sessions[0], &ks[0]);
	kernel_session_from_config(&cfg.sessions[1], &ks[1]);
	kernel_flow_from_config(2, &cfg.sessions[0].flows[0], &kf[0]);
	store_init(&st);
	CHECK(kernel_plan(&cfg, &st, ks, 2, kf, 1, NULL, 0, &p) == 0);
	CHECK(count(&p, KP_FLOW_DEL) == 1 && count(&p, KP_FLOW_ADD) == 3);
	CHECK(p.a[0].op == KP_FLOW_DEL && p.a[0].flow.session_id == 2);
	kplan_free(&p);
}

static const uint8_t KD1[3] = { 0, 0, 1 };

/* An MSK of key group 1 with the RFC 4771 policy and SRTP-ID ROC given. */
static struct store_msk *put_msk(uint16_t kn, uint8_t mode, uint16_t rate,
				 bool has_roc, uint32_t roc, uint64_t now)
{
	static const uint8_t key[16] = { 3 }, rnd[16] = { 4 };
	struct store_msk *m = store_msk_put(&st, KD1, 1U << 16 | kn, key, rnd,
					    MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80,
					    now);

	CHECK(m != NULL);
	if (m) {
		m->rcc_mode = mode;
		m->rcc_rate = rate;
		m->has_roc = has_roc;
		m->roc = roc;
	}
	return m;
}

/*
 * The kernel session follows the RFC 4771 policy of its key group's
 * newest MSK (TS 33.246 §6.6.2.1: R comes in the MSK message); a kernel
 * session with another policy is re-created (sessions cannot change).
 */
static void test_rcc_session(void)
{
	struct mbms_session ks[2], want;
	struct kplan p;

	store_init(&st);
	kernel_session_want(&cfg.sessions[0], &st, &want);
	CHECK(!(want.flags & MBMS_SESSION_HAS_RCC) && want.rcc_mode == 0);
	put_msk(1, 2, 8, false, 0, 100);
	put_msk(2, 1, 16, false, 0, 200);	/* newer: it wins */
	kernel_session_want(&cfg.sessions[0], &st, &want);
	CHECK(want.flags & MBMS_SESSION_HAS_RCC);
	CHECK(want.rcc_mode == 1 && want.rcc_rate == 16);
	/* Group 2 has no MSK: no RFC 4771. */
	kernel_session_want(&cfg.sessions[1], &st, &want);
	CHECK(!(want.flags & MBMS_SESSION_HAS_RCC));

	CHECK(kernel_plan(&cfg, &st, NULL, 0, NULL, 0, NULL, 0, &p) == 0);
	CHECK(count(&p, KP_SESSION_ADD) == 2);
	CHECK(p.a[0].session.id == 1 && p.a[0].session.rcc_mode == 1 &&
	      p.a[0].session.rcc_rate == 16);
	kplan_free(&p);

	/* The kernel reports session 1 without RCC: delete and re-add. */
	kernel_session_from_config(&cfg.sessions[0], &ks[0]);
	ks[0].flags |= MBMS_SESSION_HAS_RCC;
	kernel_session_from_config(&cfg.sessions[1], &ks[1]);
	CHECK(kernel_plan(&cfg, &st, ks, 2, NULL, 0, NULL, 0, &p) == 0);
	CHECK(count(&p, KP_SESSION_DEL) == 1 && count(&p, KP_SESSION_ADD) == 1);
	CHECK(p.a[0].op == KP_SESSION_DEL && p.a[0].session.id == 1);
	kplan_free(&p);

	/* Same mode, other R: re-created too. */
	ks[0].rcc_mode = 1;
	ks[0].rcc_rate = 32;
	CHECK(kernel_plan(&cfg, &st, ks, 2, NULL, 0, NULL, 0, &p) == 0);
	CHECK(count(&p, KP_SESSION_DEL) == 1);
	kplan_free(&p);

	/* As wanted: kept.  A kernel that reports no RCC: kept as well. */
	ks[0].rcc_rate = 16;
	CHECK(kernel_plan(&cfg, &st, ks, 2, NULL, 0, NULL, 0, &p) == 0);
	CHECK(count(&p, KP_SESSION_DEL) == 0 && count(&p, KP_SESSION_ADD) == 0);
	kplan_free(&p);
	kernel_session_from_config(&cfg.sessions[0], &ks[0]);
	CHECK(kernel_plan(&cfg, &st, ks, 2, NULL, 0, NULL, 0, &p) == 0);
	CHECK(count(&p, KP_SESSION_DEL) == 0);
	kplan_free(&p);
}

/*
 * TS 33.246 §6.6.2.1 NOTE 3: the key group's SP said a 14-byte SRTP tag
 * (RCCm1/RCCm2): SESSION_NEW asks for it with the 80-bit suite; a kernel
 * session that reports another length is re-created, one that reports
 * 14 kept; a kernel that reports none (older module) is not compared.
 */
static void test_tag_len_session(void)
{
	struct mbms_session ks[2], want;
	struct store_msk *m;
	struct kplan p;

	store_init(&st);
	kernel_session_want(&cfg.sessions[0], &st, &want);
	CHECK(!(want.flags & MBMS_SESSION_HAS_TAG_LEN));
	m = put_msk(1, 1, 1, false, 0, 100);
	if (m)
		m->tag_len = 14;
	kernel_session_want(&cfg.sessions[0], &st, &want);
	CHECK((want.flags & MBMS_SESSION_HAS_TAG_LEN) && want.tag_len == 14);
	CHECK(want.suite == MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80);

	kernel_session_want(&cfg.sessions[0], &st, &ks[0]);
	kernel_session_from_config(&cfg.sessions[1], &ks[1]);
	ks[0].tag_len = 10;		/* the kernel has the suite's */
	CHECK(kernel_plan(&cfg, &st, ks, 2, NULL, 0, NULL, 0, &p) == 0);
	CHECK(count(&p, KP_SESSION_DEL) == 1 && count(&p, KP_SESSION_ADD) == 1);
	kplan_free(&p);
	ks[0].tag_len = 14;
	CHECK(kernel_plan(&cfg, &st, ks, 2, NULL, 0, NULL, 0, &p) == 0);
	CHECK(count(&p, KP_SESSION_DEL) == 0 && count(&p, KP_SESSION_ADD) == 0);
	kplan_free(&p);
	/* Group 2's session reports 10 and wants the suite's: kept. */
	ks[1].flags |= MBMS_SESSION_HAS_TAG_LEN;
	ks[1].tag_len = 10;
	CHECK(kernel_plan(&cfg, &st, ks, 2, NULL, 0, NULL, 0, &p) == 0);
	CHECK(count(&p, KP_SESSION_DEL) == 0);
	kplan_free(&p);
}

/*
 * KEY_NEW carries the ROC of the SRTP-ID map of the MSK message the MTK
 * came under (RFC 3830 §6.1.1, RFC 3711 §3.3.1: a late joiner must be
 * given the ROC by key management); none when the push had no map.
 */
static void test_key_roc(void)
{
	static const uint8_t key[16] = { 7 }, salt[14] = { 8 };
	struct mbms_key k;
	struct kplan p;
	size_t i;

	store_init(&st);
	put_msk(1, 0, 0, true, 5, 100);
	put_msk(2, 0, 0, false, 0, 200);
	CHECK(store_mtk_put(&st, 1, 1U << 16 | 1, 7, key, salt, 1) == 0);
	CHECK(store_mtk_put(&st, 1, 1U << 16 | 2, 8, key, salt, 2) == 0);
	for (i = 0; i < STORE_MAX_MTKS; i++) {
		const struct store_mtk *t = &st.mtk[i];

		if (!t->present)
			continue;
		kernel_key_from_store(&st, KD1, t, &k);
		CHECK(k.session_id == 1 && k.msk_id == t->msk_id &&
		      k.mtk_id == t->mtk_id);
		CHECK(!memcmp(k.master, key, 16) && !memcmp(k.salt, salt, 14));
		if (t->mtk_id == 7)
			CHECK((k.flags & MBMS_KEY_HAS_ROC) && k.roc == 5);
		else
			CHECK(!(k.flags & MBMS_KEY_HAS_ROC) && k.roc == 0);
		mbms_key_wipe(&k);
	}
	/* The reinstall path uses the same key. */
	CHECK(kernel_plan(&cfg, &st, NULL, 0, NULL, 0, NULL, 0, &p) == 0);
	CHECK(count(&p, KP_KEY_ADD) == 2);
	kplan_free(&p);
}

static void test_dry_run(void)
{
	struct kernel *k;
	char err[200];
	uint8_t key[16] = { 0 }, salt[14] = { 0 };
	struct store_mtk *t;

	log_init("mbmsd_kernel_test", LOG_LVL_ERR);
	k = kernel_open(true, err, sizeof(err));
	CHECK(k != NULL);
	CHECK(kernel_event_fd(k) == -1);
	store_init(&st);
	CHECK(kernel_reconcile(k, &cfg, &st) == 0);
	CHECK(store_mtk_put(&st, 1, 0x00010001, 1, key, salt, 1) == 0);
	t = &st.mtk[0];
	CHECK(t->present && kernel_install_mtk(k, &st, KD1, t) == 0);
	CHECK(kernel_remove_msk(k, 1, 0x00010001) == 0);
	CHECK(kernel_session_drop(k, 1) == 0);
	kernel_close(k);
}

int main(void)
{
	CHECK(config_load_string(CONF, "k.conf", &cfg, stderr) == 0);
	test_empty_kernel();
	test_in_sync();
	test_drift();
	test_flow_conflict();
	test_rcc_session();
	test_tag_len_session();
	test_key_roc();
	test_dry_run();
	CHECK_STR(kplan_op_name(KP_KEY_ADD), "key-add");
	return test_summary("mbmsd_kernel_test");
}
