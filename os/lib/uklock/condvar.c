/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Condition variables (uk/condvar.h). With interrupts masked, releasing the
 * mutex and joining the wait queue is one step on one CPU: no thread runs
 * and no interrupt comes between them.
 */
#include <uk/essentials.h>
#include <uk/assert.h>
#include <uk/plat/irq.h>
#include <uk/condvar.h>

void uk_condvar_init(struct uk_condvar *cv)
{
	uk_waitq_init(&cv->wq);
}

void uk_condvar_wait(struct uk_condvar *cv, struct uk_mutex *m)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	UK_ASSERT(m->depth == 1);
	uk_mutex_unlock(m);
	uk_waitq_wait_locked(&cv->wq);
	ukplat_lcpu_restore_irqf(flags);
	uk_mutex_lock(m);
}

void uk_condvar_signal(struct uk_condvar *cv)
{
	uk_waitq_wake_one(&cv->wq);
}

void uk_condvar_broadcast(struct uk_condvar *cv)
{
	uk_waitq_wake_all(&cv->wq);
}
