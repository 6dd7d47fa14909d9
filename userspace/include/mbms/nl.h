/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmbmsnl: the netlink facade for the "mbms_srtp" generic netlink family
 * (include/uapi/linux/mbms_srtp.h).  It is the only code in userspace that
 * talks to the kernel module; mbmsctl and mbmsd both go through it.
 *
 * Model.  Plain C structs, one per kernel object, in host byte order.
 * Optional fields have a HAS_ flag in ->flags so that "not given" differs
 * from zero (as in wireguard-tools): on the way in, a field without its flag
 * is not sent and the kernel applies its default; on the way out, a flag
 * says the kernel reported the field.  Fields marked "read only" are filled
 * by get/dump and ignored by add.
 *
 * Errors.  Every call returns 0 (or a count) on success and a negative errno
 * on failure.  The details of the last failure on a handle are in
 * mbms_nl_last_error(): the errno, whether the kernel said it (an NLMSG_ERROR
 * reply) or it happened locally (socket, memory, parsing), and the kernel's
 * extended-ack message text (NLMSGERR_ATTR_MSG) when it sent one.
 *
 *	struct mbms_nl_err e;
 *	struct mbms_nl *nl = mbms_nl_open(&e);
 *
 *	if (!nl)
 *		die("%s", e.msg);	// e.code == -ENOENT: module not loaded
 *	if (mbms_nl_session_add(nl, &s) < 0)
 *		die("%s", mbms_nl_last_error(nl)->msg);
 *	mbms_nl_close(nl);
 *
 * Secrets.  Only mbms_nl_key_add() carries key material.  The request is
 * wiped before its buffer is freed, the socket is set to NETLINK_CAP_ACK so
 * the kernel never echoes the request (and the key) back in an error, and
 * the kernel never returns keys.  The caller owns and wipes its struct
 * mbms_key (mbms_key_wipe()).
 *
 * Dumps.  A dump the kernel marks inconsistent (NLM_F_DUMP_INTR: state
 * changed while it ran) is restarted, up to 5 times, then fails with
 * -EINTR.  Dumped arrays are malloc'ed and owned by the caller.
 *
 * Threads.  A handle is not thread-safe; use one per thread.
 */
#ifndef MBMS_NL_H
#define MBMS_NL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/mbms_srtp.h>

struct mbms_nl;		/* opaque handle: sockets, family id, last error */

/* ---- errors ------------------------------------------------------------- */

#define MBMS_NL_ERRMSG_MAX 256

struct mbms_nl_err {
	int code;		/* negative errno, 0 = no error */
	bool from_kernel;	/* the kernel refused (NLMSG_ERROR/DONE) */
	/*
	 * The kernel's extack text when it sent one; otherwise a local
	 * description ("generic netlink family 'mbms_srtp' not found (is
	 * mbms_srtp.ko loaded?)"), or "" when there is nothing beyond
	 * strerror(-code).
	 */
	char msg[MBMS_NL_ERRMSG_MAX];
	bool has_extack;	/* msg came from NLMSGERR_ATTR_MSG */
	/* Attribute type at NLMSGERR_ATTR_OFFS in our request, or 0. */
	uint16_t bad_attr;
	/* NLMSGERR_ATTR_MISS_TYPE: a required attribute was missing, or 0. */
	uint16_t missing_attr;
};

/*
 * The last error on @nl (code 0 after a successful call).  Valid until the
 * next call on the handle.
 */
const struct mbms_nl_err *mbms_nl_last_error(const struct mbms_nl *nl);

/* "MBMS_SRTP_A_KEY_SALT" for an attribute type, "attribute N" if unknown. */
const char *mbms_nl_attr_name(uint16_t type);

/* ---- handle ------------------------------------------------------------- */

/*
 * Open a generic netlink socket, enable extended acks, resolve the family
 * MBMS_SRTP_GENL_NAME and its MBMS_SRTP_MCGRP_EVENTS group.  Returns NULL
 * and fills @err (if not NULL) on failure; err->code is -ENOENT when the
 * family is not registered (the module is not loaded).
 */
struct mbms_nl *mbms_nl_open(struct mbms_nl_err *err);
void mbms_nl_close(struct mbms_nl *nl);

