// SPDX-License-Identifier: GPL-2.0
/*
 * mbmsd configuration file: libinih does the INI syntax; this file owns the
 * keys, their values and the checks that need the whole file.
 *
 * inih does not tell a handler the line number (Debian builds it without
 * INI_HANDLER_LINENO) and does not report empty sections, so the reader
 * callback counts lines and notices section headers itself: errors name
 * FILE:LINE, and a [session] without keys is still seen.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "linux/mbms_srtp.h"
#include "mbms/common.h"
#include "config.h"

enum sect { SECT_NONE, SECT_GLOBAL, SECT_SESSION, SECT_BAD };

struct parse_ctx {
	struct mbmsd_config *cfg;
	const char *file;
	FILE *errs;
	unsigned int line;
	int errors;
	enum sect sect;
	struct mbmsd_session *sess;
	uint64_t seen;		/* keys given in the current section */
	uint64_t global_seen;
	/* reader state: a file or a string */
	FILE *f;
	const char *str;
};

static void conf_err(struct parse_ctx *c, unsigned int line,
		     const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));	/* no __printf in userspace */

static void conf_err(struct parse_ctx *c, unsigned int line,
		     const char *key, const char *fmt, ...)
{
	va_list ap;

	c->errors++;
	if (!c->errs)
		return;
	if (line)
		fprintf(c->errs, "%s:%u: ", c->file, line);
	else
		fprintf(c->errs, "%s: ", c->file);
	if (key)
		fprintf(c->errs, "'%s': ", key);
	va_start(ap, fmt);
	vfprintf(c->errs, fmt, ap);
	va_end(ap);
	fputc('\n', c->errs);
}

void config_defaults(struct mbmsd_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->muk_mode = POL_MUK_RELAXED;
	snprintf(cfg->state_dir, sizeof(cfg->state_dir), "%s",
		 MBMSD_STATE_DEFAULT);
	snprintf(cfg->status_socket, sizeof(cfg->status_socket), "%s",
		 "/run/mbmsd/status.sock");
	cfg->request_jitter_s = 10;
	cfg->startup_grace_s = MBMSD_STARTUP_GRACE_DEFAULT;
	cfg->gba_timeout_s = MBMSD_GBA_TIMEOUT_DEFAULT;
	cfg->log_level = LOG_LVL_INFO;
	cfg->listen_port = MBMSD_MIKEY_PORT;
	cfg->rcc_modes = MBMSD_RCC_MODES_DEFAULT;
}

void config_to_policy(const struct mbmsd_config *cfg, struct pol_config *pc)
{
	pol_config_default(pc);
	pc->muk_mode = cfg->muk_mode;
	pc->jitter_ms = cfg->request_jitter_s * 1000u;
}

bool config_rcc_allowed(const struct mbmsd_config *cfg, unsigned int mode,
			bool tag32)
{
	if (!mode)
		return true;
	if (mode > 3 || !(cfg->rcc_modes & (1u << mode)))
		return false;
	return !tag32 || (cfg->rcc_modes & (1u << 3));
}

const char *config_rcc_modes_str(uint8_t modes, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int m;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (m = 1; m <= 3; m++)
		if (modes & (1u << m))
			n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
					      "%s%u", n ? "," : "", m);
	if (!n)
		snprintf(buf, len, "none");
	return buf;
}

