/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uksched: threads over a replaceable scheduler (ARCHITECTURE.md, "Threads
 * and schedulers"). The scheduler is a library chosen in Kconfig's UKSCHED
 * choice (ukschedcoop: cooperative round-robin; ukschedpreempt: time
 * slices); this API is the same over either. With "none" chosen nothing of
 * this is in the image.
 *
 * One CPU. The boot context becomes the thread "main" before any init
 * function of class 1 (so library tests and main() run as a thread, on the
 * boot stack, with the boot TLS block). Every other thread gets its own
 * stack from the default allocator, page-aligned, with an unmapped guard
 * page below it (ukplat_stack_guard()), and its own TLS block (errno is
 * per thread).
 *
 *   struct uk_thread *t;
 *   void *ret;
 *   uk_thread_create(&t, "worker", 0, work, arg);   // 0: default stack size
 *   uk_thread_join(t, &ret);                          // ret = work's return
 */
#ifndef UK_SCHED_H
#define UK_SCHED_H

#include <uk/essentials.h>

struct uk_thread;

/* The running thread; NULL before the scheduler started (early boot). */
struct uk_thread *uk_thread_current(void);
/* The thread's name, as given to uk_thread_create() (cut to
 * UK_THREAD_NAME_MAX - 1 bytes); "main" for the boot thread. */
const char *uk_thread_name(const struct uk_thread *t);
#define UK_THREAD_NAME_MAX 32
/* Renames t (cut to UK_THREAD_NAME_MAX - 1 bytes): prctl(PR_SET_NAME). */
void uk_thread_set_name(struct uk_thread *t, const char *name);
/* The thread's id: 1 for main, then 2, 3, ... in creation order (never
 * reused while a thread with it is alive). Linux's tid: gettid(). */
int uk_thread_tid(const struct uk_thread *t);
/* The live thread with that tid (not yet ended), or NULL. */
struct uk_thread *uk_thread_by_tid(int tid);
/* Threads created and not yet ended, main included (>= 1). */
unsigned int uk_sched_nr_threads(void);

/*
 * Creates a runnable thread calling fn(arg); its return value is
 * uk_thread_exit()'s. stack_size 0 is CONFIG_LIBUKSCHED_STACK_SIZE; others
 * are rounded up to whole pages. *out gets the thread, to join or detach
 * (out NULL: created detached). The new thread starts with interrupts in
 * the creator's state. 0; -EINVAL: fn NULL or stack_size over 1 GiB;
 * -ENOMEM: no memory for the stack or TLS block, or no guard page slot
 * left (CONFIG_LIBUKSCHED_STACK_GUARDS).
 */
int uk_thread_create(struct uk_thread **out, const char *name, size_t stack_size,
		     void *(*fn)(void *), void *arg);
/* Ends the calling thread with retval (what join returns). The boot
 * thread may call it too; returning from main() ends the whole program.
 * Before the thread stops, uk_thread_exit_notify(self) runs, if a library
 * defines it (weak; posix-thread's clears CLONE_CHILD_CLEARTID's word and
 * wakes its futex), with interrupts enabled as the caller had them. */
void uk_thread_exit(void *retval) __noreturn;
void uk_thread_exit_notify(struct uk_thread *self);
/* Called (weak, if defined) when an ended thread's memory is freed: by
 * the joiner, or for a detached thread by the next thread to run, with
 * interrupts masked; it must not block (posix-thread unmaps a stack the
 * thread asked to lose: uk_thread_unmapself()). */
void uk_thread_free_notify(struct uk_thread *t);

/*
 * uk_thread_create() for a caller that brings the stack and/or the thread
 * pointer (clone(2): the application's stack and TLS). stack_top: the
 * stack's end (the first push goes below it), or 0 for a stack made as
 * uk_thread_create() makes one (stack_size). tp: the thread pointer, or 0
 * for a fresh TLS block. Same results as uk_thread_create(); a given stack
 * and TLS are the caller's to free.
 */
int uk_thread_create_ext(struct uk_thread **out, const char *name, size_t stack_size,
			 uintptr_t stack_top, uintptr_t tp, void *(*fn)(void *), void *arg);
/* Per-thread words for the POSIX layer (posix-thread, posix-signal):
 * uksched keeps them zeroed at creation and never reads them. */
void **uk_thread_posix_data(struct uk_thread *t);
#define UK_THREAD_POSIX_WORDS 12
/*
 * Waits until t ended, stores its value in *retval (retval may be NULL),
 * frees its stack and TLS block. 0; -EINVAL: t is detached or already
 * joined by another thread; -EDEADLK: t is the caller.
 */
int uk_thread_join(struct uk_thread *t, void **retval);
/* t's resources are freed when it ends, without a join. 0, -EINVAL (already
 * detached, or being joined). */
int uk_thread_detach(struct uk_thread *t);

/* Lets the next runnable thread run (round-robin: the caller goes last).
 * Returns at once when no other thread is runnable. */
void uk_sched_yield(void);
/*
 * Marks t blocked: it leaves the run queue, and the current thread stops at
 * its next uk_sched_yield(). The usual sequence, with interrupts masked so
 * that a wake cannot come between the check and the block:
 *     flags = ukplat_lcpu_save_irqf();
 *     while (!cond) { put self on a wait list; uk_thread_block(self); uk_sched_yield(); }
 *     ukplat_lcpu_restore_irqf(flags);
 * A wake between block and yield makes the yield a plain yield.
 */
void uk_thread_block(struct uk_thread *t);
/* Makes t runnable again (no-op if it is). Safe from interrupt context. */
void uk_thread_wake(struct uk_thread *t);
/*
 * The same three for a caller that already masked interrupts (a lock's
 * slow path, inside its own save/restore pair): they skip their own pair.
 * Calling them with interrupts enabled is a bug (a wake can be lost).
 */
void uk_sched_yield_locked(void);
void uk_thread_block_locked(struct uk_thread *t);
void uk_thread_wake_locked(struct uk_thread *t);
/*
 * With interrupts masked (uk_thread_block_locked's rule): blocks the
 * calling thread until a uk_thread_wake() or, deadline_ns != 0, until
 * uk_time_now_ns() >= deadline_ns, whichever comes first. The caller tells
 * which from its own state (a wake flag, the clock): wakes may be spurious.
 */
void uk_sched_block_until_locked(uint64_t deadline_ns);
/* Makes tp the calling thread's thread pointer, now and after every switch
 * (arch_prctl(ARCH_SET_FS)). */
void uk_thread_set_tp(uintptr_t tp);
/* The thread pointer t runs with (the last uk_thread_set_tp()'s). */
uintptr_t uk_thread_get_tp(const struct uk_thread *t);

/* Blocks the caller until uk_time_now_ns() >= deadline_ns (never earlier;
 * a uk_thread_wake() before then does not end the sleep). */
void uk_sched_sleep_until(uint64_t deadline_ns);

#endif
