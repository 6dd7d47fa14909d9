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
	dropped = rx_drop_refused_msks(d);
	rc = store_restore_policy(&d->store, &d->ue);
	log_info("key store: restored %d MSK(s), MUK %s", rc,
		 d->ue.cur >= 0 ? d->store.muk[d->ue.cur].btid : "(none)");
	return dropped ? mbmsd_save(d) : 0;
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
