// SPDX-License-Identifier: GPL-2.0
/* mbmsd request worker: see worker.h for why it exists. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "mbms/common.h"
#include "daemon.h"
#include "worker.h"

struct worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int efd;
	bool stop;
	bool has_job, running, has_result;
	struct worker_job job;
	struct worker_result res;
};

void worker_run_job(const struct worker_job *job, struct worker_result *res)
{
	struct http_request rq;

	memset(res, 0, sizeof(*res));
	res->task = job->task;
	res->group = job->group;
	res->muk_gen = job->muk_gen;
	if (job->task == WORKER_BOOTSTRAP) {
		/* The policy's clock (mbmsd_now_ms), read before GBA runs. */
		res->bootstrap_ms = mbmsd_now_ms();
		if (gba_bootstrap(job->gba_cmd, job->gba_timeout_s, &res->keys,
				  res->bootstrap_err,
				  sizeof(res->bootstrap_err))) {
			res->bootstrap_failed = true;
			res->out.result = POL_RES_FAILED;
			snprintf(res->out.detail, sizeof(res->out.detail),
				 "GBA bootstrap failed: %s", res->bootstrap_err);
			return;
		}
		res->bootstrapped = true;
		return;
	}
	rq = job->req;
	http_msk_request(&rq, &res->out);
	http_request_wipe(&rq);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct worker_job job;
	struct worker_result res;
	uint64_t one = 1;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->stop && !w->has_job)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->stop)
			break;
		job = w->job;
		secure_zero(&w->job, sizeof(w->job));
		w->has_job = false;
		w->running = true;
		pthread_mutex_unlock(&w->lock);

		worker_run_job(&job, &res);
		secure_zero(&job, sizeof(job));

		pthread_mutex_lock(&w->lock);
		w->res = res;
		secure_zero(&res, sizeof(res));
		w->running = false;
		w->has_result = true;
		/* Fails only on counter overflow; the loop still wakes. */
		(void)!write(w->efd, &one, sizeof(one));
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct worker *worker_start(char *err, size_t errlen)
{
	struct worker *w = calloc(1, sizeof(*w));
	int rc;

	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->efd < 0) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		free(w);
		return NULL;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	rc = pthread_create(&w->thread, NULL, worker_main, w);
	if (rc) {
		snprintf(err, errlen, "pthread_create: %s", strerror(rc));
		close(w->efd);
		free(w);
		return NULL;
	}
	return w;
}

void worker_stop(struct worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	/* A running job ends within its own timeouts (GBA, HTTP). */
	pthread_join(w->thread, NULL);
	close(w->efd);
	secure_zero(w, sizeof(*w));
	free(w);
}

int worker_fd(const struct worker *w)
{
	return w->efd;
}

bool worker_busy(struct worker *w)
{
	bool busy;

	pthread_mutex_lock(&w->lock);
	busy = w->has_job || w->running || w->has_result;
	pthread_mutex_unlock(&w->lock);
	return busy;
}

int worker_submit(struct worker *w, struct worker_job *job)
{
	int ret = -1;

	pthread_mutex_lock(&w->lock);
	if (!w->has_job && !w->running && !w->has_result) {
		w->job = *job;
		w->has_job = true;
		pthread_cond_signal(&w->cond);
		ret = 0;
	}
	pthread_mutex_unlock(&w->lock);
	secure_zero(job, sizeof(*job));
	return ret;
}

int worker_take(struct worker *w, struct worker_result *res)
{
	uint64_t v;
	int ret = -1;

	if (read(w->efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return -1;
	pthread_mutex_lock(&w->lock);
	if (w->has_result) {
		*res = w->res;
		secure_zero(&w->res, sizeof(w->res));
		w->has_result = false;
		ret = 0;
	}
	pthread_mutex_unlock(&w->lock);
	return ret;
}
