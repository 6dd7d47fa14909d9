/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BM-SC's view of its UEs: address for MIKEY push, the GBA keys it
 * learnt from the (fake) BSF per B-TID, which of them is the last
 * negotiated MUK, the MSK replay counter, and whether the UE must
 * re-bootstrap before its next HTTP request is served.
 *
 * GBA keys come in the format the bootstrap command prints (one per line):
 *   btid=<B-TID>  ks_naf=<64 hex digits>  lifetime=<seconds>  naf_id=<...>
 * from a file, from running the UE's own bootstrap command, or from a
 * lookup command run with the B-TID as $1 (the simulator's stand-in for the
 * Zn interface to the BSF).
 */
#ifndef BMSC_UE_H
#define BMSC_UE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "mbms/mikey.h"

#define UE_MAX			64
#define UE_MAX_KEYS		4	/* GBA keys remembered per UE */
#define GBA_MAX_BTID		255
#define GBA_MAX_NAF_ID		255
#define GBA_MAX_OUTPUT		4096	/* bytes read from a BSF command */
#define GBA_CMD_TIMEOUT_MS	5000
#define GBA_MAX_LIFETIME_S	(10ULL * 365 * 24 * 3600)

/* One GBA key set, as the BSF hands it out.  Secret fields wiped on drop. */
struct gba_key {
	bool used;
	char btid[GBA_MAX_BTID + 1];
	char naf_id[GBA_MAX_NAF_ID + 1];
	uint8_t ks_naf[MIKEY_MUK_LEN];	/* = MUK (GBA_ME) */
	uint8_t mrk[MIKEY_MRK_LEN];
	char mrk_b64[48];		/* Digest password */
	uint64_t lifetime_s;
	uint64_t learnt_ms;		/* monotonic */
	uint64_t expires_ms;
	/*
	 * Configured, or used in a request that authenticated: only such a
	 * key makes older keys of the UE stale (a mere BSF lookup does not).
	 */
	bool proven;
};

struct ue {
	bool used;
	struct sockaddr_in addr;	/* MIKEY push destination */
	char name[32];			/* "10.0.0.2:2269", for logs */
	struct gba_key keys[UE_MAX_KEYS];
	int muk;			/* last negotiated MUK: index or -1 */
	uint32_t msk_counter;		/* T COUNTER of MSK-type messages */
	/*
	 * Set after a solicited pull protected with an expired MUK (the
	 * seed's proposal), or by --demand-rebootstrap: the next HTTP request
	 * must come with a B-TID other than stale_btid, or it gets a 401
	 * "negotiation indication required".
	 */
	bool must_rebootstrap;
	char stale_btid[GBA_MAX_BTID + 1];
	const char *stale_why;		/* static text for the 401 verdict */
	/* Verification awaited for the last MSK message with V set. */
	bool verif_pending;
	uint32_t verif_csb_id;
	uint8_t verif_msg[MIKEY_MAX_MESSAGE_LEN];
	size_t verif_len;
	int verif_key;			/* keys[] index that protected it */
	uint64_t verif_sent_ms;		/* monotonic */
	/* The last MSK message sent (for the msk-replay fault). */
	uint8_t last_msk_msg[MIKEY_MAX_MESSAGE_LEN];
	size_t last_msk_len;
	/* MSK indexes the UE asked for over HTTP and is still owed. */
	uint32_t push_owed;		/* bit per MSK index */
};

struct ue_registry {
	struct ue ue[UE_MAX];
	char lookup_cmd[1024];		/* "" = none */
};

/*
 * Parse bootstrap-command output @text (@len bytes) into @k (secrets
 * derived: MRK, its base64).  Requires btid and a 32-byte ks_naf; lifetime
 * defaults to @default_lifetime_s when absent.  Unknown keys are ignored.
 * @now_ms stamps the key.  Returns 0 or -1 with a message in @err.
 */
int gba_parse(const char *text, size_t len, uint64_t default_lifetime_s,
	      uint64_t now_ms, struct gba_key *k, char *err, size_t errlen);

/*
 * Run "/bin/sh -c '@cmd "$@"'" with @arg as the argument (so "fake-bsf.sh"
 * gets the B-TID as $1), or plain "@cmd" when @arg is NULL; bounded in
 * output size and time; parse the output as gba_parse() does.
 */
int gba_run(const char *cmd, const char *arg, uint64_t now_ms,
	    struct gba_key *k, char *err, size_t errlen);

/* The HTTP Digest realm for the BM-SC @fqdn into @out. */
int digest_realm(const char *fqdn, char *out, size_t outlen);

/* base64 of @len bytes into @out (4 * ceil(len / 3) + 1 bytes). */
int b64_encode(const uint8_t *in, size_t len, char *out, size_t outlen);

/*
 * Strict base64 decode (RFC 4648 alphabet, padding required, surrounding
 * XML whitespace allowed) of exactly @want bytes.  Returns 0 or -1.
 */
int b64_decode_exact(const char *in, size_t inlen, uint8_t *out, size_t want);

/* A B-TID we accept: 1..255 printable ASCII, no space, quote, backslash. */
bool gba_btid_ok(const char *btid);

bool gba_key_expired(const struct gba_key *k, uint64_t now_ms);
void gba_key_clear(struct gba_key *k);

void ue_registry_init(struct ue_registry *r);
void ue_registry_clear(struct ue_registry *r);

/* Add a UE by address ("IP" or "IP:PORT", port default 2269). */
struct ue *ue_add(struct ue_registry *r, const char *addr, char *err,
		  size_t errlen);
/* Find by IPv4 address (any port); NULL if none. */
struct ue *ue_find_addr(struct ue_registry *r, const struct in_addr *ip);
/* Find the UE and key slot holding @btid; NULL if none. */
struct ue *ue_find_btid(struct ue_registry *r, const char *btid, int *slot);

/*
 * Store @k for @ue (copy; @k is wiped), replacing the oldest slot when
 * full.  Returns the slot.  Does not change the last negotiated MUK.
 */
int ue_store_key(struct ue *ue, struct gba_key *k);

/* The last negotiated MUK of @ue, or NULL. */
const struct gba_key *ue_muk(const struct ue *ue);

#endif /* BMSC_UE_H */
