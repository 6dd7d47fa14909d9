/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbms-sim event queue: a binary min-heap ordered by (time, sequence), so
 * that events at the same millisecond run in the order they were queued
 * and a run is reproducible bit for bit.
 */
#ifndef MBMS_SIM_EVENTQ_H
#define MBMS_SIM_EVENTQ_H

#include <stddef.h>
#include <stdint.h>

struct sim_event {
	uint64_t t;		/* ms of simulated time */
	uint64_t seq;		/* insertion order, the tie breaker */
	uint32_t ue;
	uint32_t a, b;		/* per type */
	uint8_t type;
};

struct eventq {
	struct sim_event *v;
	size_t n, cap;
	uint64_t next_seq;
};

void eventq_init(struct eventq *q);
void eventq_free(struct eventq *q);
/* 0, or -1 when out of memory. */
int eventq_push(struct eventq *q, uint64_t t, uint8_t type, uint32_t ue,
		uint32_t a, uint32_t b);
/* 1 with the earliest event in *@e, 0 when empty. */
int eventq_pop(struct eventq *q, struct sim_event *e);

#endif /* MBMS_SIM_EVENTQ_H */
