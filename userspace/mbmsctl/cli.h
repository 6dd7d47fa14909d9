/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbmsctl internals.  A command line is parsed into a struct mbmsctl_cmd
 * (no kernel involved, so tests/unit/mbmsctl_parse_test.c can check every
 * grammar line and error message), then executed through libmbmsnl.
 */
#ifndef MBMSCTL_CLI_H
#define MBMSCTL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mbms/common.h"
#include "mbms/nl.h"

/* Exit statuses (documented in mbmsctl(8)). */
enum {
	MBMSCTL_EXIT_OK = 0,
	MBMSCTL_EXIT_USAGE = 1,		/* bad command line or input file */
	MBMSCTL_EXIT_KERNEL = 2,	/* refused by or cannot reach the kernel */
};

#define MBMSCTL_ERR_MAX 256

enum mbmsctl_verb {
	VERB_NONE,
	VERB_ADD,
	VERB_DEL,
	VERB_SHOW,
	VERB_HELP,
};

struct mbmsctl_object;

/* One parsed command line: the model that execution works from. */
struct mbmsctl_cmd {
	bool json;			/* -j, -o json */
	bool prometheus;		/* -o prometheus (stats only) */
	bool help;			/* print usage of obj (NULL: all) */
	bool version;			/* --version */
	const struct mbmsctl_object *obj;
	enum mbmsctl_verb verb;
	bool has_session_id;		/* "show ID", "session ID" filters */
	uint32_t session_id;
	struct mbms_session session;	/* session add */
	struct mbms_flow flow;		/* flow add/del */
	struct mbms_key key;		/* key add/del; wiped by cmd_free */
	char err[MBMSCTL_ERR_MAX];	/* parse error, without "mbmsctl: " */
};

struct mbmsctl_object {
	const char *name;
	/* Parse argv after the object name; 0, or -1 with cmd->err set. */
	int (*parse)(struct mbmsctl_cmd *cmd, int argc, char **argv);
	/* Execute and print; returns an exit status. */
	int (*exec)(const struct mbmsctl_cmd *cmd, struct mbms_nl *nl);
	const char *help;		/* one line */
	const char *usage;		/* the full grammar of the object */
};

extern const struct mbmsctl_object mbmsctl_session, mbmsctl_flow,
	mbmsctl_key, mbmsctl_stats, mbmsctl_monitor;

/*
 * Parse a whole command line (argv[0] is the program name).  Returns 0, or
 * -1 with cmd->err naming the problem.  cmd->help set: print usage for
 * cmd->obj (or every object when NULL) instead of executing.
 */
int mbmsctl_parse(struct mbmsctl_cmd *cmd, int argc, char **argv);
/* Wipe the command (keys included). */
void mbmsctl_cmd_free(struct mbmsctl_cmd *cmd);
/* The whole program: parse, execute, print; returns the exit status. */
int mbmsctl_main(int argc, char **argv);

/* ---- argv helpers (parse.c) --------------------------------------------- */

/* Set cmd->err (printf style) and return -1. */
int cli_fail(struct mbmsctl_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A cursor over the words of one command, with the "object verb" context
 * used in messages ("session add").
 */
struct cli_args {
	struct mbmsctl_cmd *cmd;
	const char *ctx;
	int argc;
	char **argv;
	int i;
};

/* "add", "del" or "show" into cmd->verb; @verb may be NULL (missing). */
int cli_verb(struct mbmsctl_cmd *cmd, const char *obj, const char *verb);

void cli_args_init(struct cli_args *a, struct mbmsctl_cmd *cmd,
		   const char *ctx, int argc, char **argv);
bool cli_more(const struct cli_args *a);
const char *cli_next(struct cli_args *a);
/* The value after option @opt, or NULL with "CTX: missing value for 'opt'". */
const char *cli_value(struct cli_args *a, const char *opt);
/* Error for an option given twice, for a word that fits no grammar. */
int cli_twice(struct cli_args *a, const char *opt);
int cli_unknown(struct cli_args *a, const char *word);
int cli_extra(struct cli_args *a);	/* words left over */
int cli_missing(struct cli_args *a, const char *what);

/*
 * A number in decimal or 0x hex, @min..@max; the message names @what:
 * "window: 32 is out of range (64..4096)", "msk-id: 'x' is not a number".
 */
int cli_number(struct cli_args *a, const char *what, const char *s,
	       uint64_t min, uint64_t max, uint64_t *out);
/* An IPv4 or IPv6 literal: "dst: '1.2.3' is not an IPv4 or IPv6 address". */
int cli_addr(struct cli_args *a, const char *what, const char *s,
	     struct mbms_addr *out);

/* ---- execution helpers (output.c) --------------------------------------- */

/*
 * Report a failed facade call on stderr and return the exit status:
 * "mbmsctl: kernel refused: EXTACK (strerror)" for the kernel's refusals.
 */
int cli_report(struct mbms_nl *nl, int ret);
/* The same for an error record, written to @out. */
int cli_report_err(FILE *out, const struct mbms_nl_err *e, int ret);

/*
 * Printers, apart from execution so tests can check the output.  Human
 * output never shows key material (the kernel never returns it anyway).
 */
void cli_print_sessions(FILE *out, bool json, const struct mbms_session *s,
			size_t n);
void cli_print_flows(FILE *out, bool json, const struct mbms_flow *f,
		     size_t n);
void cli_print_keys(FILE *out, bool json, const struct mbms_key *k,
		    size_t n);
void cli_print_stats(FILE *out, bool json, const struct mbms_session *s,
		     size_t n);

/*
 * `stats -o prometheus`: the sessions' counters and gauges and the keys'
 * use and age in the Prometheus text exposition format.
 */
void cli_print_prometheus(FILE *out, const struct mbms_session *s, size_t n,
			  const struct mbms_key *k, size_t nk);

/*
 * What `session add` warns about on stderr once the kernel accepted @s, or
 * NULL: RFC 4771 mode 1 with the 32-bit tag has no integrity at all.
 */
const char *cli_session_add_warning(const struct mbms_session *s);

/* Fetch the one session named (cmd->has_session_id) or all, sorted. */
int cli_fetch_sessions(const struct mbmsctl_cmd *cmd, struct mbms_nl *nl,
		       struct mbms_session **s, size_t *n);
/* Fetch the keys of the session named, or of all, sorted. */
int cli_fetch_keys(const struct mbmsctl_cmd *cmd, struct mbms_nl *nl,
		   struct mbms_key **k, size_t *n);

/*
 * `session show [ID]` and `stats [session ID]`: fetch the one session
 * named, or all of them sorted by ID, and hand them to @print.  Returns
 * the exit status.
 */
typedef void (*cli_session_printer)(FILE *out, bool json,
				    const struct mbms_session *s, size_t n);
int cli_show_sessions(const struct mbmsctl_cmd *cmd, struct mbms_nl *nl,
		      cli_session_printer print);
/* One event: a line of text, or one JSON object on one line; flushed. */
void cli_print_event(FILE *out, bool json, const struct mbms_event *ev);

#endif /* MBMSCTL_CLI_H */
