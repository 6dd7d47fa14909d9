/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * mbms_srtp: in-kernel SRTP decryption for 3GPP MBMS streams (TS 33.246).
 *
 * Generic netlink family "mbms_srtp", version 1, with one multicast group,
 * "events".  This header is the API contract between mbms_srtp.ko and its
 * userspace (mbmsctl, mbmsd); Documentation/netlink/specs/mbms_srtp.yaml
 * describes the same family in the kernel's netlink-spec format and a test
 * checks that the two agree.
 *
 * Every command requires CAP_NET_ADMIN in the initial user namespace
 * (GENL_ADMIN_PERM), dumps included: a process in a user namespace of its
 * own is refused with EPERM.  MBMS_SRTP_CMD_KEY_NEW refuses (EEXIST) a
 * key whose (MSK ID, MTK ID) is installed already (delete it first) and,
 * with an MKI length below 6, a key whose MKI tail equals an installed
 * key's.  Sessions, flows and keys are limited per
 * network namespace (module parameters max_sessions, max_flows,
 * max_keys; a refusal is ENOSPC with an extack message naming the limit)
 * and their memory is charged to the caller's memory cgroup.  All state
 * is per network namespace: a namespace sees and changes only its own
 * sessions, flows and keys.
 *
 * Objects
 * -------
 *
 * A *session* is one SRTP crypto context family: a suite, an MKI length,
 * a replay window, a bounded set of keys (MTKs) and per-SSRC ROC and
 * replay state.  A *flow* steers UDP packets (destination address and
 * port, optionally a source address) to a session; several flows may
 * share a session (audio, video, RTCP).  A *key* is one MTK with its
 * master salt, identified inside its session by (MSK ID, MTK ID).  On the
 * wire the MKI of a packet is MSK ID (4 bytes) || MTK ID (2 bytes), both
 * big-endian; with an MKI length N < 6 the MKI is the last N bytes of
 * those 6, and with N = 0 packets carry no MKI and the newest key is used.
 *
 * Numbers are host byte order (NLA_U8/U16/U32/U64) unless said otherwise;
 * addresses are network byte order, exactly 4 (IPv4) or 16 (IPv6) bytes.
 *
 * Commands and their attributes
 * -----------------------------
 *
 * MBMS_SRTP_CMD_SESSION_NEW: create a session.
 *   MBMS_SRTP_A_SESSION_ID      u32, required, non-zero
 *   MBMS_SRTP_A_SUITE           u8, enum mbms_srtp_suite, default
 *                               MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80
 *   MBMS_SRTP_A_MKI_LEN         u8, 0..6, default 6
 *   MBMS_SRTP_A_REPLAY_WINDOW   u16, MBMS_SRTP_WINDOW_MIN..MAX, default
 *                               128; rounded up to a multiple of 64
 *   MBMS_SRTP_A_MAX_KEYS        u8, 1..MBMS_SRTP_MAX_KEYS_MAX, default 2
 *   MBMS_SRTP_A_ON_FAIL         u8, enum mbms_srtp_on_fail, default DROP
 *   MBMS_SRTP_A_MAX_SSRCS       u16, 1..MBMS_SRTP_MAX_SSRCS_MAX, default
 *                               MBMS_SRTP_MAX_SSRCS_DEFAULT: SSRCs whose
 *                               ROC and replay state is kept.  A slot is
 *                               taken by an SSRC's first authenticated
 *                               packet and freed only when every key it
 *                               authenticated under has been removed
 *                               (RFC 3711 section 3.3.2); while all are
 *                               taken, packets of new SSRCs are dropped
 *                               and counted as SSRC_FULL
 *   MBMS_SRTP_A_SESSION_RCC_MODE u8, 0..3, default 0: RFC 4771 ROC
 *                               carriage.  0: none (RFC 3711 default
 *                               integrity transform); 1, 2, 3: RCCm1,
 *                               RCCm2, RCCm3.  Packets with SEQ mod R = 0
 *                               carry the sender's ROC, which sets or
 *                               corrects the SSRC's ROC (a late joiner,
 *                               a loss of 2^15 packets or more).  In
 *                               mode 1 and 2 they carry ROC || the first
 *                               n_tag - 4 bytes of the MAC over
 *                               M || ROC.  With the 32-bit suite that
 *                               MAC part is empty: mode 1 then has no
 *                               integrity at all and is handled as mode
 *                               3; in mode 2 the RCC packet's ROC is a
 *                               hint only, taken once a packet
 *                               authenticates at it.  Mode 3 has no
 *                               integrity at all: RCC packets carry the
 *                               ROC only, others no tag; anyone on the
 *                               path can forge packets and move the
 *                               ROC.  Other
 *                               packets: mode 2 the normal tag, mode 1
 *                               none (not authenticated, decrypted with
 *                               the RFC 3711 estimate, never moving the
 *                               SSRC state).  SRTCP is not affected.
 *   MBMS_SRTP_A_SESSION_RCC_RATE u16, 1..65535: R, the ROC transmission
 *                               rate; required with RCC_MODE 1..3,
 *                               refused with mode 0
 *   MBMS_SRTP_A_SESSION_TAG_LEN u8, MBMS_SRTP_TAG_LEN_MIN..MAX (4..20),
 *                               default the suite's (10, or 4): SRTP
 *                               tag bytes, HMAC-SHA1 truncated (RFC 3711
 *                               section 4.2).  TS 33.246 section 6.6.2.1
 *                               NOTE 3: 14 in RCCm1 and RCCm2 (RCC
 *                               packets: ROC || 10-byte MAC).  The 32-bit
 *                               suite takes 4 only; 4 with the 80-bit
 *                               suite is refused (give the 32-bit suite).
 *                               SRTCP keeps its 10-byte tag.
 *   -EEXIST if the ID is in use.  There is no "change": delete and re-add.
 *
 * MBMS_SRTP_CMD_SESSION_DEL: delete a session, its flows and its keys.
 *   MBMS_SRTP_A_SESSION_ID      u32, required
 *
 * MBMS_SRTP_CMD_SESSION_GET: one session (doit, SESSION_ID required) or
 *   all sessions (dumpit).  Each reply carries SESSION_ID, SUITE, MKI_LEN,
 *   REPLAY_WINDOW, MAX_KEYS, ON_FAIL, MAX_SSRCS, SESSION_RCC_MODE (and
 *   SESSION_RCC_RATE when the mode is not 0), SESSION_TAG_LEN, plus
 *   MBMS_SRTP_A_SESSION_NKEYS   u32, keys installed
 *   MBMS_SRTP_A_SESSION_NFLOWS  u32, flows bound to it
 *   MBMS_SRTP_A_SESSION_NSSRCS  u32, SSRCs being tracked
 *   MBMS_SRTP_A_SESSION_SSRCS_HWM u32, most SSRCs tracked at once
 *   MBMS_SRTP_A_STATS           nested, enum mbms_srtp_stats_attr, the
 *                               per-session counters summed over CPUs
 *
 * MBMS_SRTP_CMD_FLOW_NEW: steer packets to a session.
 *   MBMS_SRTP_A_SESSION_ID      u32, required, the session must exist
 *   MBMS_SRTP_A_FLOW_DST4 or MBMS_SRTP_A_FLOW_DST6
 *                               exactly one, required; unicast or multicast
 *   MBMS_SRTP_A_FLOW_DPORT      u16, required, 1..65535
 *   MBMS_SRTP_A_FLOW_SRC4 or MBMS_SRTP_A_FLOW_SRC6
 *                               optional, same family as the destination;
 *                               absent means any source
 *   MBMS_SRTP_A_FLOW_RTCP       flag: packets are SRTCP, not SRTP
 *   A packet is matched by (dst, dport, src) first, then (dst, dport, any).
 *   -EEXIST if that exact (dst, dport, src) is already a flow.
 *
 * MBMS_SRTP_CMD_FLOW_DEL: remove a flow.
 *   FLOW_DST4/6, FLOW_DPORT, optional FLOW_SRC4/6: exactly as added.
 *
 * MBMS_SRTP_CMD_FLOW_GET: dumpit only.  Each flow: SESSION_ID, FLOW_DST4/6,
 *   FLOW_DPORT, FLOW_SRC4/6 when set, FLOW_RTCP when set.
 *
 * MBMS_SRTP_CMD_KEY_NEW: install an MTK.  The session keys (RFC 3711
 *   §4.3, KDR 0) and the HMAC state are derived here, once.
 *   MBMS_SRTP_A_SESSION_ID      u32, required
 *   MBMS_SRTP_A_MSK_ID          u32, required
 *   MBMS_SRTP_A_MTK_ID          u16, required
 *   MBMS_SRTP_A_KEY_MASTER      binary, exactly 16 bytes, required
 *   MBMS_SRTP_A_KEY_SALT        binary, exactly 14 bytes, required
 *   MBMS_SRTP_A_KEY_ROC         u32, optional: ROC for SSRCs first seen
 *                               under this key (a late joiner), default 0
 *   MBMS_SRTP_A_KEY_MAX_PACKETS u64, optional: packets (SRTP + SRTCP)
 *                               after which the key is expired; 0 or
 *                               absent means the RFC 3711 limits only
 *   MBMS_SRTP_A_KEY_LIFETIME    u32, optional: seconds after install
 *                               after which the key is expired; 0 = none
 *   Installing a (MSK ID, MTK ID) the session already holds is refused
 *   with -EEXIST (delete it first).  When the session already holds
 *   MAX_KEYS keys the oldest installed one (under one MSK: the lowest MTK
 *   ID) is removed first.
 *
 * MBMS_SRTP_CMD_KEY_DEL: remove a key.
 *   SESSION_ID, MSK_ID, MTK_ID: all required.
 *
 * MBMS_SRTP_CMD_KEY_GET: dumpit; optional SESSION_ID restricts the dump.
 *   Key material is never returned.  Each key: SESSION_ID, MSK_ID, MTK_ID,
 *   KEY_ROC, KEY_MAX_PACKETS, KEY_LIFETIME (as installed), and
 *   MBMS_SRTP_A_KEY_PACKETS     u64, packets authenticated with this key
 *   MBMS_SRTP_A_KEY_AGE_MS      u64, milliseconds since install
 *   MBMS_SRTP_A_KEY_IDLE_MS     u64, milliseconds since last use; absent
 *                               if never used
 *   MBMS_SRTP_A_KEY_EXPIRED     flag, present once the key is expired
 *
 * Notifications (multicast group MBMS_SRTP_MCGRP_EVENTS)
 * -----------------------------------------------------
 *
 * MBMS_SRTP_CMD_KEY_NEEDED_NTF: a packet on a flow of this session carried
 *   an MKI for which no key is installed, or a key is about to run out.
 *   MBMS_SRTP_A_SESSION_ID      u32
 *   MBMS_SRTP_A_MSK_ID          u32, from the MKI (or of the key)
 *   MBMS_SRTP_A_MTK_ID          u16, from the MKI (or of the key)
 *   MBMS_SRTP_A_EVENT_REASON    u8, enum mbms_srtp_event_reason
 *   Never sent from the packet path itself: a worker sends it.  An
 *   unknown MKI is reported from its second packet on, then at most once
 *   per MBMS_SRTP_EVENT_MIN_INTERVAL_MS while its packets keep coming,
 *   and a session reports few distinct MKIs per interval, so a flood of
 *   random MKIs raises next to nothing.  Each soft-limit reason is sent
 *   once per key.
 *   With an MKI length below 6 the missing bytes of the IDs read as 0.
 */
