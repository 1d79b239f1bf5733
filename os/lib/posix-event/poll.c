/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * poll, ppoll, select, pselect6: one core (ev_poll) over an array of
 * (fd, events) entries. Each file is held (a reference) and watched
 * (uk/file.h) for the whole call; one pass polls them all (ops->poll, or
 * Linux's default mask for files without one: regular files are always
 * ready), and if none is ready the caller sleeps until a watcher fires or
 * the deadline passes, then polls again. After the deadline there is one
 * last pass, as on Linux. The temporary signal mask of ppoll/pselect6 and
 * Linux's EINTR: event_impl.h.
 */
#include <uk/alloc.h>
#include "event_impl.h"
#if defined(CONFIG_LIBPOSIX_SIGNAL)
#include <uk/linux/signal.h>
#endif

struct ev_ent {
	int fd;                         /* < 0: ignored (poll) */
	unsigned int events;            /* what counts as ready */
	unsigned int revents;
	unsigned int which;             /* select: the sets it is in (bit 0 in, 1 out, 2 ex) */
	struct uk_file *f;              /* NULL: not open (POLLNVAL) */
	struct uk_file_watch w;
};

static void ent_wake(struct uk_file_watch *w, struct uk_file *f __unused)
{
	ev_waiter_wake(w->arg);
}

/* ---- signal masks (event_impl.h) -------------------------------------- */

long ev_sigmask_check(const unsigned long *umask, unsigned long size,
		      bool *pending_unblocked, unsigned long *mask)
{
	unsigned long pending = 0;

	*pending_unblocked = false;
	if (size != sizeof(unsigned long))
		return -EINVAL;
	if (uk_copy_from_user(mask, umask, sizeof(*mask)))
		return -EFAULT;
#if defined(CONFIG_LIBPOSIX_SIGNAL)
	/* pending here means: pending and blocked by the current mask */
	if (uk_sys_rt_sigpending(&pending, sizeof(pending)) == 0)
		*pending_unblocked = (pending & ~*mask) != 0;
#else
	(void)pending;
#endif
	return 0;
}

void ev_sigmask_deliver(unsigned long mask __unused)
{
#if defined(CONFIG_LIBPOSIX_SIGNAL)
	unsigned long old;

	uk_sys_rt_sigprocmask(UK_SIG_SETMASK, &mask, &old, sizeof(mask));
	uk_sys_rt_sigprocmask(UK_SIG_SETMASK, &old, NULL, sizeof(old));
#endif
}

/* ---- the core ------------------------------------------------------------ */

/* One pass: revents of every entry; returns how many have some. */
static long ev_pass(struct ev_ent *e, unsigned int n)
{
	long ready = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (e[i].fd < 0)
			continue;
		e[i].revents = e[i].f ? ev_poll_file(e[i].f) & e[i].events : UK_POLLNVAL;
		if (e[i].revents)
			ready++;
	}
	return ready;
}

/*
 * Polls the n entries (fd and events filled in) until one is ready or t
 * says stop: the number ready (revents filled in), 0 at the deadline,
 * -EINTR when `intr` (a pending signal the temporary mask unblocks: it is
 * delivered first). Takes and drops the files itself.
 */
static long ev_poll(struct ev_ent *e, unsigned int n, struct ev_timeout t,
		    bool intr, unsigned long sigmask)
{
	struct ev_waiter waiter;
	bool polled = false;
	unsigned long irqf;
	unsigned int i;
	long ready;

	ev_waiter_init(&waiter);
	for (i = 0; i < n; i++) {
		e[i].f = e[i].fd >= 0 ? uk_fdtab_get(e[i].fd) : NULL;
		if (e[i].f) {
			polled |= (e[i].f->fflags & UK_FILE_POLLED) != 0;
			e[i].w = (struct uk_file_watch){ .wake = ent_wake, .arg = &waiter };
			uk_file_watch_add(e[i].f, &e[i].w);
		}
	}
	for (;;) {
		ready = ev_pass(e, n);
		if (ready || t.nonblock)
			break;
		if (intr) {
			ev_sigmask_deliver(sigmask);
			ready = -EINTR;
			break;
		}
		irqf = ukplat_lcpu_save_irqf();
		if (ev_waiter_wait_locked(&waiter, ev_slice(&t, polled)) == -ETIMEDOUT &&
		    ev_expired(&t))
			t.nonblock = true;      /* one last pass */
		ukplat_lcpu_restore_irqf(irqf);
	}
	for (i = 0; i < n; i++) {
		if (e[i].f) {
			uk_file_watch_del(e[i].f, &e[i].w);
			uk_file_put(e[i].f);
		}
	}
	return ready;
}

