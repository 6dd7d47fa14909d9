// SPDX-License-Identifier: GPL-2.0
/*
 * mbmsctl monitor: print key-needed notifications until interrupted.  Each
 * event is one line (text or a JSON object), flushed at once so that a
 * pipe reader sees it immediately.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include "cli.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int monitor_parse(struct mbmsctl_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;

	cli_args_init(&a, cmd, "monitor", argc, argv);
	return cli_more(&a) ? cli_extra(&a) : 0;
}

static int print_one(const struct mbms_event *ev, void *arg)
{
	const struct mbmsctl_cmd *cmd = arg;

	cli_print_event(stdout, cmd->json, ev);
	return 0;
}

static int monitor_exec(const struct mbmsctl_cmd *cmd, struct mbms_nl *nl)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct pollfd pfd;
	int ret;

	ret = mbms_nl_events_subscribe(nl);
	if (ret)
		return cli_report(nl, ret);
	/* No SA_RESTART: a signal must interrupt poll() and end the loop. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	pfd.fd = mbms_nl_events_fd(nl);
	pfd.events = POLLIN;
	while (!stop) {
		ret = poll(&pfd, 1, -1);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "mbmsctl: monitor: poll: %s\n",
				strerror(errno));
			return MBMSCTL_EXIT_KERNEL;
		}
		ret = mbms_nl_events_recv(nl, print_one, (void *)cmd);
		if (ret == -ENOBUFS) {
			fprintf(stderr, "mbmsctl: monitor: %s\n",
				mbms_nl_last_error(nl)->msg);
			continue;
		}
		if (ret < 0)
			return cli_report(nl, ret);
		if (ferror(stdout))
			break;		/* reader went away */
	}
	return MBMSCTL_EXIT_OK;
}

const struct mbmsctl_object mbmsctl_monitor = {
	.name = "monitor",
	.parse = monitor_parse,
	.exec = monitor_exec,
	.help = "print key-needed notifications as they arrive",
	.usage = "  mbmsctl [-j] monitor\n",
};
