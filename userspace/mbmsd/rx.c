// SPDX-License-Identifier: GPL-2.0
/*
 * mbmsd receive paths: MIKEY datagrams and kernel events.
 *
 * Order on every path, as in WireGuard's receive path: check framing
 * (libmikey's decoder, bounded), cheap checks on unauthenticated fields
 * (policy), then the MAC -- at most two MAC computations per datagram, one
 * per candidate MUK -- then replay and policy, and only then store,
 * install, reply.  A message that does not authenticate changes nothing
 * but a counter.
 */
#include <string.h>

#include "mbms/common.h"
#include "mbms/nl.h"
#include "daemon.h"

/* One decoded message at a time: the loop is single-threaded. */
static struct mikey_msg msg;

static void count_decode_error(struct mbmsd *d, int rc,
			       const struct mikey_error *e, const char *where)
{
	if (rc > 0 && rc < __MIKEY_E_MAX)
		d->cnt.decode_errors[rc]++;
	log_debug("%s: dropped: %s", where, e->msg[0] ? e->msg :
		  mikey_strerror(rc));
}

static void for_group_sessions(struct mbmsd *d, const uint8_t *kd,
			       uint16_t kg, void (*fn)(struct mbmsd *d,
			       const struct mbmsd_session *s, void *arg),
			       void *arg)
{
	unsigned int i;

	for (i = 0; i < d->cfg.nsessions; i++) {
		const struct mbmsd_session *s = &d->cfg.sessions[i];

		if (s->key_group == kg &&
		    !memcmp(s->key_domain, kd, POL_KEY_DOMAIN_LEN))
			fn(d, s, arg);
	}
}

static void drop_session(struct mbmsd *d, const struct mbmsd_session *s,
			 void *arg)
{
	(void)arg;
	kernel_session_drop(d->kern, s->id);
}

static void remove_msk_from(struct mbmsd *d, const struct mbmsd_session *s,
			    void *arg)
{
	kernel_remove_msk(d->kern, s->id, *(const uint32_t *)arg);
}

/* What a key group's SP says, as mbmsd keeps it with each MSK. */
struct msk_policy {
	uint8_t suite;		/* enum mbms_srtp_suite */
	struct mikey_rcc rcc;	/* RFC 4771: the kernel session's */
	uint8_t tag_len;	/* SRTP tag bytes if not the suite's, else 0 */
};

/*
 * The SP's SRTP tag length (parameter 11) as the kernel session takes it:
 * 4 is the 32-bit suite, 10 the 80-bit one, any other length the 80-bit
 * suite (its SRTCP tag, TS 33.246 §6.6.2.1A NOTE 2) with that SRTP tag,
 * e.g. 14 for RCCm1/RCCm2 (§6.6.2.1 NOTE 3).  sp_tag_ok() refused the
 * lengths the kernel cannot do.
 */
static void policy_tag(const struct mikey_sp *sp, struct msk_policy *p)
{
	uint8_t tag = 10;

	mikey_sp_srtp_tag_len(sp, MBMS_SRTP_TAG_LEN_MIN, MBMS_SRTP_TAG_LEN_MAX,
			      &tag, NULL);
	if (tag == 4)
		p->suite = MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32;
	else if (tag != 10)
		p->tag_len = tag;
}

/*
 * The SP is optional in a push and the BM-SC may not change the policy
 * (TS 33.246 §6.4.5.1): without an SP, keep the policy last received for
 * the key group (the newest stored MSK of the group carries it, and the
 * store persists it); the default suite only when the group has none.
 * Falling back to the default would turn a 32-bit-tag service into an
 * 80-bit one and break it (or let a stripped SP change the tag length).
 * The RFC 4771 mode and R (§6.6.2.1) are kept the same way; @m's SPs were
 * checked by sp_rcc_ok().
 */
static struct msk_policy policy_for_msk(const struct mbmsd *d,
					const struct mikey_msg *m)
{
	struct msk_policy p = {
		.suite = MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80,
	};
	const struct store_msk *best;

	if (m->n_sp) {
		policy_tag(&m->sp[0], &p);
		mikey_sp_rcc(&m->sp[0], &p.rcc, NULL);
		return p;
	}
	best = store_msk_newest(&d->store, m->ext.key_domain,
				pol_key_group(m->ext.msk_id));
	if (best) {
		p.suite = best->suite;
		p.rcc.mode = best->rcc_mode;
		p.rcc.rate = best->rcc_rate;
		p.tag_len = best->tag_len;
	}
	return p;
}

