/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbmsd configuration: one INI file (libinih) parsed into a plain data
 * model, validated as a whole; every problem is reported as
 * "FILE:LINE: [section] key: what is wrong", all of them, not just the
 * first.  See Documentation/man/mbmsd.conf.5.
 */
#ifndef MBMSD_CONFIG_H
#define MBMSD_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "policy.h"

#define MBMSD_CONF_DEFAULT	"/etc/mbmsd.conf"
#define MBMSD_STATE_DEFAULT	"/var/lib/mbmsd"
#define MBMSD_MIKEY_PORT	2269	/* TS 33.246 §6.3.2.2.1, §6.3.3.2.2 */
#define MBMSD_MAX_SESSIONS	64
#define MBMSD_MAX_FLOWS		16
#define MBMSD_MAX_ARGS		16	/* gba_bootstrap_command words */
#define MBMSD_NAME_MAX		64
#define MBMSD_URI_MAX		512
#define MBMSD_FQDN_MAX		256
#define MBMSD_PATH_MAX		256
#define MBMSD_CMD_MAX		1024
#define MBMSD_GBA_TIMEOUT_DEFAULT 30	/* seconds */
#define MBMSD_STARTUP_GRACE_DEFAULT 60	/* seconds */
/* rcc_modes: bit M set = RFC 4771 mode M (1..3) accepted; default all. */
#define MBMSD_RCC_MODES_DEFAULT	(1u << 1 | 1u << 2 | 1u << 3)

struct mbmsd_addr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t a[16];		/* network order; 4 bytes used for IPv4 */
};

struct mbmsd_flow {
	struct mbmsd_addr dst;
	uint16_t dport;
	bool has_src;
	struct mbmsd_addr src;
	bool rtcp;
};

struct mbmsd_session {
	char name[MBMSD_NAME_MAX];
	unsigned int line;	/* of the [session NAME] header */
	uint32_t id;
	uint8_t key_domain[POL_KEY_DOMAIN_LEN];
	uint16_t key_group;
	struct mbmsd_flow flows[MBMSD_MAX_FLOWS];
	unsigned int nflows;
	struct mbmsd_addr mtk_group;
	uint16_t mtk_port;
	uint8_t on_fail;	/* enum mbms_srtp_on_fail */
	uint8_t suite;		/* enum mbms_srtp_suite */
	/* Which keys were given (not given differs from zero). */
	bool has_id, has_key_domain, has_key_group, has_flows, has_mtk_group;
};

struct mbmsd_config {
	char path[MBMSD_PATH_MAX];
	char bmsc_uri[MBMSD_URI_MAX];
	char bmsc_fqdn[MBMSD_FQDN_MAX];
	char gba_cmd[MBMSD_CMD_MAX];
	unsigned int gba_timeout_s;
	enum pol_muk_mode muk_mode;
	char state_dir[MBMSD_PATH_MAX];
	unsigned int request_jitter_s;
	/* Until the BM-SC first answers: a refused connect is retried. */
	unsigned int startup_grace_s;
	int log_level;		/* enum log_level */
	uint16_t listen_port;
	char status_socket[MBMSD_PATH_MAX];
	/*
	 * metrics_listen: HTTP /metrics on this address and port (metrics.c),
	 * off unless set; a non-loopback address only with
	 * metrics_allow_remote = yes.
	 */
	bool metrics;
	struct mbmsd_addr metrics_addr;
	uint16_t metrics_port;
	bool metrics_allow_remote;
	unsigned int metrics_line;
	/*
	 * rcc_modes: the RFC 4771 modes a BM-SC's SP may choose (bit M =
	 * RCCmM); see config_rcc_allowed().
	 */
	uint8_t rcc_modes;
	struct mbmsd_session sessions[MBMSD_MAX_SESSIONS];
	unsigned int nsessions;
};

/* Defaults for everything that has one. */
void config_defaults(struct mbmsd_config *cfg);

/*
 * Parse and validate @path into @cfg (defaults first).  Every problem is
 * written to @errs (one line each, naming file, line and key).  Returns
 * 0, or -1 if there was any problem.
 */
int config_load(const char *path, struct mbmsd_config *cfg, FILE *errs);

/* Same, from a string (tests); @name stands for the file name. */
int config_load_string(const char *text, const char *name,
		       struct mbmsd_config *cfg, FILE *errs);

/*
 * Split the bootstrap command into argv (whitespace separated, no shell,
 * no quoting).  @buf receives a copy of the words.  Returns argc or -1.
 */
int config_split_command(const char *cmd, char *buf, size_t buflen,
			 char *argv[], int max);

/* Fill a policy configuration from the daemon's. */
void config_to_policy(const struct mbmsd_config *cfg, struct pol_config *pc);

/* Parse "dst:port[,src][,rtcp]" ("[v6]:port" for IPv6); 0 or -1 + @err. */
int config_parse_flow(const char *s, struct mbmsd_flow *f, char *err,
		      size_t errlen);

/*
 * May a key group's kernel sessions run RFC 4771 mode @mode (0 = none,
 * always allowed) with a @tag32 (4-byte) tag under the rcc_modes setting?
 * Mode 1 or 2 with the 4-byte tag puts the ROC in RCC packets with no MAC
 * at all, as mode 3 does: allowed only when mode 3 is.
 */
bool config_rcc_allowed(const struct mbmsd_config *cfg, unsigned int mode,
			bool tag32);

/* The rcc_modes setting as written in the file: "1,2,3", "2", "none". */
const char *config_rcc_modes_str(uint8_t modes, char *buf, size_t len);

/* Format an address for messages and status output. */
const char *config_addr_str(const struct mbmsd_addr *a, char *buf,
			    size_t len);

#endif /* MBMSD_CONFIG_H */
