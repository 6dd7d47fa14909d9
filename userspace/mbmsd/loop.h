/* SPDX-License-Identifier: GPL-2.0 */
/* mbmsd event loop (loop.c). */
#ifndef MBMSD_LOOP_H
#define MBMSD_LOOP_H

#include "daemon.h"

/*
 * Open the sockets, call @ready (sd_notify) once listening, run until
 * SIGTERM or SIGINT.  Returns 0, or -1 when start-up failed (logged).
 */
int loop_run(struct mbmsd *d, void (*ready)(void));

#endif /* MBMSD_LOOP_H */
