/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbmsd policy: the pure decision code of the MBMS key-management daemon.
 *
 * Everything here is deterministic and free of I/O: no clock, no sockets,
 * no files, no key material, no allocation.  Time is passed in by the
 * caller as milliseconds on one clock of its choosing (mbmsd uses
 * CLOCK_REALTIME so that MUK expiry survives a restart; the simulator of
 * issue 6 uses its simulated clock), and randomness comes from a
 * caller-provided function, so that a discrete-event simulator can link
 * libmbmspolicy.a and drive hundreds of thousands of receivers with the
 * exact decisions the daemon makes.
 *
 * One receiver (a "UE") is one struct pol_ue: its two MUK slots, the key
 * groups it serves (each with at most two MSKs and one MSK-request state
 * machine) and counters by reason.  The caller owns the group array, so a
 * simulator can size it to one group and keep a UE at a few hundred bytes.
 *
 * The flow for an MSK-type MIKEY message (push, validity update or
 * solicited pull):
 *
 *   kind = pol_classify_msk_msg(...)          from the decoded, unverified
 *                                             header fields (cheap checks)
 *   n = pol_muk_candidates(ue, kind, now, c)  which MUK(s) may verify it:
 *                                             try c[0], then c[1]; at most
 *                                             two MAC checks per datagram
 *   pol_msk_msg_authenticated(ue, ..., c[i])  after one verified: replay
 *      or pol_msk_msg_unauthenticated(ue)     check, counters, MUK
 *                                             bookkeeping, the action
 *
 * The expired-MUK rule (S3 contribution in shared/reference, "relaxed",
 * the default): an MSK-type message protected with an expired MUK is
 * accepted only when it is a solicited pull and the MUK is the last
 * negotiated one; the daemon must then bootstrap GBA afresh before its
 * next HTTP request.  "strict" rejects every message under an expired MUK.
 * A message that verifies with no candidate never changes any state except
 * a rejection counter: an unauthenticated solicited pull triggers nothing.
 *
 * MSK requests: pol_request_trigger() asks for the current MSK of a key
 * group; the request is sent at a random time within the jitter window, at
 * most one per key group per window; the caller asks pol_next_due() when
 * to wake up, pol_take_due() for what to send, and reports the outcome
 * with pol_request_result().
 */
#ifndef MBMSD_POLICY_H
#define MBMSD_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "Never": a due time that is not set. */
#define POL_NEVER UINT64_MAX

/* Key Number 0x0000 in an MSK ID names "the current MSK" (solicited pull). */
#define POL_KEY_NUMBER_CURRENT 0x0000
#define POL_KEY_DOMAIN_LEN 3

static inline uint16_t pol_key_group(uint32_t msk_id)
{
	return (uint16_t)(msk_id >> 16);
}

static inline uint16_t pol_key_number(uint32_t msk_id)
{
	return (uint16_t)(msk_id & 0xffff);
}

/* ---- configuration, shared by every UE -------------------------------- */

enum pol_muk_mode {
	POL_MUK_RELAXED,	/* the seed's proposal (default) */
	POL_MUK_STRICT,		/* an expired MUK authenticates nothing */
};

struct pol_config {
	enum pol_muk_mode muk_mode;
	/*
	 * Jitter window: a triggered request goes out at a uniformly random
	 * time in [now, now + jitter_ms], and a key group sends at most one
	 * request per max(jitter_ms, min_interval_ms).  0 = no jitter.
	 */
	uint32_t jitter_ms;
	/* Floor of the per-key-group rate limit, even with jitter off. */
	uint32_t min_interval_ms;
	/* Bounded exponential backoff after a failed request. */
	uint32_t backoff_base_ms;
	uint32_t backoff_max_ms;
	/* A 503 Retry-After longer than this is clamped to it. */
	uint32_t retry_after_max_ms;
};

/* Defaults used by mbmsd when the configuration says nothing. */
void pol_config_default(struct pol_config *cfg);

/*
 * Randomness: return 64 uniformly random bits.  mbmsd passes a CSPRNG
 * (getrandom), the simulator a seeded PRNG.
 */
typedef uint64_t (*pol_rand_fn)(void *ctx);

struct pol_rng {
	pol_rand_fn fn;
	void *ctx;
};

/* Uniform in [0, n]; 0 when n is 0.  Unbiased (rejection sampling). */
uint64_t pol_rand_upto(const struct pol_rng *rng, uint64_t n);

/* ---- reasons, for counters and logs ------------------------------------ */

