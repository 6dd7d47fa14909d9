// SPDX-License-Identifier: GPL-2.0
/*
 * mbms-sim: command line.  Runs the scenario for each combination of MUK
 * policy (strict, relaxed) and request jitter (off, on), prints the
 * markdown table, and with --out writes the CSV and the series that
 * the gnuplot scripts in sim/ plot.  See mbms-sim(1).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mbms/common.h"
#include "report.h"
#include "sim.h"

enum {
	O_LIFETIME = 256, O_EXPIRED, O_PULL_LOSS, O_PUSH_LOSS, O_OFFLINE,
	O_OFFLINE_MAX, O_CHANGE, O_LEAD, O_MTK_PERIOD, O_MTK_DELTA,
	O_MTK_REPEAT, O_CAPACITY, O_QUEUE_MAX, O_RETRY_AFTER, O_PULL_RATE,
	O_PULL_RETRIES, O_PULL_TIMEOUT, O_PUSH_RETRIES, O_PUSH_TIMEOUT, O_RTT,
	O_GBA, O_PUSH_DELAY, O_HORIZON, O_MKI_INTERVAL, O_MTK_TRIGGER,
	O_FORGED, O_REPLAYS, O_JITTER_MODE, O_LIST_PRESETS,
};

static const struct option opts[] = {
	{ "preset", required_argument, NULL, 'P' },
	{ "ues", required_argument, NULL, 'n' },
	{ "seed", required_argument, NULL, 's' },
	{ "policy", required_argument, NULL, 'p' },
	{ "jitter", required_argument, NULL, 'j' },
	{ "jitter-mode", required_argument, NULL, O_JITTER_MODE },
	{ "out", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "list-presets", no_argument, NULL, O_LIST_PRESETS },
	{ "lifetime", required_argument, NULL, O_LIFETIME },
	{ "expired", required_argument, NULL, O_EXPIRED },
	{ "pull-loss", required_argument, NULL, O_PULL_LOSS },
	{ "push-loss", required_argument, NULL, O_PUSH_LOSS },
	{ "offline", required_argument, NULL, O_OFFLINE },
	{ "offline-max", required_argument, NULL, O_OFFLINE_MAX },
	{ "change", required_argument, NULL, O_CHANGE },
	{ "lead", required_argument, NULL, O_LEAD },
	{ "mtk-period", required_argument, NULL, O_MTK_PERIOD },
	{ "mtk-delta", required_argument, NULL, O_MTK_DELTA },
	{ "mtk-repeat", required_argument, NULL, O_MTK_REPEAT },
	{ "capacity", required_argument, NULL, O_CAPACITY },
	{ "queue-max", required_argument, NULL, O_QUEUE_MAX },
	{ "retry-after", required_argument, NULL, O_RETRY_AFTER },
	{ "pull-rate", required_argument, NULL, O_PULL_RATE },
	{ "pull-retries", required_argument, NULL, O_PULL_RETRIES },
	{ "pull-timeout", required_argument, NULL, O_PULL_TIMEOUT },
	{ "push-retries", required_argument, NULL, O_PUSH_RETRIES },
	{ "push-timeout", required_argument, NULL, O_PUSH_TIMEOUT },
	{ "rtt", required_argument, NULL, O_RTT },
	{ "gba", required_argument, NULL, O_GBA },
	{ "push-delay", required_argument, NULL, O_PUSH_DELAY },
	{ "horizon", required_argument, NULL, O_HORIZON },
	{ "mki-interval", required_argument, NULL, O_MKI_INTERVAL },
	{ "mtk-trigger", no_argument, NULL, O_MTK_TRIGGER },
	{ "forged", required_argument, NULL, O_FORGED },
	{ "replays", required_argument, NULL, O_REPLAYS },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: mbms-sim [--preset NAME] [OPTIONS]\n"
"Simulate N MBMS receivers running mbmsd's policy and one BM-SC around an\n"
"MSK change; print a markdown table per policy x jitter combination.\n"
"  --preset NAME        default, large, small (first; options override)\n"
"  --ues N  --seed S    receivers, PRNG seed\n"
"  --policy P           strict, relaxed or both (default both)\n"
"  --jitter S           request jitter window when on (s)\n"
"  --jitter-mode M      off, on or both (default both)\n"
"  --out DIR            write summary.csv, results.md, rate.csv, cdf-*.csv\n"
"  --quiet              no table on stdout\n"
"  --lifetime DIST      GBA key lifetime: fixed:S, uniform:A:B, exp:MEAN\n"
"  --expired F          fraction of MUKs expired at the MSK change\n"
"  --pull-loss F  --push-loss F  --offline F  --offline-max S\n"
"  --change S  --lead S  --mtk-period S  --mtk-delta S  --mtk-repeat S\n"
"  --capacity R  --queue-max S  --retry-after S  --pull-rate R\n"
"  --pull-retries N  --pull-timeout S  --push-retries N  --push-timeout S\n"
"  --rtt S  --gba S  --push-delay S  --horizon S  --mki-interval MS\n"
"  --mtk-trigger        what-if: an unknown MSK in an MTK message triggers\n"
"  --forged N  --replays N  hostile solicited pulls per UE\n"
"See mbms-sim(1).\n");
}

static int num(const char *name, const char *s, double lo, double hi,
	       double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v) || v < lo || v > hi) {
		fprintf(stderr, "mbms-sim: --%s '%s': want a number in [%g, %g]\n",
			name, s, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int u32(const char *name, const char *s, uint64_t max, uint32_t *out)
{
	char err[128];
	uint64_t v;

	if (parse_u64(s, max, &v, err, sizeof(err))) {
		fprintf(stderr, "mbms-sim: --%s: %s\n", name, err);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* Options that set a double field of struct sim_params. */
