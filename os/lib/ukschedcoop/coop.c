/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cooperative round-robin policy: one FIFO run queue. A thread runs
 * until it yields, blocks, sleeps or ends, then the thread queued longest
 * runs; the yielding thread goes to the end. So with N runnable threads
 * that only yield, the order is exactly round-robin.
 */
#include <uk/essentials.h>
#include <uk/sched_policy.h>

static struct uk_thread *head, *tail;

static void coop_enqueue(struct uk_thread *t)
{
	t->rq_next = NULL;
	if (tail)
		tail->rq_next = t;
	else
		head = t;
	tail = t;
}

static struct uk_thread *coop_dequeue(void)
{
	struct uk_thread *t = head;

	if (t) {
		head = t->rq_next;
		if (!head)
			tail = NULL;
	}
	return t;
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
