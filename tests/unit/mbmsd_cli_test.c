// SPDX-License-Identifier: GPL-2.0
/*
 * The mbmsd binary itself ($MBMS_BIN/mbmsd): --check-config exit status
 * and messages, and a --no-kernel daemon that starts, refuses an unsafe
 * state directory, answers `mbmsd status [-j]`, persists its store with
 * mode 0600 and stops cleanly on SIGTERM.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test.h"

static char bin[512], top[512], tmp[] = "/tmp/mbmsd_cli_test.XXXXXX";

/* Run argv, capture stdout+stderr into @out; return the exit status. */
static int run(char *const argv[], char *out, size_t cap)
{
	int pfd[2], status = -1;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	while (n < cap - 1 && (r = read(pfd[0], out + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(pfd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

static void test_check_config(void)
{
	char out[4096], conf[600], example[600];
	char *argv[5] = { bin, "--check-config", "-c", NULL, NULL };

	snprintf(example, sizeof(example), "%s/contrib/mbmsd.conf.example", top);
	argv[3] = example;
	CHECK(run(argv, out, sizeof(out)) == 0);
	CHECK(strstr(out, "OK (1 session(s), MUK policy relaxed)") != NULL);

	snprintf(conf, sizeof(conf), "%s/bad.conf", tmp);
	write_file(conf, "[global]\nbmsc_uri = http://b\nmuk_policy = loose\n");
	argv[3] = conf;
	CHECK(run(argv, out, sizeof(out)) == 1);
	CHECK(strstr(out, "bad.conf:3: 'muk_policy': 'loose'") != NULL);
	CHECK(strstr(out, "'bmsc_fqdn': required") != NULL);

	/* rcc_modes: the bad value named, exit status 1. */
	write_file(conf, "[global]\nbmsc_uri = http://b\nbmsc_fqdn = b\n"
		   "gba_bootstrap_command = /bin/false\nrcc_modes = 1,4\n"
		   "[session s]\nid=1\nkey_domain=000001\nkey_group=1\n"
		   "flows=127.0.0.1:5004\nmtk_group=127.0.0.1\n");
	CHECK(run(argv, out, sizeof(out)) == 1);
	CHECK(strstr(out, "bad.conf:5: 'rcc_modes': '1,4': expected") != NULL);

	snprintf(conf, sizeof(conf), "%s/missing.conf", tmp);
	argv[3] = conf;
	CHECK(run(argv, out, sizeof(out)) == 1);
	CHECK(strstr(out, "cannot open") != NULL);

	argv[1] = "--bogus";
	argv[2] = NULL;
	CHECK(run(argv, out, sizeof(out)) == 1);
	CHECK(strstr(out, "usage:") != NULL);
}

static void test_daemon(void)
{
	char out[16384], conf[600], state[600], sock[600], text[2048];
	char *status_argv[6] = { bin, "status", "-j", "-c", conf, NULL };
	char *run_argv[6] = { bin, "-n", "-c", conf, NULL, NULL };
	struct stat st;
	int i, port, status = -1, devnull;
	pid_t pid;

	snprintf(conf, sizeof(conf), "%s/mbmsd.conf", tmp);
	snprintf(state, sizeof(state), "%s/state", tmp);
	snprintf(sock, sizeof(sock), "%s/status.sock", tmp);
	mkdir(state, 0755);
	port = 40000 + (int)(getpid() % 20000);
	snprintf(text, sizeof(text),
		 "[global]\nbmsc_uri=http://127.0.0.1:9\nbmsc_fqdn=bmsc.test\n"
		 "gba_bootstrap_command=/bin/false\nstate_dir=%s\n"
		 "status_socket=%s\nlisten_port=%d\nrequest_jitter=3600\n"
		 "[session tv]\nid=1\nkey_domain=000001\nkey_group=1\n"
		 "flows=127.0.0.1:%d\nmtk_group=127.0.0.1\nmtk_port=%d\n",
		 state, sock, port, port + 1, port + 2);
	write_file(conf, text);

	/* A state directory others can enter: refused at start. */
	CHECK(run(run_argv, out, sizeof(out)) == 1);
	CHECK(strstr(out, "mode 0755") != NULL);
	chmod(state, 0700);

	pid = fork();
	if (pid == 0) {
		devnull = open("/dev/null", O_WRONLY);
		dup2(devnull, 2);
		execv(bin, run_argv);
		_exit(127);
	}
	/* Wait (up to 10 s) for the status socket. */
	for (i = 0; i < 100 && access(sock, F_OK); i++)
		usleep(100000);
	CHECK(access(sock, F_OK) == 0);
	CHECK(stat(sock, &st) == 0 && (st.st_mode & 0077) == 0);
	CHECK(run(status_argv, out, sizeof(out)) == 0);
	CHECK(strstr(out, "\"muk_policy\": \"relaxed\"") != NULL);
	CHECK(strstr(out, "\"name\": \"tv\"") != NULL);
	/* Start-up without an MSK: a request is scheduled (jittered). */
	CHECK(strstr(out, "\"state\": \"scheduled\"") != NULL);
	status_argv[2] = "-c";
	status_argv[3] = conf;
	status_argv[4] = NULL;
	CHECK(run(status_argv, out, sizeof(out)) == 0);
	CHECK(strstr(out, "session tv: id 1") != NULL);

	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	snprintf(text, sizeof(text), "%s/state", state);
	CHECK(stat(text, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK(access(sock, F_OK) != 0);	/* removed on exit */
	/* No daemon: status says so. */
	CHECK(run(status_argv, out, sizeof(out)) == 1);
	CHECK(strstr(out, "is mbmsd running?") != NULL);
	unlink(text);
	rmdir(state);
}

int main(void)
{
	const char *b = getenv("MBMS_BIN"), *t = getenv("MBMS_TOP");
	char path[600];

	snprintf(bin, sizeof(bin), "%s/mbmsd", b ? b : ".");
	snprintf(top, sizeof(top), "%s", t ? t : "../..");
	if (access(bin, X_OK)) {
		fprintf(stderr, "mbmsd_cli_test: %s not built\n", bin);
		return 1;
	}
	if (!mkdtemp(tmp))
		return 1;
	test_check_config();
	test_daemon();
	snprintf(path, sizeof(path), "%s/bad.conf", tmp);
	unlink(path);
	snprintf(path, sizeof(path), "%s/mbmsd.conf", tmp);
	unlink(path);
	rmdir(tmp);
	return test_summary("mbmsd_cli_test");
}
