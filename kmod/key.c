// SPDX-License-Identifier: GPL-2.0
/*
 * Keys of a session.  Writers hold mbms_net.lock and publish with
 * rcu_assign_pointer(); the packet path reads under RCU.  A removed key is
 * freed after a grace period from a work item (freeing transforms may
 * sleep), with its transforms' contexts and the key struct zeroed.
 */
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cache.h"
#include "compat.h"
#include "key.h"
#include "netns.h"
#include "session.h"

static void mbms_key_free_work(struct work_struct *work)
{
	struct mbms_key *key = container_of(to_rcu_work(work),
					    struct mbms_key, rwork);

	mbms_key_destroy(key);
}

/**
 * mbms_key_destroy() - free a key that no reader can see any more
 * @key: the key
 */
void mbms_key_destroy(struct mbms_key *key)
{
	mbms_cipher_free(&key->srtp);
	mbms_cipher_free(&key->srtcp);
	memzero_explicit(key, sizeof(*key));
	kmem_cache_free(mbms_key_cache, key);
}

static int mbms_key_derive(struct mbms_key *key, const u8 *master,
			   const u8 *salt, u8 first_label,
			   struct mbms_cipher *c)
{
	u8 enc[MBMS_SESSION_KEY_LEN], ssalt[MBMS_SESSION_SALT_LEN];
	u8 auth[MBMS_AUTH_KEY_LEN];
	int err;

	err = mbms_kdf(master, salt, first_label, enc, sizeof(enc));
	if (!err)
		err = mbms_kdf(master, salt, first_label + 1, auth,
			       sizeof(auth));
	if (!err)
		err = mbms_kdf(master, salt, first_label + 2, ssalt,
			       sizeof(ssalt));
	if (!err)
		err = mbms_cipher_init(c, enc, ssalt, auth);
	memzero_explicit(enc, sizeof(enc));
	memzero_explicit(auth, sizeof(auth));
	memzero_explicit(ssalt, sizeof(ssalt));
	return err;
}

/**
 * mbms_key_create() - derive a key's session keys and transforms
 * @p: KEY_NEW parameters
 *
 * May sleep.
 *
 * Return: the key (not yet installed) or an ERR_PTR.
 */
struct mbms_key *mbms_key_create(const struct mbms_key_params *p)
{
	struct mbms_key *key;
	u64 now = get_jiffies_64();
	int err;

	key = kmem_cache_zalloc(mbms_key_cache, GFP_KERNEL_ACCOUNT);
	if (!key)
		return ERR_PTR(-ENOMEM);
	key->msk_id = p->msk_id;
	key->mtk_id = p->mtk_id;
	put_unaligned_be32(p->msk_id, key->mki);
	put_unaligned_be16(p->mtk_id, key->mki + 4);
	key->roc = p->roc;
	key->max_packets = p->max_packets;
	key->lifetime = p->lifetime;
	key->installed = now;
	if (p->lifetime) {
		key->expires = now + (u64)p->lifetime * HZ;
		key->soft_expires = now + (u64)p->lifetime * HZ * 7 / 8;
	}
	if (p->max_packets)
		key->soft_packets = p->max_packets - p->max_packets / 8;
	INIT_RCU_WORK(&key->rwork, mbms_key_free_work);

	err = mbms_key_derive(key, p->master, p->salt, MBMS_KDF_SRTP_ENC,
			      &key->srtp);
	if (err)
		goto err_free;
	err = mbms_key_derive(key, p->master, p->salt, MBMS_KDF_SRTCP_ENC,
			      &key->srtcp);
	if (err)
		goto err_free;
	return key;

err_free:
	mbms_key_destroy(key);
	return ERR_PTR(err);
}

static struct mbms_key *mbms_key_at(const struct mbms_session *s,
				    unsigned int i)
{
	return rcu_dereference_protected(s->keys[i],
					 lockdep_is_held(&s->mn->lock));
}

/* The slot of the key with these IDs, or MBMS_SRTP_MAX_KEYS_MAX if none. */
static unsigned int mbms_key_slot(const struct mbms_session *s, u32 msk_id,
				  u16 mtk_id)
{
	struct mbms_key *k;
	unsigned int i;

	for (i = 0; i < MBMS_SRTP_MAX_KEYS_MAX; i++) {
		k = mbms_key_at(s, i);
		if (k && k->msk_id == msk_id && k->mtk_id == mtk_id)
			break;
	}
	return i;
}

/*
 * Unpublish a key.  It is freed by mbms_key_free_rcu() only once no
 * pointer (s->keys[] or s->newest) leads to it any more, so that the
 * grace period covers every reader that could have found it.
 */
static struct mbms_key *mbms_key_unlink(struct mbms_session *s,
					unsigned int i)
{
	struct mbms_key *old = mbms_key_at(s, i);

	RCU_INIT_POINTER(s->keys[i], NULL);
	s->nkeys--;
	s->mn->nkeys--;
	mbms_net_changed(s->mn);
	return old;
}

