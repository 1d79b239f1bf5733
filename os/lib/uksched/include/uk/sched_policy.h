/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * For scheduler libraries (ukschedcoop, ukschedpreempt) and uklock only:
 * the thread structure and the interface a scheduling policy registers.
 * Applications use uk/sched.h.
 *
 * A policy owns the run queue: uksched calls enqueue() when a thread becomes
 * runnable and dequeue() to pick the next one; running() tells it which
 * thread got the CPU and whether others wait (a preemptive policy arms its
 * time slice there); idle() that nothing is runnable. All four run with
 * interrupts masked and must not block. A policy registers itself with
 * UK_SCHED_POLICY() from the library chosen in the UKSCHED choice; uksched
 * names none (as allocator backends register with UK_ALLOC_BACKEND).
 *
 * Preemption: a policy's interrupt-context code calls
 * uk_sched_request_resched(); the architecture's interrupt return path then
 * switches threads (x86: on the interrupted thread's stack, after the end
 * of interrupt; arm64: through a return into uk_sched_preempt(), see
 * os/arch/arm64/preempt.S), never while the scheduler itself runs.
 */
#ifndef UK_SCHED_POLICY_H
#define UK_SCHED_POLICY_H

#include <uk/sched.h>

enum uk_thread_state {
	UK_THREAD_RUNNING,      /* the current thread */
	UK_THREAD_RUNNABLE,     /* waiting for the CPU */
	UK_THREAD_BLOCKED,      /* waiting for a uk_thread_wake() */
	UK_THREAD_EXITED,       /* ended, not yet joined */
};

struct uk_thread {
	uintptr_t ctx_sp;                /* arch_ctx_switch()'s saved context */
	uintptr_t tp;                    /* thread pointer (TLS) */
	volatile int state;              /* enum uk_thread_state */
	unsigned int flags;              /* UK_THREAD_F_* (uksched's) */
	struct uk_thread *rq_next;       /* the policy's run queue link */
	int in_rq;                       /* in the run queue (uksched keeps it) */
	struct uk_thread *sleep_next;    /* uksched's sleepers */
	uint64_t wake_at;                /* sleeping until (0: not sleeping) */
	struct uk_thread *joiner;        /* blocked in uk_thread_join() on us */
	void *(*fn)(void *);
	void *arg;
	void *retval;
	void *stack;                     /* guard page + stack, NULL for main */
	unsigned long stack_pages;       /* guard page included */
	char name[UK_THREAD_NAME_MAX];
	int tid;                         /* uk_thread_tid() */
	struct uk_thread *all_next;      /* uksched's list of live threads */
	void *posix[UK_THREAD_POSIX_WORDS];  /* uk_thread_posix_data() */
};

struct uk_sched_policy {
	const char *name;
	void (*enqueue)(struct uk_thread *t);
	struct uk_thread *(*dequeue)(void);           /* NULL when empty */
	void (*running)(struct uk_thread *t, bool others_runnable);
	void (*idle)(void);
	void (*init)(void);                           /* at boot, may be NULL */
};

/* A FIFO run queue linked through rq_next: the queue of both
 * ukschedcoop and ukschedpreempt. Interrupts masked, as for the policy's
 * own functions. */
struct uk_sched_fifo {
	struct uk_thread *head, *tail;
};

static inline void uk_sched_fifo_push(struct uk_sched_fifo *q, struct uk_thread *t)
{
	t->rq_next = NULL;
	if (q->tail)
		q->tail->rq_next = t;
	else
		q->head = t;
	q->tail = t;
}

/* The thread queued longest, or NULL when empty. */
static inline struct uk_thread *uk_sched_fifo_pop(struct uk_sched_fifo *q)
{
	struct uk_thread *t = q->head;

	if (t) {
		q->head = t->rq_next;
		if (!q->head)
			q->tail = NULL;
	}
	return t;
}

#define UK_SCHED_POLICY(var)                                                 \
	static const struct uk_sched_policy *const __uk_sched_policy_##var    \
	__attribute__((used, section("uk_sched_policies"), aligned(8))) = &(var)

/* From interrupt context: switch threads on the way out of this interrupt.
 * Has no effect while the scheduler runs (idle) or on linuxu. */
void uk_sched_request_resched(void);

/*
 * Called by the architecture's interrupt return path, interrupts masked, in
 * the context of the interrupted thread, when uk_sched_need_resched is set:
 * puts the thread at the end of the run queue and runs the next one.
 * Returns when the interrupted thread runs again. The arch calls it only
 * when a preemptive policy selected LIBUKSCHED_PREEMPTION.
 */
void uk_sched_preempt(void);
extern volatile int uk_sched_need_resched;
/*
 * Called (weak, if a library defines it) by the architecture just before
 * uk_sched_preempt() switches out the interrupted thread, interrupts
 * masked, with the interrupt's saved registers, which it may change (the
 * thread resumes with them): posix-thread's rseq moves an interrupted
 * restartable sequence to its abort handler (rseq.c).
 */
struct __regs;
void uk_sched_preempt_notify(struct __regs *regs) __weak;

#endif