static struct ev_ent *ents_alloc(unsigned int n)
{
	return uk_calloc(uk_alloc_get_default(), n ? n : 1, sizeof(struct ev_ent));
}

static void ents_free(struct ev_ent *e)
{
	uk_free(uk_alloc_get_default(), e);
}

/* ---- poll, ppoll ---------------------------------------------------------- */

static long do_poll(struct uk_pollfd *ufds, unsigned int nfds, struct ev_timeout t,
		    const unsigned long *usigmask, unsigned long sigsetsize)
{
	struct uk_pollfd p;
	unsigned long mask = 0;
	struct ev_ent *e;
	bool intr = false;
	unsigned int i;
	long r;

	if (nfds > UK_FDTAB_MAX)
		return -EINVAL;
	if (usigmask) {
		r = ev_sigmask_check(usigmask, sigsetsize, &intr, &mask);
		if (r)
			return r;
	}
	e = ents_alloc(nfds);
	if (!e)
		return -ENOMEM;
	for (i = 0; i < nfds; i++) {
		if (uk_copy_from_user(&p, ufds + i, sizeof(p))) {
			ents_free(e);
			return -EFAULT;
		}
		e[i].fd = p.fd;
		e[i].events = (unsigned short)p.events | UK_POLLERR | UK_POLLHUP;
	}
	r = ev_poll(e, nfds, t, intr, mask);
	for (i = 0; r >= 0 && i < nfds; i++) {
		short rev = (short)e[i].revents;

		if (uk_copy_to_user(&ufds[i].revents, &rev, sizeof(rev)))
			r = -EFAULT;
	}
	ents_free(e);
	return r;
}

long uk_sys_poll(struct uk_pollfd *ufds, unsigned int nfds, int timeout_msecs)
{
	return do_poll(ufds, nfds, ev_timeout_ms(timeout_msecs), NULL, 0);
}

