// SPDX-License-Identifier: GPL-2.0
/*
 * bmsc-sim: set up from the command line, then one event loop.  Every
 * turn runs the schedule events that are due, sends the SRTP packets that
 * are due, serves HTTP, and pushes the MSKs UEs asked for; then it sleeps
 * in epoll until the next deadline or a socket/signal wakes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "mskreq.h"
#include "options.h"
#include "sim.h"

#define TAG_SIGNAL	1
#define TAG_MIKEY	2
#define MAX_SLEEP_MS	1000

static int read_file(const char *path, char *buf, size_t cap, size_t *len,
		     char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		snprintf(err, errlen, "cannot open '%s': %s", path,
			 strerror(errno));
		return -1;
	}
	n = read(fd, buf, cap);
	close(fd);
	if (n < 0 || (size_t)n == cap) {
		snprintf(err, errlen, "'%s': %s", path, n < 0 ? strerror(errno) :
			 "longer than a bootstrap output may be");
		return -1;
	}
	*len = (size_t)n;
	return 0;
}

/* Create one UE from its --ue/--gba-* options. */
static int load_ue(struct sim *s, const struct ue_spec *spec)
{
	char err[320], buf[GBA_MAX_OUTPUT + 1];
	struct gba_key k;
	struct ue *ue;
	size_t len;
	int ret = 0;

	ue = ue_add(s->ues, spec->addr, err, sizeof(err));
	if (!ue) {
		log_err("--ue: %s", err);
		return -1;
	}
	if (spec->gba_file) {
		ret = read_file(spec->gba_file, buf, sizeof(buf), &len, err,
				sizeof(err));
		if (!ret)
			ret = gba_parse(buf, len, 3600, sim_mono_ms(), &k, err,
					sizeof(err));
		secure_zero(buf, sizeof(buf));
	} else if (spec->gba_cmd) {
		ret = gba_run(spec->gba_cmd, NULL, sim_mono_ms(), &k, err,
			      sizeof(err));
	} else {
		if (!s->ues->lookup_cmd[0])
			log_warn("UE %s has no GBA keys and there is no --bsf-lookup: it cannot be served",
				 ue->name);
		return 0;
	}
	if (ret) {
		log_err("GBA keys of UE %s: %s", ue->name, err);
		return -1;
	}
	ue->muk = ue_store_key(ue, &k);
	ue->keys[ue->muk].proven = true;
	if (s->o.demand_rebootstrap) {
		ue->must_rebootstrap = true;
		strcpy(ue->stale_btid, ue->keys[ue->muk].btid);
		ue->stale_why = "re-bootstrap demanded (--demand-rebootstrap): negotiation indication required";
	}
	log_info("UE %s: B-TID %s, key lifetime %llu s", ue->name,
		 ue->keys[ue->muk].btid,
		 (unsigned long long)ue->keys[ue->muk].lifetime_s);
	return 0;
}

static int setup_keys_and_schedule(struct sim *s, const struct cli *cli)
{
	char err[256];
	size_t m;

	(void)cli;
	if (keygen_init(s->o.have_seed ? s->o.seed : NULL, sizeof(s->o.seed))) {
		log_err("no randomness for the key material");
		return -1;
	}
	secure_zero(s->o.seed, sizeof(s->o.seed));
	if (sched_build(&s->o.sched, &s->sched, err, sizeof(err))) {
		log_err("schedule: %s", err);
		return -1;
	}
	for (m = 0; m < s->sched.n_msks; m++) {
		uint16_t last = sched_last_mtk_id(&s->sched, (uint16_t)m);

		if (last > s->o.mtk_id_max) {
			log_err("MSK %zu needs MTK IDs up to %u but --mtk-id-max is %u",
				m, last, s->o.mtk_id_max);
			return -1;
		}
	}
	return scenario_init(s);
}

static int setup_ues(struct sim *s, const struct cli *cli)
{
	size_t i;

	s->ues = calloc(1, sizeof(*s->ues));
	if (!s->ues) {
		log_err("out of memory");
		return -1;
	}
	ue_registry_init(s->ues);
	if (cli->bsf_lookup) {
		if (strlen(cli->bsf_lookup) >= sizeof(s->ues->lookup_cmd)) {
			log_err("--bsf-lookup command too long");
			return -1;
		}
		strcpy(s->ues->lookup_cmd, cli->bsf_lookup);
	}
	for (i = 0; i < cli->n_ue; i++)
		if (load_ue(s, &cli->ue[i]))
			return -1;
	return 0;
}

