/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timeouts in struct uk_timespec (mem's <uk/linux/time.h>; Linux's
 * __kernel_timespec when it is not in the image) turned into a deadline
 * on uktime's monotonic clock, for futex(2).
 */
#ifndef POSIX_THREAD_TIMESPEC_H
#define POSIX_THREAD_TIMESPEC_H

#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/time.h>
#include <uk/user.h>
#if __has_include(<uk/linux/time.h>)
#include <uk/linux/time.h>
#else
struct uk_timespec {
	long tv_sec;
	long tv_nsec;
};
#endif

#define NSEC_PER_SEC 1000000000ULL

/* *ns = the timespec at u in ns (saturated); -EFAULT, -EINVAL. */
static inline long timespec_ns(const struct uk_timespec *u, uint64_t *ns)
{
	struct uk_timespec ts;

	if (uk_copy_from_user(&ts, u, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || (unsigned long)ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts.tv_sec >= UINT64_MAX / NSEC_PER_SEC - 1)
		*ns = UINT64_MAX / 2;
	else
		*ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	return 0;
}

/* A monotonic deadline (never 0: 0 means "none") from now + *u. */
static inline long timespec_relative_deadline(const struct uk_timespec *u, uint64_t *deadline)
{
	uint64_t ns;
	long rc = timespec_ns(u, &ns);

	if (rc)
		return rc;
	*deadline = uk_time_now_ns() + UK_MIN(ns, UINT64_MAX / 2);
	if (!*deadline)
		*deadline = 1;
	return 0;
}

/* A monotonic deadline from an absolute time *u on the monotonic clock, or
 * with realtime on the wall clock (uk_time_wall_ns()). */
static inline long timespec_absolute_deadline(const struct uk_timespec *u, bool realtime,
					      uint64_t *deadline)
{
	uint64_t ns, now, wall;
	long rc = timespec_ns(u, &ns);

	if (rc)
		return rc;
	if (realtime) {
		now = uk_time_now_ns();
		wall = uk_time_wall_ns();
		ns = ns > wall ? now + (ns - wall) : now;
	}
	*deadline = ns ? ns : 1;
	return 0;
}

#endif
