/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posix-event internals shared by epoll.c, poll.c and eventfd.c: a waiter
 * that watchers wake (struct ev_waiter), deadlines from the syscalls'
 * timeouts, and the temporary signal masks of ppoll, pselect6 and
 * epoll_pwait.
 */
#ifndef POSIX_EVENT_IMPL_H
#define POSIX_EVENT_IMPL_H

#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/time.h>
#include <uk/timer.h>
#include <uk/plat/irq.h>
#include <uk/file.h>
#include <uk/fdtab.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include <uk/linux/poll.h>
#include <uk/linux/eventpoll.h>
#ifdef CONFIG_LIBUKLOCK
#include <uk/waitq.h>
#include <uk/mutex.h>
#endif
#if __has_include(<uk/linux/time.h>)
#include <uk/linux/time.h>
#else
struct uk_timespec {
	long tv_sec;
	long tv_nsec;
};

struct uk_timeval {
	long tv_sec;
	long tv_usec;
};
#endif

#define NSEC_PER_SEC 1000000000ULL

/* A poll without a poll op: Linux's DEFAULT_POLLMASK (regular files). */
#define EV_DEFAULT_POLLMASK (UK_POLLIN | UK_POLLOUT | UK_POLLRDNORM | UK_POLLWRNORM)

static inline unsigned int ev_poll_file(struct uk_file *f)
{
	return f->ops->poll ? f->ops->poll(f) : EV_DEFAULT_POLLMASK;
}

/*
 * One thread waiting for any of several files (a poll/select call):
 * watchers call ev_waiter_wake (interrupts masked, any context);
 * the thread sleeps in ev_waiter_wait_locked.
 */
struct ev_waiter {
	volatile bool woken;
#ifdef CONFIG_LIBUKLOCK
	struct uk_waitq wq;
#endif
};

static inline void ev_waiter_init(struct ev_waiter *w)
{
	w->woken = false;
#ifdef CONFIG_LIBUKLOCK
	uk_waitq_init(&w->wq);
#endif
}

static inline void ev_waiter_wake(struct ev_waiter *w)
{
	w->woken = true;
#ifdef CONFIG_LIBUKLOCK
	uk_waitq_wake_all(&w->wq);
#endif
}

/*
 * Interrupts masked, thread context: until a wake since the last return
 * (0, the flag cleared) or the deadline (0: none) passed (-ETIMEDOUT).
 * Without a scheduler only an interrupt handler can wake: the CPU halts
 * until one (or the deadline) and the flag is checked again.
 */
static inline int ev_waiter_wait_locked(struct ev_waiter *w, uint64_t deadline)
{
	while (!w->woken) {
		if (deadline && uk_time_now_ns() >= deadline)
			return -ETIMEDOUT;
#ifdef CONFIG_LIBUKLOCK
		uk_waitq_wait_until_locked(&w->wq, deadline);
#else
		uk_time_halt_until(deadline ? deadline : UINT64_MAX);
#endif
	}
	w->woken = false;
	return 0;
}

/*
 * A timeout as the syscalls give it, turned into (deadline, nonblock):
 * deadline 0 = wait without end; nonblock = a zero timeout (poll once).
 */
struct ev_timeout {
	uint64_t deadline;
	bool nonblock;
};

static inline struct ev_timeout ev_timeout_ns(uint64_t ns)
{
	struct ev_timeout t = { 0, ns == 0 };

	if (ns) {
		t.deadline = uk_time_now_ns() + UK_MIN(ns, UINT64_MAX / 4);
		if (!t.deadline)
			t.deadline = 1;
	}
	return t;
}

/* poll/epoll_wait's milliseconds: negative waits without end. */
static inline struct ev_timeout ev_timeout_ms(int ms)
{
	if (ms < 0)
		return (struct ev_timeout){ 0, false };
	return ev_timeout_ns((uint64_t)ms * 1000000ULL);
}

/* How often a waiter re-polls files with UK_FILE_POLLED (uk/file.h). */
#define EV_POLLED_NS 1000000ULL

/* The deadline of one sleep: t's, or sooner when a watched file must be
 * re-polled (polled). 0: none. */
static inline uint64_t ev_slice(const struct ev_timeout *t, bool polled)
{
	uint64_t s;

	if (!polled)
		return t->deadline;
	s = uk_time_now_ns() + EV_POLLED_NS;
	return t->deadline && t->deadline < s ? t->deadline : s;
}

/* Whether t's deadline passed (never, without one). */
static inline bool ev_expired(const struct ev_timeout *t)
{
	return t->deadline && uk_time_now_ns() >= t->deadline;
}

/* Nanoseconds left until t's deadline (0 once passed). */
static inline uint64_t ev_timeout_left(const struct ev_timeout *t)
{
	uint64_t now = uk_time_now_ns();

	return t->deadline > now ? t->deadline - now : 0;
}

/*
 * The temporary signal mask of ppoll, pselect6 and epoll_pwait. Signals
 * here are synchronous (posix-signal): one can be pending only because it
 * was blocked. ev_sigmask_check(): 0 and *pending_unblocked = whether the
 * temporary mask unblocks one that is pending now (the call then returns
 * -EINTR after delivering it, unless fds are ready at once, as Linux does);
 * -EINVAL (size), -EFAULT. *mask gets the mask to deliver with.
 */
long ev_sigmask_check(const unsigned long *umask, unsigned long size,
		      bool *pending_unblocked, unsigned long *mask);
/* Runs the pending signals mask unblocks (their handlers run now, with
 * mask in force), then puts the caller's mask back. */
void ev_sigmask_deliver(unsigned long mask);

#endif
