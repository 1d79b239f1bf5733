/* SPDX-License-Identifier: BSD-3-Clause */
/* Reader-writer locks (uk/rwlock.h): one wait queue; every release that
 * can let someone in wakes all waiters, who re-check. */
#include <uk/essentials.h>
#include <uk/assert.h>
#include <uk/plat/irq.h>
#include <uk/rwlock.h>

void uk_rwlock_init(struct uk_rwlock *l)
{
	*l = (struct uk_rwlock){ 0 };
	uk_waitq_init(&l->wq);
}

void uk_rwlock_rlock(struct uk_rwlock *l)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	while (l->writer || l->writers_waiting)
		uk_waitq_wait_locked(&l->wq);
	l->readers++;
	ukplat_lcpu_restore_irqf(flags);
}

void uk_rwlock_runlock(struct uk_rwlock *l)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	UK_ASSERT(l->readers > 0);
	if (--l->readers == 0)
		uk_waitq_wake_all(&l->wq);
	ukplat_lcpu_restore_irqf(flags);
}

void uk_rwlock_wlock(struct uk_rwlock *l)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	l->writers_waiting++;
	while (l->writer || l->readers)
		uk_waitq_wait_locked(&l->wq);
	l->writers_waiting--;
	l->writer = 1;
	ukplat_lcpu_restore_irqf(flags);
}

void uk_rwlock_wunlock(struct uk_rwlock *l)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	UK_ASSERT(l->writer);
	l->writer = 0;
	uk_waitq_wake_all(&l->wq);
	ukplat_lcpu_restore_irqf(flags);
}
