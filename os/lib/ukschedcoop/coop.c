/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cooperative round-robin policy: one FIFO run queue. A thread runs
 * until it yields, blocks, sleeps or ends, then the thread queued longest
 * runs; the yielding thread goes to the end. So with N runnable threads
 * that only yield, the order is exactly round-robin.
 */
#include <uk/essentials.h>
#include <uk/sched_policy.h>

static struct uk_sched_fifo rq;

static void coop_enqueue(struct uk_thread *t)
{
	uk_sched_fifo_push(&rq, t);
}

static struct uk_thread *coop_dequeue(void)
{
	return uk_sched_fifo_pop(&rq);
}

static void coop_running(struct uk_thread *t __unused, bool others __unused)
{
}

static void coop_idle(void)
{
}

static const struct uk_sched_policy coop = {
	.name = "coop",
	.enqueue = coop_enqueue,
	.dequeue = coop_dequeue,
	.running = coop_running,
	.idle = coop_idle,
};
UK_SCHED_POLICY(coop);
