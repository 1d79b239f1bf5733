/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest: a small KUnit-like test API for in-guest (and host) tests.
 *
 *   UK_TESTCASE(alloc, malloc_basic)
 *   {
 *       void *p = malloc(8);
 *       UK_TEST_EXPECT(p != NULL);
 *       UK_TEST_EXPECT_EQ(((uintptr_t)p) % 16, 0);
 *   }
 *
 * Cases are collected in the .uk_testtab linker section and run by
 * uktest_run_all() (lib/uktest/runner.c), which prints one line per case and a
 * machine-readable summary the host parses:
 *
 *   UK-TEST ok alloc.malloc_basic
 *   UK-TEST FAIL alloc.malloc_basic: p != NULL (test_alloc.c:12)
 *   UK-TEST-RESULT total=12 passed=11 failed=1
 */
#ifndef UK_TEST_H
#define UK_TEST_H

#include <uk/essentials.h>

struct uk_testcase {
	const char *suite;
	const char *name;
	void (*fn)(struct uk_testcase *tc);
	int failures;        /* set by the expectations while fn runs */
};

#define UK_TESTCASE(suite, name)                                            \
	static void UK_CONCAT(__uk_test_fn_, UK_CONCAT(suite, UK_CONCAT(_, name)))(struct uk_testcase *__tc); \
	static struct uk_testcase UK_CONCAT(__uk_test_, UK_CONCAT(suite, UK_CONCAT(_, name))) = { \
		#suite, #name, UK_CONCAT(__uk_test_fn_, UK_CONCAT(suite, UK_CONCAT(_, name))), 0 }; \
	static struct uk_testcase *const __used __section(".uk_testtab")     \
	UK_CONCAT(__uk_testp_, UK_CONCAT(suite, UK_CONCAT(_, name))) =        \
		&UK_CONCAT(__uk_test_, UK_CONCAT(suite, UK_CONCAT(_, name)));  \
	static void UK_CONCAT(__uk_test_fn_, UK_CONCAT(suite, UK_CONCAT(_, name)))(struct uk_testcase *__tc __unused)

/* Record a failed expectation (prints it); the case goes on. */
void uktest_fail(struct uk_testcase *tc, const char *expr, const char *file, int line);
void uktest_fail_eq(struct uk_testcase *tc, const char *expr, long long a, long long b,
		    const char *file, int line);

#define UK_TEST_EXPECT(cond) do {                                          \
	if (!(cond)) uktest_fail(__tc, #cond, __FILE__, __LINE__);          \
} while (0)
#define UK_TEST_EXPECT_EQ(a, b) do {                                       \
	long long __a = (long long)(a), __b = (long long)(b);               \
	if (__a != __b)                                                      \
		uktest_fail_eq(__tc, #a " == " #b, __a, __b, __FILE__, __LINE__); \
} while (0)
#define UK_TEST_EXPECT_NULL(p)     UK_TEST_EXPECT((p) == NULL)
#define UK_TEST_EXPECT_NOT_NULL(p) UK_TEST_EXPECT((p) != NULL)
/* Stop the case now if cond is false (use before dereferencing). */
#define UK_TEST_ASSERT(cond) do {                                          \
	if (!(cond)) { uktest_fail(__tc, #cond, __FILE__, __LINE__); return; } \
} while (0)

/* Run every registered case; returns the number of failed cases. */
int uktest_run_all(void);

extern struct uk_testcase *const uk_testtab_start[], *const uk_testtab_end[];

#endif
