/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The preemptive round-robin policy: ukschedcoop's FIFO run queue, plus a
 * time slice. Whenever a thread gets the CPU while another is runnable, a
 * uktime timer event is armed CONFIG_LIBUKSCHEDPREEMPT_QUANTUM_US ahead;
 * when it fires (interrupt context) it asks for a reschedule, and the
 * architecture's interrupt return path switches (uk/sched_policy.h). With
 * nobody else runnable, or idle, the event is cancelled: no periodic tick.
 *
 * At boot the policy makes the platform set its interrupt controller up
 * (an event armed and cancelled: the first registration does it), then
 * unmasks interrupts on the boot thread; threads inherit their creator's
 * state, so every thread runs with interrupts on. On linuxu events return
 * -ENOTSUP and the policy is cooperative.
 */
#include <uk/essentials.h>
#include <uk/plat/irq.h>
#include <uk/time.h>
#include <uk/timer.h>
#include <uk/sched_policy.h>

#define QUANTUM_NS (CONFIG_LIBUKSCHEDPREEMPT_QUANTUM_US * 1000ULL)

static struct uk_thread *head, *tail;
static struct uk_timer_event slice;
static bool have_timer;

static void preempt_enqueue(struct uk_thread *t)
{
	t->rq_next = NULL;
	if (tail)
		tail->rq_next = t;
	else
		head = t;
	tail = t;
}

static struct uk_thread *preempt_dequeue(void)
{
	struct uk_thread *t = head;

	if (t) {
		head = t->rq_next;
		if (!head)
			tail = NULL;
	}
	return t;
}

/* Interrupt context: the running thread's slice is over. */
static void slice_over(struct uk_timer_event *ev __unused, void *arg __unused)
{
	uk_sched_request_resched();
}

static void preempt_running(struct uk_thread *t __unused, bool others)
{
	if (!have_timer)
		return;
	if (others)
		uk_timer_event_arm(&slice, uk_time_now_ns() + QUANTUM_NS, slice_over, NULL);
	else
		uk_timer_event_cancel(&slice);
}

static void preempt_idle(void)
{
	if (have_timer)
		uk_timer_event_cancel(&slice);
}

static void preempt_init(void)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	have_timer = uk_timer_event_arm(&slice, UINT64_MAX, slice_over, NULL) == 0;
	uk_timer_event_cancel(&slice);
	ukplat_lcpu_restore_irqf(flags);
	if (have_timer)
		ukplat_lcpu_enable_irq();
}

static const struct uk_sched_policy preempt = {
	.name = "preempt",
	.enqueue = preempt_enqueue,
	.dequeue = preempt_dequeue,
	.running = preempt_running,
	.idle = preempt_idle,
	.init = preempt_init,
};
UK_SCHED_POLICY(preempt);
