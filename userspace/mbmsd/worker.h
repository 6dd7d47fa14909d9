/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbmsd request worker: one thread that runs the blocking parts of an MSK
 * request -- the GBA bootstrap command and the HTTP POST -- so that the
 * event loop never waits on them.
 *
 * Why a worker and not curl multi in the loop: the bootstrap command
 * (fork/exec, up to gba_timeout) precedes the request and must finish
 * first; requests are rare (at most one per key group per jitter window,
 * and the loop hands over one job at a time, so a bootstrap is never run
 * twice in a row for two groups); one thread with a one-slot mailbox keeps
 * both steps as straight-line code with bounded timeouts.  All policy and
 * key-store state stays in the loop's thread: the worker gets a copy of
 * what it needs and hands back a result, signalled through an eventfd.
 *
 * A request that needs a fresh GBA key is two jobs, not one: the
 * bootstrap, whose result the loop registers (policy and key store, saved)
 * before it hands over the HTTP job signed with the new key.  The BM-SC
 * protects the MSK push that answers the request with that key and may
 * send it before its HTTP response arrives; a key registered only with the
 * HTTP result would make such a push fail its MAC check.
 */
#ifndef MBMSD_WORKER_H
#define MBMSD_WORKER_H

#include <stdbool.h>
#include <stddef.h>

#include "gba.h"
#include "http.h"

enum worker_task {
	WORKER_HTTP,			/* the MSK request, signed as in req */
	WORKER_BOOTSTRAP,		/* GBA only; the loop sends afterwards */
};

struct worker_job {
	enum worker_task task;
	size_t group;			/* index into the daemon's groups */
	char gba_cmd[MBMSD_CMD_MAX];	/* WORKER_BOOTSTRAP */
	unsigned int gba_timeout_s;
	uint32_t muk_gen;		/* WORKER_HTTP: gen of the keys in req */
	struct http_request req;	/* WORKER_HTTP */
};

struct worker_result {
	enum worker_task task;		/* as in the job */
	size_t group;
	bool bootstrapped;		/* keys holds a fresh GBA key set */
	bool bootstrap_failed;
	char bootstrap_err[200];
	struct gba_keys keys;		/* secret: wiped by the consumer */
	/*
	 * CLOCK_REALTIME ms when the bootstrap command started.  The BSF
	 * cannot have issued the key earlier, so a lifetime counted from
	 * here never ends after the BSF's.
	 */
	uint64_t bootstrap_ms;
	uint32_t muk_gen;		/* as in the job */
	struct http_outcome out;	/* WORKER_HTTP; FAILED if GBA failed */
};

struct worker;

/* Start the thread.  Returns NULL with @err on failure. */
struct worker *worker_start(char *err, size_t errlen);
/* Stop and join; wipes any job or result left. */
void worker_stop(struct worker *w);
/* eventfd, readable when a result is ready. */
int worker_fd(const struct worker *w);
/* Whether a job is queued or running (the mailbox holds one job). */
bool worker_busy(struct worker *w);
/* Hand over @job (copied, then wiped in the caller). -1 if busy. */
int worker_submit(struct worker *w, struct worker_job *job);
/* Take the finished result, if any (clears the eventfd).  0 or -1. */
int worker_take(struct worker *w, struct worker_result *res);

/* The job's work, synchronously (the thread's body; also for tests). */
void worker_run_job(const struct worker_job *job, struct worker_result *res);

#endif /* MBMSD_WORKER_H */
