/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * futex(2): WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAIT_BITSET, WAKE_BITSET,
 * private or shared (one address space: the same thing), with
 * FUTEX_CLOCK_REALTIME. A waiter is a node on its own stack in one FIFO
 * list of every waiter (few threads wait at once; a scan is cheaper than a
 * hash here), keyed by the word's address.
 *
 * The check-and-sleep of WAIT is atomic against every wake: one CPU, and
 * the value is read, the waiter queued and the thread blocked in one
 * section with interrupts masked. Timeouts: WAIT's is relative (the
 * monotonic clock), WAIT_BITSET's absolute, on the monotonic clock or with
 * FUTEX_CLOCK_REALTIME the wall clock (converted to a monotonic deadline
 * when the wait starts, as a clock step is not followed).
 *
 * Without a scheduler (one thread) a WAIT whose value matches can only end
 * by its timeout: it sleeps that long; with no timeout it would wait for
 * ever, which is reported as a crash naming the deadlock instead.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat/irq.h>
#include <uk/assert.h>
#include <uk/time.h>
#include <uk/timer.h>
#include <uk/thread.h>
#include <uk/linux/futex.h>
#if defined(CONFIG_LIBUKSCHED)
#include <uk/sched.h>
#endif
#include <uk/user.h>
#include "timespec.h"

struct waiter {
	const void *uaddr;
	unsigned int bitset;
	bool woken;
#if defined(CONFIG_LIBUKSCHED)
	struct uk_thread *thread;
#endif
	struct waiter *next;
};

static struct waiter *head, **tail = &head;

static void unlink(struct waiter *w)
{
	struct waiter **p;

	for (p = &head; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			if (tail == &w->next)
				tail = p;
			return;
		}
}

static void append(struct waiter *w)
{
	w->next = NULL;
	*tail = w;
	tail = &w->next;
}

/* Wakes up to n waiters on uaddr whose bitset meets bitset, then moves up
 * to requeue more of them to uaddr2. Interrupts masked. Returns woken +
 * moved. */
static int wake_requeue(const void *uaddr, unsigned int bitset, int n, const void *uaddr2,
			int requeue)
{
	struct waiter *w, *next, *moved = NULL, **mt = &moved;
	int done = 0;

	for (w = head; w; w = next) {
		next = w->next;
		if (w->uaddr != uaddr || !(w->bitset & bitset))
			continue;
		if (n > 0) {
			unlink(w);
			w->woken = true;
#if defined(CONFIG_LIBUKSCHED)
			uk_thread_wake_locked(w->thread);
#endif
			n--;
			done++;
		} else if (requeue > 0) {
			unlink(w);
			w->uaddr = uaddr2;
			w->next = NULL;
			*mt = w;
			mt = &w->next;
			requeue--;
			done++;
		} else {
			break;
		}
	}
	for (w = moved; w; w = next) {          /* to the end, in their order */
		next = w->next;
		append(w);
	}
	return done;
}

int uk_futex_wake(const void *uaddr, int n)
{
	unsigned long flags = ukplat_lcpu_save_irqf();
	int done = wake_requeue(uaddr, UK_FUTEX_BITSET_MATCH_ANY, n, NULL, 0);

	ukplat_lcpu_restore_irqf(flags);
	return done;
}

/* Blocks until woken or deadline (0: none). 0 or -ETIMEDOUT; -EAGAIN if
 * *uaddr != val when it starts; -EFAULT. */
static long wait(unsigned int *uaddr, unsigned int val, unsigned int bitset, uint64_t deadline)
{
	unsigned long flags;
	unsigned int cur;
	long rc = 0;

	flags = ukplat_lcpu_save_irqf();
	if (uk_copy_from_user(&cur, uaddr, sizeof(cur))) {
		rc = -EFAULT;
		goto out;
	}
	if (cur != val) {
		rc = -EAGAIN;
		goto out;
	}
#if defined(CONFIG_LIBUKSCHED)
	struct waiter w = { .uaddr = uaddr, .bitset = bitset };

	w.thread = uk_thread_current();
	append(&w);
	while (!w.woken) {
		if (deadline && uk_time_now_ns() >= deadline) {
			unlink(&w);
			rc = -ETIMEDOUT;
			break;
		}
		uk_sched_block_until_locked(deadline);
	}
#else
	if (!deadline)
		uk_crashf("futex: FUTEX_WAIT on %p with no timeout and no other thread (deadlock)", uaddr);
	ukplat_lcpu_restore_irqf(flags);
	uk_sleep_until_ns(deadline);
	return -ETIMEDOUT;
#endif
out:
	ukplat_lcpu_restore_irqf(flags);
	return rc;
}

long uk_sys_futex(unsigned int *uaddr, int op, unsigned int val, const struct uk_timespec *utime,
		  unsigned int *uaddr2, unsigned int val3)
{
	int cmd = op & UK_FUTEX_CMD_MASK;
	bool realtime = op & UK_FUTEX_CLOCK_REALTIME;
	uint64_t deadline = 0;
	unsigned long flags;
	unsigned int cur;
	long rc;

	if ((uintptr_t)uaddr & 3)
		return -EINVAL;
	if (realtime && cmd != UK_FUTEX_WAIT && cmd != UK_FUTEX_WAIT_BITSET)
		return -ENOSYS;
	switch (cmd) {
	case UK_FUTEX_WAIT:
	case UK_FUTEX_WAIT_BITSET:
		if (cmd == UK_FUTEX_WAIT)
			val3 = UK_FUTEX_BITSET_MATCH_ANY;
		if (!val3)
			return -EINVAL;
		if (utime) {
			rc = cmd == UK_FUTEX_WAIT ? timespec_relative_deadline(utime, &deadline)
						  : timespec_absolute_deadline(utime, realtime, &deadline);
			if (rc)
				return rc;
		}
		return wait(uaddr, val, val3, deadline);
	case UK_FUTEX_WAKE:
	case UK_FUTEX_WAKE_BITSET:
		if (cmd == UK_FUTEX_WAKE)
			val3 = UK_FUTEX_BITSET_MATCH_ANY;
		if (!val3)
			return -EINVAL;
		flags = ukplat_lcpu_save_irqf();
		rc = wake_requeue(uaddr, val3, (int)UK_MIN(val, 0x7fffffffu), NULL, 0);
		ukplat_lcpu_restore_irqf(flags);
		return rc;
	case UK_FUTEX_REQUEUE:
	case UK_FUTEX_CMP_REQUEUE:
		/* val2, the most to requeue, comes in the timeout's place */
		if ((int)val < 0 || (long)utime < 0 || ((uintptr_t)uaddr2 & 3))
			return -EINVAL;
		flags = ukplat_lcpu_save_irqf();
		if (cmd == UK_FUTEX_CMP_REQUEUE) {
			if (uk_copy_from_user(&cur, uaddr, sizeof(cur)))
				rc = -EFAULT;
			else if (cur != val3)
				rc = -EAGAIN;
			else
				rc = 0;
			if (rc) {
				ukplat_lcpu_restore_irqf(flags);
				return rc;
			}
		}
		rc = wake_requeue(uaddr, UK_FUTEX_BITSET_MATCH_ANY, (int)val, uaddr2,
				  (int)UK_MIN((unsigned long)utime, 0x7fffffffUL));
		ukplat_lcpu_restore_irqf(flags);
		return rc;
	default:
		return -ENOSYS;                 /* WAKE_OP, the PI operations, FD */
	}
}
