/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbmsd: the daemon's state and the functions that act on it.  Only the
 * event loop's thread touches struct mbmsd; the request worker gets
 * copies (worker.h).
 *
 *   rx.c        MIKEY messages: MSK push / validity / solicited pull on
 *               the unicast port, MTK messages on the bearer, the
 *               kernel's unknown-MKI events; decode (libmikey), ask the
 *               policy, verify, store, install
 *   state.c     groups, policy and key store set-up, persistence
 *   requests.c  hand due MSK requests to the worker, apply results
 *   status.c    the status report (text, JSON) and the client
 *   loop.c      sockets, epoll, timers, signals, the status socket
 *   mbmsd.c     main: options, configuration, start-up, reconcile
 */
#ifndef MBMSD_DAEMON_H
#define MBMSD_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mbms/mikey.h"
#include "config.h"
#include "kernel.h"
#include "policy.h"
#include "store.h"
#include "worker.h"

/* Datagrams handled per socket per wake-up: bounded work, fair sockets. */
#define MBMSD_RX_BURST		32

/* Why a datagram was dropped before the policy saw it (libmikey codes). */
struct mbmsd_counters {
	uint64_t rx_datagrams;
	uint64_t rx_msk_type;		/* MSK, validity, solicited pull */
	uint64_t rx_mtk;
	uint64_t decode_errors[__MIKEY_E_MAX];	/* by enum mikey_err */
	uint64_t wrong_kind;		/* e.g. an MTK message on unicast */
	uint64_t verifications_sent;
	/* V set, but the MUK was not the last generated one (§6.3.2.3.1) */
	uint64_t verifications_withheld;
	uint64_t mtk_installed;
	uint64_t install_errors;
	uint64_t kernel_events;
	uint64_t store_errors;
	uint64_t bootstraps;
	uint64_t bootstrap_failures;
	uint64_t requests_ok, requests_failed;
	/* not reached the BM-SC during the start-up grace, sent again */
	uint64_t requests_retried;
	/* RFC 4771 policy of a key group changed: kernel session re-created */
	uint64_t sessions_recreated;
};

struct mbmsd {
	struct mbmsd_config cfg;
	struct pol_config pcfg;
	struct pol_group groups[MBMSD_MAX_SESSIONS];
	size_t ngroups;
	struct pol_ue ue;
	struct store store;
	struct pol_rng rng;
	struct kernel *kern;
	struct worker *worker;		/* NULL in tests: no requests sent */
	struct mbmsd_counters cnt;
	/* Pending request of each group, for status: last outcome text. */
	char last_outcome[MBMSD_MAX_SESSIONS][256];
	bool persist;			/* save the store on change */
	/*
	 * Start-up grace (startup_grace): until @grace_until_ms (policy
	 * clock), and only until the BM-SC first answered (@bmsc_reached),
	 * a request that could not connect is sent again one window later
	 * instead of failing: mbmsd often starts with the BM-SC (systemd,
	 * make demo) and must not count its first seconds as failures.
	 */
	uint64_t grace_until_ms;
	bool bmsc_reached;
};

/* CLOCK_REALTIME in milliseconds: the policy's clock (see policy.h). */
uint64_t mbmsd_now_ms(void);

/* getrandom()-backed generator for the policy. */
uint64_t mbmsd_random64(void *ctx);

/*
 * Build groups from the configuration (one per key domain + key group),
 * initialise the policy, restore the store, start the start-up grace.
 * Returns 0 or -1 (logged).
 */
int mbmsd_setup_state(struct mbmsd *d);

/*
 * Schedule an MSK request (jittered like any other) for every key group
 * that holds no MSK: a receiver that starts without keys fetches them
 * before the stream needs them instead of waiting for unknown-MKI events.
 * Returns how many were scheduled.
 */
int mbmsd_request_missing(struct mbmsd *d, uint64_t now);

/*
 * The operator's rcc_modes (config_rcc_allowed()) against RFC 4771 policy
 * @rcc with @suite and SRTP tag length @tag_len (0: the suite's) for MSK
 * @msk_id of key domain @kd.  The tag the kernel sessions use is the
 * configured suite's, so a 4-byte suite there counts like one in the SP.
 * False: refused, logged with the MSK ID, the key group, the mode, the
 * tag length and the setting (never a key), as "stored MSK ... dropped"
 * if @stored.
 */
bool mbmsd_rcc_allowed(struct mbmsd *d, const uint8_t *kd, uint32_t msk_id,
		       uint8_t suite, uint8_t tag_len,
		       const struct mikey_rcc *rcc, bool stored);

/*
 * Drop from the store every MSK (and its MTKs) kept under an RFC 4771
 * policy that the rcc_modes setting now refuses (it changed since the
 * MSK came).  Returns how many; each is logged.
 */
int mbmsd_drop_refused_msks(struct mbmsd *d);

/* Copy policy state into the store and save it (if persist).  0 or -1. */
int mbmsd_save(struct mbmsd *d);

/* The MUK bytes of policy slot @slot if it still holds generation @gen. */
const uint8_t *mbmsd_muk_bytes(const struct mbmsd *d, int slot, uint32_t gen);

/* ---- rx.c ----------------------------------------------------------- */

/*
 * One datagram from the unicast MIKEY port.  If a verification message
 * must be sent back, it is written to @reply (capacity @cap) and its
 * length returned; otherwise 0.
 */
size_t rx_unicast(struct mbmsd *d, const uint8_t *buf, size_t len,
		  uint64_t now, uint8_t *reply, size_t cap);

/*
 * One datagram from an MTK socket.  The MTK goes into every configured
 * session of the message's key domain + key group.
 */
void rx_mtk(struct mbmsd *d, const uint8_t *buf, size_t len, uint64_t now);

/* A kernel KEY_NEEDED notification. */
void rx_kernel_event(struct mbmsd *d, const struct mbms_event *ev,
		     uint64_t now);

/* ---- requests.c ------------------------------------------------------ */

/* Hand a due request to the worker if it is idle. */
void requests_dispatch(struct mbmsd *d, uint64_t now);
/*
 * Apply a finished worker result (keys wiped afterwards).  A successful
 * bootstrap is registered (requests_bootstrapped()) and the HTTP job that
 * follows it handed to the worker; anything else is the request's outcome.
 */
void requests_complete(struct mbmsd *d, struct worker_result *res,
		       uint64_t now);
/*
 * Build the worker job for @rq (used by dispatch and tests): a
 * WORKER_BOOTSTRAP job when a fresh key is needed (or none is usable),
 * else the WORKER_HTTP request signed with the current MUK.  0 or -1.
 */
int requests_make_job(struct mbmsd *d, const struct pol_request *rq,
		      struct worker_job *job);
/*
 * A bootstrap succeeded: register its key as the current MUK in the policy
 * and the key store, expiring res->keys.lifetime_s after the bootstrap
 * started (res->bootstrap_ms), save the store, and build in @next the
 * HTTP job signed with it.  Done before that request is sent, so that an
 * MSK push protected with the new key verifies even when it overtakes the
 * HTTP response.  0, or -1 (nothing to register, or @next not built).
 */
int requests_bootstrapped(struct mbmsd *d, struct worker_result *res,
			  struct worker_job *next);

/* ---- status.c -------------------------------------------------------- */

void status_write(struct mbmsd *d, FILE *out, bool json, uint64_t now);
/* The client: connect to @sock, print the report.  Exit status. */
int status_client(const char *sock, bool json);

#endif /* MBMSD_DAEMON_H */
