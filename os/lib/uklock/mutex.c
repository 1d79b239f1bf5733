/* SPDX-License-Identifier: BSD-3-Clause */
/* Mutexes (uk/mutex.h). */
#include <uk/essentials.h>
#include <uk/assert.h>
#include <uk/plat/irq.h>
#include <uk/sched.h>
#include <uk/mutex.h>

void uk_mutex_init(struct uk_mutex *m, bool recursive)
{
	*m = (struct uk_mutex){ .recursive = recursive };
	uk_waitq_init(&m->wq);
}

/* Interrupts masked. */
static bool take(struct uk_mutex *m, struct uk_thread *self)
{
	if (m->owner == self) {
		UK_ASSERT(m->recursive);        /* a plain mutex locked twice */
		m->depth++;
		return true;
	}
	if (m->owner)
		return false;
	m->owner = self;
	m->depth = 1;
	return true;
}

void uk_mutex_lock(struct uk_mutex *m)
{
	struct uk_thread *self = uk_thread_current();
	unsigned long flags = ukplat_lcpu_save_irqf();

	while (!take(m, self))
		uk_waitq_wait_locked(&m->wq);
	ukplat_lcpu_restore_irqf(flags);
}

bool uk_mutex_trylock(struct uk_mutex *m)
{
	unsigned long flags = ukplat_lcpu_save_irqf();
	bool got = take(m, uk_thread_current());

	ukplat_lcpu_restore_irqf(flags);
	return got;
}

void uk_mutex_unlock(struct uk_mutex *m)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	UK_ASSERT(m->owner == uk_thread_current() && m->depth > 0);
	if (--m->depth == 0) {
		m->owner = NULL;
		uk_waitq_wake_one(&m->wq);
	}
	ukplat_lcpu_restore_irqf(flags);
}

bool uk_mutex_is_locked(const struct uk_mutex *m)
{
	return m->owner != NULL;
}
