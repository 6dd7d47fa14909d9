// SPDX-License-Identifier: GPL-2.0
/* mbmsd kernel facade: the only caller of libmbmsnl.  See kernel.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "mbms/common.h"
#include "kernel.h"

struct kernel {
	struct mbms_nl *nl;	/* NULL in a dry run */
};

static const char *const op_names[] = {
	[KP_SESSION_DEL] = "session-del", [KP_FLOW_DEL] = "flow-del",
	[KP_KEY_DEL] = "key-del", [KP_SESSION_ADD] = "session-add",
	[KP_FLOW_ADD] = "flow-add", [KP_KEY_ADD] = "key-add",
};

const char *kplan_op_name(enum kplan_op op)
{
	return (unsigned int)op < ARRAY_SIZE(op_names) ? op_names[op] : "?";
}

/* ---- the plan (pure) ------------------------------------------------ */

void kernel_session_from_config(const struct mbmsd_session *s,
				struct mbms_session *out)
{
	memset(out, 0, sizeof(*out));
	out->id = s->id;
	out->suite = s->suite;
	out->mki_len = KERNEL_MKI_LEN;
	out->max_keys = KERNEL_MAX_KEYS;
	out->on_fail = s->on_fail;
	out->flags = MBMS_SESSION_HAS_SUITE | MBMS_SESSION_HAS_MKI_LEN |
		     MBMS_SESSION_HAS_MAX_KEYS | MBMS_SESSION_HAS_ON_FAIL;
}

void kernel_session_want(const struct mbmsd_session *s, const struct store *st,
			 struct mbms_session *out)
{
	const struct store_msk *m = store_msk_newest(st, s->key_domain,
						     s->key_group);

	kernel_session_from_config(s, out);
	/* Mode 0 is not sent: a kernel without RFC 4771 still takes it. */
	if (m && m->rcc_mode) {
		out->flags |= MBMS_SESSION_HAS_RCC;
		out->rcc_mode = m->rcc_mode;
		out->rcc_rate = m->rcc_rate;
	}
	/*
	 * An SRTP tag length from the SP that neither suite has (14 with
	 * RCCm1/RCCm2, TS 33.246 §6.6.2.1 NOTE 3): the 80-bit suite, whose
	 * SRTCP tag is kept, with that SRTP tag.
	 */
	if (m && m->tag_len) {
		out->suite = MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80;
		out->flags |= MBMS_SESSION_HAS_TAG_LEN;
		out->tag_len = m->tag_len;
	}
}

void kernel_key_from_store(const struct store *st, const uint8_t *kd,
			   const struct store_mtk *t, struct mbms_key *out)
{
	const struct store_msk *m = NULL;
	size_t i;

	for (i = 0; i < STORE_MAX_MSKS && !m; i++)
		if (st->msk[i].present && st->msk[i].msk_id == t->msk_id &&
		    !memcmp(st->msk[i].key_domain, kd, POL_KEY_DOMAIN_LEN))
			m = &st->msk[i];
	memset(out, 0, sizeof(*out));
	/*
	 * The kernel uses it for SSRCs first seen under this key: what a
	 * receiver joining after 2^16 packets needs (RFC 3711 §3.3.1).
	 */
	if (m && m->has_roc) {
		out->flags |= MBMS_KEY_HAS_ROC;
		out->roc = m->roc;
	}
	out->session_id = t->session_id;
	out->msk_id = t->msk_id;
	out->mtk_id = t->mtk_id;
	memcpy(out->master, t->key, sizeof(out->master));
	memcpy(out->salt, t->salt, sizeof(out->salt));
}

static void addr_from_config(const struct mbmsd_addr *a, struct mbms_addr *o)
{
	memset(o, 0, sizeof(*o));
	o->family = a->family;
	if (a->family == AF_INET)
		memcpy(&o->v4, a->a, 4);
	else
		memcpy(&o->v6, a->a, 16);
}