/* The RFC 4771 mode and R a key group's kernel sessions have now. */
static struct mikey_rcc group_rcc(const struct mbmsd *d, const uint8_t *kd,
				  uint16_t kg)
{
	const struct store_msk *m = store_msk_newest(&d->store, kd, kg);
	struct mikey_rcc r = { 0, 0 };

	if (m && m->rcc_mode) {
		r.mode = m->rcc_mode;
		r.rate = m->rcc_rate;
	}
	return r;
}

/* The SRTP tag length (0: the suite's) a key group's sessions have now. */
static uint8_t group_tag_len(const struct mbmsd *d, const uint8_t *kd,
			     uint16_t kg)
{
	const struct store_msk *m = store_msk_newest(&d->store, kd, kg);

	return m ? m->tag_len : 0;
}

/*
 * Every SP of an authenticated MSK message must have RFC 4771 settings
 * libmikey can read (R of 1 or 2 bytes and not 0, a known auth alg): a
 * policy we cannot read is not kept half-understood.
 */
static bool sp_rcc_ok(struct mbmsd *d, const struct mikey_msg *m)
{
	struct mikey_error e;
	struct mikey_rcc rcc;
	size_t i;
	int rc;

	for (i = 0; i < m->n_sp; i++) {
		rc = mikey_sp_rcc(&m->sp[i], &rcc, &e);
		if (rc) {
			count_decode_error(d, rc, &e, "MSK message");
			return false;
		}
	}
	return true;
}

/* @m's policy: the SP's, or without one the key group's kept policy. */
static bool rcc_policy_allowed(struct mbmsd *d, const struct mikey_msg *m)
{
	struct msk_policy p = policy_for_msk(d, m);

	return mbmsd_rcc_allowed(d, m->ext.key_domain, m->ext.msk_id, p.suite,
				 p.tag_len, &p.rcc, false);
}

/*
 * Every SP of an authenticated MSK message must give an SRTP tag length
 * (parameter 11) the kernel can do: a BM-SC policy we cannot honour is
 * refused loudly, never turned into the 80-bit suite (whose packets would
 * all fail, or a shorter tag than the BM-SC chose).
 */
static bool sp_tag_ok(struct mbmsd *d, const struct mikey_msg *m)
{
	struct mikey_error e;
	uint8_t tag;
	size_t i;
	int rc;

	for (i = 0; i < m->n_sp; i++) {
		rc = mikey_sp_srtp_tag_len(&m->sp[i], MBMS_SRTP_TAG_LEN_MIN,
					   MBMS_SRTP_TAG_LEN_MAX, &tag, &e);
		if (rc) {
			count_decode_error(d, rc, &e, "MSK message");
			log_info("MSK message refused: %s", e.msg);
			return false;
		}
	}
	return true;
}

/* Try the candidate MUKs; the index that verified, or -1. */
static int verify_with_candidates(struct mbmsd *d, const struct pol_muk_ref *c,
				  size_t n, enum pol_reason *why)
{
	struct mikey_error e;
	const uint8_t *muk;
	size_t i;
	int rc;

	*why = POL_R_AUTH;
	for (i = 0; i < n; i++) {
		muk = mbmsd_muk_bytes(d, c[i].slot, c[i].gen);
		if (!muk)
			continue;
		rc = mikey_verify_decrypt(&msg, muk, MIKEY_MUK_LEN, NULL, 0, &e);
		if (rc == MIKEY_OK)
			return (int)i;
		if (rc != MIKEY_E_MAC) {
			/* Authentic but malformed key data: act on nothing. */
			count_decode_error(d, rc, &e, "MSK message");
			*why = POL_R_MALFORMED;
			return -1;
		}
	}
	return -1;
}

