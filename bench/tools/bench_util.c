// SPDX-License-Identifier: GPL-2.0
/* Clocks, /proc/stat and the start stamp of the bench tools. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mbms/common.h"
#include "bench_util.h"

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int cpu_snap_read(struct cpu_snap *s)
{
	unsigned long long v[8] = { 0 };
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t tick_ns;
	FILE *f;
	int n;

	if (hz <= 0)
		hz = 100;
	tick_ns = 1000000000ULL / (uint64_t)hz;
	f = fopen("/proc/stat", "r");
	if (!f)
		return -1;
	/* cpu  user nice system idle iowait irq softirq steal ... */
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 7) {
		errno = EINVAL;
		return -1;
	}
	s->busy_ns = (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) * tick_ns;
	s->total_ns = s->busy_ns + (v[3] + v[4]) * tick_ns;
	return 0;
}

int stamp_write(const char *path, uint64_t t0, const struct cpu_snap *s)
{
	char tmp[4096];
	FILE *f;

	/* write then rename: the sink never reads half a line */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "bench: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	fprintf(f, "%" PRIu64 " %" PRIu64 " %" PRIu64 "\n", t0, s->busy_ns,
		s->total_ns);
	if (fclose(f) || rename(tmp, path)) {
		fprintf(stderr, "bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int stamp_read(const char *path, uint64_t *t0, struct cpu_snap *s)
{
	FILE *f = fopen(path, "r");
	int n;

	if (!f) {
		fprintf(stderr, "bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fscanf(f, "%" SCNu64 " %" SCNu64 " %" SCNu64, t0, &s->busy_ns,
		   &s->total_ns);
	fclose(f);
	if (n != 3) {
		fprintf(stderr, "bench: %s: not a start stamp\n", path);
		return -1;
	}
	return 0;
}

uint64_t opt_u64(const char *prog, const char *name, const char *arg,
		 uint64_t max)
{
	char err[128];
	uint64_t v;

	if (parse_u64(arg, max, &v, err, sizeof(err))) {
		fprintf(stderr, "%s: %s: %s\n", prog, name, err);
		exit(1);
	}
	return v;
}