void kernel_flow_from_config(uint32_t session_id, const struct mbmsd_flow *f,
			     struct mbms_flow *out)
{
	memset(out, 0, sizeof(*out));
	out->session_id = session_id;
	addr_from_config(&f->dst, &out->dst);
	out->dport = f->dport;
	if (f->has_src) {
		out->flags |= MBMS_FLOW_HAS_SRC;
		addr_from_config(&f->src, &out->src);
	}
	if (f->rtcp)
		out->flags |= MBMS_FLOW_RTCP;
}

static bool addr_eq(const struct mbms_addr *a, const struct mbms_addr *b)
{
	if (a->family != b->family)
		return false;
	return a->family == AF_INET ? !memcmp(&a->v4, &b->v4, 4) :
				      !memcmp(&a->v6, &b->v6, 16);
}

/* Same match key (dst, dport, src) as the kernel uses. */
static bool flow_same_key(const struct mbms_flow *a, const struct mbms_flow *b)
{
	bool sa = a->flags & MBMS_FLOW_HAS_SRC, sb = b->flags & MBMS_FLOW_HAS_SRC;

	return a->dport == b->dport && addr_eq(&a->dst, &b->dst) && sa == sb &&
	       (!sa || addr_eq(&a->src, &b->src));
}

static bool flow_same(const struct mbms_flow *a, const struct mbms_flow *b)
{
	return flow_same_key(a, b) && a->session_id == b->session_id &&
	       !(a->flags & MBMS_FLOW_RTCP) == !(b->flags & MBMS_FLOW_RTCP);
}

/* The SRTP tag bytes @s asks for: its own, or its suite's. */
static unsigned int session_tag_len(const struct mbms_session *s)
{
	if (s->flags & MBMS_SESSION_HAS_TAG_LEN)
		return s->tag_len;
	return s->suite == MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32 ? 4 : 10;
}

static bool session_matches(const struct mbms_session *k,
			    const struct mbms_session *want)
{
	/* Only what the kernel reported can be compared. */
	if ((k->flags & MBMS_SESSION_HAS_SUITE) && k->suite != want->suite)
		return false;
	if ((k->flags & MBMS_SESSION_HAS_ON_FAIL) && k->on_fail != want->on_fail)
		return false;
	if ((k->flags & MBMS_SESSION_HAS_MKI_LEN) && k->mki_len != want->mki_len)
		return false;
	if ((k->flags & MBMS_SESSION_HAS_MAX_KEYS) &&
	    k->max_keys != want->max_keys)
		return false;
	if ((k->flags & MBMS_SESSION_HAS_RCC) &&
	    (k->rcc_mode != want->rcc_mode ||
	     (want->rcc_mode && k->rcc_rate != want->rcc_rate)))
		return false;
	if ((k->flags & MBMS_SESSION_HAS_TAG_LEN) &&
	    k->tag_len != session_tag_len(want))
		return false;
	return true;
}

static struct kplan_action *push(struct kplan *p, enum kplan_op op)
{
	struct kplan_action *a;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;

		a = realloc(p->a, cap * sizeof(*a));
		if (!a)
			return NULL;
		p->a = a;
		p->cap = cap;
	}
	a = &p->a[p->n++];
	memset(a, 0, sizeof(*a));
	a->op = op;
	return a;
}

void kplan_free(struct kplan *plan)
{
	free(plan->a);
	memset(plan, 0, sizeof(*plan));
}

static const struct mbmsd_session *cfg_session(const struct mbmsd_config *c,
					       uint32_t id)
{
	unsigned int i;

	for (i = 0; i < c->nsessions; i++)
		if (c->sessions[i].id == id)
			return &c->sessions[i];
	return NULL;
}

static int cmp_op(const void *a, const void *b)
{
	const struct kplan_action *x = a, *y = b;

	return (int)x->op - (int)y->op;
}

