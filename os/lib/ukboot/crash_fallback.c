/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The crash path when ukdebug is not built in: a one-line message and status
 * 255. ukdebug (lib/ukdebug/crash.c) overrides both with the full report.
 */
#include <uk/essentials.h>
#include <uk/string.h>
#include <uk/assert.h>
#include <uk/plat.h>

static void put(const char *s)
{
	ukplat_cout(s, uk_strlen(s));
}

__weak void uk_crash(const char *reason, const struct __regs *regs __unused)
{
	put("\nUK-CRASH ");
	put(reason);
	put("\nUK-CRASH-END\n");
	ukplat_halt(255);
}

__weak void uk_crashf(const char *fmt, ...)
{
	uk_crash(fmt, NULL);
}
