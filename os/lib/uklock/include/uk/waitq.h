/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Wait queues: threads waiting for an event, woken in FIFO order. The
 * building block of every blocking lock here.
 *
 * Masking discipline (all of uklock): the state a waiter checks is changed
 * only with interrupts masked, and a waiter checks it and joins the queue
 * with interrupts masked, so a wake (from a thread or an interrupt handler)
 * cannot fall between the check and the sleep:
 *
 *   flags = ukplat_lcpu_save_irqf();
 *   while (!condition)
 *       uk_waitq_wait_locked(&wq);     // returns masked, after a wake
 *   ...consume...
 *   ukplat_lcpu_restore_irqf(flags);
 *
 * and the waker: mask, change the state, uk_waitq_wake_one/all(), restore.
 * The wake functions may be called from interrupt context; waiting may not.
 */
#ifndef UK_WAITQ_H
#define UK_WAITQ_H

#include <uk/essentials.h>

struct uk_thread;

struct uk_waitq_entry {
	struct uk_thread *thread;
	struct uk_waitq_entry *next;
	volatile int woken;
};

struct uk_waitq {
	struct uk_waitq_entry *head, *tail;
};

#define UK_WAITQ_INITIALIZER { NULL, NULL }

static inline void uk_waitq_init(struct uk_waitq *wq)
{
	wq->head = wq->tail = NULL;
}

static inline bool uk_waitq_empty(const struct uk_waitq *wq)
{
	return !wq->head;
}

/* Interrupts masked, thread context: sleeps until a wake picks this
 * waiter. Returns with interrupts masked; re-check the condition. */
void uk_waitq_wait_locked(struct uk_waitq *wq);
/*
 * The same with a deadline (uk_time_now_ns() scale; 0: none, as above):
 * 0 when a wake picked this waiter, -ETIMEDOUT when the deadline passed
 * first (the waiter has then left the queue: a later wake picks another).
 * Returns with interrupts masked.
 */
int uk_waitq_wait_until_locked(struct uk_waitq *wq, uint64_t deadline_ns);
/* Wake the longest waiter / every waiter. true if one was woken. Any
 * context. */
bool uk_waitq_wake_one(struct uk_waitq *wq);
void uk_waitq_wake_all(struct uk_waitq *wq);

#endif
