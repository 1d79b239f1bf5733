/* SPDX-License-Identifier: BSD-3-Clause */
/* __assert_fail, the target of assert(): a crash report naming the check. */
#include <assert.h>
#include <stdio.h>
#include <uk/assert.h>

void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
	static char msg[256];

	snprintf(msg, sizeof(msg), "assertion failed: %s (%s:%d, %s)", expr, file, line, func);
	uk_crash(msg, NULL);
}
