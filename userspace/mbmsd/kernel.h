/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbmsd kernel facade: the ONLY code in mbmsd that calls libmbmsnl (and so
 * the only part that needs CAP_NET_ADMIN).  It makes the kernel's
 * sessions, flows and keys match the configuration and the key store, and
 * installs and removes MTKs.
 *
 * Reconciliation is split in two: kernel_plan() is a pure function from
 * (configuration, key store, what the kernel reports) to a list of
 * actions -- unit-tested without a kernel -- and kernel_reconcile()
 * dumps, plans and executes.  Rules: a kernel session not in the
 * configuration is deleted; one whose parameters differ is re-created; a
 * flow not configured for its session is deleted; a key the store does
 * not hold is deleted (stale); a stored MTK the kernel lacks is installed.
 * Nothing is added twice.
 *
 * A session's parameters are the configuration's plus the RFC 4771 mode
 * and R of its key group's newest stored MSK.  The kernel cannot change a
 * session, so a new policy from the BM-SC (which TS 33.246 §6.4.5.1 says
 * does not happen, except for a group's first MSK) means delete
 * (kernel_session_drop()) and re-add: the session's SSRC state (ROC,
 * replay window) starts again, and the stored MTKs are reinstalled.
 */
#ifndef MBMSD_KERNEL_H
#define MBMSD_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mbms/nl.h"
#include "config.h"
#include "store.h"

#define KERNEL_MKI_LEN		6	/* MSK ID || MTK ID */
#define KERNEL_MAX_KEYS		2	/* two most recent MTKs per session */

enum kplan_op {
	KP_SESSION_DEL, KP_FLOW_DEL, KP_KEY_DEL,
	KP_SESSION_ADD, KP_FLOW_ADD, KP_KEY_ADD,
};

struct kplan_action {
	enum kplan_op op;
	struct mbms_session session;	/* SESSION_ADD / _DEL (id) */
	struct mbms_flow flow;		/* FLOW_ADD / _DEL */
	uint32_t session_id;		/* KEY_ADD / _DEL */
	uint32_t msk_id;
	uint16_t mtk_id;
	const struct store_mtk *mtk;	/* KEY_ADD: key material, in @st */
	const uint8_t *key_domain;	/* KEY_ADD: the session's */
};

struct kplan {
	struct kplan_action *a;
	size_t n, cap;
};

/*
 * Compute the actions, in execution order (deletions first).  Returns 0 or
 * -1 (out of memory).  Free with kplan_free().
 */
int kernel_plan(const struct mbmsd_config *cfg, const struct store *st,
		const struct mbms_session *ks, size_t nks,
		const struct mbms_flow *kf, size_t nkf,
		const struct mbms_key *kk, size_t nkk, struct kplan *plan);
void kplan_free(struct kplan *plan);
const char *kplan_op_name(enum kplan_op op);

/* The session a configured session should be in the kernel. */
void kernel_session_from_config(const struct mbmsd_session *s,
				struct mbms_session *out);
/*
 * The session as the kernel should have it: the configuration, plus the
 * RFC 4771 mode and R of the newest stored MSK of its key group (the
 * BM-SC's policy, TS 33.246 §6.6.2.1).
 */
void kernel_session_want(const struct mbmsd_session *s, const struct store *st,
			 struct mbms_session *out);
/*
 * KEY_NEW for stored MTK @t of a session of key domain @kd: key, salt
 * and, when the MSK message it came under had an SRTP-ID map, that map's
 * ROC (RFC 3830 §6.1.1).  The caller wipes @out (mbms_key_wipe()).
 */
void kernel_key_from_store(const struct store *st, const uint8_t *kd,
			   const struct store_mtk *t, struct mbms_key *out);
void kernel_flow_from_config(uint32_t session_id, const struct mbmsd_flow *f,
			     struct mbms_flow *out);

struct kernel;

/*
 * Open the netlink facade and subscribe to events.  With @dry_run no
 * kernel is touched: every call succeeds and is logged (debugging without
 * the module).  Returns NULL with @err.
 */
struct kernel *kernel_open(bool dry_run, char *err, size_t errlen);
void kernel_close(struct kernel *k);
/* Pollable event fd, or -1 (dry run). */
int kernel_event_fd(const struct kernel *k);

/* Dump, plan, execute.  Returns the number of failed actions (0 = OK). */
int kernel_reconcile(struct kernel *k, const struct mbmsd_config *cfg,
		     const struct store *st);

/* Install stored MTK @t (see kernel_key_from_store()) into its session. */
int kernel_install_mtk(struct kernel *k, const struct store *st,
		       const uint8_t *kd, const struct store_mtk *t);
/*
 * Delete session @id (its flows and keys go with it) so that the next
 * kernel_reconcile() re-creates it as configured: for a new RFC 4771
 * policy, whether or not the kernel reports the attributes.  Missing is
 * fine.  Returns 0 or -1.
 */
int kernel_session_drop(struct kernel *k, uint32_t id);
/* Remove every key of @session_id delivered under @msk_id. */
int kernel_remove_msk(struct kernel *k, uint32_t session_id, uint32_t msk_id);

typedef void (*kernel_event_cb)(const struct mbms_event *ev, void *arg);
/*
 * Drain pending events.  Returns the count, or a negative errno
 * (-ENOBUFS: events were lost, resynchronise).
 */
int kernel_events(struct kernel *k, kernel_event_cb cb, void *arg);

/* Counters of one session (status); -1 if unavailable. */
int kernel_session_stats(struct kernel *k, uint32_t id,
			 struct mbms_session *out);

#endif /* MBMSD_KERNEL_H */
