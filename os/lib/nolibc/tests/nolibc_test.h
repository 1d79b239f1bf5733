/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by nolibc's uktest cases. */
#ifndef NOLIBC_TEST_H
#define NOLIBC_TEST_H

#include <stdio.h>
#include <string.h>
#include <uk/test.h>

/* Expects two equal strings; prints both when they differ. */
#define EXPECT_STREQ(got, want) do {                                        \
	const char *__g = (got), *__w = (want);                             \
	if (!__g || strcmp(__g, __w)) {                                     \
		printf("  got \"%s\", want \"%s\"\n", __g ? __g : "(NULL)", __w); \
		uktest_fail(__tc, #got " == " #want, __FILE__, __LINE__);   \
	}                                                                   \
} while (0)

/* snprintf into a local buffer and compare with want. */
#define EXPECT_FMT(want, ...) do {                                          \
	char __b[128];                                                       \
	int __n = snprintf(__b, sizeof(__b), __VA_ARGS__);                   \
	EXPECT_STREQ(__b, want);                                             \
	UK_TEST_EXPECT_EQ(__n, (int)strlen(want));                           \
} while (0)

/* Whether malloc() has a heap: ukalloc is built in and ukboot installs one. */
#if defined(CONFIG_LIBUKALLOC) && !defined(CONFIG_UKBOOT_ALLOC_NONE)
#define NOLIBC_TEST_HEAP 1
#else
#define NOLIBC_TEST_HEAP 0
#endif

#endif
