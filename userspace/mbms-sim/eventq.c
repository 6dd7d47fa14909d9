// SPDX-License-Identifier: GPL-2.0
/* mbms-sim event queue: binary min-heap on (time, sequence). */
#include <stdlib.h>

#include "eventq.h"

static int before(const struct sim_event *x, const struct sim_event *y)
{
	return x->t < y->t || (x->t == y->t && x->seq < y->seq);
}

void eventq_init(struct eventq *q)
{
	q->v = NULL;
	q->n = 0;
	q->cap = 0;
	q->next_seq = 0;
}

void eventq_free(struct eventq *q)
{
	free(q->v);
	eventq_init(q);
}

int eventq_push(struct eventq *q, uint64_t t, uint8_t type, uint32_t ue,
		uint32_t a, uint32_t b)
{
	struct sim_event e = { t, q->next_seq++, ue, a, b, type };
	size_t i;

	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 1024;
		struct sim_event *v = realloc(q->v, cap * sizeof(*v));

		if (!v)
			return -1;
		q->v = v;
		q->cap = cap;
	}
	i = q->n++;
	while (i > 0 && before(&e, &q->v[(i - 1) / 2])) {
		q->v[i] = q->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	q->v[i] = e;
	return 0;
}

int eventq_pop(struct eventq *q, struct sim_event *e)
{
	struct sim_event last;
	size_t i = 0, c;

	if (!q->n)
		return 0;
	*e = q->v[0];
	last = q->v[--q->n];
	for (;;) {
		c = 2 * i + 1;
		if (c >= q->n)
			break;
		if (c + 1 < q->n && before(&q->v[c + 1], &q->v[c]))
			c++;
		if (!before(&q->v[c], &last))
			break;
		q->v[i] = q->v[c];
		i = c;
	}
	if (q->n)
		q->v[i] = last;
	return 1;
}