const char *config_addr_str(const struct mbmsd_addr *a, char *buf,
			    size_t len)
{
	if (!inet_ntop(a->family, a->a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

static int parse_addr(const char *s, struct mbmsd_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->a) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->a) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	return -1;
}

static int parse_port(const char *s, uint16_t *port, char *err, size_t len)
{
	uint64_t v;

	if (parse_u64(s, 65535, &v, err, len))
		return -1;
	if (v == 0) {
		snprintf(err, len, "port 0 is not allowed");
		return -1;
	}
	*port = (uint16_t)v;
	return 0;
}

int config_parse_flow(const char *s, struct mbmsd_flow *f, char *err,
		      size_t errlen)
{
	char buf[128], *item, *save = NULL, *host, *port;

	memset(f, 0, sizeof(*f));
	if (strlen(s) >= sizeof(buf)) {
		snprintf(err, errlen, "flow '%.20s...' is too long", s);
		return -1;
	}
	strcpy(buf, s);
	item = strtok_r(buf, ",", &save);
	if (!item) {
		snprintf(err, errlen, "empty flow");
		return -1;
	}
	/* dst:port, or [v6]:port */
	if (item[0] == '[') {
		host = item + 1;
		port = strstr(host, "]:");
		if (!port) {
			snprintf(err, errlen, "flow '%s': expected [ADDR]:PORT",
				 s);
			return -1;
		}
		*port = '\0';
		port += 2;
	} else {
		host = item;
		port = strrchr(item, ':');
		if (!port || strchr(item, ':') != port) {
			snprintf(err, errlen,
				 "flow '%s': expected ADDR:PORT ([ADDR]:PORT for IPv6)",
				 s);
			return -1;
		}
		*port++ = '\0';
	}
	if (parse_addr(host, &f->dst)) {
		snprintf(err, errlen, "flow '%s': '%s' is not an IP address",
			 s, host);
		return -1;
	}
	if (parse_port(port, &f->dport, err, errlen))
		return -1;
	while ((item = strtok_r(NULL, ",", &save))) {
		if (!strcmp(item, "rtcp")) {
			f->rtcp = true;
			continue;
		}
		if (f->has_src || parse_addr(item, &f->src)) {
			snprintf(err, errlen,
				 "flow '%s': '%s' is neither 'rtcp' nor a (single) source address",
				 s, item);
			return -1;
		}
		if (f->src.family != f->dst.family) {
			snprintf(err, errlen,
				 "flow '%s': source and destination differ in address family",
				 s);
			return -1;
		}
		f->has_src = true;
	}
	return 0;
}

static bool flow_equal(const struct mbmsd_flow *a, const struct mbmsd_flow *b)
{
	return a->dst.family == b->dst.family && a->dport == b->dport &&
	       !memcmp(a->dst.a, b->dst.a, 16) && a->has_src == b->has_src &&
	       (!a->has_src || !memcmp(a->src.a, b->src.a, 16));
}

static int copy_str(char *dst, size_t len, const char *v, char *err,
		    size_t errlen)
{
	if (strlen(v) >= len) {
		snprintf(err, errlen, "value is too long (at most %zu bytes)",
			 len - 1);
		return -1;
	}
	snprintf(dst, len, "%s", v);
	return 0;
}

/* ---- [global] ---------------------------------------------------------- */

enum gkey { G_URI, G_FQDN, G_GBA, G_GBA_TIMEOUT, G_MUK, G_STATE, G_JITTER,
	    G_LOG, G_PORT, G_STATUS, G_GRACE, G_METRICS, G_METRICS_REMOTE,
	    G_RCC_MODES, G__N };

static const char *const gkeys[G__N] = {
	[G_URI] = "bmsc_uri", [G_FQDN] = "bmsc_fqdn",
	[G_GBA] = "gba_bootstrap_command", [G_GBA_TIMEOUT] = "gba_timeout",
	[G_MUK] = "muk_policy", [G_STATE] = "state_dir",
	[G_JITTER] = "request_jitter", [G_LOG] = "log_level",
	[G_PORT] = "listen_port", [G_STATUS] = "status_socket",
	[G_GRACE] = "startup_grace",
	[G_METRICS] = "metrics_listen",
	[G_METRICS_REMOTE] = "metrics_allow_remote",
	[G_RCC_MODES] = "rcc_modes",
};

/* metrics_listen: ADDR:PORT, or [ADDR]:PORT for IPv6. */
static int set_metrics(struct parse_ctx *c, const char *v, char *err,
		       size_t errlen)
{
	struct mbmsd_config *cfg = c->cfg;
	char buf[80], *port;

	if (strlen(v) >= sizeof(buf)) {
		snprintf(err, errlen, "value is too long");
		return -1;
	}
	strcpy(buf, v);
	if (buf[0] == '[') {
		port = strstr(buf, "]:");
		if (port) {
			*port = '\0';
			port += 2;
		}
	} else {
		port = strrchr(buf, ':');
		if (port && strchr(buf, ':') != port)
			port = NULL;
		if (port)
			*port++ = '\0';
	}
	if (!port || parse_addr(buf[0] == '[' ? buf + 1 : buf,
				&cfg->metrics_addr)) {
		snprintf(err, errlen,
			 "'%s': expected ADDR:PORT ([ADDR]:PORT for IPv6), e.g. 127.0.0.1:9468",
			 v);
		return -1;
	}
	if (parse_port(port, &cfg->metrics_port, err, errlen))
		return -1;
	cfg->metrics = true;
	cfg->metrics_line = c->line;
	return 0;
}

/*
 * rcc_modes: "none", or RFC 4771 modes 1..3 separated by commas (blanks
 * allowed), each at most once.
 */
static int set_rcc_modes(struct mbmsd_config *cfg, const char *v, char *err,
			 size_t errlen)
{
	const char *p = v;
	uint8_t modes = 0;
	unsigned int m;

	if (!strcmp(v, "none")) {
		cfg->rcc_modes = 0;
		return 0;
	}
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p < '1' || *p > '3' || (p[1] && p[1] != ',' &&
					     p[1] != ' ' && p[1] != '\t')) {
			snprintf(err, errlen,
				 "'%s': expected RFC 4771 modes from 1, 2, 3 separated by commas (e.g. '1,2,3' or '2'), or 'none'",
				 v);
			return -1;
		}
		m = (unsigned int)(*p++ - '0');
		if (modes & (1u << m)) {
			snprintf(err, errlen, "'%s': mode %u given twice", v, m);
			return -1;
		}
		modes |= (uint8_t)(1u << m);
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (*p++ != ',') {
			snprintf(err, errlen,
				 "'%s': expected a comma after mode %u", v, m);
			return -1;
		}
	}
	cfg->rcc_modes = modes;
	return 0;
}

