// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus text exposition format (version 0.0.4), as read by
 * Prometheus, node_exporter's textfile collector and prometheus_client:
 * "# HELP", "# TYPE", then samples "name{label="value",...} value".
 * Label values escape backslash, double quote and newline; HELP text
 * escapes backslash and newline.
 */
#include <inttypes.h>

#include "mbms/common.h"

static void escape(FILE *out, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (*s == '"' && quote)
			fputs("\\\"", out);
		else
			fputc(*s, out);
	}
}

void prom_family(FILE *out, const char *name, const char *type,
		 const char *help)
{
	fprintf(out, "# HELP %s ", name);
	escape(out, help, false);
	fprintf(out, "\n# TYPE %s %s\n", name, type);
}

static void sample_start(FILE *out, const char *name,
			 const struct prom_label *l, size_t n)
{
	size_t i;

	fputs(name, out);
	if (!n)
		return;
	fputc('{', out);
	for (i = 0; i < n; i++) {
		fprintf(out, "%s%s=\"", i ? "," : "", l[i].name);
		escape(out, l[i].value, true);
		fputc('"', out);
	}
	fputc('}', out);
}

void prom_u64(FILE *out, const char *name, const struct prom_label *l,
	      size_t n, uint64_t v)
{
	sample_start(out, name, l, n);
	fprintf(out, " %" PRIu64 "\n", v);
}

void prom_ms(FILE *out, const char *name, const struct prom_label *l,
	     size_t n, uint64_t ms)
{
	sample_start(out, name, l, n);
	fprintf(out, " %" PRIu64 ".%03u\n", ms / 1000,
		(unsigned int)(ms % 1000));
}
