/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmikey: MIKEY (RFC 3830) pre-shared-key messages as profiled for MBMS by
 * 3GPP TS 33.246 §6.4 -- decode, classify, verify, decrypt, encode -- plus
 * the key derivations around it (RFC 3830 PRF, TS 33.220 KDF for the MRK)
 * and the receiver's acceptance rules (replay counter, MTK ID window, MSK
 * key validity).
 *
 * No I/O, no allocation, no global state: every call works on caller-owned
 * memory, so the library is safe to use from any thread on distinct
 * objects.  Crypto comes from OpenSSL libcrypto.
 *
 * Receive path, in this order (authenticate before acting on anything):
 *
 *	struct mikey_msg m;
 *	struct mikey_error e;
 *
 *	if (mikey_decode(buf, len, &m, &e))		// framing + MBMS profile
 *		drop(e.msg);
 *	// look up the key by m.ext (MSK ID) or m.idr (MUK ID)
 *	if (mikey_verify_decrypt(&m, key, keylen, stored_rand, 16, &e))
 *		drop(e.msg);				// MAC wrong => nothing used
 *	if (!mikey_counter_fresh(stored_counter, m.t.value))
 *		drop("replayed");
 *	... use m.keys[0] ...
 *	mikey_msg_clear(&m);				// wipes the keys
 *
 * Secrets (decrypted keys, derived keys) live only in struct mikey_msg and
 * struct mikey_kemac_keys; mikey_msg_clear() / mikey_kemac_keys_clear() wipe
 * them.  Nothing in the library logs or prints.
 *
 * Where the 3GPP text could not be checked (PROTOCOL.md "UNVERIFIED"), each
 * choice lives in one named constant or table; the full list is in
 * Documentation/mikey.rst.
 *
 * Return convention: functions returning int return 0 (MIKEY_OK) on
 * success or a positive enum mikey_err code; when @err is non-NULL it is
 * filled with the code, the byte offset (for decode errors) and a message
 * naming what was wrong.
 */
#ifndef MBMS_MIKEY_H
#define MBMS_MIKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- limits (decoder rejects anything larger with MIKEY_E_LIMIT) -------- */

#define MIKEY_MAX_MESSAGE_LEN	2048	/* larger => MIKEY_E_OVERSIZE */
#define MIKEY_MAX_PAYLOADS	32	/* next-payload chain bound */
#define MIKEY_MAX_CS		16	/* SRTP-ID map entries */
#define MIKEY_MAX_ID_LEN	255	/* IDi / IDr bytes */
#define MIKEY_MAX_RAND_LEN	255	/* the RAND length field is 8 bits */
#define MIKEY_MAX_SP		4	/* SP payloads per message */
#define MIKEY_MAX_SP_PARAMS	16	/* TLVs per SP payload */
#define MIKEY_MAX_SP_VAL	16	/* bytes per SP TLV value */
#define MIKEY_MAX_EXT		8	/* unknown EXT payloads kept */
#define MIKEY_MAX_ERR		4	/* ERR payloads kept */
#define MIKEY_MAX_KEYS		4	/* key data sub-payloads kept */
#define MIKEY_MAX_KEY_LEN	64	/* bytes of one key */
#define MIKEY_MAX_SALT_LEN	32
#define MIKEY_MAX_SPI_LEN	16
#define MIKEY_MAX_KV_LEN	8	/* VF / VT bytes (decoded as integers) */

/* ---- fixed sizes of the MBMS profile ----------------------------------- */

#define MIKEY_RAND_LEN		16	/* RAND in MBMS messages */
#define MIKEY_MAC_LEN		20	/* HMAC-SHA-1-160 */
#define MIKEY_ENCR_KEY_LEN	16	/* AES-CM-128 */
#define MIKEY_AUTH_KEY_LEN	20
#define MIKEY_SALT_KEY_LEN	14	/* 112 bits */
#define MIKEY_MBMS_KEY_LEN	16	/* MSK and MTK */
#define MIKEY_MBMS_SALT_LEN	14	/* MTK salt (SRTP master salt) */
#define MIKEY_MUK_LEN		32	/* Ks_NAF / Ks_int_NAF */
#define MIKEY_MRK_LEN		32
#define MIKEY_KEY_DOMAIN_LEN	3	/* MCC || MNC */
#define MIKEY_MBMS_SEQ_LEN	2	/* VF/VT bytes written for SEQl/SEQu */

/* ---- RFC 3830 code points ----------------------------------------------- */