static void mbms_key_free_rcu(struct mbms_key *key)
{
	if (key)
		queue_rcu_work(mbms_wq, &key->rwork);
}

/* After a removal, the newest key is the one installed last. */
static void mbms_key_pick_newest(struct mbms_session *s)
{
	struct mbms_key *k, *newest = NULL;
	unsigned int i;

	for (i = 0; i < MBMS_SRTP_MAX_KEYS_MAX; i++) {
		k = mbms_key_at(s, i);
		if (k && (!newest || k->install_seq > newest->install_seq))
			newest = k;
	}
	rcu_assign_pointer(s->newest, newest);
}

/*
 * The key to evict from a full session: the oldest installed; when other
 * keys share its MSK, the lowest MTK ID of that MSK (MTK IDs only grow
 * under one MSK, so a lower one is older even if re-installed later).
 */
static unsigned int mbms_key_victim(struct mbms_session *s)
{
	unsigned int i, v = MBMS_SRTP_MAX_KEYS_MAX;
	struct mbms_key *k, *vk = NULL;

	for (i = 0; i < MBMS_SRTP_MAX_KEYS_MAX; i++) {
		k = mbms_key_at(s, i);
		if (k && (!vk || k->install_seq < vk->install_seq)) {
			vk = k;
			v = i;
		}
	}
	for (i = 0; vk && i < MBMS_SRTP_MAX_KEYS_MAX; i++) {
		k = mbms_key_at(s, i);
		if (k && k->msk_id == vk->msk_id && k->mtk_id < vk->mtk_id) {
			vk = k;
			v = i;
		}
	}
	return v;
}

/**
 * mbms_key_conflict() - does a new key clash with an installed one?
 * @s: the session; mn->lock held
 * @msk_id: MSK ID of the new key
 * @mtk_id: MTK ID of the new key
 *
 * Re-adding the same IDs would reset the key's packet count, limits and
 * age and make an older MTK the newest, so it is refused (delete first).
 * With an MKI shorter than 6 bytes the packet carries only the tail of
 * MSK ID || MTK ID: two keys with the same tail would be ambiguous.
 *
 * Return: MBMS_KEY_OK, MBMS_KEY_SAME_IDS or MBMS_KEY_SAME_MKI.
 */
enum mbms_key_clash mbms_key_conflict(struct mbms_session *s, u32 msk_id,
				      u16 mtk_id)
{
	unsigned int n = s->p.mki_len, i;
	u8 mki[MBMS_SRTP_MKI_LEN_MAX];
	struct mbms_key *k;

	lockdep_assert_held(&s->mn->lock);
	put_unaligned_be32(msk_id, mki);
	put_unaligned_be16(mtk_id, mki + 4);
	for (i = 0; i < MBMS_SRTP_MAX_KEYS_MAX; i++) {
		k = mbms_key_at(s, i);
		if (!k)
			continue;
		if (k->msk_id == msk_id && k->mtk_id == mtk_id)
			return MBMS_KEY_SAME_IDS;
		if (n && !memcmp(k->mki + MBMS_SRTP_MKI_LEN_MAX - n,
				 mki + MBMS_SRTP_MKI_LEN_MAX - n, n))
			return MBMS_KEY_SAME_MKI;
	}
	return MBMS_KEY_OK;
}

/**
 * mbms_key_adds() - would installing a key add one to the count?
 * @s: the session; mn->lock held
 *
 * Not when the session is at its max-keys and so evicts one: rotating
 * keys never hits mbms_max_keys.  (A key of the same IDs is refused
 * before, by mbms_key_conflict().)
 *
 * Return: true if the session would hold one key more.
 */
bool mbms_key_adds(const struct mbms_session *s)
{
	lockdep_assert_held(&s->mn->lock);
	return s->nkeys < s->p.max_keys;
}

/**
 * mbms_key_install() - install a key, evicting one if the session is full
 * @s: the session; mn->lock held
 * @key: from mbms_key_create(); owned by the session afterwards
 *
 * The caller has refused a key whose IDs or MKI clash with an installed
 * one (mbms_key_conflict()).  A full session first loses
 * mbms_key_victim().  Readers see either the old or the new key, never a
 * half-built one.
 */
void mbms_key_install(struct mbms_session *s, struct mbms_key *key)
{
	unsigned int slot = 0;
	struct mbms_key *old = NULL;

	lockdep_assert_held(&s->mn->lock);
	if (!mbms_key_adds(s)) {
		slot = mbms_key_victim(s);
		old = mbms_key_unlink(s, slot);
		/* before @key is published at the same index */
		mbms_ssrc_forget_key(s, old);
	} else {
		/* nkeys < max-keys <= MBMS_SRTP_MAX_KEYS_MAX: one is free */
		while (mbms_key_at(s, slot))
			slot++;
	}

	key->install_seq = ++s->key_seq;
	key->slot = slot;
	s->nkeys++;
	s->mn->nkeys++;
	rcu_assign_pointer(s->keys[slot], key);
	rcu_assign_pointer(s->newest, key);
	mbms_net_changed(s->mn);
	mbms_key_free_rcu(old);
}