size_t rx_unicast(struct mbmsd *d, const uint8_t *buf, size_t len,
		  uint64_t now, uint8_t *reply, size_t cap)
{
	struct pol_muk_ref c[2];
	struct pol_msk_action act;
	struct mikey_error e;
	enum pol_msg_kind kind;
	enum pol_reason why;
	uint32_t msk_id, counter;
	uint64_t seql = 0, sequ = 0;
	bool recreate = false;
	size_t n, rlen = 0;
	int rc, ok;

	d->cnt.rx_datagrams++;
	rc = mikey_decode(buf, len, &msg, &e);
	if (rc) {
		count_decode_error(d, rc, &e, "unicast");
		goto out;
	}
	if ((msg.kind != MIKEY_KIND_MSK &&
	     msg.kind != MIKEY_KIND_SOLICITED_PULL) || !msg.ext.has_msk_id) {
		d->cnt.wrong_kind++;
		log_debug("unicast: dropped a %s message",
			  mikey_kind_name(msg.kind));
		goto out;
	}
	d->cnt.rx_msk_type++;
	msk_id = msg.ext.msk_id;
	kind = pol_classify_msk_msg(msk_id, msg.kemac.encr_len > 0, msg.hdr.v,
				    &why);
	if (kind == POL_MSG_INVALID) {
		pol_msk_msg_unauthenticated(&d->ue, why);
		goto out;
	}
	n = pol_muk_candidates(&d->ue, kind, now, c, &why);
	ok = n ? verify_with_candidates(d, c, n, &why) : -1;
	if (ok < 0) {
		/* Unauthenticated: counted, never acted upon. */
		pol_msk_msg_unauthenticated(&d->ue, why);
		log_debug("MSK-type message for MSK 0x%08x not accepted: %s",
			  msk_id, pol_reason_name(why));
		goto out;
	}
	if (kind != POL_MSG_SOLICITED_PULL) {
		if (msg.n_keys < 1 || !msg.has_rand ||
		    msg.rand_len != STORE_RAND_LEN) {
			pol_msk_msg_unauthenticated(&d->ue, POL_R_MALFORMED);
			goto out;
		}
		if (msg.keys[0].key_len == 0) {
			kind = POL_MSG_VALIDITY;
		} else if (msg.keys[0].key_len != STORE_KEY_LEN) {
			pol_msk_msg_unauthenticated(&d->ue, POL_R_MALFORMED);
			goto out;
		}
		seql = msg.keys[0].seql;
		sequ = msg.keys[0].sequ;
		if (seql > UINT32_MAX || sequ > UINT32_MAX ||
		    !sp_rcc_ok(d, &msg)) {
			pol_msk_msg_unauthenticated(&d->ue, POL_R_MALFORMED);
			goto out;
		}
		if (!sp_tag_ok(d, &msg)) {
			pol_msk_msg_unauthenticated(&d->ue, POL_R_MALFORMED);
			goto out;
		}
		/* Refused before its counter is taken: nothing changes. */
		if (!rcc_policy_allowed(d, &msg)) {
			pol_reject(&d->ue, POL_T_MSK, POL_R_RCC_REFUSED);
			goto out;
		}
	}
	counter = (uint32_t)msg.t.value;
	act = pol_msk_msg_authenticated(&d->ue, kind, &c[ok],
					msg.ext.key_domain, msk_id, counter,
					(uint32_t)seql, (uint32_t)sequ, now,
					&d->rng);
	if (act.verdict != POL_OK) {
		log_info("MSK-type message for MSK 0x%08x refused: %s", msk_id,
			 pol_reason_name(act.verdict));
		goto out;
	}
	if (act.drop_msk) {
		for_group_sessions(d, msg.ext.key_domain,
				   pol_key_group(act.dropped_msk_id),
				   remove_msk_from, &act.dropped_msk_id);
		store_mtk_del_msk(&d->store, act.dropped_msk_id);
		store_msk_del(&d->store, msg.ext.key_domain, act.dropped_msk_id);
		log_info("MSK 0x%08x dropped", act.dropped_msk_id);
	}
	if (act.store_msk) {
		struct msk_policy p = policy_for_msk(d, &msg);
		uint16_t kg = pol_key_group(msk_id);
		struct mikey_rcc before, after;
		uint8_t tag_before = group_tag_len(d, msg.ext.key_domain, kg);
		uint8_t tag_after;
		struct store_msk *sm;

		before = group_rcc(d, msg.ext.key_domain, kg);

		sm = store_msk_put(&d->store, msg.ext.key_domain, msk_id,
				   msg.keys[0].key, msg.rand, p.suite, now);
		if (!sm) {
			log_err("key store full: MSK 0x%08x not kept", msk_id);
		} else {
			sm->rcc_mode = p.rcc.mode;
			sm->rcc_rate = p.rcc.rate;
			sm->tag_len = p.tag_len;
			/*
			 * The stream's ROC when the BM-SC sent this: what a
			 * late joiner needs (RFC 3711 §3.3.1).  MBMS
			 * streaming has one CS (TS 33.246 §6.4.5).
			 */
			sm->has_roc = msg.hdr.map_type == MIKEY_MAP_SRTP_ID &&
				      msg.hdr.n_cs >= 1;
			sm->roc = sm->has_roc ? msg.hdr.srtp[0].roc : 0;
			after = group_rcc(d, msg.ext.key_domain, kg);
			if (before.mode != after.mode ||
			    before.rate != after.rate) {
				recreate = true;
				log_info("key group 0x%04x: RFC 4771 policy now %s R %u: its kernel sessions are re-created",
					 kg, mikey_rcc_mode_name(after.mode),
					 after.rate);
			}
			tag_after = group_tag_len(d, msg.ext.key_domain, kg);
			if (tag_before != tag_after) {
				recreate = true;
				if (tag_after)
					log_info("key group 0x%04x: SRTP tag length now %u: its kernel sessions are re-created",
						 kg, tag_after);
				else
					log_info("key group 0x%04x: SRTP tag length now the suite's: its kernel sessions are re-created",
						 kg);
			}
			log_info("MSK 0x%08x accepted (MTK IDs %llu..%llu)",
				 msk_id, (unsigned long long)seql + 1,
				 (unsigned long long)sequ);
		}
	} else if (kind == POL_MSG_VALIDITY && !act.drop_msk) {
		log_info("MSK 0x%08x validity now %llu..%llu", msk_id,
			 (unsigned long long)seql, (unsigned long long)sequ);
	}
	if (kind == POL_MSG_SOLICITED_PULL)
		log_info("solicited pull for key group 0x%04x accepted%s%s",
			 pol_key_group(msk_id),
			 c[ok].expired ? " under the expired last negotiated MUK" : "",
			 act.bootstrap_first ? ": GBA bootstrap before the request" : "");
	/* Persist before anything leaves: kill -9 loses nothing accepted. */
	mbmsd_save(d);
	/*
	 * A kernel session cannot change: delete and re-add it (with its
	 * flows and stored keys) under the new policy.
	 */
	if (recreate) {
		d->cnt.sessions_recreated++;
		for_group_sessions(d, msg.ext.key_domain, pol_key_group(msk_id),
				   drop_session, NULL);
		kernel_reconcile(d->kern, &d->cfg, &d->store);
	}
	/*
	 * V asks for a verification message, but a push under a MUK other
	 * than the last generated one is treated like a solicited pull and
	 * gets none (TS 33.246 §6.3.2.3.1, Annex D.1).
	 */
	if (msg.hdr.v && !pol_verification_due(&d->ue, &c[ok], true)) {
		d->cnt.verifications_withheld++;
		log_info("MSK 0x%08x came under a MUK that is not the last generated one: no verification message",
			 msk_id);
	} else if (msg.hdr.v) {
		const uint8_t *muk = mbmsd_muk_bytes(d, c[ok].slot, c[ok].gen);

		rc = muk ? mikey_encode_verification(&msg, muk, MIKEY_MUK_LEN,
						     reply, cap, &rlen, &e) :
			   MIKEY_E_KEY;
		if (rc) {
			log_err("cannot build the verification message: %s",
				mikey_strerror(rc));
			rlen = 0;
		} else {
			d->cnt.verifications_sent++;
		}
	}
out:
	mikey_msg_clear(&msg);
	return rlen;
}

