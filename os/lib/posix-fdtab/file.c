/* SPDX-License-Identifier: BSD-3-Clause */
/* Open file descriptions (uk/file.h): allocation, references, waiting,
 * watchers (the one wake mechanism under pipes, sockets, epoll, poll). */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/alloc.h>
#include <uk/file.h>
#include <uk/plat/irq.h>
#include <uk/time.h>
#include <uk/timer.h>
#ifdef CONFIG_LIBUKLOCK
#include <uk/mutex.h>
#endif

#define KEPT_FLAGS (UK_O_ACCMODE | UK_O_APPEND | UK_O_NONBLOCK | UK_O_PATH | \
		    UK_O_DIRECT | UK_O_SYNC | UK_O_DSYNC | UK_O_NOATIME | UK_O_ASYNC | \
		    UK_O_LARGEFILE)

#ifdef CONFIG_LIBUKLOCK
static struct uk_mutex watch_lock = UK_MUTEX_RECURSIVE_INITIALIZER;

void uk_file_watch_lock(void)
{
	uk_mutex_lock(&watch_lock);
}

void uk_file_watch_unlock(void)
{
	uk_mutex_unlock(&watch_lock);
}
#else
/* One thread: a put's gone calls cannot interleave with anything. */
void uk_file_watch_lock(void)
{
}

void uk_file_watch_unlock(void)
{
}
#endif

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
	bool watched = f->watches != NULL;
	struct uk_file_watch *w, *next;

	ukplat_lcpu_restore_irqf(irqf);
	if (left != 0)
		return;
	/* Nobody can reach f any more but its watchers (and no one can add
	 * one): under the watch lock, so an owner freeing its watchers waits
	 * for the gone calls or finishes first, take them off (a late
	 * uk_file_wake sees none), then tell each. */
	if (watched) {
		uk_file_watch_lock();
		irqf = ukplat_lcpu_save_irqf();
		w = f->watches;
		f->watches = NULL;
		ukplat_lcpu_restore_irqf(irqf);
		for (; w; w = next) {
			next = w->next;
			w->next = NULL;
			if (w->gone)
				w->gone(w, f);
		}
		uk_file_watch_unlock();
	}
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

int uk_file_wait_until_locked(struct uk_file *f __unused, uint64_t deadline_ns)
{
#ifdef CONFIG_LIBUKLOCK
	return uk_waitq_wait_until_locked(&f->wq, deadline_ns);
#else
	/* One thread: only an interrupt handler can change anything, and
	 * the halt returns after the first one (masked: none is missed). */
	if (deadline_ns && uk_time_now_ns() >= deadline_ns)
		return -ETIMEDOUT;
	uk_time_halt_until(deadline_ns ? deadline_ns : UINT64_MAX);
	return 0;
#endif
}

void uk_file_wake(struct uk_file *f)
{
	unsigned long irqf = ukplat_lcpu_save_irqf();
	struct uk_file_watch *w;

	for (w = f->watches; w; w = w->next)
		w->wake(w, f);
#ifdef CONFIG_LIBUKLOCK
	uk_waitq_wake_all(&f->wq);
#endif
	ukplat_lcpu_restore_irqf(irqf);
}

void uk_file_watch_add(struct uk_file *f, struct uk_file_watch *w)
{
	unsigned long irqf = ukplat_lcpu_save_irqf();

	w->next = f->watches;
	f->watches = w;
	ukplat_lcpu_restore_irqf(irqf);
}

bool uk_file_watch_del(struct uk_file *f, struct uk_file_watch *w)
{
	unsigned long irqf = ukplat_lcpu_save_irqf();
	struct uk_file_watch **pp;
	bool found = false;

	for (pp = &f->watches; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			w->next = NULL;
			found = true;
			break;
		}
	}
	ukplat_lcpu_restore_irqf(irqf);
	return found;
}
