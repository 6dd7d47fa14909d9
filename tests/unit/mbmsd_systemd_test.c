// SPDX-License-Identifier: GPL-2.0
/*
 * mbmsd under systemd, without systemd: the binary ($MBMS_BIN/mbmsd,
 * --no-kernel) with
 *
 *  - NOTIFY_SOCKET pointing at a datagram socket this test owns: READY=1
 *    and STATUS= arrive, and only once the daemon answers on its status
 *    socket (Type=notify in contrib/systemd/mbmsd.service relies on it);
 *  - JOURNAL_STREAM set (as systemd sets it when stderr is the journal):
 *    in a private mount namespace with a tmpfs on /run, the test binds
 *    /run/systemd/journal/socket itself and reads what the daemon sends:
 *    structured entries with MESSAGE=, PRIORITY= (syslog levels by log
 *    level: an error, info lines, a debug line) and
 *    SYSLOG_IDENTIFIER=mbmsd, nothing on stderr, and never the GBA key
 *    (the MUK) in any entry, at debug level.
 *
 * The journal part needs CAP_SYS_ADMIN (unshare, mount); without it, it
 * says SKIP.  Both parts need mbmsd built with libsystemd (HAVE_LIBSYSTEMD
 * comes from build.mk, as for mbmsd itself).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "test.h"

#define SKIP_STATUS 77
#define JOURNAL_SOCKET "/run/systemd/journal/socket"

static char bin[512], top[512], tmp[] = "/tmp/mbmsd_systemd_test.XXXXXX";
static char conf[600], sock[600], state[600];
static int listen_port;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int dgram_bind(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || strlen(path) >= sizeof(a.sun_path))
		return -1;
	strcpy(a.sun_path, path);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One datagram within @ms, NUL-terminated into @buf; its length or -1. */