enum mikey_payload_type {
	MIKEY_PT_LAST = 0,
	MIKEY_PT_KEMAC = 1,
	MIKEY_PT_PKE = 2,
	MIKEY_PT_DH = 3,
	MIKEY_PT_SIGN = 4,
	MIKEY_PT_T = 5,
	MIKEY_PT_ID = 6,
	MIKEY_PT_CERT = 7,
	MIKEY_PT_CHASH = 8,
	MIKEY_PT_V = 9,
	MIKEY_PT_SP = 10,
	MIKEY_PT_RAND = 11,
	MIKEY_PT_ERR = 12,
	MIKEY_PT_KEY_DATA = 20,
	MIKEY_PT_EXT = 21,
	MIKEY_PT_HDR = 255,	/* not on the wire: marks HDR in msg->order */
};

enum mikey_data_type {
	MIKEY_DT_PSK_INIT = 0,
	MIKEY_DT_PSK_RESP = 1,	/* verification message */
	MIKEY_DT_PK_INIT = 2,
	MIKEY_DT_PK_RESP = 3,
	MIKEY_DT_DH_INIT = 4,
	MIKEY_DT_DH_RESP = 5,
	MIKEY_DT_ERROR = 6,
};

enum mikey_cs_map_type {
	MIKEY_MAP_SRTP_ID = 0,
	MIKEY_MAP_EMPTY = 1,	/* RFC 4563 */
};

enum mikey_ts_type {
	MIKEY_TS_NTP_UTC = 0,
	MIKEY_TS_NTP = 1,
	MIKEY_TS_COUNTER = 2,
};

enum mikey_id_type { MIKEY_ID_NAI = 0, MIKEY_ID_URI = 1 };
enum mikey_encr_alg { MIKEY_ENCR_NULL = 0, MIKEY_ENCR_AES_CM_128 = 1,
		      MIKEY_ENCR_AES_KW_128 = 2 };
enum mikey_mac_alg { MIKEY_MAC_NULL = 0, MIKEY_MAC_HMAC_SHA1_160 = 1 };
enum mikey_prf_func { MIKEY_PRF_MIKEY1 = 0 };

enum mikey_key_type {
	MIKEY_KD_TGK = 0,
	MIKEY_KD_TGK_SALT = 1,
	MIKEY_KD_TEK = 2,
	MIKEY_KD_TEK_SALT = 3,
};

enum mikey_kv_type { MIKEY_KV_NULL = 0, MIKEY_KV_SPI = 1,
		     MIKEY_KV_INTERVAL = 2 };

/* SP payload: protocol type and the SRTP parameter types (RFC 3830 §6.10.1). */
#define MIKEY_SP_PROT_SRTP	0
enum mikey_srtp_param {
	MIKEY_SRTP_ENCR_ALG = 0,	/* 0 NULL, 1 AES-CM, 2 AES-F8 */
	MIKEY_SRTP_ENCR_KEY_LEN = 1,
	MIKEY_SRTP_AUTH_ALG = 2,	/* 0 NULL, 1 HMAC-SHA-1 */
	MIKEY_SRTP_AUTH_KEY_LEN = 3,
	MIKEY_SRTP_SALT_LEN = 4,
	MIKEY_SRTP_PRF = 5,		/* 0 AES-CM */
	MIKEY_SRTP_KDR = 6,
	MIKEY_SRTP_SRTP_ENCR = 7,
	MIKEY_SRTP_SRTCP_ENCR = 8,
	MIKEY_SRTP_FEC_ORDER = 9,
	MIKEY_SRTP_SRTP_AUTH = 10,
	MIKEY_SRTP_AUTH_TAG_LEN = 11,
	MIKEY_SRTP_PREFIX_LEN = 12,
	MIKEY_SRTP_ROC_TX_RATE = 13,	/* RFC 4771 R, verified: see below */
};

/*
 * RFC 4771 (RCC, the ROC carried in the SRTP tag) in the SP payload, and
 * the values of SRTP parameter 2 (auth alg).  TS 33.246 §6.6.2.1 wants R in
 * MSK delivery messages.  This is THE table of these numbers; sources and
 * what was read in Documentation/mikey.rst ("RFC 4771 in the SP").
 *   0, 1       RFC 3830 §6.10.1 Table 6.10.1.d
 *   RCCm3 = 4  verified: TS 33.180 V16.12.0 Table E.2.2-1, "2 |
 *              Authentication algorithm | 4 | RCCm3"
 *   RCCm1 = 2, RCCm2 = 3   UNVERIFIED (no text found; consistent with
 *              RCCm3 = 4 and with Symbian MCC's enum order)
 *   parameter 13 (R): verified, same table, "13 | ROC transmission rate";
 *              R is 16 bits in every RCC implementation found, so at most
 *              MIKEY_ROC_TX_RATE_MAX_LEN bytes: UNVERIFIED (the spec
 *              tables give the value, not the length)
 * tests/unit/mikey_hostile_test.c test_sp_ts33180() holds the verified
 * numbers to the spec text.
 */
