// SPDX-License-Identifier: GPL-2.0
/* Content index of a stream's packets: see pkt_index.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkt_index.h"

static uint64_t fnv1a(const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int blob_add(struct pkt_index *ix, const uint8_t *p, size_t len,
		    size_t *off)
{
	if (ix->blob_len + len > ix->blob_cap) {
		size_t cap = ix->blob_cap ? 2 * ix->blob_cap : 1 << 16;
		uint8_t *b;

		while (cap < ix->blob_len + len)
			cap *= 2;
		b = realloc(ix->blob, cap);
		if (!b)
			return -1;
		ix->blob = b;
		ix->blob_cap = cap;
	}
	memcpy(ix->blob + ix->blob_len, p, len);
	*off = ix->blob_len;
	ix->blob_len += len;
	return 0;
}

static void slot_add(struct pkt_index *ix, const uint8_t *p, size_t len,
		     uint64_t index, enum pkt_kind kind)
{
	uint64_t h = fnv1a(p, len);
	size_t i = h & (ix->nslots - 1);

	while (ix->slot[i].index)
		i = (i + 1) & (ix->nslots - 1);
	ix->slot[i] = (struct pkt_slot){ .hash = h, .index = index + 1, .kind = kind };
}

int pkt_index_build(struct pkt_index *ix, struct stream *s, uint64_t count,
		    char *err, size_t errlen)
{
	struct stream_pkt pkt;
	uint64_t i;
	int r;

	memset(ix, 0, sizeof(*ix));
	ix->count = count;
	ix->rec = calloc(count ? count : 1, sizeof(*ix->rec));
	for (ix->nslots = 16; ix->nslots < 4 * count; ix->nslots *= 2)
		;
	ix->slot = calloc(ix->nslots, sizeof(*ix->slot));
	if (!ix->rec || !ix->slot)
		goto nomem;
	for (i = 0; i < count; i++) {
		struct pkt_rec *rec = &ix->rec[i];

		r = stream_next(s, &pkt, err, errlen);
		if (r > 0)
			break;
		if (r < 0)
			return -1;
		if (blob_add(ix, pkt.plain, pkt.plain_len, &rec->plain_off) ||
		    blob_add(ix, pkt.wire, pkt.wire_len, &rec->wire_off))
			goto nomem;
		rec->plain_len = pkt.plain_len;
		rec->wire_len = pkt.wire_len;
		rec->tampered = pkt.tampered;
	}
	for (i = 0; i < count; i++) {
		const struct pkt_rec *rec = &ix->rec[i];

		slot_add(ix, ix->blob + rec->plain_off, rec->plain_len, i, PKT_PLAIN);
		slot_add(ix, ix->blob + rec->wire_off, rec->wire_len, i, PKT_WIRE);
	}
	return 0;
nomem:
	snprintf(err, errlen, "out of memory for %llu packets",
		 (unsigned long long)count);
	return -1;
}

enum pkt_kind pkt_index_find(const struct pkt_index *ix, const uint8_t *p,
			     size_t len, uint64_t *index)
{
	uint64_t h = fnv1a(p, len);
	size_t i = h & (ix->nslots - 1);

	for (; ix->slot[i].index; i = (i + 1) & (ix->nslots - 1)) {
		const struct pkt_slot *sl = &ix->slot[i];
		const struct pkt_rec *rec = &ix->rec[sl->index - 1];
		size_t off = sl->kind == PKT_PLAIN ? rec->plain_off : rec->wire_off;
		size_t n = sl->kind == PKT_PLAIN ? rec->plain_len : rec->wire_len;

		if (sl->hash == h && n == len && !memcmp(ix->blob + off, p, len)) {
			*index = sl->index - 1;
			return sl->kind;
		}
	}
	return PKT_NONE;
}

void pkt_index_free(struct pkt_index *ix)
{
	free(ix->rec);
	free(ix->blob);
	free(ix->slot);
	memset(ix, 0, sizeof(*ix));
}
