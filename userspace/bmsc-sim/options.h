/* SPDX-License-Identifier: GPL-2.0 */
/* Command line of bmsc-sim: parsing into struct sim_opts and checks. */
#ifndef BMSC_OPTIONS_H
#define BMSC_OPTIONS_H

#include <stddef.h>

#include "sim.h"

struct ue_spec {
	const char *addr;
	const char *gba_file;	/* bootstrap output saved in a file */
	const char *gba_cmd;	/* or: run the UE's bootstrap command */
};

struct cli {
	struct sim_opts o;
	struct ue_spec ue[UE_MAX];
	size_t n_ue;
	const char *bsf_lookup;
};

/*
 * Parse @argv into @cli.  Returns 0 to run, 1 when --help was printed,
 * -1 after printing an error naming the bad option (usage error).
 */
int options_parse(int argc, char **argv, struct cli *cli);

/* "10" or "10s" = 10 s, "1.5" = 1.5 s, "250ms": milliseconds in *@ms. */
int parse_time_ms(const char *s, uint64_t *ms, char *err, size_t errlen);

/* "KIND@T[-T2][xCOUNT]" into @f. */
int parse_fault(const char *s, struct sched_fault *f, char *err,
		size_t errlen);

/* "A.B.C.D[:PORT]"; @need_port makes the port mandatory. */
int parse_addr(const char *s, uint16_t default_port, bool need_port,
	       struct sockaddr_in *out, char *err, size_t errlen);

#endif /* BMSC_OPTIONS_H */
