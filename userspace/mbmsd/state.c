// SPDX-License-Identifier: GPL-2.0
/* mbmsd state: groups from the configuration, the store, the clocks. */
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "mbms/common.h"
#include "daemon.h"

uint64_t mbmsd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t mbmsd_random64(void *ctx)
{
	uint64_t v = 0;
	ssize_t n;

	(void)ctx;
	do {
		n = getrandom(&v, sizeof(v), 0);
	} while (n < 0 && errno == EINTR);
	return v;
}

const uint8_t *mbmsd_muk_bytes(const struct mbmsd *d, int slot, uint32_t gen)
{
	const struct store_muk *m;

	if (slot < 0 || slot > 1)
		return NULL;
	m = &d->store.muk[slot];
	return m->present && m->gen == gen ? m->ks_naf : NULL;
}

int mbmsd_save(struct mbmsd *d)
{
	char err[300];

	store_sync_from_policy(&d->store, &d->ue);
	if (!d->persist)
		return 0;
	if (store_save(d->cfg.state_dir, &d->store, err, sizeof(err))) {
		d->cnt.store_errors++;
		log_err("saving the key store: %s", err);
		return -1;
	}
	return 0;
}

int mbmsd_setup_state(struct mbmsd *d)
{
	char err[300];
	unsigned int i;
	int rc, dropped;
	size_t g;

	config_to_policy(&d->cfg, &d->pcfg);
	d->grace_until_ms = mbmsd_now_ms() + d->cfg.startup_grace_s * 1000ull;
	d->bmsc_reached = false;
	d->rng.fn = mbmsd_random64;
	d->rng.ctx = NULL;
	d->ngroups = 0;
	for (i = 0; i < d->cfg.nsessions; i++) {
		const struct mbmsd_session *s = &d->cfg.sessions[i];

		for (g = 0; g < d->ngroups; g++)
			if (d->groups[g].key_group == s->key_group &&
			    !memcmp(d->groups[g].key_domain, s->key_domain,
				    POL_KEY_DOMAIN_LEN))
				break;
		if (g < d->ngroups)
			continue;
		memset(&d->groups[g], 0, sizeof(d->groups[g]));
		memcpy(d->groups[g].key_domain, s->key_domain,
		       POL_KEY_DOMAIN_LEN);
		d->groups[g].key_group = s->key_group;
		d->ngroups++;
	}
	pol_ue_init(&d->ue, &d->pcfg, d->groups, d->ngroups);
	if (!d->persist) {
		store_init(&d->store);
		return 0;
	}
	rc = store_load(d->cfg.state_dir, &d->store, err, sizeof(err));
	if (rc < 0) {
		log_err("key store: %s (move the file away to start without keys)",
			err);
		return -1;
	}
	if (rc == 1) {
		log_info("key store: no state in %s yet, starting without keys",
			 d->cfg.state_dir);
		return 0;
	}
	/* Before the policy sees them: a refused MSK is not held. */
	dropped = mbmsd_drop_refused_msks(d);
	rc = store_restore_policy(&d->store, &d->ue);
	log_info("key store: restored %d MSK(s), MUK %s", rc,
		 d->ue.cur >= 0 ? d->store.muk[d->ue.cur].btid : "(none)");
	return dropped ? mbmsd_save(d) : 0;
}

bool mbmsd_rcc_allowed(struct mbmsd *d, const uint8_t *kd, uint32_t msk_id,
		       uint8_t suite, uint8_t tag_len,
		       const struct mikey_rcc *rcc, bool stored)
{
	uint16_t kg = pol_key_group(msk_id);
	bool tag32 = suite == MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32;
	unsigned int i;
	char set[16];

	/* The kernel sessions use the configured suite: it counts too. */
	for (i = 0; i < d->cfg.nsessions; i++) {
		const struct mbmsd_session *s = &d->cfg.sessions[i];

		if (s->key_group == kg &&
		    !memcmp(s->key_domain, kd, POL_KEY_DOMAIN_LEN) &&
		    s->suite == MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32)
			tag32 = true;
	}
	if (config_rcc_allowed(&d->cfg, rcc->mode, tag32))
		return true;
	log_warn("%sMSK 0x%08x %s: key group 0x%04x asks for RFC 4771 %s (R %u, %u-byte tag), not allowed by rcc_modes = %s%s",
		 stored ? "stored " : "", msk_id,
		 stored ? "dropped" : "refused", kg,
		 mikey_rcc_mode_name(rcc->mode), rcc->rate,
		 tag32 ? 4u : tag_len ? tag_len : 10u,
		 config_rcc_modes_str(d->cfg.rcc_modes, set, sizeof(set)),
		 tag32 && rcc->mode != MIKEY_RCC_MODE3 &&
		 (d->cfg.rcc_modes & (1u << rcc->mode)) ?
		 " (with the 4-byte tag, modes 1 and 2 carry the ROC without a MAC, as mode 3 does: they need mode 3 listed)" : "");
	return false;
}

int mbmsd_drop_refused_msks(struct mbmsd *d)
{
	struct mikey_rcc rcc;
	struct store_msk *sm;
	uint32_t id;
	size_t i;
	int n = 0;

	for (i = 0; i < STORE_MAX_MSKS; i++) {
		sm = &d->store.msk[i];
		if (!sm->present)
			continue;
		rcc.mode = sm->rcc_mode;
		rcc.rate = sm->rcc_rate;
		if (mbmsd_rcc_allowed(d, sm->key_domain, sm->msk_id, sm->suite,
				      sm->tag_len, &rcc, true))
			continue;
		id = sm->msk_id;
		store_mtk_del_msk(&d->store, id);
		store_msk_del(&d->store, sm->key_domain, id);
		n++;
	}
	return n;
}

int mbmsd_request_missing(struct mbmsd *d, uint64_t now)
{
	size_t g, k;
	int n = 0;

	for (g = 0; g < d->ngroups; g++) {
		for (k = 0; k < POL_MSKS_PER_GROUP; k++)
			if (d->groups[g].msk[k].present)
				break;
		if (k < POL_MSKS_PER_GROUP)
			continue;
		if (pol_request_trigger(&d->ue, &d->groups[g], now, &d->rng)) {
			log_info("key group 0x%04x holds no MSK: requesting the current one",
				 d->groups[g].key_group);
			n++;
		}
	}
	return n;
}
