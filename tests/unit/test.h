/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal unit-test harness shared by the userspace tests: CHECK records a
 * failure with its location and goes on, so one run reports every broken
 * expectation; test_summary() prints "N passed, N failed" and returns the
 * exit status.
 */
#ifndef MBMS_TEST_H
#define MBMS_TEST_H

#include <stdio.h>
#include <string.h>

static int test_passed, test_failed;

#define CHECK(cond) do {						\
	if (cond) {							\
		test_passed++;						\
	} else {							\
		test_failed++;						\
		fprintf(stderr, "%s:%d: CHECK failed: %s\n",		\
			__FILE__, __LINE__, #cond);			\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	if (_a && _b && !strcmp(_a, _b)) {				\
		test_passed++;						\
	} else {							\
		test_failed++;						\
		fprintf(stderr, "%s:%d: CHECK_STR failed: \"%s\" != \"%s\"\n", \
			__FILE__, __LINE__, _a ? _a : "(null)",		\
			_b ? _b : "(null)");				\
	}								\
} while (0)

#define CHECK_MEM(a, b, n) CHECK(memcmp((a), (b), (n)) == 0)

static inline int test_summary(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, test_passed, test_failed);
	return test_failed ? 1 : 0;
}

#endif /* MBMS_TEST_H */