int kernel_plan(const struct mbmsd_config *cfg, const struct store *st,
		const struct mbms_session *ks, size_t nks,
		const struct mbms_flow *kf, size_t nkf,
		const struct mbms_key *kk, size_t nkk, struct kplan *plan)
{
	/* Per configured session: present and kept as it is? */
	bool kept[MBMSD_MAX_SESSIONS] = { false };
	struct mbms_flow want;
	struct mbms_session ws;
	struct kplan_action *a;
	unsigned int i, f;
	size_t j, m;
	bool found;

	memset(plan, 0, sizeof(*plan));
	for (j = 0; j < nks; j++) {
		const struct mbmsd_session *s = cfg_session(cfg, ks[j].id);

		if (s) {
			kernel_session_want(s, st, &ws);
			if (session_matches(&ks[j], &ws)) {
				kept[s - cfg->sessions] = true;
				continue;
			}
		}
		/* Unknown to the configuration, or different: delete. */
		a = push(plan, KP_SESSION_DEL);
		if (!a)
			goto oom;
		a->session.id = ks[j].id;
	}
	for (i = 0; i < cfg->nsessions; i++) {
		if (kept[i])
			continue;
		a = push(plan, KP_SESSION_ADD);
		if (!a)
			goto oom;
		kernel_session_want(&cfg->sessions[i], st, &a->session);
	}
	/* Flows: keep exact matches on kept sessions, delete the rest. */
	for (j = 0; j < nkf; j++) {
		const struct mbmsd_session *s = cfg_session(cfg, kf[j].session_id);

		found = false;
		if (s && kept[s - cfg->sessions])
			for (f = 0; f < s->nflows && !found; f++) {
				kernel_flow_from_config(s->id, &s->flows[f],
							&want);
				found = flow_same(&kf[j], &want);
			}
		if (found)
			continue;
		/* Flows of a deleted session go with it. */
		if (s && !kept[s - cfg->sessions])
			continue;
		if (!s) {
			for (m = 0; m < nks; m++)
				if (ks[m].id == kf[j].session_id)
					break;
			if (m < nks)
				continue;
		}
		a = push(plan, KP_FLOW_DEL);
		if (!a)
			goto oom;
		a->flow = kf[j];
	}
	for (i = 0; i < cfg->nsessions; i++) {
		const struct mbmsd_session *s = &cfg->sessions[i];

		for (f = 0; f < s->nflows; f++) {
			kernel_flow_from_config(s->id, &s->flows[f], &want);
			found = false;
			for (j = 0; kept[i] && j < nkf && !found; j++)
				found = flow_same(&kf[j], &want);
			if (found)
				continue;
			a = push(plan, KP_FLOW_ADD);
			if (!a)
				goto oom;
			a->flow = want;
		}
	}
	/* Keys: the store is the truth for kept sessions. */
	for (j = 0; j < nkk; j++) {
		const struct mbmsd_session *s = cfg_session(cfg, kk[j].session_id);

		if (!s || !kept[s - cfg->sessions])
			continue;	/* goes with its session */
		found = false;
		for (m = 0; m < STORE_MAX_MTKS && !found; m++)
			found = st->mtk[m].present &&
				st->mtk[m].session_id == kk[j].session_id &&
				st->mtk[m].msk_id == kk[j].msk_id &&
				st->mtk[m].mtk_id == kk[j].mtk_id;
		if (found)
			continue;
		a = push(plan, KP_KEY_DEL);
		if (!a)
			goto oom;
		a->session_id = kk[j].session_id;
		a->msk_id = kk[j].msk_id;
		a->mtk_id = kk[j].mtk_id;
	}
	for (m = 0; m < STORE_MAX_MTKS; m++) {
		const struct store_mtk *t = &st->mtk[m];
		const struct mbmsd_session *s;

		if (!t->present)
			continue;
		s = cfg_session(cfg, t->session_id);
		if (!s)
			continue;
		found = false;
		for (j = 0; kept[s - cfg->sessions] && j < nkk && !found; j++)
			found = kk[j].session_id == t->session_id &&
				kk[j].msk_id == t->msk_id &&
				kk[j].mtk_id == t->mtk_id;
		if (found)
			continue;
		a = push(plan, KP_KEY_ADD);
		if (!a)
			goto oom;
		a->session_id = t->session_id;
		a->msk_id = t->msk_id;
		a->mtk_id = t->mtk_id;
		a->mtk = t;
		a->key_domain = s->key_domain;
	}
	/*
	 * Deletions before additions, sessions before their flows and keys.
	 * qsort is not stable, but order within one kind does not matter.
	 */
	if (plan->n)
		qsort(plan->a, plan->n, sizeof(*plan->a), cmp_op);
	return 0;
oom:
	kplan_free(plan);
	return -1;
}