static bool is_loopback(const struct mbmsd_addr *a)
{
	static const uint8_t v6_lo[16] = { [15] = 1 };

	if (a->family == AF_INET)
		return a->a[0] == 127;
	return !memcmp(a->a, v6_lo, 16);
}

static bool fqdn_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 253)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.')
			return false;
	return true;
}

static int set_global(struct parse_ctx *c, int k, const char *v, char *err,
		      size_t errlen)
{
	struct mbmsd_config *cfg = c->cfg;
	char *argv[MBMSD_MAX_ARGS];
	char words[MBMSD_CMD_MAX];
	uint64_t n;
	int lvl;

	switch (k) {
	case G_URI:
		if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8)) {
			snprintf(err, errlen,
				 "'%s' is not an http:// or https:// URI", v);
			return -1;
		}
		if (copy_str(cfg->bmsc_uri, sizeof(cfg->bmsc_uri), v, err,
			     errlen))
			return -1;
		/* No trailing slash: "/keymanagement" is appended. */
		n = strlen(cfg->bmsc_uri);
		while (n > 0 && cfg->bmsc_uri[n - 1] == '/')
			cfg->bmsc_uri[--n] = '\0';
		return 0;
	case G_FQDN:
		if (!fqdn_ok(v)) {
			snprintf(err, errlen, "'%s' is not a host name", v);
			return -1;
		}
		return copy_str(cfg->bmsc_fqdn, sizeof(cfg->bmsc_fqdn), v, err,
				errlen);
	case G_GBA:
		if (copy_str(cfg->gba_cmd, sizeof(cfg->gba_cmd), v, err,
			     errlen))
			return -1;
		if (config_split_command(v, words, sizeof(words), argv,
					 MBMSD_MAX_ARGS) <= 0) {
			snprintf(err, errlen,
				 "expected a program and at most %d arguments",
				 MBMSD_MAX_ARGS - 2);
			return -1;
		}
		if (argv[0][0] != '/') {
			snprintf(err, errlen,
				 "'%s' must be an absolute path (no PATH lookup)",
				 argv[0]);
			return -1;
		}
		return 0;
	case G_GBA_TIMEOUT:
		if (parse_u64(v, 600, &n, err, errlen))
			return -1;
		if (!n) {
			snprintf(err, errlen, "must be at least 1 second");
			return -1;
		}
		cfg->gba_timeout_s = (unsigned int)n;
		return 0;
	case G_MUK:
		if (!strcmp(v, "relaxed")) {
			cfg->muk_mode = POL_MUK_RELAXED;
		} else if (!strcmp(v, "strict")) {
			cfg->muk_mode = POL_MUK_STRICT;
		} else {
			snprintf(err, errlen,
				 "'%s': expected 'relaxed' or 'strict'", v);
			return -1;
		}
		return 0;
	case G_STATE:
	case G_STATUS:
		if (v[0] != '/') {
			snprintf(err, errlen, "'%s' is not an absolute path", v);
			return -1;
		}
		if (k == G_STATE)
			return copy_str(cfg->state_dir, sizeof(cfg->state_dir),
					v, err, errlen);
		/* sun_path is 108 bytes. */
		if (strlen(v) >= 108) {
			snprintf(err, errlen, "socket path is too long");
			return -1;
		}
		return copy_str(cfg->status_socket, sizeof(cfg->status_socket),
				v, err, errlen);
	case G_JITTER:
		if (parse_u64(v, 3600, &n, err, errlen))
			return -1;
		cfg->request_jitter_s = (unsigned int)n;
		return 0;
	case G_GRACE:
		if (parse_u64(v, 3600, &n, err, errlen))
			return -1;
		cfg->startup_grace_s = (unsigned int)n;
		return 0;
	case G_LOG:
		lvl = log_level_parse(v);
		if (lvl < 0) {
			snprintf(err, errlen,
				 "'%s': expected error, warning, info or debug",
				 v);
			return -1;
		}
		cfg->log_level = lvl;
		return 0;
	case G_PORT:
		return parse_port(v, &cfg->listen_port, err, errlen);
	case G_METRICS:
		return set_metrics(c, v, err, errlen);
	case G_METRICS_REMOTE:
		if (strcmp(v, "yes") && strcmp(v, "no")) {
			snprintf(err, errlen, "'%s': expected 'yes' or 'no'", v);
			return -1;
		}
		cfg->metrics_allow_remote = !strcmp(v, "yes");
		return 0;
	case G_RCC_MODES:
		return set_rcc_modes(cfg, v, err, errlen);
	}
	return -1;
}

