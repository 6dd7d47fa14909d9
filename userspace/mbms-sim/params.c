// SPDX-License-Identifier: GPL-2.0
/*
 * mbms-sim parameters: defaults, named presets, range checks, duration
 * distributions, and the seeded random numbers every module uses.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

/* ---- random numbers ------------------------------------------------------ */

/* splitmix64's finaliser: a bijective 64-bit mixer. */
uint64_t sim_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/*
 * Random numbers that depend only on (seed, what, ue, n), never on the
 * order of events: both policies see the same losses, the same offline
 * UEs and the same key lifetimes (common random numbers), so their
 * difference is the policy's, not the dice's.
 */
double sim_u01(uint64_t seed, uint32_t what, uint32_t ue, uint32_t n)
{
	uint64_t h = sim_mix64(seed ^ 0x9e3779b97f4a7c15ULL);

	h = sim_mix64(h ^ ((uint64_t)what << 32 | ue));
	h = sim_mix64(h ^ n);
	return (double)(h >> 11) * 0x1.0p-53;
}

/* splitmix64 stream: the per-UE random source handed to the policy. */
uint64_t sim_splitmix_next(void *ctx)
{
	uint64_t *s = ctx;

	*s += 0x9e3779b97f4a7c15ULL;
	return sim_mix64(*s);
}

/* ---- distributions --------------------------------------------------------- */

uint64_t sim_dist_draw_ms(const struct sim_dist *d, double u)
{
	double s;

	switch (d->kind) {
	case SIM_DIST_UNIFORM:
		s = d->a + (d->b - d->a) * u;
		break;
	case SIM_DIST_EXP:
		s = -d->a * log1p(-u);
		break;
	case SIM_DIST_FIXED:
	default:
		s = d->a;
		break;
	}
	return (uint64_t)llround(s * 1000.0);
}

static int parse_num(const char *s, double *out)
{
	char *end;

	if (!s || !*s)
		return -1;
	*out = strtod(s, &end);
	return (*end || !isfinite(*out) || *out < 0) ? -1 : 0;
}

/* "fixed:S", "uniform:A:B", "exp:MEAN" (seconds). */
int sim_dist_parse(const char *s, struct sim_dist *d, char *err,
		   size_t errlen)
{
	char buf[96], *b;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	b = strchr(buf, ':');
	if (!b)
		goto bad;
	*b++ = '\0';
	memset(d, 0, sizeof(*d));
	if (!strcmp(buf, "fixed")) {
		d->kind = SIM_DIST_FIXED;
		if (parse_num(b, &d->a) || d->a <= 0)
			goto bad;
	} else if (!strcmp(buf, "exp")) {
		d->kind = SIM_DIST_EXP;
		if (parse_num(b, &d->a) || d->a <= 0)
			goto bad;
	} else if (!strcmp(buf, "uniform")) {
		char *c = strchr(b, ':');

		d->kind = SIM_DIST_UNIFORM;
		if (!c)
			goto bad;
		*c++ = '\0';
		if (parse_num(b, &d->a) || parse_num(c, &d->b) || d->a <= 0 ||
		    d->b < d->a)
			goto bad;
	} else {
		goto bad;
	}
	return 0;
bad:
	snprintf(err, errlen,
		 "bad distribution '%s' (want fixed:S, uniform:A:B with 0<A<=B, or exp:MEAN, in seconds)",
		 s);
	return -1;
}

void sim_dist_format(const struct sim_dist *d, char *buf, size_t len)
{
	switch (d->kind) {
	case SIM_DIST_UNIFORM:
		snprintf(buf, len, "uniform:%g:%g", d->a, d->b);
		break;
	case SIM_DIST_EXP:
		snprintf(buf, len, "exp:%g", d->a);
		break;
	case SIM_DIST_FIXED:
	default:
		snprintf(buf, len, "fixed:%g", d->a);
		break;
	}
}

/* ---- defaults and presets ------------------------------------------------- */