enum mikey_srtp_auth_alg {
	MIKEY_SRTP_AUTH_NULL = 0,
	MIKEY_SRTP_AUTH_HMAC_SHA1 = 1,
	MIKEY_SRTP_AUTH_RCCM1 = 2,	/* UNVERIFIED */
	MIKEY_SRTP_AUTH_RCCM2 = 3,	/* UNVERIFIED */
	MIKEY_SRTP_AUTH_RCCM3 = 4,	/* verified: TS 33.180 Table E.2.2-1 */
};
#define MIKEY_ROC_TX_RATE_MAX_LEN	2	/* UNVERIFIED: R's length */

/*
 * General Extension types (IANA MIKEY registry) and the Key ID types of
 * type 3 (RFC 4563) that TS 33.246 §6.4.4 uses.  The EXT data is a
 * sequence of entries Key ID type(8) | Key ID length(16) | Key ID (that
 * entry header is UNVERIFIED); the whole layout is one table,
 * mikey_keyid_layout in userspace/mikey/ext.c.
 */
#define MIKEY_EXT_VENDOR_ID	0
#define MIKEY_EXT_SDP_IDS	1
#define MIKEY_EXT_TESLA_IKEY	2	/* RFC 4442 */
#define MIKEY_EXT_KEY_ID	3	/* RFC 4563 */
#define MIKEY_EXT_CSB_ID	4
#define MIKEY_EXT_OMA_BCAST	5	/* RFC 5410 */
enum mikey_keyid_type { MIKEY_KEYID_KEY_DOMAIN = 0, MIKEY_KEYID_MSK = 1,
			MIKEY_KEYID_MTK = 2 };

/* ---- errors ------------------------------------------------------------- */

enum mikey_err {
	MIKEY_OK = 0,
	MIKEY_E_TRUNCATED,	/* a field runs past the end of the message */
	MIKEY_E_OVERSIZE,	/* message longer than MIKEY_MAX_MESSAGE_LEN */
	MIKEY_E_VERSION,	/* HDR version != 1 */
	MIKEY_E_DATA_TYPE,	/* not a pre-shared-key message (0 or 1) */
	MIKEY_E_PRF,		/* PRF func != MIKEY-1 */
	MIKEY_E_CS_MAP,		/* unknown map type, or #CS inconsistent */
	MIKEY_E_UNKNOWN_PAYLOAD, /* next-payload type not in RFC 3830 */
	MIKEY_E_TOO_MANY_PAYLOADS, /* chain longer than MIKEY_MAX_PAYLOADS */
	MIKEY_E_DUPLICATE,	/* a payload that may appear once came twice */
	MIKEY_E_ORDER,		/* payload after KEMAC/V/SIGN, HDR not first */
	MIKEY_E_TRAILING,	/* bytes after the last payload */
	MIKEY_E_LENGTH,		/* a length field has an impossible value */
	MIKEY_E_TS_TYPE,	/* unknown timestamp type, or not COUNTER */
	MIKEY_E_ALG,		/* unknown encr/MAC/SP algorithm or SP value */
	MIKEY_E_NULL_ALG,	/* NULL encryption or NULL MAC (forbidden) */
	MIKEY_E_MISSING,	/* a payload the message type needs is absent */
	MIKEY_E_PROFILE,	/* allowed by RFC 3830, forbidden by TS 33.246 */
	MIKEY_E_EXT,		/* MBMS Key ID EXT malformed or absent */
	MIKEY_E_PULL_KEY,	/* solicited pull carrying key data */
	MIKEY_E_LIMIT,		/* a count/length above this library's limits */
	MIKEY_E_MAC,		/* MAC does not verify (wrong key or forged) */
	MIKEY_E_KEY_DATA,	/* decrypted key data malformed */
	MIKEY_E_REPLAY,		/* counter not newer than the stored one */
	MIKEY_E_MTK_ID_RANGE,	/* MTK ID outside SEQl < id <= SEQu */
	MIKEY_E_MTK_ID_OLD,	/* MTK ID not above the current one */
	MIKEY_E_MSK_INVALID,	/* MSK invalidated (SEQl > SEQu) */
	MIKEY_E_KEY,		/* caller's key missing or of a wrong length */
	MIKEY_E_NOSPACE,	/* encoder output buffer too small */
	MIKEY_E_INVAL,		/* bad argument to an encoder or helper */
	MIKEY_E_CRYPTO,		/* OpenSSL failed */
	__MIKEY_E_MAX,
};

struct mikey_error {
	enum mikey_err code;
	size_t offset;		/* byte offset in the message, decode only */
	char msg[160];		/* "KEMAC: encr data len 40 exceeds payload (28 left)" */
};

/* Short fixed name of a code ("truncated", "mac-mismatch", ...). */
const char *mikey_strerror(enum mikey_err code);

