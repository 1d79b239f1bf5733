/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uksched's core: the current thread, the switch, yield/block/wake, sleep,
 * preemption at interrupt return, and the boot thread "main". The run queue
 * is the registered policy's (uk/sched_policy.h); threads' lives (create,
 * exit, join) are in thread.c.
 *
 * Masking discipline: one CPU, so the scheduler's state (run queue,
 * sleepers, thread states) is protected by masking interrupts
 * (ukplat_lcpu_save_irqf/restore_irqf) around every change, and
 * arch_ctx_switch() runs with interrupts masked. Each thread keeps its own
 * interrupt state in its own frame: a thread that switched away with
 * interrupts masked gets them back masked, then restores what it saved.
 */
#include <uk/essentials.h>
#include <uk/assert.h>
#include <uk/init.h>
#include <uk/plat.h>
#include <uk/plat/irq.h>
#include <uk/tls.h>
#include <uk/time.h>
#include <uk/timer.h>
#include <uk/arch_ctx.h>
#include <uk/sched_policy.h>
#include "sched_impl.h"

extern const struct uk_sched_policy *const __start_uk_sched_policies[] __weak;
extern const struct uk_sched_policy *const __stop_uk_sched_policies[] __weak;

static const struct uk_sched_policy *policy;
static struct uk_thread *current;
static struct uk_thread main_thread = { .name = "main", .state = UK_THREAD_RUNNING, .tid = 1 };
/* Live threads (created, not yet ended), through all_next; their count. */
static struct uk_thread *all_threads;
static unsigned int nr_threads;
static int next_tid = 2;
static struct uk_thread *sleepers;
/* The scheduler itself runs (switching, or idle): no preemption now. */
static int in_sched;
volatile int uk_sched_need_resched;
/* A detached thread that ended: freed by the next thread to run. */
static struct uk_thread *zombie;
/* Threads in the run queue (blocked ones not yet dropped included). */
static unsigned int nr_queued;

struct uk_thread *uk_thread_current(void)
{
	return current;
}

const char *uk_thread_name(const struct uk_thread *t)
{
	return t->name;
}

/* ukdebug's crash report names the thread (weak there). */
const char *uk_crash_thread_name(void)
{
	return current ? current->name : NULL;
}

void uk_thread_set_name(struct uk_thread *t, const char *name)
{
	size_t i;

	for (i = 0; name && name[i] && i < sizeof(t->name) - 1; i++)
		t->name[i] = name[i];
	t->name[i] = '\0';
}

int uk_thread_tid(const struct uk_thread *t)
{
	return t->tid;
}

void **uk_thread_posix_data(struct uk_thread *t)
{
	return t->posix;
}

unsigned int uk_sched_nr_threads(void)
{
	return nr_threads;
}

struct uk_thread *uk_thread_by_tid(int tid)
{
	unsigned long flags = ukplat_lcpu_save_irqf();
	struct uk_thread *t;

	for (t = all_threads; t && t->tid != tid; t = t->all_next)
		;
	ukplat_lcpu_restore_irqf(flags);
	return t;
}

/* A new thread joins the live list and gets its tid. Interrupts masked. */
void uksched_thread_add(struct uk_thread *t)
{
	t->tid = next_tid++;
	t->all_next = all_threads;
	all_threads = t;
	nr_threads++;
}

/* An ending thread leaves the live list. Interrupts masked. */
void uksched_thread_remove(struct uk_thread *t)
{
	struct uk_thread **p;

	for (p = &all_threads; *p; p = &(*p)->all_next)
		if (*p == t) {
			*p = t->all_next;
			nr_threads--;
			break;
		}
}

/* Puts t in the policy's run queue, once. Interrupts masked. */
static void rq_add(struct uk_thread *t)
{
	t->state = UK_THREAD_RUNNABLE;
	if (!t->in_rq) {
		t->in_rq = 1;
		nr_queued++;
		policy->enqueue(t);
		/* the running thread got the CPU alone (no time slice) and now
		 * has company, woken or created: its slice starts now, or a
		 * thread that never blocks would keep the CPU for good */
		if (nr_queued == 1 && !in_sched && current && current != t &&
		    current->state == UK_THREAD_RUNNING)
			policy->running(current, true);
	}
}

