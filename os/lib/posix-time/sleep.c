/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nanosleep and clock_nanosleep: the request becomes a monotonic deadline
 * (an absolute REALTIME one, the same distance from now on the monotonic
 * clock); the CPU halts (no scheduler: uk_time_halt_until) or the thread
 * blocks (uksched) until then, never less — unless an interval timer
 * expires meanwhile (itimer.c): its signal is sent from here and, when a
 * handler ran, the sleep ends with -EINTR (nanosleep and relative
 * clock_nanosleep write the time left to rmtp). An ignored or blocked
 * signal does not end it. Otherwise the result is 0 and rmtp is not
 * written, as Linux does.
 * Errors: -EFAULT (rqtp not readable), -EINVAL (tv_nsec outside
 * [0, 999999999], tv_sec < 0, unknown flags, a clock one cannot sleep on:
 * THREAD_CPUTIME_ID, or an unknown one).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/time.h>
#include <uk/timer.h>
#include <uk/plat.h>
#include <uk/linux/time.h>
#include "time_sys.h"
#if defined(CONFIG_LIBUKSCHED)
#include <uk/sched.h>
#endif

/* ts as ns, saturated: a sleep too long to represent never ends. */
static uint64_t ts_ns(const struct uk_timespec *ts)
{
	uint64_t s = (uint64_t)ts->tv_sec;

	if (s > (UINT64_MAX - (uint64_t)ts->tv_nsec) / UK_NSEC_PER_SEC)
		return UINT64_MAX;
	return s * UK_NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

static uint64_t after(uint64_t now, uint64_t ns)
{
	return ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
}

/* Waits until deadline or until an itimer signal is owed, whichever is
 * first. Interrupts masked. */
static void wait_until(uint64_t deadline)
{
	struct posix_time_sleeper me = { NULL, posix_time_sleepers }, **pp;
	uint64_t next;

#if defined(CONFIG_LIBUKSCHED)
	me.thread = uk_thread_current();
#endif
	posix_time_sleepers = &me;
	while (uk_time_now_ns() < deadline) {
		next = posix_time_next_alarm();
		if (posix_time_alarms)
			break;
#if defined(CONFIG_LIBUKSCHED)
		if (me.thread) {
			/* blocked no longer than the next expiry; an expiry
			 * while another thread runs wakes us (itimer.c) */
			uk_sched_block_until_locked(UK_MIN(deadline, next));
			continue;
		}
#endif
		/* any interrupt ends the halt; linuxu has none: wait no
		 * longer than the next expiry */
		uk_time_halt_until(UK_MIN(deadline, next));
	}
	for (pp = &posix_time_sleepers; *pp != &me; pp = &(*pp)->next)
		;
	*pp = me.next;
}

/* Sleeps until deadline: 0, or -EINTR when an itimer's signal went to a
 * handler first. */
static long sleep_until(uint64_t deadline)
{
	unsigned long irqf;

	for (;;) {
		irqf = ukplat_lcpu_save_irqf();
		wait_until(deadline);
		ukplat_lcpu_restore_irqf(irqf);
		if (posix_time_alarms && posix_time_deliver())
			return -EINTR;
		if (uk_time_now_ns() >= deadline)
			return 0;
	}
}

long uk_sys_clock_nanosleep(int which_clock, int flags, const struct uk_timespec *rqtp,
			    struct uk_timespec *rmtp)
{
	struct uk_timespec left;
	long rc;

	struct uk_timespec req;
	uint64_t ns, now = uk_time_now_ns(), deadline;
	int64_t clk_now;

	if (flags & ~UK_TIMER_ABSTIME)
		return -EINVAL;
	if (which_clock == UK_CLOCK_THREAD_CPUTIME_ID ||
	    (clk_now = posix_time_clock_ns(which_clock)) < 0)
		return -EINVAL;
	if (uk_copy_from_user(&req, rqtp, sizeof(req)))
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= (long)UK_NSEC_PER_SEC)
		return -EINVAL;
	ns = ts_ns(&req);
	if (!(flags & UK_TIMER_ABSTIME))
		deadline = after(now, ns);
	else if (!posix_time_clock_is_wall(which_clock))
		deadline = ns;          /* the monotonic clock itself */
	else    /* a wall clock: the same distance on the monotonic clock */
		deadline = ns <= (uint64_t)clk_now ? now : after(now, ns - (uint64_t)clk_now);
	rc = sleep_until(deadline);
	if (rc == -EINTR && rmtp && !(flags & UK_TIMER_ABSTIME)) {
		now = uk_time_now_ns();
		left = ns_to_ts(deadline > now ? deadline - now : 0);
		if (uk_copy_to_user(rmtp, &left, sizeof(left)))
			return -EFAULT;
	}
	return rc;
}

long uk_sys_nanosleep(const struct uk_timespec *rqtp, struct uk_timespec *rmtp)
{
	return uk_sys_clock_nanosleep(UK_CLOCK_MONOTONIC, 0, rqtp, rmtp);
}
