/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbmsd key store: everything that must survive a restart or a kill -9 --
 * the two MUKs (current and last negotiated, with expiry and the MSK
 * replay counter), the MSKs with RAND, validity and MTK state, and the two
 * most recent MTKs per session (to reinstall them if the kernel lost them).
 *
 * File: STATE_DIR/state, mode 0600, replaced atomically (write
 * state.tmp, fsync, rename, fsync the directory), so a crash leaves either
 * the old or the new file.  Format (all integers big-endian):
 *
 *   "MBMSDST\0" | version u16 = 1 | reserved u16 | body length u32 |
 *   body: records type u8 | length u16 | payload  |  CRC-32 u32 of all
 *   bytes before it
 *
 * Records: 1 meta, 2 MUK, 3 MSK, 4 MTK, 5 MSK RFC 4771 settings (key
 * domain | MSK ID | mode u8 | R u16; only when set), 6 MSK order (key
 * domain | MSK ID | MUK generation u32 | TS counter u32: how new the MSK
 * is, TS 33.246 §6.5.3; only when known), 7 MSK ROC (key domain | MSK ID
 * | ROC u32 of the push's SRTP-ID map, RFC 3830 §6.1.1; only when the
 * push had one).  5, 6 and 7 follow their MSK record.  A reader skips record types it does not know, so neither
 * needed a version bump: files written before them load (no RFC 4771,
 * order "not known"), and an older mbmsd reads newer files without them.
 *
 * The CRC detects torn or corrupted files, not tampering: the file is
 * protected by its mode.  The decoder treats the file as untrusted bytes
 * (bounds checks everywhere, a libFuzzer target).  Secrets are wiped with
 * store_wipe() and from every temporary buffer.
 */
#ifndef MBMSD_STORE_H
#define MBMSD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy.h"

#define STORE_FILE		"state"
#define STORE_TMP_FILE		"state.tmp"
#define STORE_VERSION		1
#define STORE_MAX_FILE		(64 * 1024)
#define STORE_MAX_MSKS		128
#define STORE_MAX_MTKS		128
#define STORE_KS_NAF_LEN	32
#define STORE_BTID_MAX		255
#define STORE_KEY_LEN		16
#define STORE_RAND_LEN		16
#define STORE_SALT_LEN		14

struct store_muk {
	bool present;
	uint32_t gen;
	uint64_t expires_ms;		/* CLOCK_REALTIME milliseconds */
	bool have_counter;
	uint32_t msk_counter;
	uint8_t ks_naf[STORE_KS_NAF_LEN];	/* the MUK; secret */
	char btid[STORE_BTID_MAX + 1];
};

struct store_msk {
	bool present;
	uint8_t key_domain[POL_KEY_DOMAIN_LEN];
	uint32_t msk_id;
	uint32_t seql, sequ;
	bool have_mtk;
	uint16_t mtk_id;
	bool have_mtk_counter;
	uint32_t mtk_counter;
	uint64_t received_ms;
	/* the push's MUK generation and TS counter (0: not known) */
	uint32_t muk_gen;
	uint32_t ts_counter;
	uint8_t suite;			/* enum mbms_srtp_suite from the SP */
	uint8_t rcc_mode;		/* RFC 4771 mode, 0 = none */
	uint16_t rcc_rate;		/* RFC 4771 R, 0 = none */
	uint8_t tag_len;		/* SP's SRTP tag bytes, 0 = the suite's */
	/* the push's SRTP-ID map (RFC 3830 §6.1.1): the stream's ROC */
	bool has_roc;
	uint32_t roc;
	uint8_t key[STORE_KEY_LEN];	/* secret */
	uint8_t rand[STORE_RAND_LEN];
};

struct store_mtk {
	bool present;
	uint32_t session_id;
	uint32_t msk_id;
	uint16_t mtk_id;
	uint64_t installed_ms;
	uint8_t key[STORE_KEY_LEN];	/* secret */
	uint8_t salt[STORE_SALT_LEN];	/* secret */
};