#ifndef _UAPI_LINUX_MBMS_SRTP_H
#define _UAPI_LINUX_MBMS_SRTP_H

#define MBMS_SRTP_GENL_NAME		"mbms_srtp"
#define MBMS_SRTP_GENL_VERSION		1
#define MBMS_SRTP_MCGRP_EVENTS		"events"

/* Limits, also enforced by the netlink policies. */
#define MBMS_SRTP_MASTER_KEY_LEN	16
#define MBMS_SRTP_MASTER_SALT_LEN	14
#define MBMS_SRTP_MKI_LEN_MAX		6
#define MBMS_SRTP_MKI_LEN_DEFAULT	6
#define MBMS_SRTP_WINDOW_MIN		64
#define MBMS_SRTP_WINDOW_MAX		4096
#define MBMS_SRTP_WINDOW_DEFAULT	128
#define MBMS_SRTP_MAX_KEYS_MAX		16
#define MBMS_SRTP_MAX_KEYS_DEFAULT	2
#define MBMS_SRTP_MAX_SSRCS_MAX		256
#define MBMS_SRTP_MAX_SSRCS_DEFAULT	16
#define MBMS_SRTP_RCC_MODE_MAX		3
#define MBMS_SRTP_TAG_LEN_MIN		4
#define MBMS_SRTP_TAG_LEN_MAX		20	/* HMAC-SHA1's whole output */
#define MBMS_SRTP_EVENT_MIN_INTERVAL_MS	100