static ssize_t recv_within(int fd, char *buf, size_t cap, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return -1;
	n = recv(fd, buf, cap - 1, 0);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

static void write_conf(void)
{
	FILE *f;
	int port = 20000 + (int)(getpid() % 20000);

	listen_port = port;
	snprintf(conf, sizeof(conf), "%s/mbmsd.conf", tmp);
	snprintf(state, sizeof(state), "%s/state", tmp);
	snprintf(sock, sizeof(sock), "%s/status.sock", tmp);
	mkdir(state, 0700);
	f = fopen(conf, "w");
	if (!f)
		return;
	/* The start-up request bootstraps with the fake BSF, then fails. */
	fprintf(f,
		"[global]\nbmsc_uri=http://127.0.0.1:9\nbmsc_fqdn=bmsc.test\n"
		"gba_bootstrap_command=%s/tests/fixtures/fake-bsf.sh\n"
		"state_dir=%s\nstatus_socket=%s\nlisten_port=%d\n"
		"request_jitter=0\n"
		"[session tv]\nid=1\nkey_domain=000001\nkey_group=1\n"
		"flows=127.0.0.1:%d\nmtk_group=127.0.0.1\nmtk_port=%d\n",
		top, state, sock, port, port + 1, port + 2);
	fclose(f);
}

static pid_t spawn(const char *env_name, const char *env_value,
		   const char *err_path)
{
	char counter[700];
	pid_t pid = fork();
	int fd;

	if (pid)
		return pid;
	snprintf(counter, sizeof(counter), "%s/bsf.counter", tmp);
	setenv("FAKE_BSF_COUNTER", counter, 1);
	setenv(env_name, env_value, 1);
	fd = open(err_path ? err_path : "/dev/null",
		  O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 1);
	dup2(fd, 2);
	execl(bin, bin, "-n", "-d", "-c", conf, (char *)NULL);
	_exit(127);
}

static void stop(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
}

static void cleanup_state(void)
{
	char p[700];

	/* A fresh store and BSF counter for the next part. */
	snprintf(p, sizeof(p), "%s/state", state);
	unlink(p);
	snprintf(p, sizeof(p), "%s/bsf.counter", tmp);
	unlink(p);
	snprintf(p, sizeof(p), "%s/bsf.counter.lock", tmp);
	unlink(p);
}

static void test_notify(void)
{
	char path[700], buf[4096];
	uint64_t end;
	ssize_t n;
	pid_t pid;
	int fd;

	snprintf(path, sizeof(path), "%s/notify", tmp);
	fd = dgram_bind(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	pid = spawn("NOTIFY_SOCKET", path, NULL);
	n = recv_within(fd, buf, sizeof(buf), 20000);
	CHECK(n > 0);
	if (n > 0) {
		CHECK(strstr(buf, "READY=1") != NULL);
		CHECK(strstr(buf, "STATUS=") != NULL);
		/* Ready means ready: the status socket already answers. */
		CHECK(access(sock, F_OK) == 0);
	}
	/* READY=1 once: nothing else claims readiness in the next second. */
	end = now_ms() + 1000;
	while (now_ms() < end &&
	       (n = recv_within(fd, buf, sizeof(buf), 200)) >= 0)
		CHECK(strstr(buf, "READY=1") == NULL);
	stop(pid);
	close(fd);
	unlink(path);
	cleanup_state();
}

/* Copy every datagram that arrives within @ms of the last one to @f. */
static void drain(int fd, FILE *f, int ms, const char *until, bool *seen)
{
	char buf[65536];
	ssize_t n;

	while ((n = recv_within(fd, buf, sizeof(buf), ms)) > 0) {
		fwrite(buf, 1, (size_t)n, f);
		fputs("\n--\n", f);
		if (until && strstr(buf, until)) {
			*seen = true;
			return;
		}
	}
}

/* A datagram to the daemon's MSK port: dropped, logged at debug level. */
static void poke(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)listen_port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return;
	sendto(fd, "\x01\x00\x00", 3, 0, (struct sockaddr *)&a, sizeof(a));
	close(fd);
}

/*
 * In the child, in a private mount namespace: bind the journal socket;
 * run the daemon once on a corrupt key store (it refuses to start: an
 * error entry), then normally until it has bootstrapped and logged a
 * dropped datagram at debug level (20 s at most); write every entry to
 * @out, separated by "--" lines.
 */
static int journal_child(const char *out, const char *err_path)
{
	char store[700];
	bool seen = false, dropped = false;
	FILE *f;
	pid_t pid;
	int fd, i;

	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tmpfs", "/run", "tmpfs", 0, "mode=0755")) {
		fprintf(stderr,
			"mbmsd_systemd_test: SKIP journald part: %s (needs CAP_SYS_ADMIN)\n",
			strerror(errno));
		return SKIP_STATUS;
	}
	if (mkdir("/run/systemd", 0755) || mkdir("/run/systemd/journal", 0755))
		return 1;
	fd = dgram_bind(JOURNAL_SOCKET);
	f = fopen(out, "w");
	if (fd < 0 || !f)
		return 1;
	/* systemd sets "DEV:INODE" of the journal stream; any value will do. */
	snprintf(store, sizeof(store), "%s/state", state);
	i = open(store, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (i < 0 || write(i, "garbage", 7) != 7)
		return 1;
	close(i);
	pid = spawn("JOURNAL_STREAM", "8:1", err_path);
	waitpid(pid, &i, 0);
	drain(fd, f, 200, NULL, NULL);
	unlink(store);
	pid = spawn("JOURNAL_STREAM", "8:1", err_path);
	drain(fd, f, 20000, "GBA bootstrap: B-TID", &seen);
	if (seen) {
		poke();
		drain(fd, f, 5000, "unicast: dropped", &dropped);
	}
	stop(pid);
	drain(fd, f, 200, NULL, NULL);
	fclose(f);
	return seen && dropped ? 0 : 2;
}

static char *slurp(const char *path)
{
	static char text[1 << 20];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	text[0] = '\0';
	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	return text;
}

/* The entry (between "--" lines) that contains @needle, copied to @e. */
static bool entry_with(const char *text, const char *needle, char *e,
		       size_t cap)
{
	const char *p = strstr(text, needle), *a, *b;

	if (!p)
		return false;
	for (a = p; a > text && strncmp(a - 1, "\n--\n", 4) &&
	     strncmp(a, "\n--\n", 4); a--)
		;
	b = strstr(p, "\n--\n");
	if (!b)
		b = p + strlen(p);
	snprintf(e, cap, "%.*s", (int)(b - a), a);
	return true;
}

static void test_journal(void)
{
	char out[700], err[700], e[4096], hex[2 * SHA256_DIGEST_LENGTH + 1];
	unsigned char ks[SHA256_DIGEST_LENGTH];
	const char *seed_btid = "mbms-srtp-test-seed|fake1@bsf.test";
	const char *text;
	int status = -1, i;
	struct stat st;
	pid_t pid;

	snprintf(out, sizeof(out), "%s/journal.txt", tmp);
	snprintf(err, sizeof(err), "%s/stderr.txt", tmp);
	pid = fork();
	if (pid == 0)
		_exit(journal_child(out, err));
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == SKIP_STATUS) {
		cleanup_state();
		return;
	}
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	text = slurp(out);
	/* Structured entries with the daemon's identifier. */
	CHECK(entry_with(text, "MESSAGE=listening on UDP", e, sizeof(e)));
	CHECK(strstr(e, "PRIORITY=6\n") != NULL);	/* info */
	CHECK(strstr(e, "SYSLOG_IDENTIFIER=mbmsd\n") != NULL);
	CHECK(entry_with(text, "MESSAGE=GBA bootstrap: B-TID fake1@bsf.test", e,
			 sizeof(e)));
	CHECK(strstr(e, "PRIORITY=6\n") != NULL);
	/* The corrupt store: an error, at PRIORITY=3. */
	CHECK(entry_with(text, "MESSAGE=key store: ", e, sizeof(e)));
	CHECK(strstr(e, "PRIORITY=3\n") != NULL);
	/* -d: the dropped datagram at debug level, PRIORITY=7. */
	CHECK(entry_with(text, "MESSAGE=unicast: dropped", e, sizeof(e)));
	CHECK(strstr(e, "PRIORITY=7\n") != NULL);
	/* Nothing on stderr: the journal has it all. */
	CHECK(stat(err, &st) == 0 && st.st_size == 0);
	/* The MUK (Ks_NAF of the fake BSF's first key) never appears. */
	SHA256((const unsigned char *)seed_btid, strlen(seed_btid), ks);
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++)
		sprintf(hex + 2 * i, "%02x", ks[i]);
	CHECK(strstr(text, hex) == NULL);
	for (i = 0; hex[i]; i++)
		if (hex[i] >= 'a')
			hex[i] = (char)(hex[i] - 'a' + 'A');
	CHECK(strstr(text, hex) == NULL);
	CHECK(memmem(text, strlen(text), ks, 8) == NULL);
	unlink(out);
	unlink(err);
	cleanup_state();
}

int main(void)
{
	const char *b = getenv("MBMS_BIN"), *t = getenv("MBMS_TOP");
	char path[700];

	snprintf(bin, sizeof(bin), "%s/mbmsd", b ? b : ".");
	snprintf(top, sizeof(top), "%s", t ? t : "../..");
#ifndef HAVE_LIBSYSTEMD
	printf("mbmsd_systemd_test: SKIP: mbmsd built without libsystemd\n");
	return 0;
#endif
	if (access(bin, X_OK)) {
		fprintf(stderr, "mbmsd_systemd_test: %s not built\n", bin);
		return 1;
	}
	if (!mkdtemp(tmp))
		return 1;
	write_conf();
	test_notify();
	test_journal();
	unlink(conf);
	rmdir(state);
	snprintf(path, sizeof(path), "%s/notify", tmp);
	unlink(path);
	rmdir(tmp);
	return test_summary("mbmsd_systemd_test");
}