/**
 * mbms_key_remove() - remove one key
 * @s: the session; mn->lock held
 * @msk_id: MSK ID
 * @mtk_id: MTK ID
 *
 * Return: 0 or -ENOENT.
 */
int mbms_key_remove(struct mbms_session *s, u32 msk_id, u16 mtk_id)
{
	struct mbms_key *k;
	unsigned int i;

	lockdep_assert_held(&s->mn->lock);
	i = mbms_key_slot(s, msk_id, mtk_id);
	if (i == MBMS_SRTP_MAX_KEYS_MAX)
		return -ENOENT;
	k = mbms_key_at(s, i);
	mbms_key_unlink(s, i);
	mbms_key_pick_newest(s);
	mbms_ssrc_forget_key(s, k);
	mbms_key_free_rcu(k);
	return 0;
}

/**
 * mbms_key_remove_all() - remove every key of a session
 * @s: the session; mn->lock held
 */
void mbms_key_remove_all(struct mbms_session *s)
{
	unsigned int i;

	lockdep_assert_held(&s->mn->lock);
	RCU_INIT_POINTER(s->newest, NULL);
	for (i = 0; i < MBMS_SRTP_MAX_KEYS_MAX; i++)
		if (mbms_key_at(s, i))
			mbms_key_free_rcu(mbms_key_unlink(s, i));
}

/**
 * mbms_key_lookup() - key named by a packet's MKI
 * @s: the session
 * @mki: the packet's s->p.mki_len MKI bytes (ignored when that is 0)
 *
 * An MKI shorter than 6 bytes is the tail of MSK ID || MTK ID.  Caller
 * holds rcu_read_lock().
 *
 * Return: the key or NULL.
 */
struct mbms_key *mbms_key_lookup(const struct mbms_session *s,
				 const u8 *mki)
{
	unsigned int n = s->p.mki_len, i;
	struct mbms_key *k;

	if (!n)
		return rcu_dereference(s->newest);
	for (i = 0; i < s->p.max_keys && i < MBMS_SRTP_MAX_KEYS_MAX; i++) {
		k = rcu_dereference(s->keys[i]);
		if (k && !memcmp(k->mki + MBMS_SRTP_MKI_LEN_MAX - n, mki, n))
			return k;
	}
	return NULL;
}

/**
 * mbms_key_expired() - is the key past a limit?
 * @key: the key
 * @rtcp: the packet at hand is SRTCP (its own RFC 3711 limit applies)
 *
 * Return: true when the key must no longer be used.
 */
bool mbms_key_expired(const struct mbms_key *key, bool rtcp)
{
	u64 n = atomic64_read(&key->packets);

	if (key->max_packets && n >= key->max_packets)
		return true;
	if (n >= MBMS_KEY_SRTP_LIMIT)
		return true;
	if (rtcp && atomic64_read(&key->rtcp_packets) >= MBMS_KEY_SRTCP_LIMIT)
		return true;
	return key->expires && time_after_eq64(get_jiffies_64(), key->expires);
}

/* Take one unit of @limit from @count unless it is used up. */
static bool mbms_key_take(atomic64_t *count, u64 limit, u64 *n)
{
	s64 old = atomic64_read(count);

	do {
		if ((u64)old >= limit)
			return false;
	} while (!atomic64_try_cmpxchg(count, &old, old + 1));
	*n = old + 1;
	return true;
}

/**
 * mbms_key_reserve() - count a packet against the key's limits, exactly
 * @key: the key the packet authenticated under
 * @rtcp: SRTCP (its own RFC 3711 limit applies as well)
 * @n: receives the key's packet count including this packet
 *
 * mbms_key_expired() is only a cheap early check: between it and the end
 * of the packet path other CPUs may take the last packets of the limit.
 * Here check and increment are one atomic step, so however many CPUs
 * race, at most max_packets packets are ever decrypted under the key.
 * Called after authentication and before decryption; a packet dropped
 * later gives its unit back with mbms_key_unreserve().
 *
 * Return: false when a limit is reached (nothing taken).
 */
bool mbms_key_reserve(struct mbms_key *key, bool rtcp, u64 *n)
{
	u64 limit = MBMS_KEY_SRTP_LIMIT, rn;

	if (key->max_packets && key->max_packets < limit)
		limit = key->max_packets;
	if (!mbms_key_take(&key->packets, limit, n))
		return false;
	if (rtcp && !mbms_key_take(&key->rtcp_packets, MBMS_KEY_SRTCP_LIMIT,
				   &rn)) {
		atomic64_dec(&key->packets);
		return false;
	}
	return true;
}

/**
 * mbms_key_unreserve() - give back what mbms_key_reserve() took
 * @key: the key
 * @rtcp: as given to mbms_key_reserve()
 */
void mbms_key_unreserve(struct mbms_key *key, bool rtcp)
{
	atomic64_dec(&key->packets);
	if (rtcp)
		atomic64_dec(&key->rtcp_packets);
}