/* ---- decoded message ---------------------------------------------------- */

/* What a message is, per the MBMS profile (set by mikey_decode()). */
enum mikey_kind {
	MIKEY_KIND_UNKNOWN = 0,
	MIKEY_KIND_MSK,			/* MSK delivery or key-validity update */
	MIKEY_KIND_MTK,			/* MTK delivery on the bearer */
	MIKEY_KIND_SOLICITED_PULL,	/* MSK-type, Key Number 0, MAC only */
	MIKEY_KIND_VERIFICATION,	/* data type 1, reply to V bit */
};

/* "msk", "mtk", "solicited-pull", "verification", "unknown". */
const char *mikey_kind_name(enum mikey_kind kind);

struct mikey_span {		/* a payload's bytes inside msg->raw */
	uint16_t off;
	uint16_t len;
};

struct mikey_srtp_id {		/* one CS of an SRTP-ID map */
	uint8_t policy_no;
	uint32_t ssrc;
	uint32_t roc;
};

struct mikey_hdr {
	uint8_t version;
	uint8_t data_type;	/* enum mikey_data_type */
	bool v;			/* "verification wanted" bit */
	uint8_t prf;		/* enum mikey_prf_func */
	uint32_t csb_id;
	uint8_t n_cs;
	uint8_t map_type;	/* enum mikey_cs_map_type */
	struct mikey_srtp_id srtp[MIKEY_MAX_CS]; /* map_type SRTP-ID */
};

struct mikey_ts {
	bool present;
	uint8_t type;		/* enum mikey_ts_type */
	uint64_t value;		/* COUNTER: 32-bit value; NTP: 64-bit */
};

struct mikey_id {
	bool present;
	uint8_t type;		/* enum mikey_id_type */
	uint16_t len;
	char data[MIKEY_MAX_ID_LEN + 1]; /* NUL-terminated; may hold NULs */
};

/* The MBMS Key ID EXT, decoded (see MIKEY_EXT_KEY_ID). */
struct mikey_mbms_ext {
	bool present;		/* with a Key Domain ID entry */
	uint8_t key_domain[MIKEY_KEY_DOMAIN_LEN];
	bool has_msk_id;
	uint32_t msk_id;	/* Key Group (hi 16) || Key Number (lo 16) */
	bool has_mtk_id;
	uint16_t mtk_id;
};

/* An EXT payload of a type this library does not interpret: kept opaque. */
struct mikey_ext_raw {
	uint8_t type;
	uint16_t len;
	uint16_t off;		/* data at msg->raw + off */
};

struct mikey_sp_param {
	uint8_t type;		/* enum mikey_srtp_param for SRTP */
	uint8_t len;
	uint8_t val[MIKEY_MAX_SP_VAL];
};

struct mikey_sp {
	uint8_t policy_no;
	uint8_t prot_type;	/* MIKEY_SP_PROT_SRTP */
	uint8_t n_params;
	struct mikey_sp_param params[MIKEY_MAX_SP_PARAMS];
};

/* One Key data sub-payload (decrypted KEMAC content).  Secret. */
struct mikey_key_data {
	uint8_t type;		/* enum mikey_key_type */
	uint8_t kv;		/* enum mikey_kv_type */
	uint16_t key_len;	/* 0: key-less (MSK validity update) */
	uint8_t key[MIKEY_MAX_KEY_LEN];
	bool has_salt;		/* type TGK+SALT or TEK+SALT */
	uint16_t salt_len;
	uint8_t salt[MIKEY_MAX_SALT_LEN];
	uint8_t spi_len;	/* kv == SPI */
	uint8_t spi[MIKEY_MAX_SPI_LEN];
	uint8_t vf_len, vt_len;	/* kv == INTERVAL */
	uint64_t seql;		/* VF as big-endian integer (MBMS: SEQl) */
	uint64_t sequ;		/* VT as big-endian integer (MBMS: SEQu) */
};

struct mikey_kemac {
	bool present;
	uint8_t encr_alg;	/* enum mikey_encr_alg */
	uint16_t encr_len;
	uint16_t encr_off;	/* encrypted data at msg->raw + encr_off */
	uint8_t mac_alg;	/* enum mikey_mac_alg */
	uint8_t mac[MIKEY_MAC_LEN];
	uint16_t mac_off;	/* MAC covers msg->raw[0 .. mac_off) */
};

struct mikey_v {		/* verification payload */
	bool present;
	uint8_t mac_alg;
	uint8_t mac[MIKEY_MAC_LEN];
	uint16_t mac_off;	/* see mikey_verify_verification() */
};

/* About 5 KB: keep it static or on the heap in small-stack threads. */
struct mikey_msg {
	/* Input copy: the MAC is computed over it and spans point into it. */
	uint8_t raw[MIKEY_MAX_MESSAGE_LEN];
	uint16_t raw_len;

