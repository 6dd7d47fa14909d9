// SPDX-License-Identifier: GPL-2.0
/* Levelled logging to stderr (or a sink such as journald), one line each. */
#include <stdio.h>
#include <string.h>

#include "mbms/common.h"

static const char *log_prog = "mbms";
static enum log_level log_thresh = LOG_LVL_INFO;
static void (*log_sink)(enum log_level lvl, const char *msg);

static const char *const level_names[] = {
	[LOG_LVL_ERR] = "error",
	[LOG_LVL_WARN] = "warning",
	[LOG_LVL_INFO] = "info",
	[LOG_LVL_DEBUG] = "debug",
};

void log_init(const char *prog, enum log_level threshold)
{
	log_prog = prog;
	log_thresh = threshold;
}

enum log_level log_threshold(void)
{
	return log_thresh;
}

int log_level_parse(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(level_names); i++)
		if (!strcmp(s, level_names[i]))
			return (int)i;
	return -1;
}

void log_set_sink(void (*sink)(enum log_level lvl, const char *msg))
{
	log_sink = sink;
}

void log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
	char msg[1024];

	if (lvl > log_thresh)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_sink) {
		log_sink(lvl, msg);
		return;
	}
	fprintf(stderr, "%s: %s%s%s\n", log_prog,
		lvl <= LOG_LVL_WARN ? level_names[lvl] : "",
		lvl <= LOG_LVL_WARN ? ": " : "", msg);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(lvl, fmt, ap);
	va_end(ap);
}
