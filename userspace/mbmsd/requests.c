// SPDX-License-Identifier: GPL-2.0
/*
 * mbmsd MSK requests: turn the policy's due requests into worker jobs and
 * the worker's results into policy input, MUK changes and log lines.
 *
 * A request that needs a fresh GBA key runs as two worker jobs (worker.h):
 * the bootstrap, then -- once its key is registered here -- the HTTP
 * request.  The policy's request stays IN_FLIGHT across both.
 */
#include <stdlib.h>
#include <string.h>

#include "mbms/common.h"
#include "daemon.h"

int requests_make_job(struct mbmsd *d, const struct pol_request *rq,
		      struct worker_job *job)
{
	const struct pol_group *g = rq->group;
	const struct pol_muk *cur = pol_muk_current(&d->ue);
	struct gba_keys k;

	memset(job, 0, sizeof(*job));
	job->group = (size_t)(g - d->groups);
	if (rq->bootstrap_first || !cur ||
	    !mbmsd_muk_bytes(d, d->ue.cur, cur->gen)) {
		/* A fresh key first (or nothing to sign with). */
		job->task = WORKER_BOOTSTRAP;
		snprintf(job->gba_cmd, sizeof(job->gba_cmd), "%s",
			 d->cfg.gba_cmd);
		job->gba_timeout_s = d->cfg.gba_timeout_s;
		return 0;
	}
	job->task = WORKER_HTTP;
	snprintf(job->req.base_uri, sizeof(job->req.base_uri), "%s",
		 d->cfg.bmsc_uri);
	/* TS 33.220 §5.3 / TS 24.109 §5.2: the NAF's Digest realm. */
	snprintf(job->req.realm, sizeof(job->req.realm),
		 "3GPP-bootstrapping@%s", d->cfg.bmsc_fqdn);
	/* Key Number 0: "the current MSK" of the group (§6.3.2.2.4). */
	memcpy(job->req.msks[0].key_domain, g->key_domain, POL_KEY_DOMAIN_LEN);
	job->req.msks[0].msk_id = (uint32_t)g->key_group << 16 |
				  POL_KEY_NUMBER_CURRENT;
	job->req.nmsks = 1;
	memset(&k, 0, sizeof(k));
	memcpy(k.ks_naf, d->store.muk[d->ue.cur].ks_naf, GBA_KEY_LEN);
	if (gba_derive(&k)) {
		gba_keys_wipe(&k);
		secure_zero(job, sizeof(*job));
		return -1;
	}
	snprintf(job->req.btid, sizeof(job->req.btid), "%s",
		 d->store.muk[d->ue.cur].btid);
	memcpy(job->req.password, k.password, sizeof(job->req.password));
	job->muk_gen = cur->gen;
	gba_keys_wipe(&k);
	return 0;
}

/* Hand @job over, or fail the group's request.  Wipes @job. */
static void submit(struct mbmsd *d, struct pol_group *g,
		   struct worker_job *job, uint64_t now)
{
	if (!d->worker || worker_submit(d->worker, job)) {
		log_err("cannot start the MSK request for key group 0x%04x",
			g->key_group);
		pol_request_result(&d->ue, g, POL_RES_FAILED, 0, 0, now,
				   &d->rng);
	}
	secure_zero(job, sizeof(*job));
}

void requests_dispatch(struct mbmsd *d, uint64_t now)
{
	struct pol_request rq;
	struct worker_job *job;

	/*
	 * One job at a time: a bootstrap finishes before the next request
	 * is built, so two groups never bootstrap back to back.
	 */
	if (!d->worker || worker_busy(d->worker))
		return;
	if (!pol_take_due(&d->ue, now, &rq))
		return;
	job = calloc(1, sizeof(*job));
	if (!job || requests_make_job(d, &rq, job)) {
		log_err("cannot start the MSK request for key group 0x%04x",
			rq.group->key_group);
		pol_request_result(&d->ue, rq.group, POL_RES_FAILED, 0, 0, now,
				   &d->rng);
	} else {
		log_info("MSK request for key group 0x%04x%s",
			 rq.group->key_group,
			 job->task == WORKER_BOOTSTRAP ?
			 " (GBA bootstrap first)" : "");
		submit(d, rq.group, job, now);
	}
	if (job) {
		secure_zero(job, sizeof(*job));
		free(job);
	}
}