	enum mikey_kind kind;
	/* Download, not streaming: set by mikey_decode() for MSK messages
	 * (Empty map) and by mikey_verify_decrypt() for MTK messages (TGK). */
	bool download;

	/* Payload types in wire order (HDR = MIKEY_PT_HDR), for printing. */
	uint8_t n_payloads;
	uint8_t order[MIKEY_MAX_PAYLOADS];

	struct mikey_hdr hdr;
	struct mikey_ts t;
	struct mikey_span t_span;
	bool has_rand;
	uint8_t rand_len;
	uint8_t rand[MIKEY_MAX_RAND_LEN];
	/* MSK-type messages: first ID = IDi (BM-SC FQDN), second = IDr
	 * (B-TID).  A verification message's only ID payload is IDr.
	 */
	struct mikey_id idi;
	struct mikey_span idi_span;
	struct mikey_id idr;
	struct mikey_span idr_span;
	struct mikey_mbms_ext ext;
	uint8_t n_ext_raw;
	struct mikey_ext_raw ext_raw[MIKEY_MAX_EXT];
	uint8_t n_sp;
	struct mikey_sp sp[MIKEY_MAX_SP];
	uint8_t n_err;
	uint8_t err_no[MIKEY_MAX_ERR];
	struct mikey_kemac kemac;
	struct mikey_v v;
	/* PKE, DH, SIGN, CERT, CHASH: framing checked and skipped. */
	uint8_t n_skipped;

	/* Filled by mikey_verify_decrypt(); secret. */
	bool mac_ok;
	uint8_t n_keys;
	struct mikey_key_data keys[MIKEY_MAX_KEYS];
};

/* ---- decoding ----------------------------------------------------------- */

/*
 * Decode @len bytes at @buf into @msg (fully overwritten; @buf is copied).
 * Checks RFC 3830 framing -- every length against what is left, the
 * next-payload chain bounded by MIKEY_MAX_PAYLOADS, HDR first, KEMAC / V
 * last -- and then the MBMS profile (TS 33.246 §6.4): pre-shared-key data
 * type, PRF MIKEY-1, COUNTER timestamp, MBMS Key ID EXT, no NULL
 * algorithms, V bit only in MSK messages, per-kind payload rules, and sets
 * msg->kind.  Payloads may come in any order RFC 3830 allows.  Unknown EXT
 * types are kept in msg->ext_raw (they are covered by the MAC like any
 * other byte).  Nothing is decrypted or trusted yet.
 *
 * Returns 0 or an error code; on error @msg holds what was parsed so far
 * (kind MIKEY_KIND_UNKNOWN) and must still be cleared.
 */
int mikey_decode(const uint8_t *buf, size_t len, struct mikey_msg *msg,
		 struct mikey_error *err);

/*
 * Check the MAC of a decoded MSK, MTK or solicited-pull message and
 * decrypt its key data.  @inkey is the MUK (MSK and solicited-pull
 * messages) or the MSK (MTK messages), any length >= 1.  @rand is the RAND
 * for the key derivation: NULL means the message's own RAND (MSK and
 * solicited-pull messages); MTK messages carry none, so pass the RAND
 * stored with that MSK.
 *
 * Sets msg->mac_ok and, when the MAC verifies, msg->keys[0..n_keys).  The
 * MAC is compared in constant time and checked before anything is
 * decrypted.  Returns 0, MIKEY_E_MAC (wrong key or forged message: use
 * nothing), MIKEY_E_KEY_DATA (MAC fine but the key data is malformed or
 * does not fit the kind: TEK+SALT for MTK, Interval for MSK, ...),
 * MIKEY_E_PULL_KEY, MIKEY_E_KEY, MIKEY_E_CRYPTO.
 */
int mikey_verify_decrypt(struct mikey_msg *msg, const uint8_t *inkey,
			 size_t inkey_len, const uint8_t *rand,
			 size_t rand_len, struct mikey_error *err);

/*
 * Check the V payload MAC of a decoded verification message @reply against
 * the MSK message @init it answers, with the MUK that protected @init.
 * Covered bytes: @reply up to its MAC || IDi || IDr || T payloads of @init
 * as they appear on the wire (UNVERIFIED: mikey_verif_mac() in
 * userspace/mikey/verify.c).  The auth key is derived from the MUK with
 * @init's CSB ID and RAND.  Also checks that the CSB IDs match.  Sets
 * reply->mac_ok.  Returns 0, MIKEY_E_MAC, MIKEY_E_INVAL, MIKEY_E_KEY.
 */
int mikey_verify_verification(struct mikey_msg *reply,
			      const struct mikey_msg *init,
			      const uint8_t *muk, size_t muk_len,
			      struct mikey_error *err);

