/* SPDX-License-Identifier: BSD-3-Clause */
/* Wait queues (uk/waitq.h): entries live on the waiters' stacks. */
#include <uk/essentials.h>
#include <uk/assert.h>
#include <uk/plat/irq.h>
#include <uk/errno.h>
#include <uk/sched.h>
#include <uk/time.h>
#include <uk/waitq.h>

/* The entry is on this stack frame and in the queue only until a waker
 * pops it (before it sets e.woken), i.e. before this function returns. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdangling-pointer"
void uk_waitq_wait_locked(struct uk_waitq *wq)
{
	struct uk_waitq_entry e = { .thread = uk_thread_current() };

	UK_ASSERT(ukplat_lcpu_irqs_disabled());
	if (wq->tail)
		wq->tail->next = &e;
	else
		wq->head = &e;
	wq->tail = &e;
	while (!e.woken) {
		uk_thread_block_locked(e.thread);
		uk_sched_yield_locked();
	}
}

/* Takes e out of wq (a timed-out waiter that no wake popped). */
static void unlink_entry(struct uk_waitq *wq, struct uk_waitq_entry *e)
{
	struct uk_waitq_entry **pp = &wq->head, *prev = NULL;

	while (*pp && *pp != e) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	if (!*pp)
		return;
	*pp = e->next;
	if (wq->tail == e)
		wq->tail = prev;
}

int uk_waitq_wait_until_locked(struct uk_waitq *wq, uint64_t deadline_ns)
{
	struct uk_waitq_entry e = { .thread = uk_thread_current() };

	UK_ASSERT(ukplat_lcpu_irqs_disabled());
	if (!deadline_ns) {
		uk_waitq_wait_locked(wq);
		return 0;
	}
	if (wq->tail)
		wq->tail->next = &e;
	else
		wq->head = &e;
	wq->tail = &e;
	while (!e.woken) {
		if (uk_time_now_ns() >= deadline_ns) {
			unlink_entry(wq, &e);
			return -ETIMEDOUT;
		}
		uk_sched_block_until_locked(deadline_ns);
	}
	return 0;
}
#pragma GCC diagnostic pop

static struct uk_waitq_entry *pop(struct uk_waitq *wq)
{
	struct uk_waitq_entry *e = wq->head;

	if (e) {
		wq->head = e->next;
		if (!wq->head)
			wq->tail = NULL;
	}
	return e;
}

bool uk_waitq_wake_one(struct uk_waitq *wq)
{
	unsigned long flags = ukplat_lcpu_save_irqf();
	struct uk_waitq_entry *e = pop(wq);

	if (e) {
		e->woken = 1;
		uk_thread_wake_locked(e->thread);
	}
	ukplat_lcpu_restore_irqf(flags);
	return e != NULL;
}

void uk_waitq_wake_all(struct uk_waitq *wq)
{
	unsigned long flags = ukplat_lcpu_save_irqf();
	struct uk_waitq_entry *e;

	while ((e = pop(wq)) != NULL) {
		e->woken = 1;
		uk_thread_wake_locked(e->thread);
	}
	ukplat_lcpu_restore_irqf(flags);
}
