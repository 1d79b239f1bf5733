/* SPDX-License-Identifier: BSD-3-Clause */
/* Counting semaphores (uk/semaphore.h). */
#include <uk/essentials.h>
#include <uk/plat/irq.h>
#include <uk/semaphore.h>

void uk_semaphore_init(struct uk_semaphore *s, long count)
{
	s->count = count;
	uk_waitq_init(&s->wq);
}

void uk_semaphore_down(struct uk_semaphore *s)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	while (s->count <= 0)
		uk_waitq_wait_locked(&s->wq);
	s->count--;
	ukplat_lcpu_restore_irqf(flags);
}

bool uk_semaphore_down_try(struct uk_semaphore *s)
{
	unsigned long flags = ukplat_lcpu_save_irqf();
	bool got = s->count > 0;

	if (got)
		s->count--;
	ukplat_lcpu_restore_irqf(flags);
	return got;
}

void uk_semaphore_up(struct uk_semaphore *s)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	s->count++;
	uk_waitq_wake_one(&s->wq);
	ukplat_lcpu_restore_irqf(flags);
}