/* Wipe every secret in @msg (and the rest of it). */
void mikey_msg_clear(struct mikey_msg *msg);

/* Key Group and Key Number halves of an MSK ID. */
static inline uint16_t mikey_msk_key_group(uint32_t msk_id)
{
	return (uint16_t)(msk_id >> 16);
}

static inline uint16_t mikey_msk_key_number(uint32_t msk_id)
{
	return (uint16_t)(msk_id & 0xffff);
}

/* ---- receive-side rules ------------------------------------------------- */

/*
 * RFC 1982 serial-number comparison on 32 bits: true when @received is
 * "greater than" @stored and so may be accepted.  Equal, older, and the
 * undefined case (difference exactly 2^31) all return false: discard.
 * Use it for the MSK counter (one per MUK) and the MTK counter (one per
 * MSK), after the MAC verified; then store @received.
 */
bool mikey_counter_fresh(uint32_t stored, uint32_t received);

/*
 * The state a receiver keeps per MSK for MTK acceptance: the key-validity
 * interval from the MSK message and the current MTK ID.
 */
struct mikey_msk_validity {
	bool valid;		/* false once SEQl > SEQu */
	uint32_t seql;		/* lower limit: MTK IDs must be above it */
	uint32_t sequ;		/* upper limit: MTK IDs may equal it */
	bool has_current;
	uint16_t current_mtk_id;
};

/*
 * Apply the KV interval of a verified MSK message (new MSK or key-less
 * validity update): store SEQl/SEQu; SEQl > SEQu invalidates the MSK.
 * The current MTK ID is kept.  Returns 0, MIKEY_E_MSK_INVALID when the
 * MSK is now invalid, MIKEY_E_INVAL for values above 32 bits.
 */
int mikey_msk_validity_update(struct mikey_msk_validity *v,
			      uint64_t seql, uint64_t sequ);

/*
 * May MTK @mtk_id be accepted under @v?  Requires a valid MSK,
 * SEQl < mtk_id <= SEQu, and mtk_id above the current MTK ID.  Returns 0,
 * MIKEY_E_MSK_INVALID, MIKEY_E_MTK_ID_RANGE or MIKEY_E_MTK_ID_OLD.
 */
int mikey_mtk_id_check(const struct mikey_msk_validity *v, uint16_t mtk_id,
		       struct mikey_error *err);

/*
 * Record an accepted MTK (call only after mikey_mtk_id_check() and the MAC
 * succeeded): SEQl = current MTK ID = @mtk_id.
 */
void mikey_mtk_id_commit(struct mikey_msk_validity *v, uint16_t mtk_id);

/* ---- crypto ------------------------------------------------------------- */

/*
 * RFC 3830 §4.1.2 PRF (MIKEY-1, HMAC-SHA-1): @inkey of any length >= 1 is
 * split into 256-bit chunks (the last one may be shorter; a key of exactly
 * 32 or 64 bytes is 1 or 2 full chunks), each expanded with P(), the
 * outputs XORed and truncated to @out_len bytes.  Returns 0 or
 * MIKEY_E_INVAL / MIKEY_E_CRYPTO.
 */
int mikey_prf(const uint8_t *inkey, size_t inkey_len,
	      const uint8_t *label, size_t label_len,
	      uint8_t *out, size_t out_len);

/* §4.1.4 label constants. */
#define MIKEY_CONST_ENCR	0x150533E1u
#define MIKEY_CONST_AUTH	0x2D22AC75u
#define MIKEY_CONST_SALT	0x29B88916u
#define MIKEY_CS_ID_KEMAC	0xFF	/* cs_id for KEMAC keys */

/*
 * §4.1.4 pre-shared-key derivation: PRF(inkey, constant || cs_id ||
 * CSB ID || RAND) truncated to @out_len.
 */
int mikey_derive(const uint8_t *inkey, size_t inkey_len, uint32_t constant,
		 uint8_t cs_id, uint32_t csb_id, const uint8_t *rand,
		 size_t rand_len, uint8_t *out, size_t out_len);

/* The three KEMAC keys for one (inkey, CSB ID, RAND).  Secret. */
struct mikey_kemac_keys {
	uint8_t encr[MIKEY_ENCR_KEY_LEN];
	uint8_t auth[MIKEY_AUTH_KEY_LEN];
	uint8_t salt[MIKEY_SALT_KEY_LEN];
};

int mikey_derive_kemac_keys(const uint8_t *inkey, size_t inkey_len,
			    uint32_t csb_id, const uint8_t *rand,
			    size_t rand_len, struct mikey_kemac_keys *k);
void mikey_kemac_keys_clear(struct mikey_kemac_keys *k);