struct install_arg {
	uint32_t msk_id;
	uint16_t mtk_id;
	const uint8_t *key, *salt;
	uint64_t now;
};

static void install_into(struct mbmsd *d, const struct mbmsd_session *s,
			 void *arg)
{
	const struct install_arg *a = arg;

	store_mtk_put(&d->store, s->id, a->msk_id, a->mtk_id, a->key, a->salt,
		      a->now);
}

static void install_kernel(struct mbmsd *d, const struct mbmsd_session *s,
			   void *arg)
{
	const struct install_arg *a = arg;
	const struct store_mtk *t = store_mtk_find(&d->store, s->id, a->msk_id,
						   a->mtk_id);

	if (!t || kernel_install_mtk(d->kern, &d->store, s->key_domain, t)) {
		d->cnt.install_errors++;
		return;
	}
	d->cnt.mtk_installed++;
	log_info("MTK %u of MSK 0x%08x installed in session %u (%s)",
		 a->mtk_id, a->msk_id, s->id, s->name);
}

void rx_mtk(struct mbmsd *d, const uint8_t *buf, size_t len, uint64_t now)
{
	struct install_arg ia;
	struct mikey_error e;
	struct store_msk *sm;
	struct pol_msk *pm;
	const struct mikey_key_data *k;
	uint32_t msk_id;
	uint16_t mtk_id;
	int rc;

	d->cnt.rx_datagrams++;
	rc = mikey_decode(buf, len, &msg, &e);
	if (rc) {
		count_decode_error(d, rc, &e, "bearer");
		goto out;
	}
	if (msg.kind != MIKEY_KIND_MTK || !msg.ext.has_msk_id ||
	    !msg.ext.has_mtk_id) {
		d->cnt.wrong_kind++;
		goto out;
	}
	d->cnt.rx_mtk++;
	msk_id = msg.ext.msk_id;
	mtk_id = msg.ext.mtk_id;
	/* Cheap checks first; an unknown MSK never causes a request. */
	if (pol_mtk_precheck(&d->ue, msg.ext.key_domain, msk_id, mtk_id, &pm))
		goto out;
	sm = store_msk_find(&d->store, msg.ext.key_domain, msk_id);
	if (!sm) {
		log_err("MSK 0x%08x known to the policy but not stored", msk_id);
		goto out;
	}
	rc = mikey_verify_decrypt(&msg, sm->key, STORE_KEY_LEN, sm->rand,
				  STORE_RAND_LEN, &e);
	if (rc == MIKEY_E_MAC) {
		pol_mtk_unauthenticated(&d->ue);
		log_debug("MTK %u of MSK 0x%08x: MAC mismatch", mtk_id, msk_id);
		goto out;
	}
	k = &msg.keys[0];
	if (rc || msg.n_keys < 1 || k->key_len != MBMS_SRTP_MASTER_KEY_LEN ||
	    !k->has_salt || k->salt_len != MBMS_SRTP_MASTER_SALT_LEN) {
		/* Authentic, but not an SRTP MTK we can install. */
		if (rc)
			count_decode_error(d, rc, &e, "MTK message");
		pol_reject(&d->ue, POL_T_MTK, POL_R_MALFORMED);
		goto out;
	}
	switch (pol_mtk_authenticated(&d->ue, pm, mtk_id, (uint32_t)msg.t.value)) {
	case POL_OK:
		break;
	case POL_R_MTK_OLD:
		/*
		 * The BM-SC's resend of an MTK already delivered: nothing to
		 * install, but its counter is now the replay floor; persist
		 * it so that a replay of this very message after a restart
		 * is still a replay.
		 */
		log_debug("MTK %u of MSK 0x%08x: resend (counter %u)", mtk_id,
			  msk_id, (uint32_t)msg.t.value);
		mbmsd_save(d);
		goto out;
	case POL_R_REPLAY:
		log_info("MTK %u of MSK 0x%08x: replayed (counter %u not newer)",
			 mtk_id, msk_id, (uint32_t)msg.t.value);
		goto out;
	default:
		goto out;
	}
	ia = (struct install_arg){ msk_id, mtk_id, k->key, k->salt, now };
	for_group_sessions(d, msg.ext.key_domain, pol_key_group(msk_id),
			   install_into, &ia);
	mbmsd_save(d);
	for_group_sessions(d, msg.ext.key_domain, pol_key_group(msk_id),
			   install_kernel, &ia);
out:
	mikey_msg_clear(&msg);
}