int requests_bootstrapped(struct mbmsd *d, struct worker_result *res,
			  struct worker_job *next)
{
	struct pol_request rq = { 0 };
	struct store_muk *m;
	uint64_t expires;
	uint32_t gen;
	int slot;

	if (res->task != WORKER_BOOTSTRAP || !res->bootstrapped ||
	    res->group >= d->ngroups)
		return -1;
	/* The BSF's lifetime runs from the bootstrap, not from our use. */
	expires = res->bootstrap_ms + res->keys.lifetime_s * 1000;
	gen = d->store.next_gen++;
	slot = pol_muk_bootstrapped(&d->ue, gen, expires);
	m = &d->store.muk[slot];
	secure_zero(m, sizeof(*m));
	m->present = true;
	m->gen = gen;
	m->expires_ms = expires;
	memcpy(m->ks_naf, res->keys.ks_naf, sizeof(m->ks_naf));
	snprintf(m->btid, sizeof(m->btid), "%s", res->keys.btid);
	d->cnt.bootstraps++;
	log_info("GBA bootstrap: B-TID %s, key lifetime %llu s",
		 res->keys.btid, (unsigned long long)res->keys.lifetime_s);
	/* On disk (atomically) before the BM-SC can use it. */
	mbmsd_save(d);
	rq.group = &d->groups[res->group];
	rq.bootstrap_first = false;
	return requests_make_job(d, &rq, next);
}

/*
 * The start-up grace (daemon.h): an HTTP request that found no BM-SC
 * listening, before any BM-SC answer and within startup_grace seconds of
 * the start, is a retry, not a failed request.  True if it was one.
 */
static bool grace_retry(struct mbmsd *d, struct pol_group *g,
			struct worker_result *res, uint64_t now)
{
	if (!res->out.not_reached) {
		d->bmsc_reached = true;
		return false;
	}
	if (d->bmsc_reached || now >= d->grace_until_ms)
		return false;
	d->cnt.requests_retried++;
	pol_request_retry(&d->ue, g, now, &d->rng);
	snprintf(d->last_outcome[res->group], sizeof(d->last_outcome[0]),
		 "BM-SC not reachable yet (start-up grace): %.200s",
		 res->out.detail);
	log_info("MSK request for key group 0x%04x: %s; start-up grace: BM-SC not up yet, retry in %llu ms (grace ends in %llu s)",
		 g->key_group, res->out.detail,
		 (unsigned long long)(g->req.due > now ? g->req.due - now : 0),
		 (unsigned long long)((d->grace_until_ms - now + 999) / 1000));
	return true;
}

void requests_complete(struct mbmsd *d, struct worker_result *res,
		       uint64_t now)
{
	struct worker_job *next;
	struct pol_group *g;

	if (res->group >= d->ngroups)
		goto out;
	g = &d->groups[res->group];
	if (res->task == WORKER_BOOTSTRAP && res->bootstrapped) {
		next = calloc(1, sizeof(*next));
		if (!next || requests_bootstrapped(d, res, next)) {
			log_err("cannot start the MSK request for key group 0x%04x",
				g->key_group);
			pol_request_result(&d->ue, g, POL_RES_FAILED, 0, 0, now,
					   &d->rng);
			mbmsd_save(d);
		} else {
			submit(d, g, next, now);
		}
		if (next) {
			secure_zero(next, sizeof(*next));
			free(next);
		}
		goto out;
	}
	if (res->task == WORKER_HTTP && grace_retry(d, g, res, now))
		goto out;
	if (res->bootstrap_failed) {
		d->cnt.bootstrap_failures++;
		log_warn("GBA bootstrap failed: %s", res->bootstrap_err);
	}
	if (res->out.result == POL_RES_OK)
		d->cnt.requests_ok++;
	else
		d->cnt.requests_failed++;
	snprintf(d->last_outcome[res->group], sizeof(d->last_outcome[0]), "%s",
		 res->out.detail);
	log_info("MSK request for key group 0x%04x: %s", g->key_group,
		 res->out.detail);
	pol_request_result(&d->ue, g, res->out.result, res->out.retry_after_ms,
			   res->muk_gen, now, &d->rng);
	mbmsd_save(d);
out:
	gba_keys_wipe(&res->keys);
}