/* A timespec from the caller: *ns, or -EFAULT / -EINVAL. */
static long timespec_ns(const struct uk_timespec *uts, uint64_t *ns)
{
	struct uk_timespec ts;

	if (uk_copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || (unsigned long)ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	*ns = (uint64_t)ts.tv_sec >= UINT64_MAX / 4 / NSEC_PER_SEC ? UINT64_MAX / 4 :
	      (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	return 0;
}

/* The time left, written back as Linux does (0 once passed). */
static void timespec_left(struct uk_timespec *uts, const struct ev_timeout *t)
{
	uint64_t left = t->deadline ? ev_timeout_left(t) : 0;
	struct uk_timespec ts = { (long)(left / NSEC_PER_SEC), (long)(left % NSEC_PER_SEC) };

	uk_copy_to_user(uts, &ts, sizeof(ts));
}

long uk_sys_ppoll(struct uk_pollfd *ufds, unsigned int nfds, struct uk_timespec *tsp,
		  const unsigned long *sigmask, unsigned long sigsetsize)
{
	struct ev_timeout t = { 0, false };
	uint64_t ns;
	long r;

	if (tsp) {
		r = timespec_ns(tsp, &ns);
		if (r)
			return r;
		t = ev_timeout_ns(ns);
	}
	r = do_poll(ufds, nfds, t, sigmask, sigsetsize);
	if (tsp && r >= 0)
		timespec_left(tsp, &t);
	return r;
}

/* ---- select, pselect6 ----------------------------------------------------- */

#define BITS_PER_LONG (8 * sizeof(unsigned long))
/* Linux's POLLIN_SET, POLLOUT_SET, POLLEX_SET */
#define IN_SET (UK_POLLRDNORM | UK_POLLRDBAND | UK_POLLIN | UK_POLLHUP | UK_POLLERR)
#define OUT_SET (UK_POLLWRBAND | UK_POLLWRNORM | UK_POLLOUT | UK_POLLERR)
#define EX_SET UK_POLLPRI

static bool bit(const unsigned long *set, int fd)
{
	return set && (set[fd / BITS_PER_LONG] >> (fd % BITS_PER_LONG)) & 1;
}

static long do_select(int n, unsigned long *uin, unsigned long *uout, unsigned long *uex,
		      struct ev_timeout t, const unsigned long *usigmask, unsigned long sigsetsize)
{
	unsigned long *uset[3] = { uin, uout, uex }, *set[3] = { NULL, NULL, NULL };
	static const unsigned int want[3] = { IN_SET, OUT_SET, EX_SET };
	unsigned long mask = 0;
	size_t words, bytes;
	struct ev_ent *e = NULL;
	unsigned int count = 0, i, k;
	bool intr = false;
	long r, ready;
	int fd;

	if (n < 0)
		return -EINVAL;
	if (n > UK_FDTAB_MAX)
		n = UK_FDTAB_MAX;
	if (usigmask) {
		r = ev_sigmask_check(usigmask, sigsetsize, &intr, &mask);
		if (r)
			return r;
	}
	words = ((size_t)n + BITS_PER_LONG - 1) / BITS_PER_LONG;
	bytes = words * sizeof(unsigned long);
	r = -ENOMEM;
	for (k = 0; k < 3; k++) {
		if (!uset[k])
			continue;
		set[k] = uk_calloc(uk_alloc_get_default(), words ? words : 1, sizeof(unsigned long));
		if (!set[k])
			goto out;
		if (uk_copy_from_user(set[k], uset[k], bytes)) {
			r = -EFAULT;
			goto out;
		}
	}
	for (fd = 0; fd < n; fd++)
		if (bit(set[0], fd) || bit(set[1], fd) || bit(set[2], fd))
			count++;
	e = ents_alloc(count);
	if (!e)
		goto out;
	for (fd = 0, i = 0; fd < n; fd++) {
		struct uk_file *f;

		if (!(bit(set[0], fd) || bit(set[1], fd) || bit(set[2], fd)))
			continue;
		f = uk_fdtab_get(fd);           /* select: a closed fd is EBADF */
		if (!f) {
			r = -EBADF;
			goto out;
		}
		uk_file_put(f);
		e[i].fd = fd;
		for (k = 0; k < 3; k++) {
			if (bit(set[k], fd)) {
				e[i].events |= want[k];
				e[i].which |= 1U << k;
			}
		}
		i++;
	}
	ready = ev_poll(e, count, t, intr, mask);
	if (ready < 0) {
		r = ready;
		goto out;
	}
	/* the sets come back holding only the ready fds; the result counts
	 * bits, as Linux does (an fd ready for reading and writing: 2) */
	for (k = 0; k < 3; k++)
		if (set[k])
			__builtin_memset(set[k], 0, bytes);
	r = 0;
	for (i = 0; i < count; i++) {
		for (k = 0; k < 3; k++) {
			if (!(e[i].which & (1U << k)) || !(e[i].revents & want[k]))
				continue;
			fd = e[i].fd;
			set[k][fd / BITS_PER_LONG] |= 1UL << (fd % BITS_PER_LONG);
			r++;
		}
	}
	for (k = 0; k < 3; k++)
		if (set[k] && uk_copy_to_user(uset[k], set[k], bytes))
			r = -EFAULT;
out:
	for (k = 0; k < 3; k++)
		uk_free(uk_alloc_get_default(), set[k]);
	ents_free(e);
	return r;
}

/* The time left, written back as Linux does. */
static void timeval_left(struct uk_timeval *utv, const struct ev_timeout *t)
{
	uint64_t left = t->deadline ? ev_timeout_left(t) : 0;
	struct uk_timeval tv = { (long)(left / NSEC_PER_SEC), (long)(left % NSEC_PER_SEC / 1000) };

	uk_copy_to_user(utv, &tv, sizeof(tv));
}

long uk_sys_select(int n, unsigned long *inp, unsigned long *outp, unsigned long *exp,
		   struct uk_timeval *tvp)
{
	struct ev_timeout t = { 0, false };
	struct uk_timeval tv;
	long r;

	if (tvp) {
		if (uk_copy_from_user(&tv, tvp, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -EINVAL;
		/* microseconds past a second carry over, as on Linux */
		t = ev_timeout_ns((uint64_t)UK_MIN((unsigned long)tv.tv_sec +
					 (unsigned long)tv.tv_usec / 1000000, 1UL << 32) * NSEC_PER_SEC +
				  (uint64_t)(tv.tv_usec % 1000000) * 1000);
	}
	r = do_select(n, inp, outp, exp, t, NULL, 0);
	if (tvp && r >= 0)
		timeval_left(tvp, &t);
	return r;
}

/* pselect6's sixth argument: the mask and its size (Linux's
 * sigset_argpack). */
struct sigset_argpack {
	const unsigned long *p;
	unsigned long size;
};

long uk_sys_pselect6(int n, unsigned long *inp, unsigned long *outp, unsigned long *exp,
		     struct uk_timespec *tsp, void *sig)
{
	struct ev_timeout t = { 0, false };
	struct sigset_argpack pack = { NULL, 0 };
	uint64_t ns;
	long r;

	if (tsp) {
		r = timespec_ns(tsp, &ns);
		if (r)
			return r;
		t = ev_timeout_ns(ns);
	}
	if (sig && uk_copy_from_user(&pack, sig, sizeof(pack)))
		return -EFAULT;
	r = do_select(n, inp, outp, exp, t, pack.p, pack.size);
	if (tsp && r >= 0)
		timespec_left(tsp, &t);
	return r;
}
