/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posix-thread's per-thread state, in uksched's POSIX words
 * (uk_thread_posix_data()), or static without a scheduler (one thread).
 * Word 2 is uksyscall's (the trap frame, syscall.c); words 5-9 are
 * posix-signal's; 10-11 are rseq's (rseq.c).
 */
#ifndef POSIX_THREAD_DATA_H
#define POSIX_THREAD_DATA_H

#include <uk/essentials.h>
#if defined(CONFIG_LIBUKSCHED)
#include <uk/sched.h>
#endif

#define PT_CLEAR_CHILD_TID 0    /* int *: cleared and woken at exit */
#define PT_ROBUST_HEAD     1    /* struct uk_robust_list_head * */
#define PT_UNMAP_BASE      3    /* uk_thread_unmapself(): unmapped once freed */
#define PT_UNMAP_LEN       4
#define PT_RSEQ_AREA       10   /* struct uk_rseq *: the registered area */
#define PT_RSEQ_LENSIG     11   /* its length << 32 | its signature */

/* rseq.c: forgets the registration in w (thread exit, execve). */
void pt_rseq_drop(void **w);

static inline void **pt_words(void)
{
#if defined(CONFIG_LIBUKSCHED)
	struct uk_thread *t = uk_thread_current();

	if (t)
		return uk_thread_posix_data(t);
#endif
	static void *one_thread[12];      /* UK_THREAD_POSIX_WORDS */

	return one_thread;
}

static inline int pt_tid(void)
{
#if defined(CONFIG_LIBUKSCHED)
	struct uk_thread *t = uk_thread_current();

	if (t)
		return uk_thread_tid(t);
#endif
	return 1;
}

#endif
