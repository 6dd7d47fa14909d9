/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbmsd's own counters in the Prometheus text exposition format, and the
 * opt-in HTTP endpoint that serves them (metrics_listen, off by default).
 */
#ifndef MBMSD_METRICS_H
#define MBMSD_METRICS_H

#include "daemon.h"

/* The exposition of @d at @now (ms, CLOCK_REALTIME as the policy's). */
void metrics_write(struct mbmsd *d, FILE *out, uint64_t now);

/*
 * The endpoint: libmicrohttpd without a thread of its own, driven from
 * the event loop through one epoll fd, so that answers read struct mbmsd
 * in the loop's thread like the status socket does.
 */
struct metrics_server;

/* Listen on d->cfg.metrics_listen.  NULL with @err set on failure. */
struct metrics_server *metrics_start(struct mbmsd *d, char *err,
				     size_t errlen);
/* The fd to watch for input; call metrics_run() when it is readable. */
int metrics_fd(const struct metrics_server *m);
void metrics_run(struct metrics_server *m);
/* Milliseconds until metrics_run() is due anyway (timeouts), or -1. */
int metrics_timeout_ms(const struct metrics_server *m);
void metrics_stop(struct metrics_server *m);

#endif /* MBMSD_METRICS_H */