enum pol_reason {
	POL_OK,
	POL_R_MALFORMED,	/* fields that contradict the profile */
	POL_R_NO_MUK,		/* no MUK at all: never bootstrapped */
	POL_R_MUK_EXPIRED,	/* only an expired MUK could verify it */
	POL_R_AUTH,		/* MAC did not verify with any candidate */
	POL_R_REPLAY,		/* counter not newer than the stored one */
	POL_R_UNKNOWN_GROUP,	/* key domain + key group not configured */
	POL_R_UNKNOWN_MSK,	/* MTK message / update for an MSK we lack */
	POL_R_STALE_MSK,	/* older than both MSKs held for the group */
	POL_R_MSK_INVALID,	/* SEQl > SEQu: the MSK is not usable */
	POL_R_MTK_RANGE,	/* MTK ID outside (SEQl, SEQu] */
	POL_R_MTK_OLD,		/* MTK ID not above the current one (resend) */
	POL_R_RATE_LIMITED,	/* a request for the group is already pending */
	POL_R_KNOWN_MSK,	/* unknown-MKI event, but we hold that MSK */
	POL_R_RCC_REFUSED,	/* SP's RFC 4771 mode not in rcc_modes */
	POL_R__COUNT
};

/* Stable lowercase names ("auth", "muk-expired", ...) for status output. */
const char *pol_reason_name(enum pol_reason r);

/*
 * What a verdict was about, for the counters by type: an MSK-type message
 * (MSK delivery, validity update, solicited pull), an MTK message, or a
 * key-needed event (the kernel's unknown MKI, start-up with no MSK) that
 * would have triggered an MSK request.
 */
enum pol_type {
	POL_T_MSK,
	POL_T_MTK,
	POL_T_KEY_NEEDED,
	POL_T__COUNT
};

/* "msk", "mtk", "key_needed": JSON keys and Prometheus label values. */
const char *pol_type_name(enum pol_type t);

/* ---- MUKs -------------------------------------------------------------- */

/*
 * A MUK slot.  The key bytes live in the key store, found by @gen (a
 * number that grows with each GBA bootstrap).  @msk_counter is the MIKEY
 * replay counter of MSK-type messages under this MUK (one per MUK).
 */
struct pol_muk {
	bool present;
	bool have_counter;
	uint32_t gen;
	uint32_t msk_counter;
	uint64_t expires;	/* ms; the MUK is expired when now >= expires */
};

/* A MUK the caller may try a MAC with. */
struct pol_muk_ref {
	uint8_t slot;		/* index into ue->muk[] */
	uint32_t gen;
	bool expired;		/* accepted only under the relaxed rule */
};

/* ---- MSKs and key groups ----------------------------------------------- */

/*
 * Metadata of one MSK (the key, RAND and SP live in the key store).
 * @seql/@sequ bound the MTK IDs the MSK may deliver: SEQl < MTK ID <= SEQu,
 * then SEQl := MTK ID.  @mtk_counter is the replay counter of MTK
 * messages under this MSK.
 *
 * @muk_gen and @ts_counter say how new the MSK is (TS 33.246 §6.5.3): the
 * MUK generation that protected the push which delivered it and that
 * push's MIKEY TS counter.  See pol_msk_order_newer().  Generation 0
 * means "not known" (an MSK restored from a key store written before
 * mbmsd recorded it): older than any MSK with a known order.
 */
struct pol_msk {
	bool present;
	bool have_mtk;
	bool have_mtk_counter;
	uint32_t msk_id;
	uint32_t seql, sequ;
	uint16_t mtk_id;	/* last accepted MTK ID, if have_mtk */
	uint32_t mtk_counter;
	uint32_t muk_gen;
	uint32_t ts_counter;
	uint64_t received;	/* ms */
};

enum pol_req_state {
	POL_REQ_IDLE,		/* nothing wanted */
	POL_REQ_SCHEDULED,	/* will be sent at @due */
	POL_REQ_IN_FLIGHT,	/* taken by pol_take_due(), awaiting result */
};

/* MSK-request state machine of one key group. */
struct pol_req {
	enum pol_req_state state;
	bool reauth_tried;	/* a 401 already caused one re-bootstrap */
	uint16_t failures;	/* consecutive failures, for the backoff */
	uint64_t due;		/* ms, when SCHEDULED */
	/*
	 * ms, POL_NEVER if never: the rate-limit window of the group counts
	 * from here.  The send time of its last request, moved to the
	 * completion time when that request succeeded (see
	 * pol_request_result()).
	 */
	uint64_t window_start;
};

#define POL_MSKS_PER_GROUP 2

struct pol_group {
	uint8_t key_domain[POL_KEY_DOMAIN_LEN];
	uint16_t key_group;
	struct pol_msk msk[POL_MSKS_PER_GROUP];
	struct pol_req req;
};

