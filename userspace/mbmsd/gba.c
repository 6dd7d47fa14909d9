// SPDX-License-Identifier: GPL-2.0
/* mbmsd GBA: run the bootstrap command, parse its output, derive MRK. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "mbms/common.h"
#include "mbms/mikey.h"
#include "config.h"
#include "gba.h"

void gba_keys_wipe(struct gba_keys *k)
{
	secure_zero(k, sizeof(*k));
}

int gba_derive(struct gba_keys *k)
{
	if (mikey_mrk_from_ks_naf(k->ks_naf, GBA_KEY_LEN, k->mrk))
		return -1;
	if (EVP_EncodeBlock((unsigned char *)k->password, k->mrk,
			    GBA_KEY_LEN) != GBA_PASSWORD_LEN)
		return -1;
	return 0;
}

static bool printable_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < 0x21 || *s > 0x7e)
			return false;
	return true;
}

enum { K_BTID, K_KS, K_LIFETIME, K_NAF, K__N };
static const char *const keys[K__N] = { "btid", "ks_naf", "lifetime",
					"naf_id" };

static int parse_line(char *l, unsigned int lineno, struct gba_keys *k,
		      unsigned int *seen, char *err, size_t errlen)
{
	char *eq, *v, why[96];
	uint64_t n;
	int i;

	while (isspace((unsigned char)*l))
		l++;
	v = l + strlen(l);
	while (v > l && isspace((unsigned char)v[-1]))
		*--v = '\0';
	if (!*l)
		return 0;
	eq = strchr(l, '=');
	if (!eq) {
		snprintf(err, errlen, "line %u: expected key=value", lineno);
		return -1;
	}
	*eq = '\0';
	v = eq + 1;
	for (i = 0; i < K__N; i++)
		if (!strcmp(l, keys[i]))
			break;
	if (i == K__N)
		return 0;	/* a newer client's extra output */
	if (*seen & (1u << i)) {
		snprintf(err, errlen, "line %u: '%s' given twice", lineno, l);
		return -1;
	}
	*seen |= 1u << i;
	switch (i) {
	case K_BTID:
		if (strlen(v) > GBA_BTID_MAX || !printable_token(v)) {
			snprintf(err, errlen,
				 "line %u: 'btid' must be 1 to %d printable characters without spaces",
				 lineno, GBA_BTID_MAX);
			return -1;
		}
		strcpy(k->btid, v);
		return 0;
	case K_KS:
		if (hex_decode_exact(v, k->ks_naf, GBA_KEY_LEN, why,
				     sizeof(why))) {
			snprintf(err, errlen, "line %u: 'ks_naf': %s", lineno,
				 why);
			return -1;
		}
		return 0;
	case K_LIFETIME:
		if (parse_u64(v, GBA_LIFETIME_MAX_S, &n, why, sizeof(why))) {
			snprintf(err, errlen, "line %u: 'lifetime': %s", lineno,
				 why);
			return -1;
		}
		if (n == 0) {
			snprintf(err, errlen,
				 "line %u: 'lifetime': must be at least 1 second",
				 lineno);
			return -1;
		}
		k->lifetime_s = n;
		return 0;
	case K_NAF:
		if (strlen(v) > GBA_NAF_ID_MAX) {
			snprintf(err, errlen, "line %u: 'naf_id' is too long",
				 lineno);
			return -1;
		}
		strcpy(k->naf_id, v);
		return 0;
	}
	return 0;
}

