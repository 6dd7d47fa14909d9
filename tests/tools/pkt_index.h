/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every packet of a stream, plaintext and wire form, indexed by content so
 * that a received datagram is classified with one hash lookup: exactly a
 * plaintext (decrypted), exactly what was sent (passed unchanged), or
 * neither (a mismatch).
 */
#ifndef MBMS_PKT_INDEX_H
#define MBMS_PKT_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srtp_stream.h"

enum pkt_kind { PKT_NONE, PKT_PLAIN, PKT_WIRE };

struct pkt_rec {
	size_t plain_off, plain_len, wire_off, wire_len;
	bool tampered;
};

struct pkt_slot {
	uint64_t hash;
	uint64_t index;		/* packet number + 1; 0 = empty */
	enum pkt_kind kind;
};

struct pkt_index {
	uint64_t count;
	struct pkt_rec *rec;
	uint8_t *blob;
	size_t blob_len, blob_cap;
	struct pkt_slot *slot;
	size_t nslots;		/* a power of two */
};

/* Generate all packets of @s.  Returns 0, or -1 with a message in @err. */
int pkt_index_build(struct pkt_index *ix, struct stream *s, uint64_t count,
		    char *err, size_t errlen);

/* Classify @len bytes at @p; *@index receives the packet number. */
enum pkt_kind pkt_index_find(const struct pkt_index *ix, const uint8_t *p,
			     size_t len, uint64_t *index);

void pkt_index_free(struct pkt_index *ix);

#endif /* MBMS_PKT_INDEX_H */
