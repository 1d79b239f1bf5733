/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest runner: walks the .uk_testtab table (filled by UK_TESTCASE in
 * include/uk/test.h) and prints the result lines the host-side parser
 * (uniforge/testresults.py) reads. Output goes through printf so the same
 * file runs in the guest and in host unit tests.
 */
#include <stdio.h>
#include <uk/test.h>

void uktest_fail(struct uk_testcase *tc, const char *expr, const char *file, int line)
{
	tc->failures++;
	printf("UK-TEST FAIL %s.%s: %s (%s:%d)\n", tc->suite, tc->name, expr, file, line);
}

void uktest_fail_eq(struct uk_testcase *tc, const char *expr, long long a, long long b,
		    const char *file, int line)
{
	tc->failures++;
	printf("UK-TEST FAIL %s.%s: %s: %lld != %lld (%s:%d)\n",
	       tc->suite, tc->name, expr, a, b, file, line);
}

int uktest_run_all(void)
{
	struct uk_testcase *const *p;
	int total = 0, failed = 0;

	for (p = uk_testtab_start; p < uk_testtab_end; p++) {
		struct uk_testcase *tc = *p;

		tc->failures = 0;
		tc->fn(tc);
		total++;
		if (tc->failures)
			failed++;
		else
			printf("UK-TEST ok %s.%s\n", tc->suite, tc->name);
	}
	printf("UK-TEST-RESULT total=%d passed=%d failed=%d\n", total, total - failed, failed);
	return failed;
}
