/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replaces musl's src/thread/<arch>/clone.s (and the generic clone.c):
 * __clone(func, stack, flags, arg, ptid, tls, ctid), which pthread_create
 * calls, as a plain call to posix-thread's uk_thread_clone() — the new
 * thread runs func(arg) on stack with thread pointer tls. No `syscall` /
 * `svc` is issued, so it also works on linuxu, where that instruction
 * reaches the host's kernel instead of ours. Returns the tid, or -errno
 * as the raw syscall would (-ENOSYS without posix-thread in the image).
 * The trapped clone keeps working for code that issues the instruction.
 */
#include <errno.h>
#include <stdarg.h>
#include "pthread_impl.h"

long uk_thread_clone(int (*fn)(void *), void *stack, unsigned long flags, void *arg,
		     int *ptid, unsigned long tls, int *ctid) __attribute__((__weak__));

int __clone(int (*func)(void *), void *stack, int flags, void *arg, ...)
{
	va_list ap;
	int *ptid, *ctid;
	unsigned long tls;

	va_start(ap, arg);
	ptid = va_arg(ap, int *);
	tls = (unsigned long)va_arg(ap, void *);
	ctid = va_arg(ap, int *);
	va_end(ap);
	if (!uk_thread_clone)
		return -ENOSYS;
	return (int)uk_thread_clone(func, stack, (unsigned int)flags, arg, ptid, tls, ctid);
}
