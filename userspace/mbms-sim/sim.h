/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbms-sim: a deterministic, seeded discrete-event simulation of N MBMS
 * receivers and one BM-SC around one MSK change, driving every receiver
 * through mbmsd's own decision code (libmbmspolicy.a, policy.h) so that
 * the numbers describe what the daemon does, not what a model of it does.
 *
 * Scenario (times in seconds of simulated time):
 *
 *   change_s            the BM-SC makes a new MSK (Key Number 2) current and
 *                       sends every UE a solicited pull, protected with the
 *                       last MUK it negotiated with that UE (expired or not)
 *   change_s + lead_s   traffic under the new MSK starts (MTK 1 in use); its
 *                       MTK messages go out mtk_delta_s earlier
 *
 * A UE that misses the pull (UDP loss, offline) or rejects it (strict policy
 * and an expired MUK) recovers like mbmsd: the kernel raises unknown-MKI
 * events once packets under the new MSK arrive, which become a rate-limited
 * MSK request through pol_unknown_mki().
 */
#ifndef MBMS_SIM_H
#define MBMS_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../mbmsd/policy.h"

/* A distribution of durations in seconds. */
enum sim_dist_kind { SIM_DIST_FIXED, SIM_DIST_UNIFORM, SIM_DIST_EXP };

struct sim_dist {
	enum sim_dist_kind kind;
	double a, b;		/* fixed: a; uniform: [a, b]; exp: mean a */
};

struct sim_params {
	uint32_t n_ue;
	uint64_t seed;
	enum pol_muk_mode mode;
	uint32_t jitter_ms;		/* mbmsd's request jitter window */
	/*
	 * GBA key lifetime of every bootstrap; an unexpired key at the
	 * change has a residual life uniform in [0, lifetime].
	 */
	struct sim_dist lifetime;
	double expired;			/* fraction of MUKs expired at change */
	double pull_loss;		/* UDP loss of a solicited pull */
	double push_loss;		/* UDP loss of an MSK push / verification */
	double offline;			/* fraction offline at the change ... */
	double offline_max_s;		/* ... back uniformly within this */
	double change_s;
	double lead_s;			/* MSK change to first use of the MSK */
	double mtk_period_s;		/* a new MTK every period */
	double mtk_delta_s;		/* MTK messages precede use by delta */
	double mtk_repeat_s;		/* and are resent every repeat */
	double capacity;		/* BM-SC requests served per second */
	double queue_max_s;		/* longer wait: 503 with Retry-After */
	uint32_t retry_after_s;
	double pull_rate;		/* pulls sent per second, 0: at once */
	uint32_t pull_retries;		/* resends when the UE stays silent */
	double pull_timeout_s;
	uint32_t push_retries;		/* resends without a verification */
	double push_timeout_s;
	double rtt_s;			/* HTTP round trip */
	double gba_s;			/* one GBA bootstrap run */
	double push_delay_s;		/* 200 sent to MIKEY push arrival */
	double horizon_s;		/* simulated time to stop at */
	uint32_t mki_interval_ms;	/* kernel unknown-MKI event limit */
	/*
	 * What-if (not mbmsd's behaviour): an MTK message naming an unknown
	 * MSK triggers an MSK request, as the contribution's delta option
	 * assumes.  mbmsd refuses to: such a message is unverifiable.
	 */
	bool mtk_trigger;
	/*
	 * Hostile traffic per UE: forged pulls (no valid MAC) and replays
	 * of the genuine pull, after the UE got it.
	 */
	uint32_t forged_per_ue;
	uint32_t replays_per_ue;
};

/* Defaults: the "default" preset. */
void sim_params_default(struct sim_params *p);
/* Apply a named preset; -1 if unknown. */
int sim_preset(struct sim_params *p, const char *name);
/* Names of the presets, NULL-terminated. */
extern const char *const sim_preset_names[];
/* Check ranges; 0, or -1 with a message naming the bad parameter. */
int sim_params_check(const struct sim_params *p, char *err, size_t errlen);

struct sim_result {
	struct sim_params p;
	/* key-management messages, totals over all UEs */
	uint64_t mikey_pull, mikey_push, mikey_verif;	/* sent, lost or not */
	uint64_t http_req, http_200, http_401, http_503;
	uint64_t bootstraps;
	/* what the UEs did with the genuine pulls they received */
	uint64_t pull_delivered, pull_accepted, pull_accepted_expired;
	uint64_t pull_rejected;
	uint64_t push_rejected;		/* pushes that failed the MAC check */
	/*
	 * pushes accepted under a MUK that is not the UE's last generated
	 * one: no verification message (TS 33.246 §6.3.2.3.1)
	 */
	uint64_t verif_withheld;
	uint64_t mki_triggers;		/* requests started by unknown MKI */
	uint64_t mtk_triggers;		/* ... by an MTK message (what-if) */
	/* hostile traffic */
	uint64_t hostile_delivered, hostile_accepted;
	/* policy counters: MAC failures, replays, expired-MUK refusals */
	uint64_t rejected_auth, rejected_replay, rejected_expired;
	/* MSK-update delay, ms, sorted; UINT64_MAX = not updated in time */
	uint64_t *delay_ms;
	uint64_t updated;
	uint64_t online_at_start, missed_start;
	/* BM-SC request arrivals per second of simulated time */
	uint32_t *rate;
	size_t nrate;
	uint32_t peak_rate;
	size_t peak_at_s;
	uint64_t events;
	double wall_s;
};

int sim_run(const struct sim_params *p, struct sim_result *r);
void sim_result_free(struct sim_result *r);

/* Delay quantile @q in seconds (INFINITY when beyond the updated UEs). */
double sim_delay_quantile(const struct sim_result *r, double q);

/* Key-management messages of all kinds sent (totals). */
uint64_t sim_total_msgs(const struct sim_result *r);

/* ---- helpers shared by the modules ------------------------------------ */

uint64_t sim_mix64(uint64_t x);
/* Uniform in [0, 1) from the hash of (seed, what, ue, n). */
double sim_u01(uint64_t seed, uint32_t what, uint32_t ue, uint32_t n);
uint64_t sim_splitmix_next(void *ctx);
/* A duration in ms drawn with uniform @u in [0, 1). */
uint64_t sim_dist_draw_ms(const struct sim_dist *d, double u);
int sim_dist_parse(const char *s, struct sim_dist *d, char *err,
		   size_t errlen);
void sim_dist_format(const struct sim_dist *d, char *buf, size_t len);

#endif /* MBMS_SIM_H */
