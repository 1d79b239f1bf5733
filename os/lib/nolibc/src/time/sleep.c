/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nanosleep, clock_nanosleep, sleep and usleep: each turns its argument
 * into a monotonic deadline and calls uk_sleep_until_ns(), and nothing
 * else. uktime defines that weak (the CPU halts until the deadline: the
 * no-scheduler case); a scheduler defines the strong one (the thread
 * blocks). There are no signals, so a sleep is never interrupted: the
 * remaining-time argument is never written and the result is 0.
 * Without uktime in the image, a program that calls one fails to link,
 * naming the fix (uktime.h).
 */
#include <time.h>
#include <unistd.h>
#include <errno.h>
#include "uktime.h"

/* now + ns, saturated: a sleep too long to represent never ends. */
static uint64_t after(uint64_t ns)
{
	uint64_t now = uk_time_now_ns();

	return ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
}

static int valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < (long)UK_NSEC_PER_SEC;
}

/* ts as ns, saturated at UINT64_MAX; ts is valid. */
static uint64_t ts_ns(const struct timespec *ts)
{
	uint64_t s = (uint64_t)ts->tv_sec;

	if (s > (UINT64_MAX - (uint64_t)ts->tv_nsec) / UK_NSEC_PER_SEC)
		return UINT64_MAX;
	return s * UK_NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem)
{
	uint64_t ns, deadline, now;

	(void)rem;
	if (!req)
		return EFAULT;
	if (!valid(req) || (flags & ~TIMER_ABSTIME))
		return EINVAL;
	ns = ts_ns(req);
	switch (clk) {
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
		deadline = (flags & TIMER_ABSTIME) ? ns : after(ns);
		break;
	case CLOCK_REALTIME:
		if (!(flags & TIMER_ABSTIME)) {
			deadline = after(ns);
			break;
		}
		/* an absolute wall time: the same distance on the monotonic clock */
		now = uk_time_wall_ns();
		deadline = ns <= now ? 0 : after(ns - now);
		break;
	default:
		return EINVAL;
	}
	uk_sleep_until_ns(deadline);
	return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	int err = clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem);

	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

unsigned int sleep(unsigned int seconds)
{
	uk_sleep_until_ns(after((uint64_t)seconds * UK_NSEC_PER_SEC));
	return 0;
}

int usleep(useconds_t usec)
{
	uk_sleep_until_ns(after((uint64_t)usec * 1000));
	return 0;
}
