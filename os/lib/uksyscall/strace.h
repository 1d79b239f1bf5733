/* SPDX-License-Identifier: BSD-3-Clause */
/* strace (strace.c), private to uksyscall: whether uksyscall.strace=1 was
 * given, and the traced way through the table. */
#ifndef UKSYSCALL_STRACE_H
#define UKSYSCALL_STRACE_H

#include <uk/essentials.h>

#if defined(CONFIG_LIBUKSYSCALL_STRACE)
extern bool uksc_strace_on;
long uksc_strace_call(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
#else
#define uksc_strace_on false
static inline long uksc_strace_call(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return 0;
}
#endif

#endif