/* ---- [session NAME] ---------------------------------------------------- */

enum skey { S_ID, S_KD, S_KG, S_FLOWS, S_MTK_GROUP, S_MTK_PORT, S_ON_FAIL,
	    S_SUITE, S__N };

static const char *const skeys[S__N] = {
	[S_ID] = "id", [S_KD] = "key_domain", [S_KG] = "key_group",
	[S_FLOWS] = "flows", [S_MTK_GROUP] = "mtk_group",
	[S_MTK_PORT] = "mtk_port", [S_ON_FAIL] = "on_fail",
	[S_SUITE] = "suite",
};

static int set_flows(struct mbmsd_session *s, const char *v, char *err,
		     size_t errlen)
{
	char buf[MBMSD_MAX_FLOWS * 80], *w, *save = NULL;
	unsigned int i;

	if (strlen(v) >= sizeof(buf)) {
		snprintf(err, errlen, "value is too long");
		return -1;
	}
	strcpy(buf, v);
	s->nflows = 0;
	for (w = strtok_r(buf, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save)) {
		if (s->nflows == MBMSD_MAX_FLOWS) {
			snprintf(err, errlen, "more than %d flows",
				 MBMSD_MAX_FLOWS);
			return -1;
		}
		if (config_parse_flow(w, &s->flows[s->nflows], err, errlen))
			return -1;
		for (i = 0; i < s->nflows; i++)
			if (flow_equal(&s->flows[i], &s->flows[s->nflows])) {
				snprintf(err, errlen, "flow '%s' given twice",
					 w);
				return -1;
			}
		s->nflows++;
	}
	if (!s->nflows) {
		snprintf(err, errlen, "no flow given");
		return -1;
	}
	s->has_flows = true;
	return 0;
}