/*
 * RFC 3830 §4.2.3 KEMAC IV: (S XOR (0x0000 || CSB ID || T)) || 0x0000,
 * S the 112-bit salt key, T the 64-bit timestamp.  A 32-bit COUNTER is
 * passed zero-extended (UNVERIFIED: mikey_ts_iv_value() in crypto.c).
 */
void mikey_kemac_iv(const uint8_t salt[MIKEY_SALT_KEY_LEN], uint32_t csb_id,
		    uint64_t t, uint8_t iv[16]);

/* The 64-bit T used in the IV for a decoded timestamp (UNVERIFIED pad). */
uint64_t mikey_ts_iv_value(const struct mikey_ts *t);

/* AES-128 in counter mode (RFC 3711 AES-CM); in place is allowed. */
int mikey_aes_cm(const uint8_t key[16], const uint8_t iv[16],
		 const uint8_t *in, uint8_t *out, size_t len);

/* HMAC-SHA-1 (20 bytes out). */
int mikey_hmac_sha1(const uint8_t *key, size_t key_len,
		    const uint8_t *data, size_t len, uint8_t out[20]);

/* Constant-time comparison: true when equal. */
bool mikey_mem_equal(const void *a, const void *b, size_t len);

/* One input parameter P_i of the TS 33.220 Annex B KDF. */
struct ts33220_param {
	const uint8_t *data;
	uint16_t len;		/* written as L_i, 2 bytes big-endian */
};

/*
 * TS 33.220 Annex B KDF: HMAC-SHA-256(@key, FC || P0 || L0 || ... ||
 * Pn || Ln), 32 bytes into @out; at most TS33220_MAX_PARAMS parameters.
 * Returns 0 or MIKEY_E_INVAL / MIKEY_E_CRYPTO.
 */
#define TS33220_MAX_PARAMS	8
int ts33220_kdf(const uint8_t *key, size_t key_len, uint8_t fc,
		const struct ts33220_param *params, size_t n_params,
		uint8_t out[32]);

/* MRK = KDF(Ks_NAF, FC = 0x01, P0 = "mbms-mrk", L0 = 0x0008). */
#define MIKEY_MRK_FC		0x01
#define MIKEY_MRK_LABEL		"mbms-mrk"
int mikey_mrk_from_ks_naf(const uint8_t *ks_naf, size_t ks_naf_len,
			  uint8_t mrk[MIKEY_MRK_LEN]);

/* ---- encoding ----------------------------------------------------------- */
/*
 * Every encoder writes a complete message into @out (capacity @cap),
 * stores its length in *@out_len and returns 0, or MIKEY_E_NOSPACE,
 * MIKEY_E_INVAL, MIKEY_E_KEY, MIKEY_E_CRYPTO.  Output depends only on the
 * inputs (CSB ID, counter, RAND, keys...), so it is reproducible byte for
 * byte.  Payload order (UNVERIFIED, one table: mikey_mbms_order in
 * userspace/mikey/encode.c): HDR, EXT, T, RAND, IDi, IDr, SP, KEMAC.
 */

/* SRTP policy used by MBMS streaming: AES-CM-128, HMAC-SHA-1 with
 * @auth_tag_len bytes (10 or 4), 16-byte keys, 14-byte salt, KDR 0,
 * SRTP/SRTCP encryption and SRTP authentication on.
 */
void mikey_sp_mbms_default(struct mikey_sp *sp, uint8_t auth_tag_len);

/* First value of parameter @type as a big-endian integer; false if absent. */
bool mikey_sp_get(const struct mikey_sp *sp, uint8_t type, uint64_t *val);

/* RFC 4771 integrity transform: NONE is RFC 3711's default transform. */
enum mikey_rcc_mode { MIKEY_RCC_NONE = 0, MIKEY_RCC_MODE1 = 1,
		      MIKEY_RCC_MODE2 = 2, MIKEY_RCC_MODE3 = 3 };

struct mikey_rcc {
	uint8_t mode;		/* enum mikey_rcc_mode */
	uint16_t rate;		/* ROC transmission rate R; 0 = absent */
};

/*
 * The RFC 4771 settings of decoded SRTP policy @sp into @out: the mode from
 * parameter 2 (absent: NONE) and R from parameter 13 (absent: 0), each
 * from its first occurrence.  Returns MIKEY_OK, or with @err naming the
 * parameter: MIKEY_E_ALG (protocol not SRTP, auth alg not one of
 * enum mikey_srtp_auth_alg, R = 0) or MIKEY_E_LENGTH (auth alg not 1 byte,
 * R of 0 or more than MIKEY_ROC_TX_RATE_MAX_LEN bytes).
 */
int mikey_sp_rcc(const struct mikey_sp *sp, struct mikey_rcc *out,
		 struct mikey_error *err);

