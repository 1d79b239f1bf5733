/* SPDX-License-Identifier: BSD-3-Clause */
/* Open file descriptions (uk/file.h): allocation, references, waiting. */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/alloc.h>
#include <uk/file.h>
#include <uk/plat/irq.h>

#define KEPT_FLAGS (UK_O_ACCMODE | UK_O_APPEND | UK_O_NONBLOCK | UK_O_PATH | \
		    UK_O_DIRECT | UK_O_SYNC | UK_O_DSYNC | UK_O_NOATIME | UK_O_ASYNC | \
		    UK_O_LARGEFILE)

struct uk_file *uk_file_alloc(const struct uk_file_ops *ops, void *priv,
			      unsigned int flags, unsigned int fflags)
{
	struct uk_file *f = uk_calloc(uk_alloc_get_default(), 1, sizeof(*f));

	if (!f)
		return NULL;
	f->ops = ops;
	f->priv = priv;
	f->flags = flags & KEPT_FLAGS;
	f->fflags = fflags;
	f->refs = 1;
#ifdef CONFIG_LIBUKLOCK
	uk_waitq_init(&f->wq);
#endif
	return f;
}

/* One CPU: the count changes with interrupts masked (no __atomic
 * builtins: on arm64 they call libgcc's outline atomics). */
struct uk_file *uk_file_get(struct uk_file *f)
{
	unsigned long irqf = ukplat_lcpu_save_irqf();

	f->refs++;
	ukplat_lcpu_restore_irqf(irqf);
	return f;
}

void uk_file_put(struct uk_file *f)
{
	unsigned long irqf = ukplat_lcpu_save_irqf();
	long left = --f->refs;

	ukplat_lcpu_restore_irqf(irqf);
	if (left != 0)
		return;
	if (f->ops->release)
		f->ops->release(f);
	uk_free(uk_alloc_get_default(), f);
}

int uk_file_wait_locked(struct uk_file *f __unused)
{
#ifdef CONFIG_LIBUKLOCK
	uk_waitq_wait_locked(&f->wq);
	return 0;
#else
	return -EAGAIN;
#endif
}

void uk_file_wake(struct uk_file *f __unused)
{
#ifdef CONFIG_LIBUKLOCK
	uk_waitq_wake_all(&f->wq);
#endif
}