int gba_parse(const char *text, size_t len, struct gba_keys *k, char *err,
	      size_t errlen)
{
	char line[GBA_OUTPUT_MAX + 1];
	unsigned int seen = 0, lineno = 0;
	size_t pos = 0, n;
	const char *nl;
	int ret = -1, i;

	memset(k, 0, sizeof(*k));
	if (len > GBA_OUTPUT_MAX) {
		snprintf(err, errlen, "output longer than %d bytes",
			 GBA_OUTPUT_MAX);
		return -1;
	}
	if (memchr(text, '\0', len)) {
		snprintf(err, errlen, "output contains a NUL byte");
		return -1;
	}
	while (pos < len) {
		nl = memchr(text + pos, '\n', len - pos);
		n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos += n + (nl ? 1 : 0);
		if (parse_line(line, ++lineno, k, &seen, err, errlen))
			goto out;
	}
	for (i = 0; i < K_NAF; i++)
		if (!(seen & (1u << i))) {
			snprintf(err, errlen, "no '%s=' line in the output",
				 keys[i]);
			goto out;
		}
	if (gba_derive(k)) {
		snprintf(err, errlen, "MRK derivation failed");
		goto out;
	}
	ret = 0;
out:
	secure_zero(line, sizeof(line));
	if (ret)
		gba_keys_wipe(k);
	return ret;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* -1 error, -2 timeout, -3 too long, else bytes read. */
static ssize_t read_bounded(int fd, char *buf, size_t max, uint64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t n = 0;
	uint64_t now;
	ssize_t r;
	int pr;

	for (;;) {
		now = mono_ms();
		if (now >= deadline)
			return -2;
		pr = poll(&p, 1, (int)(deadline - now));
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return -1;
		if (pr == 0)
			return -2;
		if (n == max) {
			char c;

			r = read(fd, &c, 1);
			if (r == 0)
				return (ssize_t)n;
			return r < 0 ? -1 : -3;
		}
		r = read(fd, buf + n, max - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return (ssize_t)n;
		n += (size_t)r;
	}
}

int gba_bootstrap(const char *cmd, unsigned int timeout_s,
		  struct gba_keys *k, char *err, size_t errlen)
{
	char words[MBMSD_CMD_MAX], out[GBA_OUTPUT_MAX];
	char *argv[MBMSD_MAX_ARGS];
	int pfd[2], status = 0, ret = -1, devnull;
	sigset_t none;
	ssize_t n;
	pid_t pid;

	memset(k, 0, sizeof(*k));
	if (config_split_command(cmd, words, sizeof(words), argv,
				 MBMSD_MAX_ARGS) <= 0) {
		snprintf(err, errlen, "bad bootstrap command '%s'", cmd);
		return -1;
	}
	if (pipe2(pfd, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	sigemptyset(&none);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		if (devnull >= 0)
			close(devnull);
		return -1;
	}
	if (pid == 0) {
		/*
		 * Only async-signal-safe calls between fork and exec.  The
		 * daemon blocks SIGTERM & co. and ignores SIGPIPE; both
		 * would survive exec, so the command gets the defaults.
		 */
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (dup2(pfd[1], STDOUT_FILENO) < 0)
			_exit(126);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	if (devnull >= 0)
		close(devnull);
	n = read_bounded(pfd[0], out, sizeof(out),
			 mono_ms() + (uint64_t)timeout_s * 1000);
	close(pfd[0]);
	if (n < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (n == -2)
		snprintf(err, errlen, "'%s' did not finish within %u s",
			 argv[0], timeout_s);
	else if (n == -3)
		snprintf(err, errlen, "'%s' printed more than %d bytes",
			 argv[0], GBA_OUTPUT_MAX);
	else if (n < 0)
		snprintf(err, errlen, "reading from '%s': %s", argv[0],
			 strerror(errno));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		snprintf(err, errlen, "cannot run '%s'", argv[0]);
	else if (!WIFEXITED(status) || WEXITSTATUS(status))
		snprintf(err, errlen, "'%s' failed (%s %d)", argv[0],
			 WIFEXITED(status) ? "exit status" : "signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) :
			 WTERMSIG(status));
	else if (gba_parse(out, (size_t)n, k, err, errlen) == 0)
		ret = 0;
	secure_zero(out, sizeof(out));
	return ret;
}