/*
 * Put @rcc into @sp: parameter 2 becomes the mode's auth alg (NONE:
 * HMAC-SHA-1), parameter 13 R as 2 bytes (@rcc->rate 0: removed), each
 * replacing the parameter in place or appended.  MIKEY_E_INVAL for a mode
 * above 3, MIKEY_E_LIMIT when @sp has no room.
 */
int mikey_sp_set_rcc(struct mikey_sp *sp, const struct mikey_rcc *rcc);

/* "none", "rccm1", "rccm2", "rccm3". */
const char *mikey_rcc_mode_name(unsigned int mode);

/*
 * The SRTP authentication tag length n_tag, in bytes, of decoded SRTP
 * policy @sp: parameter 11 (RFC 3830 §6.10.1), absent: 10 (RFC 3711 §8.2
 * default, 80 bits).  TS 33.246 §6.6.2.1 NOTE 3 makes it 14 with RCCm1 and
 * RCCm2 (a 10-byte MAC and the 4-byte ROC).  MIKEY_OK with @out set if it
 * is within @min..@max (what the receiver can do); else, with @err naming
 * parameter 11, MIKEY_E_LENGTH (a value of 0 or more than 8 bytes) or
 * MIKEY_E_ALG (out of range).  Never a default in place of a bad value.
 */
int mikey_sp_srtp_tag_len(const struct mikey_sp *sp, unsigned int min,
			  unsigned int max, uint8_t *out,
			  struct mikey_error *err);

struct mikey_msk_spec {
	uint32_t csb_id;
	uint32_t counter;		/* T COUNTER */
	uint8_t rand[MIKEY_RAND_LEN];
	const char *idi;		/* BM-SC FQDN (NAI) */
	const char *idr;		/* B-TID (NAI) */
	uint8_t key_domain[MIKEY_KEY_DOMAIN_LEN];
	uint32_t msk_id;		/* Key Number must not be 0 */
	const uint8_t *msk;		/* NULL: key-less validity update */
	size_t msk_len;
	uint32_t seql, sequ;		/* KV interval (MTK ID range) */
	bool v;				/* ask for a verification message */
	bool download;			/* Empty map, no SP */
	uint32_t ssrc, roc;		/* streaming: the SRTP-ID map entry */
	const struct mikey_sp *sp;	/* streaming; NULL = default (tag 10) */
	bool no_sp;			/* streaming without SP (§6.4.5.1: optional) */
};

/* MSK message protected with @muk (MUK, any length; normally 32 bytes). */
int mikey_encode_msk(const struct mikey_msk_spec *s, const uint8_t *muk,
		     size_t muk_len, uint8_t *out, size_t cap,
		     size_t *out_len, struct mikey_error *err);

struct mikey_mtk_spec {
	uint32_t csb_id;
	uint32_t counter;
	uint8_t key_domain[MIKEY_KEY_DOMAIN_LEN];
	uint32_t msk_id;		/* the MSK protecting this message */
	uint16_t mtk_id;
	const uint8_t *mtk;
	size_t mtk_len;
	const uint8_t *salt;		/* NULL: download (TGK, no salt) */
	size_t salt_len;		/* streaming: MIKEY_MBMS_SALT_LEN */
};

/* MTK message protected with @msk and the RAND stored with that MSK. */
int mikey_encode_mtk(const struct mikey_mtk_spec *s, const uint8_t *msk,
		     size_t msk_len, const uint8_t *rand, size_t rand_len,
		     uint8_t *out, size_t cap, size_t *out_len,
		     struct mikey_error *err);

struct mikey_pull_spec {
	uint32_t csb_id;
	uint32_t counter;
	uint8_t rand[MIKEY_RAND_LEN];
	const char *idi;
	const char *idr;
	uint8_t key_domain[MIKEY_KEY_DOMAIN_LEN];
	uint16_t key_group;		/* MSK ID = key_group || 0x0000 */
};

/* Solicited-pull message: Key Number 0, KEMAC encr data len 0, V clear. */
int mikey_encode_solicited_pull(const struct mikey_pull_spec *s,
				const uint8_t *muk, size_t muk_len,
				uint8_t *out, size_t cap, size_t *out_len,
				struct mikey_error *err);

/*
 * Verification message answering the decoded MSK message @init (which
 * should have the V bit): HDR (data type 1, same CSB ID, #CS 0, Empty map:
 * TS 33.246 §6.4.5.2) || T
 * (@init's counter) || IDr (@init's IDr) || V (HMAC-SHA-1 with the auth
 * key derived from @muk, @init's CSB ID and RAND; coverage as in
 * mikey_verify_verification()).
 */
int mikey_encode_verification(const struct mikey_msg *init,
			      const uint8_t *muk, size_t muk_len,
			      uint8_t *out, size_t cap, size_t *out_len,
			      struct mikey_error *err);

#endif /* MBMS_MIKEY_H */