enum mbms_srtp_cmd {
	MBMS_SRTP_CMD_UNSPEC,
	MBMS_SRTP_CMD_SESSION_NEW,
	MBMS_SRTP_CMD_SESSION_DEL,
	MBMS_SRTP_CMD_SESSION_GET,
	MBMS_SRTP_CMD_FLOW_NEW,
	MBMS_SRTP_CMD_FLOW_DEL,
	MBMS_SRTP_CMD_FLOW_GET,
	MBMS_SRTP_CMD_KEY_NEW,
	MBMS_SRTP_CMD_KEY_DEL,
	MBMS_SRTP_CMD_KEY_GET,
	MBMS_SRTP_CMD_KEY_NEEDED_NTF,
	__MBMS_SRTP_CMD_MAX
};

#define MBMS_SRTP_CMD_MAX (__MBMS_SRTP_CMD_MAX - 1)

enum mbms_srtp_attr {
	MBMS_SRTP_A_UNSPEC,
	MBMS_SRTP_A_SESSION_ID,		/* u32 */
	MBMS_SRTP_A_SUITE,		/* u8, enum mbms_srtp_suite */
	MBMS_SRTP_A_MKI_LEN,		/* u8 */
	MBMS_SRTP_A_REPLAY_WINDOW,	/* u16 */
	MBMS_SRTP_A_MAX_KEYS,		/* u8 */
	MBMS_SRTP_A_ON_FAIL,		/* u8, enum mbms_srtp_on_fail */
	MBMS_SRTP_A_SESSION_NKEYS,	/* u32, read only */
	MBMS_SRTP_A_SESSION_NFLOWS,	/* u32, read only */
	MBMS_SRTP_A_SESSION_NSSRCS,	/* u32, read only */
	MBMS_SRTP_A_STATS,		/* nested, enum mbms_srtp_stats_attr */
	MBMS_SRTP_A_FLOW_DST4,		/* binary, 4 bytes, network order */
	MBMS_SRTP_A_FLOW_DST6,		/* binary, 16 bytes */
	MBMS_SRTP_A_FLOW_SRC4,		/* binary, 4 bytes */
	MBMS_SRTP_A_FLOW_SRC6,		/* binary, 16 bytes */
	MBMS_SRTP_A_FLOW_DPORT,		/* u16, host order */
	MBMS_SRTP_A_FLOW_RTCP,		/* flag */
	MBMS_SRTP_A_MSK_ID,		/* u32 */
	MBMS_SRTP_A_MTK_ID,		/* u16 */
	MBMS_SRTP_A_KEY_MASTER,		/* binary, 16 bytes, write only */
	MBMS_SRTP_A_KEY_SALT,		/* binary, 14 bytes, write only */
	MBMS_SRTP_A_KEY_ROC,		/* u32 */
	MBMS_SRTP_A_KEY_MAX_PACKETS,	/* u64 */
	MBMS_SRTP_A_KEY_LIFETIME,	/* u32, seconds */
	MBMS_SRTP_A_KEY_PACKETS,	/* u64, read only */
	MBMS_SRTP_A_KEY_AGE_MS,		/* u64, read only */
	MBMS_SRTP_A_KEY_IDLE_MS,	/* u64, read only */
	MBMS_SRTP_A_KEY_EXPIRED,	/* flag, read only */
	MBMS_SRTP_A_EVENT_REASON,	/* u8, enum mbms_srtp_event_reason */
	MBMS_SRTP_A_PAD,		/* padding for 64-bit attributes */
	MBMS_SRTP_A_MAX_SSRCS,		/* u16 */
	MBMS_SRTP_A_SESSION_SSRCS_HWM,	/* u32, read only */
	MBMS_SRTP_A_SESSION_RCC_MODE,	/* u8, 0 none, 1..3 RFC 4771 RCCm1..3 */
	MBMS_SRTP_A_SESSION_RCC_RATE,	/* u16, R, 1..65535 */
	MBMS_SRTP_A_SESSION_TAG_LEN,	/* u8, SRTP tag bytes, 4..20 */
	__MBMS_SRTP_A_MAX
};

