/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the bench tools: clocks, whole-system CPU time from /proc/stat
 * and the start-of-run stamp that the sender hands to the sink, so that the
 * sink can report CPU time over exactly [first send, last receive].
 */
#ifndef MBMS_BENCH_UTIL_H
#define MBMS_BENCH_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#define CPU_SNAP_MAX	16	/* per-CPU figures kept for CPUs 0..15 */

/*
 * CPU time since boot, in nanoseconds, from /proc/stat: all CPUs, and
 * each CPU's busy time (a pinned receiver's CPU is compared on its own).
 */
struct cpu_snap {
	uint64_t busy_ns;	/* user+nice+system+irq+softirq+steal */
	uint64_t total_ns;	/* busy + idle + iowait */
	unsigned int ncpu;	/* entries of cpu_busy_ns */
	uint64_t cpu_busy_ns[CPU_SNAP_MAX];
	uint64_t ctxt;		/* context switches since boot, all CPUs */
};

uint64_t now_ns(void);
/* 0, or -1 with errno set. */
int cpu_snap_read(struct cpu_snap *s);

/*
 * The stamp file: "t0_ns busy_ns total_ns ncpu cpu0_busy_ns ... ctxt\n",
 * written by the sender just before its first packet.  0, or -1 (message on stderr).
 */
int stamp_write(const char *path, uint64_t t0, const struct cpu_snap *s);
int stamp_read(const char *path, uint64_t *t0, struct cpu_snap *s);

/* Parse a number for option @name, or exit 1 with a message. */
uint64_t opt_u64(const char *prog, const char *name, const char *arg,
		 uint64_t max);

#endif /* MBMS_BENCH_UTIL_H */
