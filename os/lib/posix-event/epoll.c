/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * epoll: epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait.
 *
 * An epoll instance is a uk_file (pollable: readable when one of its items
 * is ready, so epoll sets nest). Each item watches its file through
 * posix-fdtab's watchers (uk/file.h): uk_file_wake(f), from any context,
 * puts the item on the instance's ready list and wakes the instance. The
 * ready list only says "poll me": epoll_wait polls each queued item
 * (ops->poll, the one source of readiness) and
 *   - reports it if the answer meets the item's events (+ ERR, HUP);
 *   - level-triggered: keeps it queued, so the next wait polls it again;
 *   - EPOLLET: drops it until the file's next wake;
 *   - EPOLLONESHOT: disables it until EPOLL_CTL_MOD.
 * A wake that comes while an item is being polled keeps it queued, so no
 * edge is lost. Files without wake-ups (UK_FILE_POLLED: the console) are
 * queued by every look, and a wait over them sleeps 1 ms at a time. EPOLLEXCLUSIVE is accepted (with Linux's checks) and wakes
 * every waiter. Items are keyed by (fd, file) as on Linux, hold no
 * reference, and go away when their file's last reference does (the
 * watcher's gone), or with EPOLL_CTL_DEL, or with the instance.
 *
 * Locking: the ready list and the items' queue state change with
 * interrupts masked (wakes come from interrupt handlers); everything else
 * (the item list, polling items) under the instance's mutex. Order:
 * uk_file_watch_lock → the loop lock → an instance → an instance it
 * contains.
 */
#include <uk/alloc.h>
#include "event_impl.h"

/* Nesting: Linux's EP_MAX_NESTS. */
#define EP_MAX_NESTS 4
/* Buckets of the (fd, file) lookup: 512 bytes per instance. */
#define EP_HASH 64
#define EP_PRIVATE (UK_EPOLLWAKEUP | UK_EPOLLONESHOT | UK_EPOLLET | UK_EPOLLEXCLUSIVE)
#define EP_EXCLUSIVE_OK (UK_EPOLLIN | UK_EPOLLOUT | UK_EPOLLRDNORM | UK_EPOLLRDBAND | \
			 UK_EPOLLWRNORM | UK_EPOLLWRBAND | UK_EPOLLERR | UK_EPOLLHUP | \
			 UK_EPOLLWAKEUP | UK_EPOLLET | UK_EPOLLEXCLUSIVE)

struct epoll;

struct epitem {
	struct uk_file_watch watch;     /* on file; watch.arg = the item */
	struct epoll *ep;
	struct uk_file *file;           /* not a reference */
	int fd;
	uint32_t events;                /* asked for; ONESHOT fired: private bits only */
	uint64_t data;
	struct epitem *next;            /* ep->items */
	struct epitem *hnext;           /* ep->hash[fd % EP_HASH] */
	struct epitem *rnext;           /* the ready list */
	bool queued;                    /* on the ready list, or being polled */
	bool pending;                   /* woken since it was last polled */
	bool polled;                    /* the file has UK_FILE_POLLED (at ADD) */
};

struct epoll {
	struct uk_file *self;           /* the instance's file (not a reference) */
#ifdef CONFIG_LIBUKLOCK
	struct uk_mutex lock;
#endif
	struct epitem *items;
	struct epitem *hash[EP_HASH];   /* the same items by fd */
	struct epitem *rhead, *rtail;   /* the ready list (interrupts masked) */
	unsigned int npolled;           /* items with polled set */
};

static const struct uk_file_ops ep_ops;

#ifdef CONFIG_LIBUKLOCK
/* Held while an epoll is added to an epoll: the loop check and the add
 * are one step (Linux's epnested_mutex). */
static struct uk_mutex loop_lock = UK_MUTEX_INITIALIZER;
#define LOCK(m) uk_mutex_lock(m)
#define UNLOCK(m) uk_mutex_unlock(m)
#else
#define LOCK(m) do { } while (0)
#define UNLOCK(m) do { } while (0)
#endif

static bool is_epoll(const struct uk_file *f)
{
	return f->ops == &ep_ops;
}

/* ---- the ready list (interrupts masked) ------------------------------- */

static void rq_append(struct epoll *ep, struct epitem *it)
{
	it->rnext = NULL;
	if (ep->rtail)
		ep->rtail->rnext = it;
	else
		ep->rhead = it;
	ep->rtail = it;
}

static void rq_remove(struct epoll *ep, struct epitem *it)
{
	struct epitem **pp = &ep->rhead, *prev = NULL;

	while (*pp && *pp != it) {
		prev = *pp;
		pp = &(*pp)->rnext;
	}
	if (!*pp)
		return;
	*pp = it->rnext;
	if (ep->rtail == it)
		ep->rtail = prev;
}