#define MBMS_SRTP_A_MAX (__MBMS_SRTP_A_MAX - 1)

/* Counters inside MBMS_SRTP_A_STATS, each u64. */
enum mbms_srtp_stats_attr {
	MBMS_SRTP_STATS_A_UNSPEC,
	MBMS_SRTP_STATS_A_PACKETS,	/* authenticated and decrypted */
	MBMS_SRTP_STATS_A_BYTES,	/* their plaintext UDP payload bytes */
	MBMS_SRTP_STATS_A_RTCP_PACKETS,	/* of PACKETS, how many were SRTCP */
	MBMS_SRTP_STATS_A_MALFORMED,	/* bad RTP/RTCP header or lengths */
	MBMS_SRTP_STATS_A_UNKNOWN_MKI,	/* no key for the packet's MKI */
	MBMS_SRTP_STATS_A_AUTH,		/* authentication tag mismatch */
	MBMS_SRTP_STATS_A_REPLAY,	/* duplicate or too old */
	MBMS_SRTP_STATS_A_KEY_EXPIRED,	/* key past its packet or time limit,
					 * or removed during the packet
					 */
	MBMS_SRTP_STATS_A_PASSED,	/* failures passed unchanged (on-fail pass) */
	MBMS_SRTP_STATS_A_PAD,
	MBMS_SRTP_STATS_A_GSO_SEGMENTED, /* GSO skbs split into their packets */
	MBMS_SRTP_STATS_A_SSRC_FULL,	/* authentic, new SSRC, no free slot */
	MBMS_SRTP_STATS_A_NOMEM,	/* no memory for a private skb copy */
	MBMS_SRTP_STATS_A_FRAG_REASSEMBLED, /* arrived fragmented, reassembled */
	MBMS_SRTP_STATS_A_FRAGMENT,	/* unreassembled fragment, refused */
	MBMS_SRTP_STATS_A_CSUM_ERROR,	/* bad UDP checksum (IPv6: or 0) */
	MBMS_SRTP_STATS_A_ROC_UNKNOWN,	/* RFC 4771 mode 1/3, ROC not known */
	__MBMS_SRTP_STATS_A_MAX
};

