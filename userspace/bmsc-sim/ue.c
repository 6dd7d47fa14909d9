// SPDX-License-Identifier: GPL-2.0
/* UE registry and GBA key intake (bootstrap output, BSF lookup command). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "mbms/common.h"
#include "ue.h"

#define MIKEY_UDP_PORT 2269

void gba_key_clear(struct gba_key *k)
{
	secure_zero(k, sizeof(*k));
}

bool gba_key_expired(const struct gba_key *k, uint64_t now_ms)
{
	return now_ms >= k->expires_ms;
}

int b64_encode(const uint8_t *in, size_t len, char *out, size_t outlen)
{
	if (outlen < 4 * ((len + 2) / 3) + 1 || len > 1024)
		return -1;
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	return 0;
}

static int b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static bool xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int b64_decode_exact(const char *in, size_t inlen, uint8_t *out, size_t want)
{
	uint8_t buf[3 * 64];
	size_t n = 0, i, pad = 0, got = 0;
	uint32_t acc = 0;

	while (inlen && xml_space(in[inlen - 1]))
		inlen--;
	while (inlen && xml_space(*in)) {
		in++;
		inlen--;
	}
	if (!inlen || inlen % 4 || inlen / 4 * 3 > sizeof(buf) || want > 48)
		return -1;
	for (i = 0; i < inlen; i++) {
		int v;

		if (in[i] == '=') {
			/* Padding only in the last two positions. */
			if (i < inlen - 2)
				return -1;
			pad++;
			v = 0;
		} else {
			if (pad)
				return -1;
			v = b64_val((unsigned char)in[i]);
			if (v < 0)
				return -1;
		}
		acc = acc << 6 | (uint32_t)v;
		if (++n == 4) {
			buf[got++] = (uint8_t)(acc >> 16);
			buf[got++] = (uint8_t)(acc >> 8);
			buf[got++] = (uint8_t)acc;
			n = 0;
			acc = 0;
		}
	}
	got -= pad;
	if (got != want)
		return -1;
	memcpy(out, buf, want);
	return 0;
}

int digest_realm(const char *fqdn, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "3GPP-bootstrapping@%s", fqdn);

	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* B-TID and NAF-Id end up in HTTP headers, MIKEY IDs and logs. */
static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f ||
		    *s == '"' || *s == '\\')
			return false;
	return true;
}

bool gba_btid_ok(const char *btid)
{
	return *btid && strlen(btid) <= GBA_MAX_BTID && printable(btid);
}

static int gba_field(struct gba_key *k, const char *key, const char *val,
		     bool *have_ks, bool *have_life, char *err, size_t errlen)
{
	char e[128];

	if (!strcmp(key, "btid")) {
		if (!gba_btid_ok(val)) {
			snprintf(err, errlen, "btid must be 1 to %d printable characters without spaces or quotes",
				 GBA_MAX_BTID);
			return -1;
		}
		strcpy(k->btid, val);
	} else if (!strcmp(key, "ks_naf")) {
		if (hex_decode_exact(val, k->ks_naf, sizeof(k->ks_naf), e,
				     sizeof(e))) {
			snprintf(err, errlen, "ks_naf: %s", e);
			return -1;
		}
		*have_ks = true;
	} else if (!strcmp(key, "lifetime")) {
		if (parse_u64(val, GBA_MAX_LIFETIME_S, &k->lifetime_s, e,
			      sizeof(e))) {
			snprintf(err, errlen, "lifetime: %s", e);
			return -1;
		}
		*have_life = true;
	} else if (!strcmp(key, "naf_id")) {
		if (strlen(val) > GBA_MAX_NAF_ID || !printable(val)) {
			snprintf(err, errlen, "naf_id is too long or not printable");
			return -1;
		}
		strcpy(k->naf_id, val);
	}
	return 0;
}