/* Interrupts masked (called by uk_file_wake, or by ctl). */
static void item_wake(struct uk_file_watch *w, struct uk_file *f __unused)
{
	struct epitem *it = w->arg;
	struct epoll *ep = it->ep;

	if (!(it->events & ~EP_PRIVATE))
		return;                         /* ONESHOT fired: until MOD */
	it->pending = true;
	if (!it->queued) {
		it->queued = true;
		rq_append(ep, it);
	}
	uk_file_wake(ep->self);
}

/* ---- polling the ready items (the instance's mutex held) -------------- */

/*
 * Polls the queued items in order, each once. Not peek: up to max events
 * go to the caller's array `out` (checked with uk_access_ok), with ET and
 * ONESHOT consumed; returns the count (-EFAULT if a copy failed anyway).
 * Peek (the instance's own poll): changes nothing an event would, returns
 * 1 as soon as one item is ready, else 0. Items found not ready leave the
 * list.
 */
static int harvest(struct epoll *ep, struct uk_epoll_event *out, int max, bool peek)
{
	struct epitem *list, *it, *tail, *p;
	bool fault = false;
	unsigned long irqf;
	int n = 0;

	if (ep->npolled) {              /* no wake-ups from those: look at them */
		irqf = ukplat_lcpu_save_irqf();
		for (p = ep->items; p; p = p->next) {
			if (p->polled && !p->queued && (p->events & ~EP_PRIVATE)) {
				p->queued = true;
				rq_append(ep, p);
			}
		}
		ukplat_lcpu_restore_irqf(irqf);
	}
	irqf = ukplat_lcpu_save_irqf();
	list = ep->rhead;
	ep->rhead = ep->rtail = NULL;
	ukplat_lcpu_restore_irqf(irqf);
	while (list && (peek || n < max)) {
		uint32_t rev = 0;
		bool keep;

		it = list;
		list = it->rnext;
		irqf = ukplat_lcpu_save_irqf();
		it->pending = false;
		ukplat_lcpu_restore_irqf(irqf);
		if (it->events & ~EP_PRIVATE)
			rev = ev_poll_file(it->file) & (it->events | UK_EPOLLERR | UK_EPOLLHUP) &
			      ~EP_PRIVATE;
		irqf = ukplat_lcpu_save_irqf();
		if (rev && !peek) {
			struct uk_epoll_event e = { .events = rev, .data = it->data };

			ukplat_lcpu_restore_irqf(irqf);
			if (uk_copy_to_user(out + n, &e, sizeof(e)))
				fault = true;
			irqf = ukplat_lcpu_save_irqf();
			n++;
			if (it->events & UK_EPOLLONESHOT)
				it->events &= EP_PRIVATE;
		}
		keep = it->pending ||
		       (rev && (peek || !(it->events & (UK_EPOLLET | UK_EPOLLONESHOT))));
		if (keep)
			rq_append(ep, it);
		else
			it->queued = false;
		ukplat_lcpu_restore_irqf(irqf);
		if (peek && rev) {
			n = 1;
			break;
		}
	}
	if (list) {                             /* not reached: back in front */
		irqf = ukplat_lcpu_save_irqf();
		for (tail = list; tail->rnext; tail = tail->rnext)
			;
		tail->rnext = ep->rhead;
		if (!ep->rhead)
			ep->rtail = tail;
		ep->rhead = list;
		ukplat_lcpu_restore_irqf(irqf);
	}
	return fault ? -EFAULT : n;
}

/* ---- the instance as a file ------------------------------------------- */

static unsigned int ep_poll(struct uk_file *f)
{
	struct epoll *ep = f->priv;
	int ready;

	LOCK(&ep->lock);
	ready = harvest(ep, NULL, 0, true);
	UNLOCK(&ep->lock);
	return ready ? UK_POLLIN | UK_POLLRDNORM : 0;
}

