// SPDX-License-Identifier: GPL-2.0
/*
 * mbmsd event loop: one epoll set with the unicast MIKEY socket, one
 * socket per distinct MTK (group, port), the kernel's event socket, the
 * worker's eventfd, a timerfd for the next MSK request, a signalfd and the
 * status socket.  Level-triggered; every handler does bounded work.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "mbms/common.h"
#include "loop.h"
#include "metrics.h"

#ifndef IP_MULTICAST_ALL
#define IP_MULTICAST_ALL 49
#endif
#ifndef IPV6_MULTICAST_ALL
#define IPV6_MULTICAST_ALL 29
#endif

enum src { SRC_UNICAST, SRC_MTK, SRC_KERNEL, SRC_WORKER, SRC_TIMER,
	   SRC_SIGNAL, SRC_STATUS, SRC_METRICS };

struct loop {
	struct mbmsd *d;
	int ep;
	int unicast, timer, sig, status;
	int mtk[MBMSD_MAX_SESSIONS];
	size_t nmtk;
	struct metrics_server *metrics;	/* NULL unless metrics_listen */
	bool stop;
};

static int ep_add(struct loop *l, int fd, enum src src, unsigned int idx)
{
	struct epoll_event ev = { .events = EPOLLIN,
				  .data.u64 = (uint64_t)src << 32 | idx };

	return epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev);
}

static int open_unicast(uint16_t port, char *err, size_t errlen)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port),
				   .sin6_addr = IN6ADDR_ANY_INIT };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	int fd, on = 1, off = 0;

	/* Dual-stack first; a host without IPv6 gets an IPv4 socket. */
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		/* MTK messages for groups the MTK sockets join are not ours. */
		setsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &off, sizeof(off));
		setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, &off,
			   sizeof(off));
		if (!bind(fd, (struct sockaddr *)&a6, sizeof(a6)))
			return fd;
		close(fd);
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	setsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &off, sizeof(off));
	if (bind(fd, (struct sockaddr *)&a4, sizeof(a4))) {
		snprintf(err, errlen, "bind UDP port %u: %s", port,
			 strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Bind to (group, port) so that only that group's datagrams arrive. */
static int open_mtk(const struct mbmsd_session *s, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	char a[64];
	int fd, on = 1, rc = 0;

	memset(&ss, 0, sizeof(ss));
	if (s->mtk_group.family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(s->mtk_port);
		memcpy(&sin->sin_addr, s->mtk_group.a, 4);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(s->mtk_port);
		memcpy(&sin6->sin6_addr, s->mtk_group.a, 16);
		sl = sizeof(*sin6);
	}
	config_addr_str(&s->mtk_group, a, sizeof(a));
	fd = socket(s->mtk_group.family,
		    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, sl)) {
		snprintf(err, errlen, "bind %s port %u (session %s): %s", a,
			 s->mtk_port, s->name, strerror(errno));
		close(fd);
		return -1;
	}
	if (s->mtk_group.family == AF_INET && IN_MULTICAST(
		    ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr))) {
		struct ip_mreqn mr = { .imr_address.s_addr = INADDR_ANY };

		memcpy(&mr.imr_multiaddr, s->mtk_group.a, 4);
		rc = setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr,
				sizeof(mr));
	} else if (s->mtk_group.family == AF_INET6 &&
		   s->mtk_group.a[0] == 0xff) {
		struct ipv6_mreq mr = { .ipv6mr_interface = 0 };

		memcpy(&mr.ipv6mr_multiaddr, s->mtk_group.a, 16);
		rc = setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr,
				sizeof(mr));
	}
	if (rc) {
		snprintf(err, errlen, "joining %s (session %s): %s", a,
			 s->name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int open_status(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "status socket path is too long");
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	unlink(path);
	old = umask(0077);	/* the status socket is for root only */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4)) {
		umask(old);
		snprintf(err, errlen, "status socket '%s': %s", path,
			 strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	return fd;
}

static void arm_timer(struct loop *l, uint64_t now)
{
	struct itimerspec its = { 0 };
	uint64_t due = pol_next_due(&l->d->ue), delta;

	if (due != POL_NEVER && (!l->d->worker || !worker_busy(l->d->worker))) {
		delta = due > now ? due - now : 1;
		its.it_value.tv_sec = (time_t)(delta / 1000);
		its.it_value.tv_nsec = (long)(delta % 1000) * 1000000;
	}
	/*
	 * A zero it_value disarms: nothing is due, or the worker is busy
	 * and its completion will wake us.
	 */
	timerfd_settime(l->timer, 0, &its, NULL);
}

static void on_unicast(struct loop *l)
{
	uint8_t buf[MIKEY_MAX_MESSAGE_LEN + 1], reply[MIKEY_MAX_MESSAGE_LEN];
	struct sockaddr_storage from;
	socklen_t fl;
	ssize_t n;
	size_t rl;
	int i;

	for (i = 0; i < MBMSD_RX_BURST; i++) {
		fl = sizeof(from);
		n = recvfrom(l->unicast, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from, &fl);
		if (n < 0)
			return;
		/* One byte more than the limit: libmikey flags oversize. */
		rl = rx_unicast(l->d, buf, (size_t)n, mbmsd_now_ms(), reply,
				sizeof(reply));
		if (rl && sendto(l->unicast, reply, rl, 0,
				 (struct sockaddr *)&from, fl) < 0)
			log_warn("sending the verification message: %s",
				 strerror(errno));
		secure_zero(buf, sizeof(buf));
	}
}

static void on_mtk(struct loop *l, int fd)
{
	uint8_t buf[MIKEY_MAX_MESSAGE_LEN + 1];
	ssize_t n;
	int i;

	for (i = 0; i < MBMSD_RX_BURST; i++) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return;
		rx_mtk(l->d, buf, (size_t)n, mbmsd_now_ms());
		secure_zero(buf, sizeof(buf));
	}
}