static int setup_io(struct sim *s, int epfd, int sfd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	char err[256];

	ev.data.u32 = TAG_SIGNAL;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, sfd, &ev)) {
		log_err("epoll: %s", strerror(errno));
		return -1;
	}
	if (mikey_open(s, err, sizeof(err))) {
		log_err("%s", err);
		return -1;
	}
	ev.data.u32 = TAG_MIKEY;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, s->mikey_fd, &ev)) {
		log_err("epoll: %s", strerror(errno));
		return -1;
	}
	if (s->o.have_stream && srtp_stream_open(s, err, sizeof(err))) {
		log_err("%s", err);
		return -1;
	}
	if (s->o.have_http && http_open(s, epfd, err, sizeof(err))) {
		log_err("%s", err);
		return -1;
	}
	return 0;
}

static void start_event(struct sim *s)
{
	struct json *j = ev_begin(s, "start");

	log_info("running for %llu ms: %llu MTKs, %zu MSKs, %zu schedule events",
		 (unsigned long long)s->o.sched.duration_ms,
		 (unsigned long long)s->sched.n_mtks, s->sched.n_msks,
		 s->sched.n_ev);
	if (!j)
		return;
	json_kv_u64(j, "duration_ms", s->o.sched.duration_ms);
	json_kv_u64(j, "mtks", s->sched.n_mtks);
	json_kv_u64(j, "msks", s->sched.n_msks);
	json_kv_hex(j, "key_domain", s->o.key_domain, MIKEY_KEY_DOMAIN_LEN);
	json_kv_u64(j, "key_group", s->o.key_group);
	json_kv_u64(j, "http_port", http_port(s));
	ev_end(s, j);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/*
 * Everything due by @now, in time order: schedule events and SRTP packets
 * interleave as their times say, however late this turn runs (an event
 * goes before a packet of the same time).  Bounded per turn.
 */
static void run_due(struct sim *s, uint64_t now)
{
	unsigned int budget = SIM_MAX_CATCHUP;

	while (budget-- > 0 && !s->done) {
		uint64_t te = scenario_next_ms(s), tp = srtp_stream_next_ms(s);

		if (te <= now && te <= tp)
			scenario_run_next(s);
		else if (tp <= now)
			srtp_stream_send_next(s);
		else
			break;
	}
}

static void loop(struct sim *s, int epfd, int sfd)
{
	struct epoll_event evs[8];

	while (!s->done) {
		uint64_t now = sim_now(s), next, sleep_ms;
		int n, i;

		run_due(s, now);
		http_run(s);
		mikey_push_owed(s);
		mikey_verif_timeouts(s);
		if (s->done)
			break;
		next = min_u64(scenario_next_ms(s), srtp_stream_next_ms(s));
		sleep_ms = next > now ? next - now : 0;
		sleep_ms = min_u64(min_u64(sleep_ms, http_timeout_ms(s)),
				   MAX_SLEEP_MS);
		n = epoll_wait(epfd, evs, ARRAY_SIZE(evs), (int)sleep_ms);
		for (i = 0; i < n; i++) {
			if (evs[i].data.u32 == TAG_SIGNAL) {
				struct signalfd_siginfo si;

				if (read(sfd, &si, sizeof(si)) != sizeof(si))
					continue;
				if (si.ssi_signo == SIGUSR1) {
					ev_summary(s, false);
					continue;
				}
				log_info("stopped by signal %u", si.ssi_signo);
				s->done = true;
			} else if (evs[i].data.u32 == TAG_MIKEY) {
				mikey_on_readable(s);
			}
			/* HTTP: served by http_run() at the top. */
		}
	}
}

int main(int argc, char **argv)
{
	static struct cli cli;
	static struct sim s = { .mikey_fd = -1, .mtk_fd = -1,
				.http_outage = -1 };
	int epfd = -1, sfd = -1, ret = 1, r;
	sigset_t sigs;

	log_init("bmsc-sim", LOG_LVL_INFO);
	r = options_parse(argc, argv, &cli);
	if (r)
		return r > 0 ? 0 : 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGUSR1);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	s.o = cli.o;
	secure_zero(cli.o.seed, sizeof(cli.o.seed));
	mskreq_init();

	epfd = epoll_create1(EPOLL_CLOEXEC);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (epfd < 0 || sfd < 0) {
		log_err("epoll/signalfd: %s", strerror(errno));
		goto out;
	}
	if (setup_keys_and_schedule(&s, &cli) || setup_ues(&s, &cli) ||
	    setup_io(&s, epfd, sfd))
		goto out;
	s.t0_ms = sim_mono_ms();
	start_event(&s);
	loop(&s, epfd, sfd);
	ev_summary(&s, true);
	ret = 0;
out:
	http_close(&s);
	srtp_stream_close(&s);
	mikey_close(&s);
	if (s.ues) {
		ue_registry_clear(s.ues);
		free(s.ues);
	}
	sched_free(&s.sched);
	keygen_clear();
	secure_zero(s.msk, sizeof(s.msk));
	secure_zero(s.o.seed, sizeof(s.o.seed));
	if (sfd >= 0)
		close(sfd);
	if (epfd >= 0)
		close(epfd);
	return ret;
}