static int ep_fstat(struct uk_file *f __unused, struct uk_stat *st)
{
	__builtin_memset(st, 0, sizeof(*st));
	st->st_mode = 0600;             /* an anonymous inode, as on Linux */
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

/* Takes it off everything (its file, the lists) and frees it. The
 * instance's mutex held; `watched`: it is still on its file's list. */
static void item_free(struct epoll *ep, struct epitem *it, bool watched)
{
	struct epitem **pp;
	unsigned long irqf;

	if (watched)
		uk_file_watch_del(it->file, &it->watch);
	for (pp = &ep->items; *pp; pp = &(*pp)->next) {
		if (*pp == it) {
			*pp = it->next;
			break;
		}
	}
	for (pp = &ep->hash[(unsigned int)it->fd % EP_HASH]; *pp; pp = &(*pp)->hnext) {
		if (*pp == it) {
			*pp = it->hnext;
			break;
		}
	}
	irqf = ukplat_lcpu_save_irqf();
	if (it->queued)
		rq_remove(ep, it);
	ukplat_lcpu_restore_irqf(irqf);
	if (it->polled && !--ep->npolled)
		ep->self->fflags &= ~UK_FILE_POLLED;
	uk_free(uk_alloc_get_default(), it);
}

/* The instance's last reference: its items leave their files (under the
 * watch lock, so a file closing meanwhile cannot run gone on them). */
static void ep_release(struct uk_file *f)
{
	struct epoll *ep = f->priv;

	uk_file_watch_lock();
	LOCK(&ep->lock);
	while (ep->items)
		item_free(ep, ep->items, true);
	UNLOCK(&ep->lock);
	uk_file_watch_unlock();
	uk_free(uk_alloc_get_default(), ep);
}

static const struct uk_file_ops ep_ops = {
	.poll = ep_poll,
	.fstat = ep_fstat,
	.release = ep_release,
};

/* A watched file's last reference went: Linux drops it from every set. */
static void item_gone(struct uk_file_watch *w, struct uk_file *f __unused)
{
	struct epitem *it = w->arg;
	struct epoll *ep = it->ep;

	LOCK(&ep->lock);
	item_free(ep, it, false);
	UNLOCK(&ep->lock);
}

/* ---- syscalls ----------------------------------------------------------- */

long uk_sys_epoll_create1(int flags)
{
	struct epoll *ep;
	struct uk_file *f;
	int fd;

	if (flags & ~UK_EPOLL_CLOEXEC)
		return -EINVAL;
	ep = uk_calloc(uk_alloc_get_default(), 1, sizeof(*ep));
	if (!ep)
		return -ENOMEM;
#ifdef CONFIG_LIBUKLOCK
	uk_mutex_init(&ep->lock, false);
#endif
	f = uk_file_alloc(&ep_ops, ep, UK_O_RDWR, 0);
	if (!f) {
		uk_free(uk_alloc_get_default(), ep);
		return -ENOMEM;
	}
	ep->self = f;
	fd = uk_fdtab_install(f, 0, (unsigned int)flags & UK_O_CLOEXEC);
	uk_file_put(f);
	return fd;
}

long uk_sys_epoll_create(int size)
{
	if (size <= 0)
		return -EINVAL;
	return uk_sys_epoll_create1(0);
}

static struct epitem *item_find(struct epoll *ep, int fd, struct uk_file *f)
{
	struct epitem *it;

	for (it = ep->hash[(unsigned int)fd % EP_HASH]; it; it = it->hnext)
		if (it->fd == fd && it->file == f)
			return it;
	return NULL;
}

/* Whether epoll `from` reaches `to` through nested epolls, or nests deeper
 * than Linux allows. The loop lock held. */
static bool reaches(struct epoll *from, struct epoll *to, int depth)
{
	struct epitem *it;
	bool r = false;

	if (from == to || depth > EP_MAX_NESTS)
		return true;
	LOCK(&from->lock);
	for (it = from->items; it && !r; it = it->next)
		if (is_epoll(it->file))
			r = reaches(it->file->priv, to, depth + 1);
	UNLOCK(&from->lock);
	return r;
}

static long ctl(struct epoll *ep, int op, int fd, struct uk_file *tf,
		const struct uk_epoll_event *ev)
{
	struct epitem *it = item_find(ep, fd, tf);
	unsigned long irqf;

	switch (op) {
	case UK_EPOLL_CTL_ADD:
		if (it)
			return -EEXIST;
		it = uk_calloc(uk_alloc_get_default(), 1, sizeof(*it));
		if (!it)
			return -ENOMEM;
		it->ep = ep;
		it->file = tf;
		it->fd = fd;
		it->events = ev->events | UK_EPOLLERR | UK_EPOLLHUP;   /* as Linux */
		it->data = ev->data;
		it->watch.wake = item_wake;
		it->watch.gone = item_gone;
		it->watch.arg = it;
		it->polled = (tf->fflags & UK_FILE_POLLED) != 0;
		if (it->polled && !ep->npolled++)
			ep->self->fflags |= UK_FILE_POLLED;     /* so is the set */
		it->next = ep->items;
		ep->items = it;
		it->hnext = ep->hash[(unsigned int)fd % EP_HASH];
		ep->hash[(unsigned int)fd % EP_HASH] = it;
		uk_file_watch_add(tf, &it->watch);
		break;
	case UK_EPOLL_CTL_MOD:
		if (!it)
			return -ENOENT;
		if (it->events & UK_EPOLLEXCLUSIVE)
			return -EINVAL;
		irqf = ukplat_lcpu_save_irqf();
		it->events = ev->events | UK_EPOLLERR | UK_EPOLLHUP;
		it->data = ev->data;
		ukplat_lcpu_restore_irqf(irqf);
		break;
	default:                /* DEL */
		if (!it)
			return -ENOENT;
		item_free(ep, it, true);
		return 0;
	}
	/* the file may be ready already: queue it to be polled */
	if (ev_poll_file(tf) & (it->events | UK_EPOLLERR | UK_EPOLLHUP)) {
		irqf = ukplat_lcpu_save_irqf();
		item_wake(&it->watch, tf);
		ukplat_lcpu_restore_irqf(irqf);
	}
	return 0;
}

long uk_sys_epoll_ctl(int epfd, int op, int fd, struct uk_epoll_event *uev)
{
	struct uk_file *ef, *tf = NULL;
	struct uk_epoll_event ev = { 0 };
	struct epoll *ep;
	bool nested = false;
	long r;

	if (op != UK_EPOLL_CTL_DEL && uk_copy_from_user(&ev, uev, sizeof(ev)))
		return -EFAULT;
	ef = uk_fdtab_get(epfd);
	if (!ef)
		return -EBADF;
	tf = uk_fdtab_get(fd);
	if (!tf) {
		r = -EBADF;
		goto out;
	}
	r = -EPERM;
	if (!tf->ops->poll)
		goto out;               /* regular files, directories */
	r = -EINVAL;
	if (!is_epoll(ef) || tf == ef)
		goto out;
	if (op != UK_EPOLL_CTL_ADD && op != UK_EPOLL_CTL_MOD && op != UK_EPOLL_CTL_DEL)
		goto out;
	if (op != UK_EPOLL_CTL_DEL && (ev.events & UK_EPOLLEXCLUSIVE)) {
		if (op == UK_EPOLL_CTL_MOD || is_epoll(tf) || (ev.events & ~EP_EXCLUSIVE_OK))
			goto out;
	}
	ep = ef->priv;
	nested = op == UK_EPOLL_CTL_ADD && is_epoll(tf);
	if (nested) {
		LOCK(&loop_lock);
		if (reaches(tf->priv, ep, 1)) {
			r = -ELOOP;
			goto unlock;
		}
	}
	LOCK(&ep->lock);
	r = ctl(ep, op, fd, tf, &ev);
	UNLOCK(&ep->lock);
unlock:
	if (nested)
		UNLOCK(&loop_lock);
out:
	if (tf)
		uk_file_put(tf);
	uk_file_put(ef);
	return r;
}

/* Up to max events into the user's array, waiting as t says. */
static long ep_wait(int epfd, struct uk_epoll_event *uevents, int max, struct ev_timeout t,
		    const unsigned long *sigmask, unsigned long sigsetsize)
{
	struct uk_file *f;
	struct epoll *ep;
	unsigned long irqf, mask = 0;
	bool intr = false;
	long n, r;

	if (max <= 0 || (unsigned long)max > 0x7fffffffUL / sizeof(struct uk_epoll_event))
		return -EINVAL;
	if (!uk_access_ok(uevents, (size_t)max * sizeof(*uevents), true))
		return -EFAULT;
	f = uk_fdtab_get(epfd);
	if (!f)
		return -EBADF;
	if (!is_epoll(f)) {
		uk_file_put(f);
		return -EINVAL;
	}
	ep = f->priv;
	if (sigmask) {
		r = ev_sigmask_check(sigmask, sigsetsize, &intr, &mask);
		if (r) {
			uk_file_put(f);
			return r;
		}
	}
	for (;;) {
		LOCK(&ep->lock);
		n = harvest(ep, uevents, max, false);
		UNLOCK(&ep->lock);
		if (n || t.nonblock)
			break;
		if (intr) {
			ev_sigmask_deliver(mask);
			n = -EINTR;
			break;
		}
		irqf = ukplat_lcpu_save_irqf();
		r = ep->rhead ? 0 : uk_file_wait_until_locked(f, ev_slice(&t, ep->npolled != 0));
		ukplat_lcpu_restore_irqf(irqf);
		if (r == -ETIMEDOUT && ev_expired(&t))
			t.nonblock = true;      /* one last look, then 0 */
	}
	uk_file_put(f);
	return n;
}

long uk_sys_epoll_wait(int epfd, struct uk_epoll_event *events, int maxevents, int timeout)
{
	return ep_wait(epfd, events, maxevents, ev_timeout_ms(timeout), NULL, 0);
}

long uk_sys_epoll_pwait(int epfd, struct uk_epoll_event *events, int maxevents, int timeout,
			const unsigned long *sigmask, unsigned long sigsetsize)
{
	return ep_wait(epfd, events, maxevents, ev_timeout_ms(timeout), sigmask, sigsetsize);
}