struct num_opt {
	int opt;
	const char *name;
	double lo, hi;
	size_t off;
};

#define NUM_OPT(o, n, l, h, f) { o, n, l, h, offsetof(struct sim_params, f) }
static const struct num_opt num_opts[] = {
	NUM_OPT(O_EXPIRED, "expired", 0, 1, expired),
	NUM_OPT(O_PULL_LOSS, "pull-loss", 0, 1, pull_loss),
	NUM_OPT(O_PUSH_LOSS, "push-loss", 0, 1, push_loss),
	NUM_OPT(O_OFFLINE, "offline", 0, 1, offline),
	NUM_OPT(O_OFFLINE_MAX, "offline-max", 0, 86400, offline_max_s),
	NUM_OPT(O_CHANGE, "change", 0, 86400, change_s),
	NUM_OPT(O_LEAD, "lead", 0, 86400, lead_s),
	NUM_OPT(O_MTK_PERIOD, "mtk-period", 0.01, 86400, mtk_period_s),
	NUM_OPT(O_MTK_DELTA, "mtk-delta", 0, 86400, mtk_delta_s),
	NUM_OPT(O_MTK_REPEAT, "mtk-repeat", 0.001, 86400, mtk_repeat_s),
	NUM_OPT(O_CAPACITY, "capacity", 0.001, 1e7, capacity),
	NUM_OPT(O_QUEUE_MAX, "queue-max", 0, 3600, queue_max_s),
	NUM_OPT(O_PULL_RATE, "pull-rate", 0, 1e7, pull_rate),
	NUM_OPT(O_PULL_TIMEOUT, "pull-timeout", 0.001, 86400, pull_timeout_s),
	NUM_OPT(O_PUSH_TIMEOUT, "push-timeout", 0.001, 86400, push_timeout_s),
	NUM_OPT(O_RTT, "rtt", 0, 60, rtt_s),
	NUM_OPT(O_GBA, "gba", 0, 600, gba_s),
	NUM_OPT(O_PUSH_DELAY, "push-delay", 0, 600, push_delay_s),
	NUM_OPT(O_HORIZON, "horizon", 1, 7 * 86400, horizon_s),
};

