/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Threads' lives: create (stack with a guard page, TLS block, first
 * context), exit, join, detach. Scheduling is sched.c's.
 *
 * Memory per thread, all from the default allocator: the structure and the
 * TLS block in one uk_malloc(); the stack in whole pages (uk_palloc: page
 * aligned), the lowest one unmapped as its guard (ukplat_stack_guard()), so
 * an overflow is a "stack overflow" crash report naming the thread. The
 * guard page is mapped back (ukplat_stack_unguard()) before the pages go
 * back to the allocator. A detached thread that ends cannot free the stack
 * it runs on: the next thread to run frees it (sched.c, reap()).
 */
#include <uk/essentials.h>
#include <uk/assert.h>
#include <uk/errno.h>
#include <uk/alloc.h>
#include <uk/plat.h>
#include <uk/plat/irq.h>
#include <uk/plat/paging.h>
#include <uk/tls.h>
#include <uk/arch_ctx.h>
#include <uk/sched_policy.h>
#include "sched_impl.h"

#define STACK_MAX (1UL << 30)

#define MAIN_TID 1      /* the boot thread: nothing of it is freed */

void uk_thread_exit_notify(struct uk_thread *self) __weak;
void uk_thread_free_notify(struct uk_thread *t) __weak;

/* The structure and TLS block: one allocation, the block after the
 * structure (uk_tls_size() includes the alignment slack). */
static void *tls_block(struct uk_thread *t)
{
	return t + 1;
}

void uksched_thread_free(struct uk_thread *t)
{
	struct uk_alloc *a = uk_alloc_get_default();

	if (uk_thread_free_notify)
		uk_thread_free_notify(t);
	if (t->stack) {                 /* ours (not main's, not a clone's) */
		ukplat_stack_unguard((uintptr_t)t->stack);
		uk_pfree(a, t->stack, t->stack_pages);
	}
	uk_free(a, t);
}

/* Every thread but main starts here, interrupts masked, on its stack. */
static void __noreturn thread_entry(void *arg)
{
	struct uk_thread *t = arg;

	uksched_thread_started();
	if (t->flags & UK_THREAD_F_IRQS_ON)
		ukplat_lcpu_enable_irq();
	uk_thread_exit(t->fn(t->arg));
}

int uk_thread_create_ext(struct uk_thread **out, const char *name, size_t stack_size,
			 uintptr_t stack_top, uintptr_t tp, void *(*fn)(void *), void *arg)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_thread *t;
	unsigned long pages = 0, flags;

	if (!fn || stack_size > STACK_MAX || !uk_thread_current())
		return -EINVAL;
	if (!stack_size)
		stack_size = CONFIG_LIBUKSCHED_STACK_SIZE;
	if (!stack_top)
		pages = UK_ALIGN_UP(stack_size, __PAGE_SIZE) / __PAGE_SIZE + 1;
	t = uk_malloc(a, sizeof(*t) + (tp ? 0 : uk_tls_size()));
	if (!t)
		return -ENOMEM;
	*t = (struct uk_thread){ .fn = fn, .arg = arg, .state = UK_THREAD_BLOCKED,
				 .stack_pages = pages };
	uk_thread_set_name(t, name);
	if (!stack_top) {
		t->stack = uk_palloc(a, pages);
		if (!t->stack) {
			uk_free(a, t);
			return -ENOMEM;
		}
		if (ukplat_stack_guard((uintptr_t)t->stack) < 0) {
			uk_pfree(a, t->stack, pages);
			uk_free(a, t);
			return -ENOMEM;
		}
		stack_top = (uintptr_t)t->stack + pages * __PAGE_SIZE;
	}
	t->tp = tp ? tp : uk_tls_init(tls_block(t));
	t->ctx_sp = arch_ctx_init(stack_top, thread_entry, t);
	if (!ukplat_lcpu_irqs_disabled())
		t->flags |= UK_THREAD_F_IRQS_ON;
	if (!out)
		t->flags |= UK_THREAD_F_DETACHED;
	else
		*out = t;
	flags = ukplat_lcpu_save_irqf();
	uksched_thread_add(t);
	uk_thread_wake_locked(t);
	ukplat_lcpu_restore_irqf(flags);
	return 0;
}

int uk_thread_create(struct uk_thread **out, const char *name, size_t stack_size,
		     void *(*fn)(void *), void *arg)
{
	return uk_thread_create_ext(out, name, stack_size, 0, 0, fn, arg);
}

void uk_thread_exit(void *retval)
{
	struct uk_thread *self = uk_thread_current();

	if (uk_thread_exit_notify)
		uk_thread_exit_notify(self);
	ukplat_lcpu_disable_irq();
	uksched_thread_remove(self);
	self->retval = retval;
	self->state = UK_THREAD_EXITED;
	if (self->joiner)
		uk_thread_wake(self->joiner);
	else if ((self->flags & UK_THREAD_F_DETACHED) && self->tid != MAIN_TID)
		uksched_set_zombie(self);
	uksched_schedule();
	uk_crashf("uksched: thread %s ran after its end", self->name);
}

int uk_thread_join(struct uk_thread *t, void **retval)
{
	struct uk_thread *self = uk_thread_current();
	unsigned long flags;

	if (t == self)
		return -EDEADLK;
	flags = ukplat_lcpu_save_irqf();
	if (t->flags & (UK_THREAD_F_DETACHED | UK_THREAD_F_JOINED)) {
		ukplat_lcpu_restore_irqf(flags);
		return -EINVAL;
	}
	t->flags |= UK_THREAD_F_JOINED;
	while (t->state != UK_THREAD_EXITED) {
		t->joiner = self;
		self->state = UK_THREAD_BLOCKED;
		uksched_schedule();
	}
	ukplat_lcpu_restore_irqf(flags);
	if (retval)
		*retval = t->retval;
	if (t->tid != MAIN_TID)
		uksched_thread_free(t);
	return 0;
}

int uk_thread_detach(struct uk_thread *t)
{
	unsigned long flags = ukplat_lcpu_save_irqf();
	int rc = 0;

	if (t->flags & (UK_THREAD_F_DETACHED | UK_THREAD_F_JOINED))
		rc = -EINVAL;
	else if (t->state == UK_THREAD_EXITED && t->tid != MAIN_TID)
		uksched_thread_free(t);         /* ended: switched away for good */
	else
		t->flags |= UK_THREAD_F_DETACHED;
	ukplat_lcpu_restore_irqf(flags);
	return rc;
}
