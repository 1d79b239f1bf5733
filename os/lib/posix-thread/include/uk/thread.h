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

struct __regs;

/*
 * clone(2) from a trapped syscall: the new thread resumes the caller's
 * registers (a copy of parent, the trap frame) with 0 in the result
 * register (x86_64 rax, arm64 x0), sp = newsp and thread pointer tls
 * (CLONE_SETTLS; else the caller's). Its first code runs on newsp's stack,
 * below newsp (the copy of the frame lives there until it resumes). The
 * tid, or -EINVAL (newsp 0, bad flags), -ENOSYS (a process), -ENOMEM.
 */
long uk_thread_clone_regs(unsigned long flags, unsigned long newsp, int *ptid, int *ctid,
			  unsigned long tls, const struct __regs *parent);

/* Continues at the pc of regs with all of its registers (os/arch-neutral
 * struct __regs, uk/arch.h); never returns. The frame may be anywhere but
 * on the stack it makes current. */
void uk_regs_resume(const struct __regs *regs) __noreturn;

/*
 * musl's __unmapself(base, size) as a call: the calling thread ends (as
 * exit(0)) and the mapping [base, base + size), its own stack, is
 * unmapped (munmap) only once the thread is off it for good, when its
 * memory is freed. No trap, and no munmap of the stack in use.
 */
void uk_thread_unmapself(void *base, unsigned long size) __noreturn;

/* Wakes at most n threads in FUTEX_WAIT on uaddr (any bitset); the number
 * woken. */
int uk_futex_wake(const void *uaddr, int n);

/* rseq.c: the calling thread forgets its rseq registration (execve:
 * ukelfload calls it with the old program's memory going). */
void uk_rseq_exec_reset(void);
/* rseq.c: Linux's rseq_ip_fixup() for the calling thread interrupted at
 * regs (a fault about to become a signal): an ip in its registered rseq
 * critical section moves to the section's abort_ip. A bad descriptor is
 * the crash report (Linux: SIGSEGV). */
void uk_rseq_fixup(struct __regs *regs);

#endif
