/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MTKs installed in a session: install, replace, evict, look up by MKI,
 * free after an RCU grace period with all secrets zeroed.
 */
#ifndef _MBMS_KEY_H
#define _MBMS_KEY_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/workqueue.h>
#include <linux/mbms_srtp.h>

#include "crypto.h"

struct mbms_session;
struct netlink_ext_ack;

/* RFC 3711 section 9.2 limits per master key. */
#define MBMS_KEY_SRTP_LIMIT	BIT_ULL(48)
#define MBMS_KEY_SRTCP_LIMIT	BIT_ULL(31)

enum mbms_key_flags {
	MBMS_KEY_SOFT_PACKETS_SENT,
	MBMS_KEY_SOFT_LIFETIME_SENT,
	MBMS_KEY_SOFT_PACKETS_PENDING,	/* its event waits for the worker */
	MBMS_KEY_SOFT_LIFETIME_PENDING,
	MBMS_KEY_USED,
	MBMS_KEY_REMOVED,	/* unpublished: no packet may commit under it */
};

/**
 * struct mbms_key - one MTK with its derived session transforms
 * @msk_id: MSK ID
 * @mtk_id: MTK ID
 * @mki: MSK ID || MTK ID as on the wire, big-endian
 * @roc: ROC for SSRCs first seen under this key
 * @slot: index in the session's keys[], fixed once installed
 * @max_packets: hard packet limit, 0 = RFC 3711 limits only
 * @lifetime: seconds after install, 0 = none
 * @install_seq: install order within the session, for eviction
 * @installed: jiffies64 at install
 * @expires: jiffies64 of expiry, 0 = never
 * @soft_expires: jiffies64 at 7/8 of the lifetime, 0 = never
 * @soft_packets: 7/8 of @max_packets, 0 = none
 * @packets: packets authenticated with this key (SRTP + SRTCP)
 * @rtcp_packets: of those, SRTCP (RFC 3711 limit 2^31)
 * @last_used: jiffies64 of the last authenticated packet
 * @flags: enum mbms_key_flags
 * @srtp: SRTP transforms (labels 0, 1, 2)
 * @srtcp: SRTCP transforms (labels 3, 4, 5)
 * @rwork: frees the key after a grace period, in process context
 */
struct mbms_key {
	u32 msk_id;
	u16 mtk_id;
	u8 mki[MBMS_SRTP_MKI_LEN_MAX];
	u32 roc;
	u8 slot;
	u64 max_packets;
	u32 lifetime;
	u64 install_seq;
	u64 installed;
	u64 expires;
	u64 soft_expires;
	u64 soft_packets;
	atomic64_t packets;
	atomic64_t rtcp_packets;
	u64 last_used;
	unsigned long flags;
	struct mbms_cipher srtp;
	struct mbms_cipher srtcp;
	struct rcu_work rwork;
};

/**
 * struct mbms_key_params - what KEY_NEW carries
 * @msk_id: MSK ID
 * @mtk_id: MTK ID
 * @master: master key
 * @salt: master salt
 * @roc: initial ROC
 * @max_packets: packet limit or 0
 * @lifetime: lifetime in seconds or 0
 */
struct mbms_key_params {
	u32 msk_id;
	u16 mtk_id;
	u8 master[MBMS_SRTP_MASTER_KEY_LEN];
	u8 salt[MBMS_SRTP_MASTER_SALT_LEN];
	u32 roc;
	u64 max_packets;
	u32 lifetime;
};

struct mbms_key *mbms_key_create(const struct mbms_key_params *p);
void mbms_key_destroy(struct mbms_key *key);
/* Why a new key cannot be installed next to the session's keys. */
enum mbms_key_clash {
	MBMS_KEY_OK,
	MBMS_KEY_SAME_IDS,
	MBMS_KEY_SAME_MKI,
};

enum mbms_key_clash mbms_key_conflict(struct mbms_session *s, u32 msk_id,
				      u16 mtk_id);
bool mbms_key_adds(const struct mbms_session *s);
void mbms_key_install(struct mbms_session *s, struct mbms_key *key);
int mbms_key_remove(struct mbms_session *s, u32 msk_id, u16 mtk_id);
void mbms_key_remove_all(struct mbms_session *s);
struct mbms_key *mbms_key_lookup(const struct mbms_session *s,
				 const u8 *mki);
bool mbms_key_expired(const struct mbms_key *key, bool rtcp);
bool mbms_key_reserve(struct mbms_key *key, bool rtcp, u64 *n);
void mbms_key_unreserve(struct mbms_key *key, bool rtcp);

#endif /* _MBMS_KEY_H */