struct cli {
	struct sim_params p;
	double jitter_on_s;
	bool pol[2];		/* relaxed, strict */
	bool jit[2];		/* off, on */
	const char *out;
	bool quiet;
};

static int parse_opt(struct cli *c, int o, const char *arg)
{
	struct sim_params *p = &c->p;
	char err[200];
	size_t i;
	double d;
	uint32_t v;

	switch (o) {
	case 'n':
		return u32("ues", arg, 1000000, &p->n_ue);
	case 's':
		if (parse_u64(arg, UINT64_MAX, &p->seed, err, sizeof(err))) {
			fprintf(stderr, "mbms-sim: --seed: %s\n", err);
			return -1;
		}
		return 0;
	case 'p':
		c->pol[0] = !strcmp(arg, "relaxed") || !strcmp(arg, "both");
		c->pol[1] = !strcmp(arg, "strict") || !strcmp(arg, "both");
		if (!c->pol[0] && !c->pol[1]) {
			fprintf(stderr, "mbms-sim: --policy '%s': want strict, relaxed or both\n",
				arg);
			return -1;
		}
		return 0;
	case O_JITTER_MODE:
		c->jit[0] = !strcmp(arg, "off") || !strcmp(arg, "both");
		c->jit[1] = !strcmp(arg, "on") || !strcmp(arg, "both");
		if (!c->jit[0] && !c->jit[1]) {
			fprintf(stderr, "mbms-sim: --jitter-mode '%s': want off, on or both\n",
				arg);
			return -1;
		}
		return 0;
	case 'j':
		return num("jitter", arg, 0.001, 3600, &c->jitter_on_s);
	case 'o':
		c->out = arg;
		return 0;
	case 'q':
		c->quiet = true;
		return 0;
	case O_LIFETIME:
		if (sim_dist_parse(arg, &p->lifetime, err, sizeof(err))) {
			fprintf(stderr, "mbms-sim: --lifetime: %s\n", err);
			return -1;
		}
		return 0;
	case O_MTK_TRIGGER:
		p->mtk_trigger = true;
		return 0;
	case O_PULL_RETRIES:
		return u32("pull-retries", arg, 100, &p->pull_retries);
	case O_PUSH_RETRIES:
		return u32("push-retries", arg, 100, &p->push_retries);
	case O_MKI_INTERVAL:
		return u32("mki-interval", arg, 3600000, &p->mki_interval_ms);
	case O_FORGED:
		return u32("forged", arg, 1000, &p->forged_per_ue);
	case O_REPLAYS:
		return u32("replays", arg, 1000, &p->replays_per_ue);
	case O_RETRY_AFTER:
		if (u32("retry-after", arg, 86400, &v))
			return -1;
		p->retry_after_s = v;
		return 0;
	default:
		break;
	}
	/* The rest are numbers in seconds, fractions or rates. */
	for (i = 0; i < ARRAY_SIZE(num_opts); i++) {
		const struct num_opt *n = &num_opts[i];

		if (n->opt != o)
			continue;
		if (num(n->name, arg, n->lo, n->hi, &d))
			return -1;
		*(double *)((char *)p + n->off) = d;
		return 0;
	}
	usage(stderr);
	return -1;
}

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "mbms-sim: cannot write %s: %s\n", path,
			strerror(errno));
	return f;
}

