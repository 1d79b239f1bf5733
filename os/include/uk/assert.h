/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UK_ASSERT(cond): catches bugs, never bad input. With ukdebug's assertions
 * enabled a failure prints the condition, file and line, a backtrace, and
 * stops the guest with status 255 (lib/ukdebug/crash.c); otherwise it
 * compiles away. UK_CRASH(fmt, ...) always stops the guest.
 */
#ifndef UK_ASSERT_H
#define UK_ASSERT_H

#include <uk/essentials.h>

struct __regs;
/* Print the crash report (reason, registers if given, backtrace), halt(255). */
void uk_crash(const char *reason, const struct __regs *regs) __noreturn;
void uk_crashf(const char *fmt, ...) __noreturn __printf(1, 2);

#define UK_CRASH(...) uk_crashf(__VA_ARGS__)

#if defined(CONFIG_LIBUKDEBUG_ENABLE_ASSERT)
#define UK_ASSERT(x) do {                                                 \
	if (unlikely(!(x)))                                                \
		uk_crashf("assertion failed: %s (%s:%d)", #x, __FILE__, __LINE__); \
} while (0)
#else
#define UK_ASSERT(x) do { (void)sizeof(x); } while (0)
#endif
#define UK_BUG() UK_CRASH("BUG at %s:%d", __FILE__, __LINE__)

#endif