/* ---- execution -------------------------------------------------------- */

struct kernel *kernel_open(bool dry_run, char *err, size_t errlen)
{
	struct kernel *k = calloc(1, sizeof(*k));
	struct mbms_nl_err e = { 0 };
	int rc;

	if (!k) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (dry_run)
		return k;
	k->nl = mbms_nl_open(&e);
	if (!k->nl) {
		snprintf(err, errlen, "netlink: %s", e.msg[0] ? e.msg :
			 strerror(-e.code));
		free(k);
		return NULL;
	}
	rc = mbms_nl_events_subscribe(k->nl);
	if (rc < 0) {
		snprintf(err, errlen, "subscribing to kernel events: %s",
			 strerror(-rc));
		mbms_nl_close(k->nl);
		free(k);
		return NULL;
	}
	return k;
}

void kernel_close(struct kernel *k)
{
	if (!k)
		return;
	if (k->nl)
		mbms_nl_close(k->nl);
	free(k);
}

int kernel_event_fd(const struct kernel *k)
{
	return k->nl ? mbms_nl_events_fd(k->nl) : -1;
}

static const char *nl_why(struct kernel *k, int rc)
{
	const struct mbms_nl_err *e = mbms_nl_last_error(k->nl);

	return e && e->msg[0] ? e->msg : strerror(-rc);
}

static int exec_action(struct kernel *k, const struct store *st,
		       const struct kplan_action *a)
{
	struct mbms_key key;
	char d[64];
	int rc = 0;

	switch (a->op) {
	case KP_SESSION_DEL:
		log_info("kernel: deleting session %u (not as configured)",
			 a->session.id);
		rc = k->nl ? mbms_nl_session_del(k->nl, a->session.id) : 0;
		break;
	case KP_SESSION_ADD:
		if (a->session.rcc_mode)
			log_info("kernel: adding session %u (RFC 4771 RCCm%u, R %u)",
				 a->session.id, a->session.rcc_mode,
				 a->session.rcc_rate);
		else
			log_info("kernel: adding session %u", a->session.id);
		rc = k->nl ? mbms_nl_session_add(k->nl, &a->session) : 0;
		break;
	case KP_FLOW_DEL:
	case KP_FLOW_ADD:
		log_info("kernel: %s %s:%u session %u",
			 a->op == KP_FLOW_ADD ? "adding flow" : "deleting stale flow",
			 mbms_addr_str(&a->flow.dst, d, sizeof(d)),
			 a->flow.dport, a->flow.session_id);
		if (k->nl)
			rc = a->op == KP_FLOW_ADD ?
			     mbms_nl_flow_add(k->nl, &a->flow) :
			     mbms_nl_flow_del(k->nl, &a->flow);
		break;
	case KP_KEY_DEL:
		log_info("kernel: deleting stale key session %u MSK 0x%08x MTK %u",
			 a->session_id, a->msk_id, a->mtk_id);
		rc = k->nl ? mbms_nl_key_del(k->nl, a->session_id, a->msk_id,
					     a->mtk_id) : 0;
		break;
	case KP_KEY_ADD:
		log_info("kernel: reinstalling key session %u MSK 0x%08x MTK %u",
			 a->session_id, a->msk_id, a->mtk_id);
		kernel_key_from_store(st, a->key_domain, a->mtk, &key);
		rc = k->nl ? mbms_nl_key_add(k->nl, &key) : 0;
		mbms_key_wipe(&key);
		break;
	}
	if (rc < 0)
		log_err("kernel: %s failed: %s", kplan_op_name(a->op),
			nl_why(k, rc));
	return rc < 0 ? -1 : 0;
}