/* The next runnable thread, or NULL; threads blocked while queued are
 * dropped from the queue. Interrupts masked. */
static struct uk_thread *rq_pick(void)
{
	struct uk_thread *t;

	while ((t = policy->dequeue()) != NULL) {
		t->in_rq = 0;
		nr_queued--;
		if (t->state == UK_THREAD_RUNNABLE)
			return t;
	}
	return NULL;
}

/* Wakes the sleepers whose deadline passed; returns the earliest deadline
 * of those left (UINT64_MAX: none). Interrupts masked. */
static uint64_t wake_sleepers(void)
{
	struct uk_thread **p = &sleepers, *t;
	uint64_t now, next = UINT64_MAX;

	if (!sleepers)
		return next;
	now = uk_time_now_ns();
	while ((t = *p) != NULL) {
		if (t->wake_at <= now) {
			*p = t->sleep_next;
			t->sleep_next = NULL;
			t->wake_at = 0;
			if (t->state == UK_THREAD_BLOCKED)
				rq_add(t);
		} else {
			next = UK_MIN(next, t->wake_at);
			p = &t->sleep_next;
		}
	}
	return next;
}

/* Takes t off the sleepers list. Interrupts masked. */
static void sleepers_remove(struct uk_thread *t)
{
	struct uk_thread **p;

	for (p = &sleepers; *p; p = &(*p)->sleep_next)
		if (*p == t) {
			*p = t->sleep_next;
			break;
		}
	t->sleep_next = NULL;
	t->wake_at = 0;
}

/* Frees the detached thread that ended last, if any (thread.c). */
static void reap(void)
{
	struct uk_thread *z = zombie;

	if (z) {
		zombie = NULL;
		uksched_thread_free(z);
	}
}

/*
 * Gives the CPU to the next runnable thread: the current one goes to the
 * end of the run queue if it is still running, stays out if it blocked or
 * ended. With nothing runnable the CPU halts until the earliest sleeper's
 * deadline or an interrupt (uk_time_halt_until(): tickless). Interrupts
 * masked; returns when the caller runs again (never, for an ended thread).
 */
void uksched_schedule(void)
{
	struct uk_thread *prev = current, *next;
	uint64_t deadline;

	in_sched++;
	uk_sched_need_resched = 0;
	for (;;) {
		/* prev yields; or it blocked and an interrupt woke it while we
		 * idled here: uk_thread_wake_locked() only marks the current
		 * thread running (it "had not yielded yet"), so it is queued
		 * here, before a sleeper that came due in the same wake-up is
		 * picked (else prev stayed off the queue for good) */
		if (prev->state == UK_THREAD_RUNNING)
			rq_add(prev);
		deadline = wake_sleepers();
		next = rq_pick();
		if (next)
			break;
		policy->idle();
		uk_time_halt_until(deadline);
	}
	next->state = UK_THREAD_RUNNING;
	current = next;
	policy->running(next, nr_queued > 0);
	if (next != prev) {
#if defined(__aarch64__)
		/* a libc sets TPIDR_EL0 itself (musl's __set_thread_area) */
		prev->tp = arch_tls_get_tp();
#endif
		arch_tls_set_tp(next->tp);
		arch_ctx_switch(&prev->ctx_sp, next->ctx_sp);
		/* prev runs again here (current == prev) */
		reap();
	}
	in_sched--;
}

/* A new thread's first C code (thread.c's entry calls it first). */
void uksched_thread_started(void)
{
	reap();
	in_sched--;
}

void uksched_set_zombie(struct uk_thread *t)
{
	UK_ASSERT(!zombie);
	zombie = t;
}

void uk_sched_yield_locked(void)
{
	if (current)
		uksched_schedule();
}

