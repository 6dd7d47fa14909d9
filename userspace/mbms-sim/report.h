/* SPDX-License-Identifier: GPL-2.0 */
/* mbms-sim reports: CSV, markdown, and the series gnuplot draws. */
#ifndef MBMS_SIM_REPORT_H
#define MBMS_SIM_REPORT_H

#include <stdio.h>

#include "sim.h"

const char *report_policy_name(enum pol_muk_mode m);
void report_csv_header(FILE *f);
void report_csv_row(FILE *f, const struct sim_result *r);
void report_md_header(FILE *f);
void report_md_row(FILE *f, const struct sim_result *r);
/* The parameters of a run as a markdown table. */
void report_params(FILE *f, const struct sim_params *p);
/* Requests per second, one column per run, time relative to the change. */
void report_rate(FILE *f, struct sim_result *const *r, size_t n);
/* The MSK-update delay CDF (at most about 2000 points). */
void report_cdf(FILE *f, const struct sim_result *r);

#endif /* MBMS_SIM_REPORT_H */