static int set_session(struct mbmsd_session *s, int k, const char *v,
		       char *err, size_t errlen)
{
	uint64_t n;

	switch (k) {
	case S_ID:
		if (parse_u64(v, UINT32_MAX, &n, err, errlen))
			return -1;
		if (!n) {
			snprintf(err, errlen, "session id 0 is reserved");
			return -1;
		}
		s->id = (uint32_t)n;
		s->has_id = true;
		return 0;
	case S_KD:
		if (hex_decode_exact(v, s->key_domain, POL_KEY_DOMAIN_LEN, err,
				     errlen))
			return -1;
		s->has_key_domain = true;
		return 0;
	case S_KG:
		if (parse_u64(v, 0xffff, &n, err, errlen))
			return -1;
		if (!n) {
			snprintf(err, errlen, "key group 0 is reserved");
			return -1;
		}
		s->key_group = (uint16_t)n;
		s->has_key_group = true;
		return 0;
	case S_FLOWS:
		return set_flows(s, v, err, errlen);
	case S_MTK_GROUP:
		if (parse_addr(v, &s->mtk_group)) {
			snprintf(err, errlen, "'%s' is not an IP address", v);
			return -1;
		}
		s->has_mtk_group = true;
		return 0;
	case S_MTK_PORT:
		return parse_port(v, &s->mtk_port, err, errlen);
	case S_ON_FAIL:
		if (!strcmp(v, "drop")) {
			s->on_fail = MBMS_SRTP_ON_FAIL_DROP;
		} else if (!strcmp(v, "pass")) {
			s->on_fail = MBMS_SRTP_ON_FAIL_PASS;
		} else {
			snprintf(err, errlen, "'%s': expected 'drop' or 'pass'",
				 v);
			return -1;
		}
		return 0;
	case S_SUITE:
		if (!strcmp(v, "aes128-sha1-80")) {
			s->suite = MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80;
		} else if (!strcmp(v, "aes128-sha1-32")) {
			s->suite = MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32;
		} else {
			snprintf(err, errlen,
				 "'%s': expected 'aes128-sha1-80' or 'aes128-sha1-32'",
				 v);
			return -1;
		}
		return 0;
	}
	return -1;
}

/* ---- sections and the inih glue ---------------------------------------- */