static void on_event(const struct mbms_event *ev, void *arg)
{
	rx_kernel_event(arg, ev, mbmsd_now_ms());
}

static void on_kernel(struct loop *l)
{
	int rc = kernel_events(l->d->kern, on_event, l->d);

	if (rc == -ENOBUFS) {
		/* Events lost: the kernel's state is the truth again. */
		log_warn("kernel events were lost: reconciling");
		kernel_reconcile(l->d->kern, &l->d->cfg, &l->d->store);
	} else if (rc < 0) {
		log_warn("reading kernel events: %s", strerror(-rc));
	}
}

static void on_worker(struct loop *l)
{
	struct worker_result *res = calloc(1, sizeof(*res));

	if (!res)
		return;
	if (worker_take(l->d->worker, res) == 0)
		requests_complete(l->d, res, mbmsd_now_ms());
	secure_zero(res, sizeof(*res));
	free(res);
}

static void on_status(struct loop *l)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	char cmd[64] = "";
	ssize_t n;
	FILE *f;
	int fd;

	fd = accept4(l->status, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	/* Bounded: a silent or slow client costs at most 200 ms + 1 s. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	tv.tv_sec = 1;
	tv.tv_usec = 0;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	n = read(fd, cmd, sizeof(cmd) - 1);
	if (n <= 0) {
		close(fd);
		return;
	}
	cmd[n] = '\0';
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return;
	}
	if (!strncmp(cmd, "status json", 11))
		status_write(l->d, f, true, mbmsd_now_ms());
	else if (!strncmp(cmd, "status", 6))
		status_write(l->d, f, false, mbmsd_now_ms());
	else
		fprintf(f, "unknown command\n");
	fclose(f);
}

static void on_signal(struct loop *l)
{
	struct signalfd_siginfo si;

	if (read(l->sig, &si, sizeof(si)) != sizeof(si))
		return;
	if (si.ssi_signo == SIGHUP) {
		log_info("SIGHUP: the configuration is read at start only; restart mbmsd to apply changes");
		return;
	}
	log_info("signal %u: stopping", si.ssi_signo);
	l->stop = true;
}

static void close_all(struct loop *l)
{
	size_t i;

	if (l->unicast >= 0)
		close(l->unicast);
	for (i = 0; i < l->nmtk; i++)
		close(l->mtk[i]);
	if (l->timer >= 0)
		close(l->timer);
	if (l->sig >= 0)
		close(l->sig);
	if (l->status >= 0) {
		close(l->status);
		unlink(l->d->cfg.status_socket);
	}
	metrics_stop(l->metrics);
	if (l->ep >= 0)
		close(l->ep);
}

static bool same_mtk(const struct mbmsd_session *a,
		     const struct mbmsd_session *b)
{
	return a->mtk_port == b->mtk_port &&
	       a->mtk_group.family == b->mtk_group.family &&
	       !memcmp(a->mtk_group.a, b->mtk_group.a, 16);
}

int loop_run(struct mbmsd *d, void (*ready)(void))
{
	struct loop l = { .d = d, .ep = -1, .unicast = -1, .timer = -1,
			  .sig = -1, .status = -1 };
	struct epoll_event evs[16];
	char err[300] = "";
	sigset_t mask;
	unsigned int i, j;
	int n, e, fd, ret = -1;

	l.ep = epoll_create1(EPOLL_CLOEXEC);
	l.unicast = open_unicast(d->cfg.listen_port, err, sizeof(err));
	if (l.ep < 0 || l.unicast < 0)
		goto fail;
	ep_add(&l, l.unicast, SRC_UNICAST, 0);
	for (i = 0; i < d->cfg.nsessions; i++) {
		for (j = 0; j < i; j++)
			if (same_mtk(&d->cfg.sessions[i], &d->cfg.sessions[j]))
				break;
		if (j < i)
			continue;	/* one socket per (group, port) */
		fd = open_mtk(&d->cfg.sessions[i], err, sizeof(err));
		if (fd < 0)
			goto fail;
		l.mtk[l.nmtk] = fd;
		ep_add(&l, fd, SRC_MTK, (unsigned int)l.nmtk++);
	}
	if (kernel_event_fd(d->kern) >= 0)
		ep_add(&l, kernel_event_fd(d->kern), SRC_KERNEL, 0);
	if (d->worker)
		ep_add(&l, worker_fd(d->worker), SRC_WORKER, 0);
	l.timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	/*
	 * Already blocked by main() before the worker started; again here
	 * for callers that did not.
	 */
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	l.sig = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (l.timer < 0 || l.sig < 0) {
		snprintf(err, sizeof(err), "timerfd/signalfd: %s",
			 strerror(errno));
		goto fail;
	}
	ep_add(&l, l.timer, SRC_TIMER, 0);
	ep_add(&l, l.sig, SRC_SIGNAL, 0);
	l.status = open_status(d->cfg.status_socket, err, sizeof(err));
	if (l.status < 0)
		goto fail;
	ep_add(&l, l.status, SRC_STATUS, 0);
	if (d->cfg.metrics) {
		l.metrics = metrics_start(d, err, sizeof(err));
		if (!l.metrics || metrics_fd(l.metrics) < 0 ||
		    ep_add(&l, metrics_fd(l.metrics), SRC_METRICS, 0))
			goto fail;
		log_info("serving metrics on http://%s%s%s:%u/metrics",
			 d->cfg.metrics_addr.family == AF_INET6 ? "[" : "",
			 config_addr_str(&d->cfg.metrics_addr, err, sizeof(err)),
			 d->cfg.metrics_addr.family == AF_INET6 ? "]" : "",
			 d->cfg.metrics_port);
		err[0] = '\0';
	}

	log_info("listening on UDP %u (MSK push), %zu MTK socket(s), %zu key group(s), MUK policy %s",
		 d->cfg.listen_port, l.nmtk, d->ngroups,
		 d->cfg.muk_mode == POL_MUK_STRICT ? "strict" : "relaxed");
	if (ready)
		ready();
	while (!l.stop) {
		uint64_t now = mbmsd_now_ms();

		requests_dispatch(d, now);
		arm_timer(&l, now);
		/* libmicrohttpd's own timeouts (idle connections) included. */
		n = epoll_wait(l.ep, evs, ARRAY_SIZE(evs),
			       l.metrics ? metrics_timeout_ms(l.metrics) : -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, sizeof(err), "epoll_wait: %s",
				 strerror(errno));
			goto fail;
		}
		for (e = 0; e < n; e++) {
			unsigned int idx = (unsigned int)evs[e].data.u64;
			uint64_t exp;

			switch ((enum src)(evs[e].data.u64 >> 32)) {
			case SRC_UNICAST:
				on_unicast(&l);
				break;
			case SRC_MTK:
				on_mtk(&l, l.mtk[idx]);
				break;
			case SRC_KERNEL:
				on_kernel(&l);
				break;
			case SRC_WORKER:
				on_worker(&l);
				break;
			case SRC_TIMER:
				/* Spurious or not, the timer is re-armed below. */
				(void)!read(l.timer, &exp, sizeof(exp));
				break;
			case SRC_SIGNAL:
				on_signal(&l);
				break;
			case SRC_STATUS:
				on_status(&l);
				break;
			case SRC_METRICS:
				break;	/* below, with the timeouts */
			}
		}
		if (l.metrics)
			metrics_run(l.metrics);
	}
	ret = 0;
	goto out;
fail:
	log_err("%s", err[0] ? err : strerror(errno));
out:
	close_all(&l);
	return ret;
}