void sim_params_default(struct sim_params *p)
{
	memset(p, 0, sizeof(*p));
	p->n_ue = 10000;
	p->seed = 1;
	p->mode = POL_MUK_RELAXED;
	p->jitter_ms = 30000;
	p->lifetime = (struct sim_dist){ SIM_DIST_UNIFORM, 3600, 86400 };
	p->expired = 0.30;
	p->pull_loss = 0.02;
	p->push_loss = 0.01;
	p->offline = 0.05;
	p->offline_max_s = 600;
	p->change_s = 10;
	p->lead_s = 60;
	p->mtk_period_s = 10;
	p->mtk_delta_s = 2;
	p->mtk_repeat_s = 1;
	p->capacity = 1000;
	p->queue_max_s = 2;
	p->retry_after_s = 30;
	p->pull_rate = 0;
	p->pull_retries = 1;
	p->pull_timeout_s = 45;
	p->push_retries = 2;
	p->push_timeout_s = 5;
	p->rtt_s = 0.1;
	p->gba_s = 0.3;
	p->push_delay_s = 0.1;
	p->horizon_s = 1810;
	p->mki_interval_ms = 100;	/* MBMS_SRTP_EVENT_MIN_INTERVAL_MS */
}

const char *const sim_preset_names[] = { "default", "large", "small", NULL };

int sim_preset(struct sim_params *p, const char *name)
{
	sim_params_default(p);
	if (!strcmp(name, "default"))
		return 0;
	if (!strcmp(name, "large")) {
		/* 100,000 UEs, a BM-SC ten times as big: same load ratio. */
		p->n_ue = 100000;
		p->capacity = 10000;
		return 0;
	}
	if (!strcmp(name, "small")) {
		/* For tests: seconds under ASan. */
		p->n_ue = 2000;
		p->capacity = 200;
		p->horizon_s = 910;
		return 0;
	}
	return -1;
}

static int bad(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int sim_params_check(const struct sim_params *p, char *err, size_t errlen)
{
	if (p->n_ue < 1 || p->n_ue > 1000000)
		return bad(err, errlen, "--ues %u: must be 1..1000000", p->n_ue);
	if (!(p->expired >= 0 && p->expired <= 1))
		return bad(err, errlen, "--expired %g: must be in [0, 1]",
			   p->expired);
	if (!(p->pull_loss >= 0 && p->pull_loss <= 1))
		return bad(err, errlen, "--pull-loss %g: must be in [0, 1]",
			   p->pull_loss);
	if (!(p->push_loss >= 0 && p->push_loss <= 1))
		return bad(err, errlen, "--push-loss %g: must be in [0, 1]",
			   p->push_loss);
	if (!(p->offline >= 0 && p->offline <= 1))
		return bad(err, errlen, "--offline %g: must be in [0, 1]",
			   p->offline);
	if (!(p->mtk_period_s >= 0.01))
		return bad(err, errlen, "--mtk-period %g: at least 0.01 s",
			   p->mtk_period_s);
	if (!(p->mtk_repeat_s >= 0.001 && p->mtk_repeat_s <= p->mtk_period_s))
		return bad(err, errlen,
			   "--mtk-repeat %g: must be in [0.001, MTK period]",
			   p->mtk_repeat_s);
	if (!(p->mtk_delta_s < p->mtk_period_s && p->mtk_delta_s <= p->lead_s))
		return bad(err, errlen,
			   "--mtk-delta %g: must be below the MTK period and at most the lead",
			   p->mtk_delta_s);
	if (!(p->capacity >= 0.001 && p->capacity <= 1e7))
		return bad(err, errlen,
			   "--capacity %g: must be in [0.001, 1e7] requests/s",
			   p->capacity);
	if (!(p->horizon_s > p->change_s + p->lead_s &&
	      p->horizon_s <= 7 * 86400))
		return bad(err, errlen,
			   "--horizon %g: must be after the new MSK's first use (%g s) and at most a week",
			   p->horizon_s, p->change_s + p->lead_s);
	if (p->jitter_ms > 3600 * 1000)
		return bad(err, errlen, "--jitter: at most 3600 s");
	if (p->pull_retries > 100 || p->push_retries > 100)
		return bad(err, errlen,
			   "--pull-retries/--push-retries: at most 100");
	if (!(p->pull_timeout_s >= 0.001 && p->push_timeout_s >= 0.001))
		return bad(err, errlen,
			   "--pull-timeout/--push-timeout: at least 1 ms");
	if (p->mki_interval_ms < 1)
		return bad(err, errlen, "--mki-interval: at least 1 ms");
	if (p->forged_per_ue > 1000 || p->replays_per_ue > 1000)
		return bad(err, errlen, "--forged/--replays: at most 1000 per UE");
	if (p->retry_after_s > 86400)
		return bad(err, errlen, "--retry-after: at most a day");
	return 0;
}