static void open_section(struct parse_ctx *c, const char *name)
{
	const char *sname;
	unsigned int i;

	c->seen = 0;
	c->sess = NULL;
	if (!strcmp(name, "global")) {
		if (c->global_seen & (1ull << 63))
			conf_err(c, c->line, NULL, "[global] given twice");
		c->global_seen |= 1ull << 63;
		c->sect = SECT_GLOBAL;
		return;
	}
	if (strncmp(name, "session", 7) || !isspace((unsigned char)name[7])) {
		conf_err(c, c->line, NULL,
			 "unknown section [%s] (expected [global] or [session NAME])",
			 name);
		c->sect = SECT_BAD;
		return;
	}
	sname = name + 8;
	while (isspace((unsigned char)*sname))
		sname++;
	c->sect = SECT_BAD;
	if (!*sname || strlen(sname) >= MBMSD_NAME_MAX) {
		conf_err(c, c->line, NULL,
			 "session name must be 1 to %d characters",
			 MBMSD_NAME_MAX - 1);
		return;
	}
	for (i = 0; sname[i]; i++)
		if (!isalnum((unsigned char)sname[i]) && sname[i] != '-' &&
		    sname[i] != '_' && sname[i] != '.') {
			conf_err(c, c->line, NULL,
				 "session name '%s': only letters, digits, '-', '_' and '.'",
				 sname);
			return;
		}
	for (i = 0; i < c->cfg->nsessions; i++)
		if (!strcmp(c->cfg->sessions[i].name, sname)) {
			conf_err(c, c->line, NULL,
				 "[session %s] given twice (first at line %u)",
				 sname, c->cfg->sessions[i].line);
			return;
		}
	if (c->cfg->nsessions == MBMSD_MAX_SESSIONS) {
		conf_err(c, c->line, NULL, "more than %d sessions",
			 MBMSD_MAX_SESSIONS);
		return;
	}
	c->sess = &c->cfg->sessions[c->cfg->nsessions++];
	memset(c->sess, 0, sizeof(*c->sess));
	snprintf(c->sess->name, sizeof(c->sess->name), "%s", sname);
	c->sess->line = c->line;
	c->sess->mtk_port = MBMSD_MIKEY_PORT;
	c->sess->on_fail = MBMS_SRTP_ON_FAIL_DROP;
	c->sess->suite = MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80;
	c->sect = SECT_SESSION;
}

/* Notice "[name]" lines: inih calls the handler only for keys. */
static void scan_line(struct parse_ctx *c, const char *l)
{
	char name[160];
	const char *end;
	size_t n;

	while (isspace((unsigned char)*l))
		l++;
	if (*l != '[')
		return;
	end = strchr(l, ']');
	if (!end)
		return;	/* inih reports it as a syntax error */
	n = (size_t)(end - l - 1);
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, l + 1, n);
	name[n] = '\0';
	open_section(c, name);
}

static int find_key(const char *const *keys, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(keys[i], name))
			return i;
	return -1;
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct parse_ctx *c = user;
	char err[256] = "";
	int k;

	(void)section;	/* tracked by scan_line, with the line number */
	if (!name)
		return 1;
	switch (c->sect) {
	case SECT_NONE:
		conf_err(c, c->line, name, "key outside of any section");
		return 1;
	case SECT_BAD:
		return 1;	/* the section header was reported */
	case SECT_GLOBAL:
		k = find_key(gkeys, G__N, name);
		break;
	case SECT_SESSION:
		k = find_key(skeys, S__N, name);
		break;
	default:
		return 1;
	}
	if (k < 0) {
		conf_err(c, c->line, name, "unknown key in [%s]", section);
		return 1;
	}
	if (c->seen & (1ull << k)) {
		conf_err(c, c->line, name, "given twice in [%s]", section);
		return 1;
	}
	c->seen |= 1ull << k;
	if (c->sect == SECT_GLOBAL) {
		c->global_seen |= 1ull << k;
		if (set_global(c, k, value, err, sizeof(err)))
			conf_err(c, c->line, name, "%s", err);
	} else if (set_session(c->sess, k, value, err, sizeof(err))) {
		conf_err(c, c->line, name, "%s", err);
	}
	return 1;
}

static char *file_reader(char *str, int num, void *stream)
{
	struct parse_ctx *c = stream;

	if (!fgets(str, num, c->f))
		return NULL;
	c->line++;
	scan_line(c, str);
	return str;
}

static char *string_reader(char *str, int num, void *stream)
{
	struct parse_ctx *c = stream;
	const char *nl;
	size_t n;

	if (!c->str || !*c->str || num < 2)
		return NULL;
	nl = strchr(c->str, '\n');
	n = nl ? (size_t)(nl - c->str) + 1 : strlen(c->str);
	if (n > (size_t)num - 1)
		n = (size_t)num - 1;
	memcpy(str, c->str, n);
	str[n] = '\0';
	c->str += n;
	c->line++;
	scan_line(c, str);
	return str;
}

