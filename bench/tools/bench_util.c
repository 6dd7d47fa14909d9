// SPDX-License-Identifier: GPL-2.0
/* Clocks, /proc/stat and the start stamp of the bench tools. */
#include <errno.h>
#include <stdbool.h>
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

/* busy ticks of one "cpu..." line after its label; -1 if not one */
static int stat_busy(const char *line, unsigned long long *busy,
		     unsigned long long *idle)
{
	unsigned long long v[8] = { 0 };
	int n;

	/* user nice system idle iowait irq softirq steal ... */
	n = sscanf(line, "%llu %llu %llu %llu %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	if (n < 7)
		return -1;
	*busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	*idle = v[3] + v[4];
	return 0;
}

int cpu_snap_read(struct cpu_snap *s)
{
	long hz = sysconf(_SC_CLK_TCK);
	unsigned long long busy, idle;
	bool all = false;
	uint64_t tick_ns;
	char line[512];
	unsigned int cpu;
	FILE *f;
	int off;

	if (hz <= 0)
		hz = 100;
	tick_ns = 1000000000ULL / (uint64_t)hz;
	memset(s, 0, sizeof(*s));
	f = fopen("/proc/stat", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "ctxt %" SCNu64, &s->ctxt) == 1)
			continue;
		if (strncmp(line, "cpu", 3))
			continue;
		if (line[3] == ' ') {
			if (stat_busy(line + 4, &busy, &idle))
				break;
			s->busy_ns = busy * tick_ns;
			s->total_ns = (busy + idle) * tick_ns;
			all = true;
		} else if (sscanf(line, "cpu%u %n", &cpu, &off) == 1 &&
			   cpu < CPU_SNAP_MAX &&
			   !stat_busy(line + off, &busy, &idle)) {
			s->cpu_busy_ns[cpu] = busy * tick_ns;
			if (cpu + 1 > s->ncpu)
				s->ncpu = cpu + 1;
		}
	}
	fclose(f);
	if (!all) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int stamp_write(const char *path, uint64_t t0, const struct cpu_snap *s)
{
	char tmp[4096];
	unsigned int i;
	FILE *f;

	/* write then rename: the sink never reads half a line */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "bench: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	fprintf(f, "%" PRIu64 " %" PRIu64 " %" PRIu64 " %u", t0, s->busy_ns,
		s->total_ns, s->ncpu);
	for (i = 0; i < s->ncpu; i++)
		fprintf(f, " %" PRIu64, s->cpu_busy_ns[i]);
	fprintf(f, " %" PRIu64 "\n", s->ctxt);
	if (fclose(f) || rename(tmp, path)) {
		fprintf(stderr, "bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int stamp_read(const char *path, uint64_t *t0, struct cpu_snap *s)
{
	FILE *f = fopen(path, "r");
	unsigned int i;
	int n;

	if (!f) {
		fprintf(stderr, "bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	memset(s, 0, sizeof(*s));
	n = fscanf(f, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %u", t0,
		   &s->busy_ns, &s->total_ns, &s->ncpu);
	if (n == 4 && s->ncpu <= CPU_SNAP_MAX)
		for (i = 0; i < s->ncpu; i++)
			if (fscanf(f, " %" SCNu64, &s->cpu_busy_ns[i]) != 1)
				n = 0;
	if (n == 4 && fscanf(f, " %" SCNu64, &s->ctxt) != 1)
		n = 0;
	fclose(f);
	if (n != 4 || s->ncpu > CPU_SNAP_MAX) {
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