int gba_parse(const char *text, size_t len, uint64_t default_lifetime_s,
	      uint64_t now_ms, struct gba_key *k, char *err, size_t errlen)
{
	char line[GBA_MAX_OUTPUT + 1];
	bool have_ks = false, have_life = false;
	size_t pos = 0;
	int ret = -1;

	memset(k, 0, sizeof(*k));
	if (len > GBA_MAX_OUTPUT) {
		snprintf(err, errlen, "bootstrap output longer than %d bytes",
			 GBA_MAX_OUTPUT);
		return -1;
	}
	while (pos < len) {
		size_t end = pos, n;
		char *eq, *val;

		while (end < len && text[end] != '\n')
			end++;
		n = end - pos;
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos = end + 1;
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		if (memchr(line, '\0', n)) {
			snprintf(err, errlen, "NUL byte in bootstrap output");
			goto out;
		}
		if (!n || line[0] == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq)
			continue;	/* commentary from the tool */
		*eq = '\0';
		val = eq + 1;
		if (gba_field(k, line, val, &have_ks, &have_life, err, errlen))
			goto out;
	}
	if (!k->btid[0] || !have_ks) {
		snprintf(err, errlen, "bootstrap output lacks %s",
			 !k->btid[0] ? "btid=" : "ks_naf=");
		goto out;
	}
	if (!have_life)
		k->lifetime_s = default_lifetime_s;
	if (mikey_mrk_from_ks_naf(k->ks_naf, sizeof(k->ks_naf), k->mrk) ||
	    b64_encode(k->mrk, sizeof(k->mrk), k->mrk_b64, sizeof(k->mrk_b64))) {
		snprintf(err, errlen, "MRK derivation failed");
		goto out;
	}
	k->learnt_ms = now_ms;
	k->expires_ms = now_ms + k->lifetime_s * 1000;
	k->used = true;
	ret = 0;
out:
	secure_zero(line, sizeof(line));
	if (ret)
		gba_key_clear(k);
	return ret;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Read the child's stdout until EOF, the size cap or the deadline. */
static ssize_t read_bounded(int fd, char *buf, size_t cap, uint64_t deadline)
{
	size_t n = 0;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint64_t now = mono_ms();
		ssize_t r;

		if (now >= deadline)
			return -2;
		if (poll(&p, 1, (int)(deadline - now)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!p.revents)
			continue;
		if (n == cap)
			return -3;
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!r)
			return (ssize_t)n;
		n += (size_t)r;
	}
}

int gba_run(const char *cmd, const char *arg, uint64_t now_ms,
	    struct gba_key *k, char *err, size_t errlen)
{
	char buf[GBA_MAX_OUTPUT + 1], *full = NULL;
	int pfd[2], status, ret = -1;
	ssize_t n;
	pid_t pid;

