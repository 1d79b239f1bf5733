/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replaces musl's src/thread/<arch>/__unmapself.s (and the generic
 * __unmapself.c): a detached thread ending frees its own stack. musl's
 * version issues a trapped munmap of the stack it runs on, then exit;
 * here it is a call to posix-thread's uk_thread_unmapself(), which ends
 * the thread and unmaps the stack once the thread is off it for good —
 * no trap, so linuxu (where the instruction reaches the host) works too.
 */
#include "pthread_impl.h"
#include "syscall.h"

void uk_thread_unmapself(void *base, unsigned long size)
	__attribute__((__weak__, __noreturn__));

void __unmapself(void *base, size_t size)
{
	if (uk_thread_unmapself)
		uk_thread_unmapself(base, size);
	for (;;)                        /* no posix-thread: no threads to end */
		__syscall(SYS_exit, 0);
}