void rx_kernel_event(struct mbmsd *d, const struct mbms_event *ev,
		     uint64_t now)
{
	const struct mbmsd_session *s = NULL;
	enum pol_reason r;
	unsigned int i;

	d->cnt.kernel_events++;
	if (!(ev->flags & MBMS_EVENT_HAS_SESSION_ID) ||
	    !(ev->flags & MBMS_EVENT_HAS_MSK_ID))
		return;
	for (i = 0; i < d->cfg.nsessions; i++)
		if (d->cfg.sessions[i].id == ev->session_id)
			s = &d->cfg.sessions[i];
	if (!s)
		return;
	if (ev->reason != MBMS_SRTP_EVENT_UNKNOWN_MKI) {
		/* Soft limits: the BM-SC sends the next MTK on its own. */
		log_info("session %u: MTK %u of MSK 0x%08x: %s", s->id,
			 ev->mtk_id, ev->msk_id,
			 mbms_event_reason_name(ev->reason));
		return;
	}
	/* Rate-limited per key group by the policy: never one per packet. */
	r = pol_unknown_mki(&d->ue, s->key_domain, ev->msk_id, now, &d->rng);
	if (r == POL_OK)
		log_info("session %u: packets use unknown MSK 0x%08x: MSK request scheduled",
			 s->id, ev->msk_id);
	else
		log_debug("session %u: unknown MKI (MSK 0x%08x): %s", s->id,
			  ev->msk_id, pol_reason_name(r));
}