#define MBMS_SRTP_STATS_A_MAX (__MBMS_SRTP_STATS_A_MAX - 1)

enum mbms_srtp_suite {
	MBMS_SRTP_SUITE_UNSPEC,
	MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80,	/* 10-byte tag */
	MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32,	/* 4-byte SRTP tag */
	__MBMS_SRTP_SUITE_MAX
};

#define MBMS_SRTP_SUITE_MAX (__MBMS_SRTP_SUITE_MAX - 1)

enum mbms_srtp_on_fail {
	MBMS_SRTP_ON_FAIL_DROP,		/* drop packets that fail any check */
	MBMS_SRTP_ON_FAIL_PASS,		/* let them through unchanged */
	__MBMS_SRTP_ON_FAIL_MAX
};

#define MBMS_SRTP_ON_FAIL_MAX (__MBMS_SRTP_ON_FAIL_MAX - 1)

enum mbms_srtp_event_reason {
	MBMS_SRTP_EVENT_UNSPEC,
	MBMS_SRTP_EVENT_UNKNOWN_MKI,	/* a packet named a key we lack */
	MBMS_SRTP_EVENT_KEY_SOFT_PACKETS, /* key used 7/8 of its packets */
	MBMS_SRTP_EVENT_KEY_SOFT_LIFETIME, /* key lived 7/8 of its lifetime */
	__MBMS_SRTP_EVENT_MAX
};

#define MBMS_SRTP_EVENT_MAX (__MBMS_SRTP_EVENT_MAX - 1)

#endif /* _UAPI_LINUX_MBMS_SRTP_H */