/* ---- one receiver ------------------------------------------------------ */

struct pol_stats {
	uint64_t accepted_msk;		/* MSKs stored or updated */
	uint64_t accepted_pull;		/* authenticated solicited pulls */
	uint64_t accepted_pull_expired;	/* of those, under an expired MUK */
	uint64_t accepted_mtk;
	/* authentic resends of an MTK already accepted (not rejections) */
	uint64_t mtk_resends;
	uint64_t requests_sent;
	uint64_t bootstraps_asked;	/* times a fresh bootstrap was required */
	uint64_t rejected[POL_R__COUNT];	/* all types */
	uint64_t rejected_by[POL_T__COUNT][POL_R__COUNT];
};

struct pol_ue {
	const struct pol_config *cfg;
	struct pol_muk muk[2];
	int cur;		/* slot of the last generated MUK, -1 none */
	int neg;		/* slot of the last negotiated MUK, -1 none */
	/*
	 * Set when a solicited pull was accepted under an expired MUK, or
	 * after a 401: the next HTTP request must follow a fresh bootstrap.
	 */
	bool need_bootstrap;
	struct pol_group *groups;
	size_t ngroups;
	struct pol_stats stats;
};

/* Count a rejection of @r about a @t (in both rejected and rejected_by). */
void pol_reject(struct pol_ue *ue, enum pol_type t, enum pol_reason r);

/*
 * Initialise @ue for @cfg (kept by pointer: it must outlive @ue) and the
 * caller's @groups array of @ngroups (key domain and key group filled in
 * by the caller beforehand; everything else is reset here).
 */
void pol_ue_init(struct pol_ue *ue, const struct pol_config *cfg,
		 struct pol_group *groups, size_t ngroups);

struct pol_group *pol_group_find(struct pol_ue *ue, const uint8_t *key_domain,
				 uint16_t key_group);

/* The slot of the current (last generated) MUK, or NULL. */
const struct pol_muk *pol_muk_current(const struct pol_ue *ue);
/* The slot of the last negotiated MUK, or NULL. */
const struct pol_muk *pol_muk_negotiated(const struct pol_ue *ue);

/*
 * A GBA bootstrap produced MUK generation @gen valid until @expires.
 * Returns the slot the caller must store the key under; the slot's
 * previous MUK (neither current nor last negotiated any more) is
 * forgotten.  Clears need_bootstrap.
 */
int pol_muk_bootstrapped(struct pol_ue *ue, uint32_t gen, uint64_t expires);

/*
 * Restore a MUK slot from the key store at start-up (@is_current,
 * @is_negotiated say its roles).  Returns 0, or -1 for a bad slot.
 */
int pol_muk_restore(struct pol_ue *ue, int slot, const struct pol_muk *m,
		    bool is_current, bool is_negotiated);

/*
 * Whether the next HTTP request needs a bootstrap first: no MUK, the
 * current one expired (its Ks_NAF would be refused), or need_bootstrap.
 */
bool pol_bootstrap_needed(const struct pol_ue *ue, uint64_t now);

/* ---- MSK-type MIKEY messages ------------------------------------------ */

enum pol_msg_kind {
	POL_MSG_INVALID,	/* see the reason */
	POL_MSG_PUSH,		/* carries an MSK */
	POL_MSG_VALIDITY,	/* no key: updates SEQl/SEQu of a known MSK */
	POL_MSG_SOLICITED_PULL,	/* Key Number 0, MAC only, no V bit */
};

/*
 * Classify from the (not yet authenticated) fields.  @has_key: the KEMAC
 * carries encrypted key data (encr data len > 0).  Key Group 0 is
 * reserved; a solicited pull carries no key and never sets V.  On
 * POL_MSG_INVALID, *@why says why (may be NULL).
 */
enum pol_msg_kind pol_classify_msk_msg(uint32_t msk_id, bool has_key,
				       bool v_bit, enum pol_reason *why);

/*
 * Which MUKs may verify a message of @kind at @now, in the order to try:
 * the current MUK and, when it differs, the last negotiated one, each only
 * if unexpired; under the relaxed policy and for a solicited pull only,
 * also the last negotiated MUK after it expired.  Returns how many
 * (0..2); with 0, *@why says why (NO_MUK, MUK_EXPIRED; may be NULL) and
 * the caller must call pol_msk_msg_unauthenticated() with that reason.
 */
size_t pol_muk_candidates(const struct pol_ue *ue, enum pol_msg_kind kind,
			  uint64_t now, struct pol_muk_ref out[2],
			  enum pol_reason *why);