static int write_outputs(const struct cli *c, struct sim_result *const *r,
			 size_t n)
{
	char name[64];
	FILE *f;
	size_t i;

	if (mkdir(c->out, 0755) && errno != EEXIST) {
		fprintf(stderr, "mbms-sim: cannot create %s: %s\n", c->out,
			strerror(errno));
		return -1;
	}
	f = open_out(c->out, "summary.csv");
	if (!f)
		return -1;
	report_csv_header(f);
	for (i = 0; i < n; i++)
		report_csv_row(f, r[i]);
	if (fclose(f))
		return -1;
	f = open_out(c->out, "results.md");
	if (!f)
		return -1;
	fprintf(f, "# mbms-sim results\n\n## Parameters\n\n");
	report_params(f, &r[0]->p);
	fprintf(f, "\n## Results\n\n");
	report_md_header(f);
	for (i = 0; i < n; i++)
		report_md_row(f, r[i]);
	if (fclose(f))
		return -1;
	/* Constants the gnuplot scripts draw as reference lines. */
	f = open_out(c->out, "params.gp");
	if (!f)
		return -1;
	fprintf(f, "capacity = %g\nlead = %g\njitter = %g\nues = %u\nseed = %llu\n",
		c->p.capacity, c->p.lead_s, c->p.jitter_ms / 1000.0, c->p.n_ue,
		(unsigned long long)c->p.seed);
	if (fclose(f))
		return -1;
	f = open_out(c->out, "rate.csv");
	if (!f)
		return -1;
	report_rate(f, r, n);
	if (fclose(f))
		return -1;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "cdf-%s-%s.csv",
			 report_policy_name(r[i]->p.mode),
			 r[i]->p.jitter_ms ? "jitter" : "nojitter");
		f = open_out(c->out, name);
		if (!f)
			return -1;
		report_cdf(f, r[i]);
		if (fclose(f))
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sim_result res[4], *r[4];
	struct cli c;
	char err[256];
	size_t n = 0, i;
	int o, pi, ji, rc = 0;

	memset(&c, 0, sizeof(c));
	sim_params_default(&c.p);
	/* A preset first, so that the other options override it. */
	for (i = 1; i + 1 < (size_t)argc; i++)
		if (!strcmp(argv[i], "--preset") &&
		    sim_preset(&c.p, argv[i + 1])) {
			fprintf(stderr, "mbms-sim: unknown preset '%s'\n",
				argv[i + 1]);
			return 2;
		}
	c.jitter_on_s = c.p.jitter_ms / 1000.0;
	c.pol[0] = true;
	c.pol[1] = true;
	c.jit[0] = true;
	c.jit[1] = true;
	while ((o = getopt_long(argc, argv, "P:n:s:p:j:o:qh", opts, NULL)) != -1) {
		if (o == 'h') {
			usage(stdout);
			return 0;
		}
		if (o == O_LIST_PRESETS) {
			for (i = 0; sim_preset_names[i]; i++)
				puts(sim_preset_names[i]);
			return 0;
		}
		if (o == 'P')
			continue;
		if (o == '?' || parse_opt(&c, o, optarg))
			return 2;
	}
	if (optind < argc) {
		fprintf(stderr, "mbms-sim: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	c.p.jitter_ms = (uint32_t)llround(c.jitter_on_s * 1000);
	if (sim_params_check(&c.p, err, sizeof(err))) {
		fprintf(stderr, "mbms-sim: %s\n", err);
		return 2;
	}
	for (pi = 0; pi < 2; pi++) {
		for (ji = 0; ji < 2; ji++) {
			struct sim_params p = c.p;

			if (!c.pol[pi] || !c.jit[ji])
				continue;
			p.mode = pi ? POL_MUK_STRICT : POL_MUK_RELAXED;
			p.jitter_ms = ji ? c.p.jitter_ms : 0;
			if (sim_run(&p, &res[n])) {
				fprintf(stderr, "mbms-sim: out of memory for %u UEs\n",
					p.n_ue);
				rc = 1;
				goto out;
			}
			r[n] = &res[n];
			fprintf(stderr, "mbms-sim: %s, jitter %g s: %u UEs, %llu events, %.2f s\n",
				report_policy_name(p.mode), p.jitter_ms / 1000.0,
				p.n_ue, (unsigned long long)res[n].events,
				res[n].wall_s);
			n++;
		}
	}
	if (!c.quiet) {
		report_md_header(stdout);
		for (i = 0; i < n; i++)
			report_md_row(stdout, r[i]);
	}
	if (c.out && write_outputs(&c, r, n))
		rc = 1;
out:
	for (i = 0; i < n; i++)
		sim_result_free(&res[i]);
	return rc;
}