/* Generic netlink family id, for diagnostics. */
uint16_t mbms_nl_family_id(const struct mbms_nl *nl);

/* ---- sessions ----------------------------------------------------------- */

/* Counters of MBMS_SRTP_A_STATS, summed over CPUs by the kernel. */
enum mbms_stats_flags {
	MBMS_STATS_HAS_PACKETS		= 1U << 0,
	MBMS_STATS_HAS_BYTES		= 1U << 1,
	MBMS_STATS_HAS_RTCP_PACKETS	= 1U << 2,
	MBMS_STATS_HAS_MALFORMED	= 1U << 3,
	MBMS_STATS_HAS_UNKNOWN_MKI	= 1U << 4,
	MBMS_STATS_HAS_AUTH		= 1U << 5,
	MBMS_STATS_HAS_REPLAY		= 1U << 6,
	MBMS_STATS_HAS_KEY_EXPIRED	= 1U << 7,
	MBMS_STATS_HAS_PASSED		= 1U << 8,
	MBMS_STATS_HAS_GSO_SEGMENTED	= 1U << 9,
	MBMS_STATS_HAS_SSRC_FULL	= 1U << 10,
	MBMS_STATS_HAS_NOMEM		= 1U << 11,
	MBMS_STATS_HAS_FRAG_REASSEMBLED	= 1U << 12,
	MBMS_STATS_HAS_FRAGMENT		= 1U << 13,
	MBMS_STATS_HAS_CSUM_ERROR	= 1U << 14,
	MBMS_STATS_HAS_ROC_UNKNOWN	= 1U << 15,
};

struct mbms_stats {
	uint32_t flags;			/* enum mbms_stats_flags */
	uint64_t packets;		/* authenticated and decrypted */
	uint64_t bytes;			/* their plaintext UDP payload bytes */
	uint64_t rtcp_packets;		/* of packets, how many were SRTCP */
	uint64_t malformed;
	uint64_t unknown_mki;
	uint64_t auth;			/* tag mismatch */
	uint64_t replay;
	uint64_t key_expired;
	uint64_t passed;		/* failures passed unchanged */
	uint64_t gso_segmented;		/* GSO skbs split and reinjected */
	uint64_t ssrc_full;		/* new SSRC refused, no free slot */
	uint64_t frag_reassembled;	/* arrived fragmented, reassembled */
	uint64_t fragment;		/* unreassembled fragment refused */
	uint64_t nomem;			/* no memory for a private copy */
	uint64_t csum_error;		/* bad UDP checksum */
	uint64_t roc_unknown;		/* RFC 4771 mode 1/3, SSRC not in sync */
};

enum mbms_session_flags {
	/* add: sent when set; get: reported by the kernel */
	MBMS_SESSION_HAS_SUITE		= 1U << 0,
	MBMS_SESSION_HAS_MKI_LEN	= 1U << 1,
	MBMS_SESSION_HAS_REPLAY_WINDOW	= 1U << 2,
	MBMS_SESSION_HAS_MAX_KEYS	= 1U << 3,
	MBMS_SESSION_HAS_ON_FAIL	= 1U << 4,
	/* read only */
	MBMS_SESSION_HAS_NKEYS		= 1U << 5,
	MBMS_SESSION_HAS_NFLOWS		= 1U << 6,
	MBMS_SESSION_HAS_NSSRCS		= 1U << 7,
	MBMS_SESSION_HAS_STATS		= 1U << 8,
	MBMS_SESSION_HAS_MAX_SSRCS	= 1U << 9,
	MBMS_SESSION_HAS_SSRCS_HWM	= 1U << 10,	/* read only */
	MBMS_SESSION_HAS_RCC		= 1U << 11,	/* rcc_mode, rcc_rate */
	MBMS_SESSION_HAS_TAG_LEN	= 1U << 12,	/* tag_len */
};

