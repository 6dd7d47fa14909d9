// SPDX-License-Identifier: GPL-2.0
/*
 * mbms-sim reports: the summary as CSV and as a markdown table, the BM-SC
 * request rate per second and the MSK-update delay CDF as CSV for gnuplot.
 * Nothing here depends on wall-clock time, so the same seed gives the same
 * files byte for byte.
 */
#include <math.h>
#include <stdio.h>

#include "mbms/common.h"
#include "report.h"

const char *report_policy_name(enum pol_muk_mode m)
{
	return m == POL_MUK_STRICT ? "strict" : "relaxed";
}

static void fmt_s(char *buf, size_t len, double v)
{
	if (isinf(v))
		snprintf(buf, len, "never");
	else
		snprintf(buf, len, "%.1f", v);
}

static double per_ue(const struct sim_result *r, uint64_t v)
{
	return (double)v / (double)r->p.n_ue;
}

static double frac(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0.0;
}

void report_csv_header(FILE *f)
{
	static const char *const cols[] = {
		"policy", "jitter_s", "ues", "seed", "mikey_per_ue",
		"http_per_ue", "gba_per_ue", "msgs_per_ue", "delay_p50_s",
		"delay_p95_s", "delay_p99_s", "delay_max_s", "updated_frac",
		"missed_start_frac", "peak_req_per_s", "peak_at_s", "http_200",
		"http_401", "http_503", "pull_accepted",
		"pull_accepted_expired", "pull_rejected", "mki_triggers",
		"mtk_triggers", "push_rejected", "hostile_delivered",
		"hostile_accepted", "events", "verif_withheld",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cols); i++)
		fprintf(f, "%s%s", i ? "," : "", cols[i]);
	fputc('\n', f);
}

static void csv_num(FILE *f, double v)
{
	if (isinf(v))
		fprintf(f, ",inf");
	else
		fprintf(f, ",%.3f", v);
}

void report_csv_row(FILE *f, const struct sim_result *r)
{
	const struct sim_params *p = &r->p;

	fprintf(f, "%s,%g,%u,%llu", report_policy_name(p->mode),
		p->jitter_ms / 1000.0, p->n_ue, (unsigned long long)p->seed);
	fprintf(f, ",%.4f,%.4f,%.4f,%.4f",
		per_ue(r, r->mikey_pull + r->mikey_push + r->mikey_verif),
		per_ue(r, r->http_req), per_ue(r, r->bootstraps),
		per_ue(r, sim_total_msgs(r)));
	csv_num(f, sim_delay_quantile(r, 0.50));
	csv_num(f, sim_delay_quantile(r, 0.95));
	csv_num(f, sim_delay_quantile(r, 0.99));
	csv_num(f, sim_delay_quantile(r, 1.0));
	fprintf(f, ",%.4f,%.4f,%u,%lld", frac(r->updated, p->n_ue),
		frac(r->missed_start, r->online_at_start), r->peak_rate,
		(long long)r->peak_at_s - (long long)llround(p->change_s));
	fprintf(f, ",%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu\n",
		(unsigned long long)r->http_200,
		(unsigned long long)r->http_401,
		(unsigned long long)r->http_503,
		(unsigned long long)r->pull_accepted,
		(unsigned long long)r->pull_accepted_expired,
		(unsigned long long)r->pull_rejected,
		(unsigned long long)r->mki_triggers,
		(unsigned long long)r->mtk_triggers,
		(unsigned long long)r->push_rejected,
		(unsigned long long)r->hostile_delivered,
		(unsigned long long)r->hostile_accepted,
		(unsigned long long)r->events,
		(unsigned long long)r->verif_withheld);
}