/* What the caller must do after an authenticated MSK-type message. */
struct pol_msk_action {
	enum pol_reason verdict;	/* POL_OK or why it was refused */
	bool store_msk;		/* store the key (push): in @group->msk[slot] */
	bool drop_msk;		/* @dropped_msk_id must be erased from the store */
	bool request_scheduled;	/* solicited pull: an MSK request is pending */
	bool bootstrap_first;	/* ... and it needs a fresh GBA bootstrap */
	int slot;
	uint32_t dropped_msk_id;
	struct pol_group *group;
};

/*
 * The message verified with MUK @ref (one of the candidates).  Fields:
 * key domain, MSK ID, the MIKEY TS counter, SEQl/SEQu for push and
 * validity updates.  Checks the replay counter of that MUK, then:
 *  - push: keeps at most two MSKs per group, the newer wins (TS 33.246
 *    §6.5.3, pol_msk_order_newer(): the newer MUK generation, then the
 *    higher TS counter; the Key Number plays no part); the MSK remembers
 *    the generation and counter of the push (of the newest push, when the
 *    same MSK ID comes again); a key older than both is STALE_MSK and
 *    evicts nothing, but is kept when a slot is free;
 *  - validity: updates SEQl/SEQu of a held MSK (SEQl > SEQu drops it);
 *  - solicited pull: schedules an MSK request for the group; under an
 *    expired MUK (relaxed) it also requires a bootstrap first.
 * On success the verifying MUK becomes the last negotiated one (the
 * BM-SC just used it).  Nothing changes unless verdict is POL_OK.
 */
struct pol_msk_action pol_msk_msg_authenticated(struct pol_ue *ue,
		enum pol_msg_kind kind, const struct pol_muk_ref *ref,
		const uint8_t *key_domain, uint32_t msk_id, uint32_t counter,
		uint32_t seql, uint32_t sequ, uint64_t now,
		const struct pol_rng *rng);

/*
 * Whether to answer an authenticated, accepted MSK message with a MIKEY
 * verification message: only when its V bit is set **and** it verified
 * with the last generated MUK.  A push under any other MUK (the last
 * negotiated one, before the BM-SC used the newer) is treated like a
 * solicited pull: no verification, V bit or not (TS 33.246 §6.3.2.3.1,
 * Annex D.1).
 */
bool pol_verification_due(const struct pol_ue *ue,
			  const struct pol_muk_ref *ref, bool v_bit);

/* Count a message that was not authenticated (reason AUTH, NO_MUK, ...). */
void pol_msk_msg_unauthenticated(struct pol_ue *ue, enum pol_reason why);

/* ---- MTK messages ------------------------------------------------------ */

/*
 * Before the MAC check (cheap, on unauthenticated fields): find the MSK
 * @msk_id of the group and check the MTK ID.  An MTK ID above the last
 * accepted one must be in (SEQl, SEQu]; an MTK ID not above it (the
 * BM-SC's periodic resend of the current or an earlier MTK -- or a
 * replay) passes too, because only the MAC and the counter can tell a
 * resend from a replay.  Returns POL_OK with *@msk set, or the reason
 * (counted).  An unknown MSK never triggers a request: an MTK message
 * for it cannot be authenticated.
 */
enum pol_reason pol_mtk_precheck(struct pol_ue *ue, const uint8_t *key_domain,
				 uint32_t msk_id, uint16_t mtk_id,
				 struct pol_msk **msk);

/*
 * After the MAC verified with @msk, the MIKEY replay rule first: a
 * counter not newer than the MSK's stored one (RFC 1982) is a replay
 * (POL_R_REPLAY, counted).  Otherwise the counter is recorded -- every
 * authenticated message with a fresh counter advances it -- and then the
 * TS 33.246 MTK ID rule: an MTK ID above the last accepted one returns
 * POL_OK (install the MTK; SEQl := MTK ID, stats.accepted_mtk); an MTK
 * ID not above it is the BM-SC's resend of a key already delivered:
 * POL_R_MTK_OLD is returned (nothing to install) but it is counted in
 * stats.mtk_resends, not as a rejection, since it is the normal
 * broadcast behaviour and no attack.
 */
enum pol_reason pol_mtk_authenticated(struct pol_ue *ue, struct pol_msk *msk,
				      uint16_t mtk_id, uint32_t counter);

/* Count an MTK message whose MAC did not verify. */
void pol_mtk_unauthenticated(struct pol_ue *ue);

/* ---- MSK requests ------------------------------------------------------ */