static void validate(struct parse_ctx *c)
{
	static const int required[] = { G_URI, G_FQDN, G_GBA };
	struct mbmsd_config *cfg = c->cfg;
	unsigned int i, j, fi, fj;

	for (i = 0; i < ARRAY_SIZE(required); i++)
		if (!(c->global_seen & (1ull << required[i])))
			conf_err(c, 0, gkeys[required[i]],
				 "required in [global] but missing");
	if (!cfg->nsessions)
		conf_err(c, 0, NULL, "no [session NAME] section");
	/* Counters tell an observer when keys arrive: local unless asked. */
	if (cfg->metrics && !cfg->metrics_allow_remote &&
	    !is_loopback(&cfg->metrics_addr))
		conf_err(c, cfg->metrics_line, gkeys[G_METRICS],
			 "not a loopback address; set metrics_allow_remote = yes to serve metrics beyond this host");
	for (i = 0; i < cfg->nsessions; i++) {
		struct mbmsd_session *s = &cfg->sessions[i];

		if (!s->has_id)
			conf_err(c, s->line, "id",
				 "required in [session %s] but missing",
				 s->name);
		if (!s->has_key_domain)
			conf_err(c, s->line, "key_domain",
				 "required in [session %s] but missing",
				 s->name);
		if (!s->has_key_group)
			conf_err(c, s->line, "key_group",
				 "required in [session %s] but missing",
				 s->name);
		if (!s->has_flows)
			conf_err(c, s->line, "flows",
				 "required in [session %s] but missing",
				 s->name);
		if (!s->has_mtk_group)
			conf_err(c, s->line, "mtk_group",
				 "required in [session %s] but missing",
				 s->name);
		for (j = 0; j < i; j++) {
			struct mbmsd_session *t = &cfg->sessions[j];

			if (s->has_id && t->has_id && s->id == t->id)
				conf_err(c, s->line, "id",
					 "session id %u is also used by [session %s]",
					 s->id, t->name);
			for (fi = 0; fi < s->nflows; fi++)
				for (fj = 0; fj < t->nflows; fj++)
					if (flow_equal(&s->flows[fi],
						       &t->flows[fj]))
						conf_err(c, s->line, "flows",
							 "flow %u of [session %s] is also in [session %s]",
							 fi + 1, s->name,
							 t->name);
		}
	}
}

static int finish(struct parse_ctx *c, int ret)
{
	if (ret == -2)
		conf_err(c, 0, NULL, "out of memory");
	else if (ret > 0)
		conf_err(c, (unsigned int)ret, NULL,
			 "syntax error (expected [section], key = value or a comment)");
	validate(c);
	return c->errors ? -1 : 0;
}

int config_load(const char *path, struct mbmsd_config *cfg, FILE *errs)
{
	struct parse_ctx c = { .cfg = cfg, .file = path, .errs = errs };
	int ret;

	config_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	c.f = fopen(path, "re");
	if (!c.f) {
		conf_err(&c, 0, NULL, "cannot open: %s", strerror(errno));
		return -1;
	}
	ret = ini_parse_stream(file_reader, &c, handler, &c);
	fclose(c.f);
	return finish(&c, ret);
}

int config_load_string(const char *text, const char *name,
		       struct mbmsd_config *cfg, FILE *errs)
{
	struct parse_ctx c = { .cfg = cfg, .file = name, .errs = errs,
			       .str = text };

	config_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s", name);
	return finish(&c, ini_parse_stream(string_reader, &c, handler, &c));
}

int config_split_command(const char *cmd, char *buf, size_t buflen,
			 char *argv[], int max)
{
	char *w, *save = NULL;
	int argc = 0;

	if (strlen(cmd) >= buflen)
		return -1;
	strcpy(buf, cmd);
	for (w = strtok_r(buf, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save)) {
		if (argc >= max - 1)
			return -1;
		argv[argc++] = w;
	}
	argv[argc] = NULL;
	return argc;
}