struct mbms_session {
	uint32_t flags;			/* enum mbms_session_flags */
	uint32_t id;			/* required, non-zero */
	uint8_t suite;			/* enum mbms_srtp_suite */
	uint8_t mki_len;		/* 0..MBMS_SRTP_MKI_LEN_MAX */
	uint16_t replay_window;		/* WINDOW_MIN..WINDOW_MAX */
	uint8_t max_keys;		/* 1..MBMS_SRTP_MAX_KEYS_MAX */
	uint8_t on_fail;		/* enum mbms_srtp_on_fail */
	uint32_t nkeys;			/* read only */
	uint32_t nflows;		/* read only */
	uint32_t nssrcs;		/* read only */
	uint16_t max_ssrcs;		/* 1..MBMS_SRTP_MAX_SSRCS_MAX */
	uint32_t ssrcs_hwm;		/* read only */
	uint8_t rcc_mode;		/* RFC 4771: 0 none, 1..3 RCCm1..3 */
	uint16_t rcc_rate;		/* R, 1..65535 with a mode, else 0 */
	uint8_t tag_len;		/* SRTP tag bytes, MBMS_SRTP_TAG_LEN_MIN..MAX */
	struct mbms_stats stats;	/* read only */
};

/* SESSION_NEW.  -EEXIST if the id is in use. */
int mbms_nl_session_add(struct mbms_nl *nl, const struct mbms_session *s);
/* SESSION_DEL: the session, its flows and its keys. */
int mbms_nl_session_del(struct mbms_nl *nl, uint32_t id);
/* SESSION_GET (doit) into @out.  -ENOENT if there is no such session. */
int mbms_nl_session_get(struct mbms_nl *nl, uint32_t id,
			struct mbms_session *out);
/*
 * SESSION_GET (dumpit).  On success *@out is a malloc'ed array of *@n
 * sessions (NULL when none) that the caller frees with free().
 */
int mbms_nl_session_dump(struct mbms_nl *nl, struct mbms_session **out,
			 size_t *n);

/* The counters of one session: mbms_nl_session_get() reduced to stats. */
int mbms_nl_stats_get(struct mbms_nl *nl, uint32_t id,
		      struct mbms_stats *out);

/* ---- flows -------------------------------------------------------------- */

/* An IPv4 or IPv6 address, network byte order. */
struct mbms_addr {
	int family;			/* AF_INET or AF_INET6; 0 = unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

enum mbms_flow_flags {
	MBMS_FLOW_HAS_SRC	= 1U << 0,	/* else: any source */
	MBMS_FLOW_RTCP		= 1U << 1,	/* packets are SRTCP */
};

struct mbms_flow {
	uint32_t flags;			/* enum mbms_flow_flags */
	uint32_t session_id;		/* add: required; del: ignored */
	struct mbms_addr dst;		/* required */
	struct mbms_addr src;		/* with MBMS_FLOW_HAS_SRC, same family */
	uint16_t dport;			/* required, 1..65535 */
};

/* FLOW_NEW.  -EEXIST if that (dst, dport, src) is already a flow. */
int mbms_nl_flow_add(struct mbms_nl *nl, const struct mbms_flow *f);
/* FLOW_DEL: dst, dport and src (if HAS_SRC) exactly as added. */
int mbms_nl_flow_del(struct mbms_nl *nl, const struct mbms_flow *f);
/* FLOW_GET (dumpit): every flow; free(*out) when done. */
int mbms_nl_flow_dump(struct mbms_nl *nl, struct mbms_flow **out, size_t *n);

/* ---- keys --------------------------------------------------------------- */

enum mbms_key_flags {
	/* add: sent when set; dump: reported by the kernel */
	MBMS_KEY_HAS_ROC		= 1U << 0,
	MBMS_KEY_HAS_MAX_PACKETS	= 1U << 1,
	MBMS_KEY_HAS_LIFETIME		= 1U << 2,
	/* read only */
	MBMS_KEY_HAS_PACKETS		= 1U << 3,
	MBMS_KEY_HAS_AGE_MS		= 1U << 4,
	MBMS_KEY_HAS_IDLE_MS		= 1U << 5,	/* absent: never used */
	MBMS_KEY_EXPIRED		= 1U << 6,
};

struct mbms_key {
	uint32_t flags;			/* enum mbms_key_flags */
	uint32_t session_id;
	uint32_t msk_id;
	uint16_t mtk_id;
	/* add only; never filled by a dump */
	uint8_t master[MBMS_SRTP_MASTER_KEY_LEN];
	uint8_t salt[MBMS_SRTP_MASTER_SALT_LEN];
	uint32_t roc;			/* for SSRCs first seen under this key */
	uint64_t max_packets;		/* 0 = RFC 3711 limits only */
	uint32_t lifetime;		/* seconds, 0 = none */
	uint64_t packets;		/* read only */
	uint64_t age_ms;		/* read only */
	uint64_t idle_ms;		/* read only */
};

