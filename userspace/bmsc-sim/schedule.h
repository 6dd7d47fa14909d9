/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scenario timeline of bmsc-sim, computed once from the options: when
 * each MSK is delivered, when each MTK message is sent and repeated, which
 * MSK ID || MTK ID protects the stream at a given instant, and when the
 * scripted faults happen.  Pure computation, no I/O, so that it can be
 * unit-tested and so that the stream switches keys exactly on schedule.
 *
 * Time is in milliseconds since the simulator started.  MTK number k
 * (0-based, over the whole run) is in use during
 *   [start + k * period, start + (k + 1) * period)
 * and its MTK message is first sent delta before that, then every repeat
 * while the MTK is still pending or in use.  An MSK rollover at T moves to
 * the next MSK at the first MTK boundary at or after T; MTK IDs restart at
 * 1 under each MSK, as they must be strictly increasing per MSK only.
 */
#ifndef BMSC_SCHEDULE_H
#define BMSC_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCHED_MAX_ROLLOVERS	8
#define SCHED_MAX_MSKS		(SCHED_MAX_ROLLOVERS + 1)
#define SCHED_MAX_FAULTS	32
#define SCHED_MAX_EVENTS	100000
#define SCHED_MAX_DURATION_MS	(24ULL * 3600 * 1000)

/* How the UE is to learn a new MSK at a rollover. */
enum msk_delivery {
	MSK_DELIVER_PUSH,	/* MIKEY MSK push to every UE */
	MSK_DELIVER_PULL,	/* solicited pull; the UE asks over HTTP */
	MSK_DELIVER_NONE,	/* nothing: the UE notices the unknown MKI */
};

/* Scripted faults for the negative tests. */
enum fault_kind {
	FAULT_MSK_FORGED_MAC,	/* MSK message with a corrupted MAC */
	FAULT_MSK_REPLAY,	/* the last MSK message again, byte for byte */
	FAULT_MTK_FORGED_MAC,	/* next MTK message with a corrupted MAC */
	FAULT_MTK_REPLAY,	/* newest MTK's first message, byte for byte */
	FAULT_MTK_OUTSIDE,	/* valid MAC, MTK ID above the MSK's SEQu */
	FAULT_MTK_UNKNOWN_MSK,	/* MTK message under an MSK nobody has */
	FAULT_PULL_UNAUTH,	/* solicited pull with a MAC from a wrong key */
	FAULT_PULL_EXPIRED,	/* solicited pull with the last (expired) MUK */
	FAULT_SRTP_UNKNOWN_MSK,	/* burst of SRTP under an undelivered MSK */
	FAULT_HTTP_REFUSE,	/* HTTP listener closed (connection refused) */
	FAULT_HTTP_DROP,	/* requests counted, connection dropped */
	FAULT_HTTP_503,		/* requests answered 503 + Retry-After */
	__FAULT_COUNT,
};

struct sched_fault {
	enum fault_kind kind;
	uint64_t at_ms;
	uint64_t until_ms;	/* HTTP outages: end of the window */
	uint32_t count;		/* SRTP burst: number of packets */
};

struct sched_cfg {
	uint64_t duration_ms;
	uint64_t start_ms;	/* first MTK in use; the stream starts here */
	uint64_t mtk_period_ms;	/* N: a new MTK every N */
	uint64_t mtk_delta_ms;	/* MTK message sent this long before use */
	uint64_t mtk_repeat_ms;	/* R: resend period, 0 = send once */
	/* A new MSK is delivered this long before its first MTK message. */
	uint64_t msk_lead_ms;
	uint64_t rollover_ms[SCHED_MAX_ROLLOVERS];
	size_t n_rollovers;
	enum msk_delivery rollover_delivery;
	uint64_t pull_ms[SCHED_MAX_ROLLOVERS];	/* extra solicited pulls */
	size_t n_pulls;
	struct sched_fault faults[SCHED_MAX_FAULTS];
	size_t n_faults;
};

enum sched_kind {
	SCHED_MSK_NEW,		/* MSK msk becomes the current one */
	SCHED_MSK_PUSH,		/* push MSK msk to every UE */
	SCHED_PULL,		/* solicited pull for the current MSK */
	SCHED_MTK,		/* MTK message for (msk, mtk_id) */
	/* An outage ending when another begins ends first. */
	SCHED_FAULT_END,	/* cfg->faults[fault] ends (HTTP outages) */
	SCHED_FAULT,		/* cfg->faults[fault] starts */
	SCHED_END,		/* the run is over */
};

struct sched_event {
	uint64_t t_ms;
	enum sched_kind kind;
	uint16_t msk;		/* MSK index 0..n_rollovers */
	uint16_t mtk_id;
	bool repeat;		/* an MTK message sent before */
	uint32_t fault;		/* index into cfg->faults */
};

struct sched {
	struct sched_cfg cfg;
	uint64_t n_mtks;			/* MTKs over the whole run */
	uint64_t first_mtk[SCHED_MAX_MSKS];	/* global MTK number */
	size_t n_msks;
	struct sched_event *ev;			/* sorted by time */
	size_t n_ev;
};

/*
 * Check @cfg and build the timeline into @s (which owns the event array;
 * free with sched_free()).  Returns 0, or -1 with a message in @err.
 */
int sched_build(const struct sched_cfg *cfg, struct sched *s,
		char *err, size_t errlen);
void sched_free(struct sched *s);

/* When MTK number @k comes into use. */
uint64_t sched_mtk_use_ms(const struct sched *s, uint64_t k);

/* The MSK index and MTK ID of MTK number @k. */
void sched_mtk_ids(const struct sched *s, uint64_t k, uint16_t *msk,
		   uint16_t *mtk_id);

/*
 * The key protecting the stream at @t_ms: false before the stream starts
 * or after the run ends.
 */
bool sched_key_at(const struct sched *s, uint64_t t_ms, uint16_t *msk,
		  uint16_t *mtk_id);

/*
 * The highest MTK ID (and SEQu) the BM-SC may use: TS 33.246 §6.3.3.1 and
 * §6.4.5.1 forbid the maximum value, 0xffff for the 2-byte MTK ID.
 */
#define SCHED_MTK_ID_MAX	0xfffe

/* The highest MTK ID used under MSK @msk (its SEQu must cover it). */
uint16_t sched_last_mtk_id(const struct sched *s, uint16_t msk);

const char *fault_name(enum fault_kind k);
/* Parse a fault name; -1 if unknown. */
int fault_parse(const char *name);
const char *msk_delivery_name(enum msk_delivery d);
int msk_delivery_parse(const char *name);

#endif /* BMSC_SCHEDULE_H */