int kernel_reconcile(struct kernel *k, const struct mbmsd_config *cfg,
		     const struct store *st)
{
	struct mbms_session *ks = NULL;
	struct mbms_flow *kf = NULL;
	struct mbms_key *kk = NULL;
	size_t nks = 0, nkf = 0, nkk = 0, i;
	struct kplan plan;
	int rc, failed = 0;

	if (k->nl) {
		rc = mbms_nl_session_dump(k->nl, &ks, &nks);
		if (rc >= 0)
			rc = mbms_nl_flow_dump(k->nl, &kf, &nkf);
		if (rc >= 0)
			rc = mbms_nl_key_dump(k->nl, 0, &kk, &nkk);
		if (rc < 0) {
			log_err("kernel: dump failed: %s", nl_why(k, rc));
			failed = 1;
			goto out;
		}
	}
	if (kernel_plan(cfg, st, ks, nks, kf, nkf, kk, nkk, &plan)) {
		log_err("kernel: out of memory");
		failed = 1;
		goto out;
	}
	for (i = 0; i < plan.n; i++)
		failed += exec_action(k, st, &plan.a[i]) ? 1 : 0;
	kplan_free(&plan);
out:
	free(ks);
	free(kf);
	free(kk);
	return failed;
}

int kernel_install_mtk(struct kernel *k, const struct store *st,
		       const uint8_t *kd, const struct store_mtk *t)
{
	struct mbms_key mk;
	int rc = 0;

	kernel_key_from_store(st, kd, t, &mk);
	if (k->nl)
		rc = mbms_nl_key_add(k->nl, &mk);
	mbms_key_wipe(&mk);
	if (rc < 0) {
		log_err("kernel: installing MTK %u of MSK 0x%08x in session %u: %s",
			t->mtk_id, t->msk_id, t->session_id, nl_why(k, rc));
		return -1;
	}
	return 0;
}

int kernel_session_drop(struct kernel *k, uint32_t id)
{
	int rc;

	log_info("kernel: deleting session %u (new RFC 4771 policy)", id);
	if (!k->nl)
		return 0;
	rc = mbms_nl_session_del(k->nl, id);
	if (rc < 0 && rc != -ENOENT) {
		log_err("kernel: deleting session %u: %s", id, nl_why(k, rc));
		return -1;
	}
	return 0;
}

int kernel_remove_msk(struct kernel *k, uint32_t session_id, uint32_t msk_id)
{
	struct mbms_key *kk = NULL;
	size_t n = 0, i;
	int rc, failed = 0;

	if (!k->nl)
		return 0;
	rc = mbms_nl_key_dump(k->nl, session_id, &kk, &n);
	if (rc < 0) {
		log_err("kernel: key dump of session %u: %s", session_id,
			nl_why(k, rc));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (kk[i].msk_id != msk_id)
			continue;
		rc = mbms_nl_key_del(k->nl, session_id, msk_id, kk[i].mtk_id);
		if (rc < 0 && rc != -ENOENT) {
			log_err("kernel: deleting key %u of MSK 0x%08x: %s",
				kk[i].mtk_id, msk_id, nl_why(k, rc));
			failed++;
		}
	}
	free(kk);
	return failed ? -1 : 0;
}

struct ev_ctx {
	kernel_event_cb cb;
	void *arg;
};

static int ev_tramp(const struct mbms_event *ev, void *arg)
{
	struct ev_ctx *c = arg;

	c->cb(ev, c->arg);
	return 0;
}

int kernel_events(struct kernel *k, kernel_event_cb cb, void *arg)
{
	struct ev_ctx c = { cb, arg };

	if (!k->nl)
		return 0;
	return mbms_nl_events_recv(k->nl, ev_tramp, &c);
}

int kernel_session_stats(struct kernel *k, uint32_t id,
			 struct mbms_session *out)
{
	if (!k->nl)
		return -1;
	return mbms_nl_session_get(k->nl, id, out) < 0 ? -1 : 0;
}
