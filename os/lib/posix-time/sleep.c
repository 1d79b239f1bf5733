/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nanosleep and clock_nanosleep over uktime's uk_sleep_until_ns(): the
 * request becomes a monotonic deadline (an absolute REALTIME one, the same
 * distance from now on the monotonic clock); the CPU halts (no scheduler)
 * or the thread blocks until then, never less. Sleeps are not interrupted
 * (no signal ends one early): the result is 0 and rmtp is never written,
 * as Linux does when not interrupted.
 * Errors: -EFAULT (rqtp not readable), -EINVAL (tv_nsec outside
 * [0, 999999999], tv_sec < 0, unknown flags, a clock one cannot sleep on:
 * THREAD_CPUTIME_ID, or an unknown one).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/time.h>
#include <uk/timer.h>
#include <uk/linux/time.h>
#include "time_sys.h"

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

long uk_sys_clock_nanosleep(int which_clock, int flags, const struct uk_timespec *rqtp,
			    struct uk_timespec *rmtp __unused)
{
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
	uk_sleep_until_ns(deadline);
	return 0;
}

long uk_sys_nanosleep(const struct uk_timespec *rqtp, struct uk_timespec *rmtp)
{
	return uk_sys_clock_nanosleep(UK_CLOCK_MONOTONIC, 0, rqtp, rmtp);
}
