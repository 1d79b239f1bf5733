/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * clock_gettime, clock_getres, gettimeofday and time over lib/uktime:
 * CLOCK_REALTIME(_COARSE) is uk_time_wall_ns() (ns since the Epoch, UTC),
 * the monotonic clocks (MONOTONIC, MONOTONIC_RAW, MONOTONIC_COARSE,
 * BOOTTIME) are uk_time_now_ns() (ns since boot; the guest never suspends,
 * so BOOTTIME is MONOTONIC). The CPU-time clocks are EINVAL: nothing
 * accounts CPU time (without a scheduler the time the CPU spends halted in
 * a sleep would be counted; with one, per-thread accounting is missing),
 * and a wrong answer is worse than a clear error.
 * Without uktime in the image, a program that calls one fails to link,
 * naming the fix (uktime.h).
 */
#include <time.h>
#include <sys/time.h>
#include <errno.h>
#include "uktime.h"

/* The clock's value in ns, or -EINVAL for a clock we do not have. */
static int clock_ns(clockid_t clk, uint64_t *ns)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = uk_time_wall_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = uk_time_now_ns();
		return 0;
	default:
		return -EINVAL;
	}
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	uint64_t ns;

	if (clock_ns(clk, &ns)) {
		errno = EINVAL;
		return -1;
	}
	if (!ts) {
		errno = EFAULT;
		return -1;
	}
	ts->tv_sec = (time_t)(ns / UK_NSEC_PER_SEC);
	ts->tv_nsec = (long)(ns % UK_NSEC_PER_SEC);
	return 0;
}

/* One counter tick, rounded up to whole ns (1 ns for counters >= 1 GHz). */
int clock_getres(clockid_t clk, struct timespec *res)
{
	uint64_t ns, f;

	if (clock_ns(clk, &ns)) {
		errno = EINVAL;
		return -1;
	}
	if (res) {
		f = uk_time_freq();
		res->tv_sec = 0;
		res->tv_nsec = (f >= UK_NSEC_PER_SEC || !f) ? 1 : (long)((UK_NSEC_PER_SEC + f - 1) / f);
	}
	return 0;
}

int gettimeofday(struct timeval *tv, struct timezone *tz)
{
	uint64_t ns;

	if (tv) {
		ns = uk_time_wall_ns();
		tv->tv_sec = (time_t)(ns / UK_NSEC_PER_SEC);
		tv->tv_usec = (suseconds_t)(ns % UK_NSEC_PER_SEC / 1000);
	}
	if (tz) {
		tz->tz_minuteswest = 0;
		tz->tz_dsttime = 0;
	}
	return 0;
}

time_t time(time_t *t)
{
	time_t now = (time_t)(uk_time_wall_ns() / UK_NSEC_PER_SEC);

	if (t)
		*t = now;
	return now;
}