void uk_sched_yield(void)
{
	unsigned long flags;

	if (!current)
		return;
	flags = ukplat_lcpu_save_irqf();
	uksched_schedule();
	ukplat_lcpu_restore_irqf(flags);
}

void uk_thread_block_locked(struct uk_thread *t)
{
	if (t->state == UK_THREAD_RUNNING || t->state == UK_THREAD_RUNNABLE)
		t->state = UK_THREAD_BLOCKED;   /* a queued one is dropped by rq_pick */
}

void uk_thread_block(struct uk_thread *t)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	uk_thread_block_locked(t);
	ukplat_lcpu_restore_irqf(flags);
}

void uk_thread_wake_locked(struct uk_thread *t)
{
	if (t->state == UK_THREAD_BLOCKED) {
		if (t == current)
			t->state = UK_THREAD_RUNNING;   /* had not yielded yet */
		else
			rq_add(t);
	}
}

void uk_thread_wake(struct uk_thread *t)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	uk_thread_wake_locked(t);
	ukplat_lcpu_restore_irqf(flags);
}

void uk_sched_sleep_until(uint64_t deadline_ns)
{
	struct uk_thread *self = current;
	unsigned long flags;

	if (!self) {                            /* before the scheduler started */
		while (uk_time_now_ns() < deadline_ns)
			uk_time_halt_until(deadline_ns);
		return;
	}
	flags = ukplat_lcpu_save_irqf();
	while (uk_time_now_ns() < deadline_ns) {
		if (!self->wake_at) {
			self->sleep_next = sleepers;
			sleepers = self;
		}
		self->wake_at = deadline_ns;
		self->state = UK_THREAD_BLOCKED;
		uksched_schedule();
	}
	if (self->wake_at)      /* woken by uk_thread_wake(), ran after the deadline */
		sleepers_remove(self);
	ukplat_lcpu_restore_irqf(flags);
}

void uk_sched_block_until_locked(uint64_t deadline_ns)
{
	struct uk_thread *self = current;

	if (deadline_ns) {
		if (!self->wake_at) {
			self->sleep_next = sleepers;
			sleepers = self;
		}
		self->wake_at = deadline_ns;
	}
	self->state = UK_THREAD_BLOCKED;
	uksched_schedule();
	if (self->wake_at)      /* woken before the deadline */
		sleepers_remove(self);
}

void uk_thread_set_tp(uintptr_t tp)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	if (current)
		current->tp = tp;
	arch_tls_set_tp(tp);
	ukplat_lcpu_restore_irqf(flags);
}

uintptr_t uk_thread_get_tp(const struct uk_thread *t)
{
#if defined(__aarch64__)
	if (t == current)
		return arch_tls_get_tp();       /* may have been set with msr */
#endif
	return t->tp;
}

/* The strong one: uktime's weak uk_sleep_until_ns() halts the CPU; with a
 * scheduler, nanosleep() and friends block only the calling thread. */
void uk_sleep_until_ns(uint64_t deadline_ns)
{
	uk_sched_sleep_until(deadline_ns);
}

void uk_sched_request_resched(void)
{
	uk_sched_need_resched = 1;
}

void uk_sched_preempt(void)
{
	if (!current || in_sched) {
		return;                         /* the flag stays for the next return */
	}
	uksched_schedule();
}

bool uksched_in_sched(void)
{
	return in_sched != 0;
}

/* The boot context becomes the thread "main": its stack is the boot stack
 * (with the platform's guard page), its TLS block the boot one. */
static int uksched_init(void)
{
	const struct uk_sched_policy *const *p = __start_uk_sched_policies;

	if (p >= __stop_uk_sched_policies)
		uk_crashf("uksched: no scheduler registered (UKSCHED choice)");
	policy = *p;
	main_thread.tp = arch_tls_get_tp();
	current = &main_thread;
	all_threads = &main_thread;
	nr_threads = 1;
	if (policy->init)
		policy->init();
	return 0;
}
uk_initcall(uksched_init, 1, 0);
