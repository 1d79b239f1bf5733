/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The preemptive round-robin policy: ukschedcoop's FIFO run queue, plus a
 * time slice. Whenever a thread gets the CPU while another is runnable, a
 * uktime timer event is armed CONFIG_LIBUKSCHEDPREEMPT_QUANTUM_US ahead;
 * when it fires (interrupt context) it asks for a reschedule, and the
 * architecture's interrupt return path switches (uk/sched_policy.h). With
 * nobody else runnable, or idle, the event is cancelled: no periodic tick.
 *
 * At boot the policy unmasks interrupts on the boot thread (the platform
 * sets its controller up first); threads inherit their creator's state, so
 * every thread runs with interrupts on. The timer is first armed when a
 * second thread becomes runnable, not at boot: arming it may calibrate the
 * clock (x86: ~10 ms against the PIT), which an image whose main never
 * starts a thread should not pay. On linuxu events return -ENOTSUP and the
 * policy is cooperative from then on.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat/irq.h>
#include <uk/time.h>
#include <uk/timer.h>
#include <uk/sched_policy.h>

#define QUANTUM_NS (CONFIG_LIBUKSCHEDPREEMPT_QUANTUM_US * 1000ULL)

static struct uk_sched_fifo rq;
static struct uk_timer_event slice;
static int have_timer = -1;       /* -1: not tried yet; 0: none (-ENOTSUP) */

static void preempt_enqueue(struct uk_thread *t)
{
	uk_sched_fifo_push(&rq, t);
}

static struct uk_thread *preempt_dequeue(void)
{
	return uk_sched_fifo_pop(&rq);
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
		have_timer = uk_timer_event_arm(&slice, uk_time_now_ns() + QUANTUM_NS,
						slice_over, NULL) != -ENOTSUP;
	else if (have_timer > 0)
		uk_timer_event_cancel(&slice);
}

static void preempt_idle(void)
{
	if (have_timer > 0)
		uk_timer_event_cancel(&slice);
}

static void preempt_init(void)
{
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
