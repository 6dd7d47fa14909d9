// SPDX-License-Identifier: GPL-2.0
/*
 * mbmsd: the MBMS key-management daemon (receiver side of 3GPP TS 33.246).
 *
 *   mbmsd [-c FILE] [-d] [-n]        run (foreground; systemd Type=notify)
 *   mbmsd --check-config [-c FILE]   validate the configuration, exit 0/1
 *   mbmsd status [-j] [-c FILE]      ask the running daemon
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#endif

#include "mbms/common.h"
#include "daemon.h"
#include "http.h"
#include "loop.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mbmsd [-c FILE] [-d] [-n]\n"
		"       mbmsd --check-config [-c FILE]\n"
		"       mbmsd status [-j] [-c FILE]\n"
		"\n"
		"  -c, --config FILE   configuration (default %s)\n"
		"      --check-config  validate the configuration and exit\n"
		"  -d, --debug         log at debug level\n"
		"  -n, --no-kernel     do not touch the kernel (debugging)\n"
		"  -j, --json          status as JSON\n"
		"  -h, --help          this text\n"
		"See mbmsd(8) and mbmsd.conf(5).\n", MBMSD_CONF_DEFAULT);
}

#ifdef HAVE_LIBSYSTEMD
static void journal_sink(enum log_level lvl, const char *msg)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO,
				    LOG_DEBUG };

	sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%d",
			prio[lvl < 4 ? lvl : 3], "SYSLOG_IDENTIFIER=mbmsd",
			NULL);
}

static void notify_ready(void)
{
	sd_notify(0, "READY=1\nSTATUS=listening");
}
#else
static void notify_ready(void)
{
}
#endif

static int check_config(const char *path)
{
	struct mbmsd_config *cfg = calloc(1, sizeof(*cfg));
	int ret;

	if (!cfg)
		return 1;
	ret = config_load(path, cfg, stderr);
	if (!ret)
		printf("%s: OK (%u session(s), MUK policy %s)\n", path,
		       cfg->nsessions,
		       cfg->muk_mode == POL_MUK_STRICT ? "strict" : "relaxed");
	free(cfg);
	return ret ? 1 : 0;
}

static int status_main(int argc, char **argv, const char *conf)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mbmsd_config *cfg;
	bool json = false;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jc:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'c':
			conf = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return 1;
	/* Only the socket path is needed; the file may be unreadable. */
	config_defaults(cfg);
	if (access(conf, R_OK) == 0 && config_load(conf, cfg, NULL) != 0)
		config_defaults(cfg);
	ret = status_client(cfg->status_socket, json);
	free(cfg);
	return ret;
}

static int run(const char *conf, bool debug, bool no_kernel)
{
	struct mbmsd *d = calloc(1, sizeof(*d));
	sigset_t mask;
	char err[300];
	int ret = 1;

	if (!d) {
		fprintf(stderr, "mbmsd: out of memory\n");
		return 1;
	}
	if (config_load(conf, &d->cfg, stderr)) {
		fprintf(stderr, "mbmsd: configuration has errors, not starting\n");
		goto out;
	}
	log_init("mbmsd", debug ? LOG_LVL_DEBUG : d->cfg.log_level);
#ifdef HAVE_LIBSYSTEMD
	/* Under systemd, stderr is the journal: log with fields instead. */
	if (getenv("JOURNAL_STREAM"))
		log_set_sink(journal_sink);
#endif
	signal(SIGPIPE, SIG_IGN);
	/*
	 * Block the signals the loop reads from its signalfd before any
	 * thread exists: threads inherit the mask, so SIGTERM can never be
	 * delivered to the worker and kill us without a clean stop.
	 */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	if (http_global_init()) {
		log_err("libcurl initialisation failed");
		goto out;
	}
	d->persist = true;
	if (mbmsd_setup_state(d))
		goto out;
	d->kern = kernel_open(no_kernel, err, sizeof(err));
	if (!d->kern) {
		log_err("%s", err);
		goto out;
	}
	if (kernel_reconcile(d->kern, &d->cfg, &d->store))
		log_warn("kernel reconciliation had failures (see above)");
	mbmsd_request_missing(d, mbmsd_now_ms());
	d->worker = worker_start(err, sizeof(err));
	if (!d->worker) {
		log_err("request worker: %s", err);
		goto out;
	}
	ret = loop_run(d, notify_ready) ? 1 : 0;
	mbmsd_save(d);
out:
	worker_stop(d->worker);
	kernel_close(d->kern);
	store_wipe(&d->store);
	secure_zero(d, sizeof(*d));
	free(d);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "debug", no_argument, NULL, 'd' },
		{ "no-kernel", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *conf = MBMSD_CONF_DEFAULT;
	bool check = false, debug = false, no_kernel = false;
	int c;

	log_init("mbmsd", LOG_LVL_INFO);
	if (argc > 1 && !strcmp(argv[1], "status"))
		return status_main(argc - 1, argv + 1, conf);
	while ((c = getopt_long(argc, argv, "c:dnh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf = optarg;
			break;
		case 'C':
			check = true;
			break;
		case 'd':
			debug = true;
			break;
		case 'n':
			no_kernel = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		if (!strcmp(argv[optind], "status"))
			return status_main(argc - optind, argv + optind, conf);
		fprintf(stderr, "mbmsd: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return 1;
	}
	if (check)
		return check_config(conf);
	return run(conf, debug, no_kernel);
}