	/* The B-TID goes in as an argument, never into the shell text. */
	if (arg && asprintf(&full, "%s \"$@\"", cmd) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (pipe2(pfd, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		free(full);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		free(full);
		return -1;
	}
	if (!pid) {
		dup2(pfd[1], STDOUT_FILENO);
		if (arg)
			execl("/bin/sh", "sh", "-c", full, "bsf", arg, (char *)NULL);
		else
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	free(full);
	n = read_bounded(pfd[0], buf, GBA_MAX_OUTPUT, mono_ms() + GBA_CMD_TIMEOUT_MS);
	close(pfd[0]);
	if (n < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (n == -2)
		snprintf(err, errlen, "'%s' did not finish within %d ms", cmd,
			 GBA_CMD_TIMEOUT_MS);
	else if (n == -3)
		snprintf(err, errlen, "'%s' printed more than %d bytes", cmd,
			 GBA_MAX_OUTPUT);
	else if (n < 0)
		snprintf(err, errlen, "reading from '%s': %s", cmd,
			 strerror(errno));
	else if (!WIFEXITED(status) || WEXITSTATUS(status))
		snprintf(err, errlen, "'%s' failed (exit status %d)", cmd,
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	else
		ret = gba_parse(buf, (size_t)n, 3600, now_ms, k, err, errlen);
	secure_zero(buf, sizeof(buf));
	return ret;
}

void ue_registry_init(struct ue_registry *r)
{
	memset(r, 0, sizeof(*r));
}

void ue_registry_clear(struct ue_registry *r)
{
	secure_zero(r, sizeof(*r));
}

struct ue *ue_add(struct ue_registry *r, const char *addr, char *err,
		  size_t errlen)
{
	char host[INET_ADDRSTRLEN], e[96];
	const char *colon = strchr(addr, ':');
	uint64_t port = MIKEY_UDP_PORT;
	struct in_addr ip;
	struct ue *ue = NULL;
	size_t i, hl = colon ? (size_t)(colon - addr) : strlen(addr);

	if (hl >= sizeof(host)) {
		snprintf(err, errlen, "UE address '%s' is too long", addr);
		return NULL;
	}
	memcpy(host, addr, hl);
	host[hl] = '\0';
	if (inet_pton(AF_INET, host, &ip) != 1) {
		snprintf(err, errlen, "'%s' is not an IPv4 address", host);
		return NULL;
	}
	if (colon && (parse_u64(colon + 1, 65535, &port, e, sizeof(e)) || !port)) {
		snprintf(err, errlen, "UE port in '%s': %s", addr,
			 port ? e : "port 0");
		return NULL;
	}
	if (ue_find_addr(r, &ip)) {
		snprintf(err, errlen, "UE %s given twice", host);
		return NULL;
	}
	for (i = 0; i < UE_MAX && !ue; i++)
		if (!r->ue[i].used)
			ue = &r->ue[i];
	if (!ue) {
		snprintf(err, errlen, "more than %d UEs", UE_MAX);
		return NULL;
	}
	memset(ue, 0, sizeof(*ue));
	ue->used = true;
	ue->muk = -1;
	ue->addr.sin_family = AF_INET;
	ue->addr.sin_addr = ip;
	ue->addr.sin_port = htons((uint16_t)port);
	snprintf(ue->name, sizeof(ue->name), "%s:%u", host, (unsigned int)port);
	return ue;
}

struct ue *ue_find_addr(struct ue_registry *r, const struct in_addr *ip)
{
	size_t i;

	for (i = 0; i < UE_MAX; i++)
		if (r->ue[i].used && r->ue[i].addr.sin_addr.s_addr == ip->s_addr)
			return &r->ue[i];
	return NULL;
}

struct ue *ue_find_btid(struct ue_registry *r, const char *btid, int *slot)
{
	size_t i;
	int j;

	for (i = 0; i < UE_MAX; i++) {
		if (!r->ue[i].used)
			continue;
		for (j = 0; j < UE_MAX_KEYS; j++) {
			if (r->ue[i].keys[j].used &&
			    !strcmp(r->ue[i].keys[j].btid, btid)) {
				*slot = j;
				return &r->ue[i];
			}
		}
	}
	return NULL;
}

int ue_store_key(struct ue *ue, struct gba_key *k)
{
	int j, slot = -1;

	for (j = 0; j < UE_MAX_KEYS; j++)
		if (ue->keys[j].used && !strcmp(ue->keys[j].btid, k->btid))
			slot = j;
	for (j = 0; j < UE_MAX_KEYS && slot < 0; j++)
		if (!ue->keys[j].used)
			slot = j;
	if (slot < 0) {
		/* Full: evict the oldest key that is not the negotiated MUK. */
		for (j = 0; j < UE_MAX_KEYS; j++) {
			if (j == ue->muk)
				continue;
			if (slot < 0 ||
			    ue->keys[j].learnt_ms < ue->keys[slot].learnt_ms)
				slot = j;
		}
	}
	gba_key_clear(&ue->keys[slot]);
	ue->keys[slot] = *k;
	gba_key_clear(k);
	return slot;
}

const struct gba_key *ue_muk(const struct ue *ue)
{
	return ue->muk >= 0 ? &ue->keys[ue->muk] : NULL;
}
