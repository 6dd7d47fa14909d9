// SPDX-License-Identifier: GPL-2.0
/*
 * tsc-khz: print this host's TSC frequency in kHz, measured against
 * CLOCK_MONOTONIC_RAW; exit 1 (printing nothing) when it cannot.
 *
 * Why vm-run needs it: under TCG the guest's RDTSC returns the host's
 * TSC, but the guest kernel measures the TSC's frequency against the
 * emulated PIT in its first milliseconds.  On a loaded host that early
 * calibration can be off by a factor of 25 ("tsc: PIT calibration
 * deviates from HPET: 84193 2091961 ... Using PIT calibration value"),
 * and with tsc=reliable nothing corrects it later: the guest's clock
 * then runs 25 times fast and every timeout in the tests is 25 times
 * short.  vm-run passes this value as tsc_early_khz= instead.
 *
 * Built by vm-run into its cache (build/vm/) with the host's cc.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(void)
{
	double khz[5], t0, t1;
	uint64_t c0, c1;
	int i;

	/* Five 50 ms windows, the median: a window in which this process was
	 * descheduled between its two readings of a pair is an outlier.
	 */
	for (i = 0; i < 5; i++) {
		t0 = now();
		c0 = __rdtsc();
		do
			t1 = now();
		while (t1 - t0 < 0.05);
		c1 = __rdtsc();
		khz[i] = (double)(c1 - c0) / (t1 - t0) / 1000.0;
	}
	qsort(khz, 5, sizeof(khz[0]), cmp);
	/* 100 MHz .. 10 GHz, else the TSC does not tick at a constant rate. */
	if (khz[2] < 100000.0 || khz[2] > 10000000.0)
		return 1;
	printf("%.0f\n", khz[2]);
	return 0;
}
#else
int main(void)
{
	return 1;	/* no TSC: the guest calibrates its own clock */
}
#endif