/* Zero the key material of @k (and everything else) irrevocably. */
void mbms_key_wipe(struct mbms_key *k);

/*
 * KEY_NEW: install (or replace) the MTK (msk_id, mtk_id) of a session.  The
 * request buffer is wiped before it is freed.
 */
int mbms_nl_key_add(struct mbms_nl *nl, const struct mbms_key *k);
/* KEY_DEL: session_id, msk_id and mtk_id of @k; the rest is ignored. */
int mbms_nl_key_del(struct mbms_nl *nl, uint32_t session_id,
		    uint32_t msk_id, uint16_t mtk_id);
/*
 * KEY_GET (dumpit): metadata of every key, or of one session's keys when
 * @session_id is non-zero (an unknown session gives an empty list).
 * master/salt are zero.  free(*out) when done.
 */
int mbms_nl_key_dump(struct mbms_nl *nl, uint32_t session_id,
		     struct mbms_key **out, size_t *n);

/* ---- events ------------------------------------------------------------- */

enum mbms_event_flags {
	MBMS_EVENT_HAS_SESSION_ID	= 1U << 0,
	MBMS_EVENT_HAS_MSK_ID		= 1U << 1,
	MBMS_EVENT_HAS_MTK_ID		= 1U << 2,
	MBMS_EVENT_HAS_REASON		= 1U << 3,
};

struct mbms_event {
	uint8_t cmd;			/* MBMS_SRTP_CMD_KEY_NEEDED_NTF */
	uint32_t flags;			/* enum mbms_event_flags */
	uint32_t session_id;
	uint32_t msk_id;
	uint16_t mtk_id;
	uint8_t reason;			/* enum mbms_srtp_event_reason */
};

/*
 * Join the "events" multicast group on a second, non-blocking socket of
 * the handle (requests and notifications never interleave).  Idempotent.
 */
int mbms_nl_events_subscribe(struct mbms_nl *nl);

/*
 * The pollable file descriptor of the event socket (-1 before
 * subscribing).  Readable (POLLIN/EPOLLIN) when events are pending; level
 * triggered use is fine since mbms_nl_events_recv() drains it.  Owned by
 * the handle: do not close it.
 */
int mbms_nl_events_fd(const struct mbms_nl *nl);

typedef int (*mbms_event_cb)(const struct mbms_event *ev, void *arg);

/*
 * Read every pending notification without blocking and call @cb (not
 * NULL) for each one (unknown commands and malformed messages are
 * skipped).  A non-zero return from @cb stops and
 * is returned.  Returns the number of events delivered (0 when none were
 * pending), or a negative errno; -ENOBUFS means the socket overran and
 * events were lost: resynchronise state by dumping.  The socket stays
 * usable and events queued before the overrun are still there: call again
 * (the fd stays readable).
 */
int mbms_nl_events_recv(struct mbms_nl *nl, mbms_event_cb cb, void *arg);

/* ---- names -------------------------------------------------------------- */

/*
 * Stable names used by mbmsctl and in JSON output; each *_parse returns
 * the enum value or -1.  *_name returns "unknown" for values it lacks.
 */
const char *mbms_suite_name(unsigned int suite);	/* aes-cm-128-hmac-sha1-80 */
int mbms_suite_parse(const char *s);
const char *mbms_on_fail_name(unsigned int on_fail);	/* drop, pass */
int mbms_on_fail_parse(const char *s);
const char *mbms_event_reason_name(unsigned int reason); /* unknown-mki, ... */
const char *mbms_event_cmd_name(unsigned int cmd);	/* key-needed */

/* "192.0.2.1" / "ff15::1" into @buf (INET6_ADDRSTRLEN bytes). */
const char *mbms_addr_str(const struct mbms_addr *a, char *buf, size_t len);
/* Parse an IPv4 or IPv6 literal; 0 or -1. */
int mbms_addr_parse(const char *s, struct mbms_addr *out);

#endif /* MBMS_NL_H */