void report_md_header(FILE *f)
{
	fprintf(f, "| policy | jitter | MIKEY/UE | HTTP/UE | GBA/UE | delay p50 | p95 | p99 | max | updated | missed start | peak req/s | 503s |\n");
	fprintf(f, "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
}

void report_md_row(FILE *f, const struct sim_result *r)
{
	char d[4][32];

	fmt_s(d[0], sizeof(d[0]), sim_delay_quantile(r, 0.50));
	fmt_s(d[1], sizeof(d[1]), sim_delay_quantile(r, 0.95));
	fmt_s(d[2], sizeof(d[2]), sim_delay_quantile(r, 0.99));
	fmt_s(d[3], sizeof(d[3]), sim_delay_quantile(r, 1.0));
	fprintf(f, "| %s | %g s | %.3f | %.3f | %.3f | %s s | %s s | %s s | %s s | %.2f %% | %.2f %% | %u | %llu |\n",
		report_policy_name(r->p.mode), r->p.jitter_ms / 1000.0,
		per_ue(r, r->mikey_pull + r->mikey_push + r->mikey_verif),
		per_ue(r, r->http_req), per_ue(r, r->bootstraps),
		d[0], d[1], d[2], d[3], 100.0 * frac(r->updated, r->p.n_ue),
		100.0 * frac(r->missed_start, r->online_at_start),
		r->peak_rate, (unsigned long long)r->http_503);
}

void report_params(FILE *f, const struct sim_params *p)
{
	char dist[64];

	sim_dist_format(&p->lifetime, dist, sizeof(dist));
	fprintf(f, "| parameter | value |\n|---|---|\n");
	fprintf(f, "| UEs | %u |\n| seed | %llu |\n", p->n_ue,
		(unsigned long long)p->seed);
	fprintf(f, "| GBA key lifetime (s) | %s |\n", dist);
	fprintf(f, "| MUK expired at the MSK change | %g %% |\n",
		100 * p->expired);
	fprintf(f, "| solicited-pull UDP loss | %g %% |\n", 100 * p->pull_loss);
	fprintf(f, "| MSK push / verification UDP loss | %g %% |\n",
		100 * p->push_loss);
	fprintf(f, "| offline at the change, back within | %g %%, %g s |\n",
		100 * p->offline, p->offline_max_s);
	fprintf(f, "| MSK change at, first use of the new MSK after | %g s, %g s |\n",
		p->change_s, p->lead_s);
	fprintf(f, "| MTK period, delta before use, resend | %g s, %g s, %g s |\n",
		p->mtk_period_s, p->mtk_delta_s, p->mtk_repeat_s);
	fprintf(f, "| BM-SC capacity, max queue wait, Retry-After | %g req/s, %g s, %u s |\n",
		p->capacity, p->queue_max_s, p->retry_after_s);
	fprintf(f, "| pulls sent at | %s |\n",
		p->pull_rate > 0 ? "a paced rate" : "once, all at the change");
	if (p->pull_rate > 0)
		fprintf(f, "| pull rate | %g /s |\n", p->pull_rate);
	fprintf(f, "| pull resends, timeout | %u, %g s |\n", p->pull_retries,
		p->pull_timeout_s);
	fprintf(f, "| push resends, timeout | %u, %g s |\n", p->push_retries,
		p->push_timeout_s);
	fprintf(f, "| HTTP RTT, GBA run, push delay | %g s, %g s, %g s |\n",
		p->rtt_s, p->gba_s, p->push_delay_s);
	fprintf(f, "| kernel unknown-MKI event interval | %u ms |\n",
		p->mki_interval_ms);
	fprintf(f, "| horizon | %g s |\n", p->horizon_s);
	fprintf(f, "| unknown MSK in MTK message triggers (what-if) | %s |\n",
		p->mtk_trigger ? "yes" : "no (mbmsd)");
	if (p->forged_per_ue || p->replays_per_ue)
		fprintf(f, "| hostile pulls per UE (forged, replayed) | %u, %u |\n",
			p->forged_per_ue, p->replays_per_ue);
}

void report_rate(FILE *f, struct sim_result *const *r, size_t n)
{
	size_t i, k, len = 0;

	fprintf(f, "t_s");
	for (i = 0; i < n; i++) {
		fprintf(f, ",%s_%gs", report_policy_name(r[i]->p.mode),
			r[i]->p.jitter_ms / 1000.0);
		if (r[i]->nrate > len)
			len = r[i]->nrate;
	}
	fputc('\n', f);
	for (k = 0; k < len; k++) {
		fprintf(f, "%lld", (long long)k - llround(r[0]->p.change_s));
		for (i = 0; i < n; i++)
			fprintf(f, ",%u", k < r[i]->nrate ? r[i]->rate[k] : 0);
		fputc('\n', f);
	}
}

void report_cdf(FILE *f, const struct sim_result *r)
{
	size_t n = r->p.n_ue, step = n > 2000 ? n / 2000 : 1, k;

	fprintf(f, "delay_s,fraction\n");
	for (k = 0; k < n; k += step) {
		if (r->delay_ms[k] == UINT64_MAX)
			break;
		fprintf(f, "%.3f,%.5f\n", r->delay_ms[k] / 1000.0,
			(double)(k + 1) / (double)n);
	}
	if (n && r->delay_ms[n - 1] != UINT64_MAX)
		fprintf(f, "%.3f,1.00000\n", r->delay_ms[n - 1] / 1000.0);
}