struct store {
	int cur, neg;			/* MUK slot roles, -1 = none */
	bool need_bootstrap;
	uint32_t next_gen;		/* next MUK generation number */
	struct store_muk muk[2];
	struct store_msk msk[STORE_MAX_MSKS];
	struct store_mtk mtk[STORE_MAX_MTKS];
};

/* An empty store (no keys). */
void store_init(struct store *s);
/* Zero every byte, secrets included. */
void store_wipe(struct store *s);

/*
 * Serialise @s into @buf (capacity @cap, STORE_MAX_FILE is always enough).
 * Returns the length, or -1 if @cap is too small.  The caller wipes @buf.
 */
long store_encode(const struct store *s, uint8_t *buf, size_t cap);

/*
 * Parse @len untrusted bytes into @s.  Returns 0, or -1 with a message in
 * @err naming what was wrong and where ("record 3 (msk) at offset 120:
 * length 12, expected 63").  @s is wiped on failure.
 */
int store_decode(const uint8_t *buf, size_t len, struct store *s,
		 char *err, size_t errlen);

/*
 * Check that @dir is a directory owned by us and not accessible by group
 * or others.  Returns 0 or -1 with @err.
 */
int store_check_dir(const char *dir, char *err, size_t errlen);

/* Save atomically to @dir/state.  Returns 0 or -1 with @err. */
int store_save(const char *dir, const struct store *s, char *err,
	       size_t errlen);

/*
 * Load @dir/state.  Returns 0 (loaded), 1 (no file: @s is empty), or -1
 * with @err (unsafe permissions, I/O error, corrupt file).
 */
int store_load(const char *dir, struct store *s, char *err, size_t errlen);

/* ---- keys ---------------------------------------------------------------- */

struct store_msk *store_msk_find(struct store *s, const uint8_t *key_domain,
				 uint32_t msk_id);
/* Add or replace an MSK's key material; NULL when the store is full. */
struct store_msk *store_msk_put(struct store *s, const uint8_t *key_domain,
				uint32_t msk_id, const uint8_t *key,
				const uint8_t *rand, uint8_t suite,
				uint64_t now_ms);
void store_msk_del(struct store *s, const uint8_t *key_domain,
		   uint32_t msk_id);
/*
 * The most recently received MSK of a key group (it carries the group's
 * policy: suite, RFC 4771 mode and R), or NULL.
 */
const struct store_msk *store_msk_newest(const struct store *s,
					 const uint8_t *key_domain,
					 uint16_t key_group);

/*
 * Record an installed MTK of @session_id; keeps the two most recent per
 * session (the older one is wiped).  Returns 0, or -1 when full.
 */
int store_mtk_put(struct store *s, uint32_t session_id, uint32_t msk_id,
		  uint16_t mtk_id, const uint8_t *key, const uint8_t *salt,
		  uint64_t now_ms);
/* The stored MTK (@msk_id, @mtk_id) of @session_id, or NULL. */
const struct store_mtk *store_mtk_find(const struct store *s,
				       uint32_t session_id, uint32_t msk_id,
				       uint16_t mtk_id);
/* Forget every MTK delivered under @msk_id (it was dropped). */
void store_mtk_del_msk(struct store *s, uint32_t msk_id);

/* ---- policy state <-> store ----------------------------------------------- */

/*
 * Copy the policy's view (MUK roles, expiry and counters, MSK validity and
 * MTK state, need_bootstrap) into @s before saving.
 */
void store_sync_from_policy(struct store *s, const struct pol_ue *ue);

/*
 * Rebuild @ue (already pol_ue_init()ed with the configured groups) from
 * @s at start-up.  MSKs of groups no longer configured are dropped from
 * @s.  Returns the number of MSKs restored.
 */
int store_restore_policy(struct store *s, struct pol_ue *ue);

/* CRC-32 (IEEE 802.3), exported for tests. */
uint32_t store_crc32(const uint8_t *p, size_t len);

#endif /* MBMSD_STORE_H */