/*
 * Ask for the current MSK of @g (solicited pull, unknown MSK, start-up).
 * Returns true if a request was scheduled now; false if one is already
 * scheduled or in flight (the trigger is absorbed: RATE_LIMITED).
 */
bool pol_request_trigger(struct pol_ue *ue, struct pol_group *g, uint64_t now,
			 const struct pol_rng *rng);

/*
 * The kernel saw an MKI with no key in a session of key domain
 * @key_domain: if MSK @msk_id is held (only the MTK is missing; it will
 * come on the bearer) nothing happens (KNOWN_MSK); if its key group is
 * not configured, UNKNOWN_GROUP; otherwise a request for that key group
 * is triggered, rate-limited as above (POL_OK or RATE_LIMITED).
 */
enum pol_reason pol_unknown_mki(struct pol_ue *ue, const uint8_t *key_domain,
				uint32_t msk_id, uint64_t now,
				const struct pol_rng *rng);

/* Earliest due time of a scheduled request, or POL_NEVER. */
uint64_t pol_next_due(const struct pol_ue *ue);

/* What to send now. */
struct pol_request {
	struct pol_group *group;
	bool bootstrap_first;	/* run GBA before sending */
};

/*
 * Take one request due at @now (state becomes IN_FLIGHT).  Returns false
 * when none is due.
 */
bool pol_take_due(struct pol_ue *ue, uint64_t now, struct pol_request *out);

enum pol_result {
	POL_RES_OK,		/* 200 with a response for the MSK */
	POL_RES_UNAUTHORIZED,	/* 401: re-bootstrap once, then retry */
	POL_RES_BUSY,		/* 503, with Retry-After if known */
	POL_RES_FAILED,		/* any other error, transport included */
};

/*
 * Outcome of the in-flight request of @g.  @retry_after_ms is the
 * 503 Retry-After (0 = none).  @muk_gen is the MUK generation the request
 * was authenticated with: on 200 it becomes the last negotiated MUK.
 *
 * Rate limit after a 200: the group's window restarts at @now, the
 * completion, not at the send time.  A 200 does not carry the MSK; it
 * announces the MIKEY push that follows, and until that push arrives the
 * kernel keeps reporting the MKI as unknown.  Counted from the send time,
 * a 200 slower than the window (a queueing BM-SC) would let the first such
 * event start a second request for a key already on its way.  Counted
 * from the completion, the event schedules a request no earlier than one
 * window after the 200, and the push cancels it when it arrives (a push
 * answers any scheduled request of its group); if the push is lost, that
 * request is the recovery.  No separate grace period is needed: the
 * window (max(jitter, min_interval), at least 1 s by default) is already
 * the time the group's answer is allowed to take.  Failures are not
 * affected: nothing is on its way after them, and their backoff counts
 * from the completion anyway.
 */
void pol_request_result(struct pol_ue *ue, struct pol_group *g,
			enum pol_result res, uint32_t retry_after_ms,
			uint32_t muk_gen, uint64_t now,
			const struct pol_rng *rng);

/*
 * The in-flight request of @g never reached the BM-SC (no connection) and
 * the caller wants it sent again without counting a failure: mbmsd's
 * start-up grace, while the BM-SC it starts with is not listening yet.
 * The request is scheduled one window after it was sent (the group's rate
 * limit, unchanged) with no backoff step and no jitter on top (the first
 * send was jittered already).  Nothing happens unless a request of @g is
 * in flight.
 */
void pol_request_retry(struct pol_ue *ue, struct pol_group *g, uint64_t now,
		       const struct pol_rng *rng);

/* ---- small helpers, exported for tests and the simulator -------------- */

/*
 * RFC 1982 serial arithmetic on 32 bits: true when @b is strictly newer
 * than @a; the undefined case (distance exactly 2^31) is "not newer".
 */
bool pol_serial32_newer(uint32_t a, uint32_t b);
bool pol_serial16_newer(uint16_t a, uint16_t b);

/*
 * TS 33.246 §6.5.3: is an MSK delivered under MUK generation @gen_b with
 * TS counter @ts_b strictly newer than one under (@gen_a, @ts_a)?  The
 * newer MUK wins regardless of the timestamp; under the same MUK the
 * higher counter (RFC 1982) wins.  Generation 0 (order not known) is
 * older than any other.
 */
bool pol_msk_order_newer(uint32_t gen_a, uint32_t ts_a, uint32_t gen_b,
			 uint32_t ts_b);

/* Backoff delay (before jitter) after @failures consecutive failures. */
uint64_t pol_backoff_ms(const struct pol_config *cfg, unsigned int failures);

#endif /* MBMSD_POLICY_H */
