/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counting semaphores. uk_semaphore_up() may be called from an interrupt
 * handler (the usual way for a driver to wake a thread); down only from a
 * thread. Masking discipline: uk/waitq.h.
 */
#ifndef UK_SEMAPHORE_H
#define UK_SEMAPHORE_H

#include <uk/essentials.h>
#include <uk/waitq.h>

struct uk_semaphore {
	long count;
	struct uk_waitq wq;
};

#define UK_SEMAPHORE_INITIALIZER(n) { (n), UK_WAITQ_INITIALIZER }

void uk_semaphore_init(struct uk_semaphore *s, long count);
/* Waits until the count is positive, then decrements it. */
void uk_semaphore_down(struct uk_semaphore *s);
/* Decrements a positive count: true; else false at once. */
bool uk_semaphore_down_try(struct uk_semaphore *s);
/* Increments the count and wakes one waiter. Any context. */
void uk_semaphore_up(struct uk_semaphore *s);

#endif
