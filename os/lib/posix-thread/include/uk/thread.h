/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posix-thread's kernel API for a libc: the native clone (musl's __clone
 * in C calls it instead of trapping) and futex wakes from kernel code.
 */
#ifndef UK_THREAD_H
#define UK_THREAD_H

#include <uk/essentials.h>

/*
 * clone(2) with a function, as musl's __clone(func, stack, flags, arg,
 * ptid, tls, ctid) takes it: a new thread runs fn(arg) on stack (its top,
 * 16-byte aligned) with thread pointer tls (CLONE_SETTLS; else the
 * caller's), and ends with exit(fn's return value). Flags as for clone(2)
 * (uk_sys_clone): a thread of this process, or -EINVAL / -ENOSYS. Returns
 * the new thread's tid, or -ENOMEM.
 */
long uk_thread_clone(int (*fn)(void *), void *stack, unsigned long flags, void *arg,
		     int *ptid, unsigned long tls, int *ctid);

/* Wakes at most n threads in FUTEX_WAIT on uaddr (any bitset); the number
 * woken. */
int uk_futex_wake(const void *uaddr, int n);

#endif
