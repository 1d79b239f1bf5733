/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of ukdebug: the formatter, the frame walk, the message
 * macros. (The crash report itself stops the guest; the host suite,
 * tests/host/ukdebug/, runs it in a process and symbolises the backtrace.)
 */
#include <uk/assert.h>
#include <uk/backtrace.h>
#include <uk/print.h>
#include <uk/test.h>
#include "../format.h"

static char out[128];

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

#define EXPECT_FMT(want, ...) do {                                      \
	ukd_snprintf(out, sizeof(out), __VA_ARGS__);                     \
	UK_TEST_EXPECT(str_eq(out, want));                                \
} while (0)

UK_TESTCASE(ukdebug, format_integers)
{
	EXPECT_FMT("42 -42 +7  7", "%d %i %+d % d", 42, -42, 7, 7);
	EXPECT_FMT("4294967295 ffffffff FFFF", "%u %x %X", 4294967295u, 0xffffffffu, 0xffff);
	EXPECT_FMT("-9223372036854775808", "%lld", (long long)(-0x7fffffffffffffffLL - 1));
	EXPECT_FMT("18446744073709551615", "%llu", 18446744073709551615ULL);
	EXPECT_FMT("123456789012 99", "%ld %zu", 123456789012L, (size_t)99);
	EXPECT_FMT("[   42] [42   ] [00042] [-0042]", "[%5d] [%-5d] [%05d] [%05d]", 42, 42, 42, -42);
	EXPECT_FMT("0x1f 0X1F 0 0x00ff", "%#x %#X %#x %#06x", 0x1f, 0x1f, 0, 0xff);
	EXPECT_FMT("007 [] [  ]", "%.3d [%.0d] [%2.0d]", 7, 0, 0);
	EXPECT_FMT("[  ab]", "[%*x]", 4, 0xab);
}

UK_TESTCASE(ukdebug, format_strings_pointers)
{
	const char *unsupported = "%f %o %s";   /* no floats, no octal */
	const char *volatile null_str = NULL;  /* hidden from -Wformat */

	EXPECT_FMT("hi [   x] [x   ] [abc] (null)", "%s [%4s] [%-4s] [%.3s] %s", "hi", "x", "x",
		   "abcdef", null_str);
	EXPECT_FMT("c% [ z]", "%c%% [%2c]", 'c', 'z');
	EXPECT_FMT("0x1000 0x0", "%p %p", (void *)0x1000, (void *)0);
	EXPECT_FMT("%f %o x", unsupported, "x");
}

UK_TESTCASE(ukdebug, format_truncates)
{
	char small[6] = "xxxxx";

	UK_TEST_EXPECT_EQ(ukd_snprintf(small, sizeof(small), "abc%s", "defgh"), 8);
	UK_TEST_EXPECT(str_eq(small, "abcde"));
	UK_TEST_EXPECT_EQ(ukd_snprintf(small, 0, "%d", 123), 3);
	UK_TEST_EXPECT(str_eq(small, "abcde"));        /* size 0: untouched */
}

UK_TESTCASE(ukdebug, walk_synthetic_frames)
{
	uintptr_t rec[8] __align(16) = { 0 }, pcs[4];

	rec[0] = (uintptr_t)&rec[2]; rec[1] = 0x1111;
	rec[2] = (uintptr_t)&rec[4]; rec[3] = 0x2222;
	rec[4] = 0;                  rec[5] = 0x3333;
	UK_TEST_ASSERT(uk_backtrace_walk((uintptr_t)rec, pcs, 4) == 3);
	UK_TEST_EXPECT_EQ(pcs[0], 0x1111);
	UK_TEST_EXPECT_EQ(pcs[2], 0x3333);
	UK_TEST_EXPECT_EQ(uk_backtrace_walk((uintptr_t)rec, pcs, 2), 2);

	rec[4] = (uintptr_t)&rec[0];         /* loops back: stop */
	UK_TEST_EXPECT_EQ(uk_backtrace_walk((uintptr_t)rec, pcs, 4), 3);
	rec[2] = (uintptr_t)&rec[2];         /* points at itself */
	UK_TEST_EXPECT_EQ(uk_backtrace_walk((uintptr_t)rec, pcs, 4), 2);
	rec[0] = (uintptr_t)&rec[2] + 1;     /* misaligned */
	UK_TEST_EXPECT_EQ(uk_backtrace_walk((uintptr_t)rec, pcs, 4), 1);
	rec[1] = 0;                          /* no return address */
	UK_TEST_EXPECT_EQ(uk_backtrace_walk((uintptr_t)rec, pcs, 4), 0);
	UK_TEST_EXPECT_EQ(uk_backtrace_walk(0, pcs, 4), 0);
	UK_TEST_EXPECT_EQ(uk_backtrace_walk((uintptr_t)rec + 4, pcs, 4), 0);
}

static int __attribute__((noinline)) walk_here(uintptr_t *pcs)
{
	int n = uk_backtrace_walk(uk_backtrace_fp(), pcs, UK_BACKTRACE_MAX);

	__asm__ __volatile__("" ::: "memory");   /* not a tail call */
	return n;
}

UK_TESTCASE(ukdebug, walk_real_stack)
{
	uintptr_t pcs[UK_BACKTRACE_MAX];
	int n = walk_here(pcs);

	/* this case, the test runner, the init table, ukplat_entry, ... */
	UK_TEST_EXPECT(n >= 3);
	UK_TEST_EXPECT(n <= UK_BACKTRACE_MAX);
	for (int i = 0; i < n; i++)
		UK_TEST_EXPECT(pcs[i] != 0);
}

UK_TESTCASE(ukdebug, messages_and_assert)
{
	int evaluated = 0;

	uk_pr_crit("uktest: a crit message %d\n", 1);
	uk_pr_err("uktest: an err message %s\n", "2");
	uk_pr_warn("uktest: a warn message\n");
	uk_pr_info("uktest: an info message (shown at level >= 4)\n");
	uk_pr_debug("uktest: a debug message (shown at level 5)\n");
	uk_printk("uktest: plain printk, %d%%\n", 100);
	UK_ASSERT(++evaluated == 1);
#if defined(CONFIG_LIBUKDEBUG_ENABLE_ASSERT)
	UK_TEST_EXPECT_EQ(evaluated, 1);
#else
	UK_TEST_EXPECT_EQ(evaluated, 0);
#endif
}

#if defined(CONFIG_STACK_PROTECTOR)
#include <uk/stackprot.h>

/* The canary was set at boot (not the fixed value it starts with), from a
 * known source, with a zero low byte. */
UK_TESTCASE(ukdebug, stack_protector_canary)
{
	uintptr_t first = __stack_chk_guard;

	UK_TEST_EXPECT(first != 0x595e9fbd94fda700UL);
	UK_TEST_EXPECT(first >> 8 != 0);
	UK_TEST_EXPECT_EQ(first & 0xff, 0);
	UK_TEST_EXPECT(str_eq(uk_stack_chk_source, "rdrand") || str_eq(uk_stack_chk_source, "at_random") ||
		       str_eq(uk_stack_chk_source, "rndr") || str_eq(uk_stack_chk_source, "cycles"));
	uk_printk("uktest: stack protector canary from %s\n", uk_stack_chk_source);
}
#endif
