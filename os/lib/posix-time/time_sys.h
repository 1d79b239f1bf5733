/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posix-time's private helpers: the handlers' prototypes (from the
 * registry's <uk/syscall.h>; repeated here only for a tree without it
 * yet), the copy helpers (sys's <uk/uaccess.h>), and timespec arithmetic.
 */
#ifndef POSIX_TIME_SYS_H
#define POSIX_TIME_SYS_H

#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/time.h>
#include <uk/linux/time.h>

#if __has_include(<uk/syscall.h>)
#include <uk/syscall.h>
#else
long uk_sys_clock_gettime(int which_clock, struct uk_timespec *tp);
long uk_sys_clock_getres(int which_clock, struct uk_timespec *tp);
long uk_sys_gettimeofday(struct uk_timeval *tv, void *tz);
long uk_sys_time(long *tloc);
long uk_sys_nanosleep(const struct uk_timespec *rqtp, struct uk_timespec *rmtp);
long uk_sys_clock_nanosleep(int which_clock, int flags, const struct uk_timespec *rqtp,
			    struct uk_timespec *rmtp);
long uk_sys_setitimer(int which, const struct uk_itimerval *value, struct uk_itimerval *ovalue);
long uk_sys_getitimer(int which, struct uk_itimerval *value);
long uk_sys_times(struct uk_tms *tbuf);
#endif

#if __has_include(<uk/uaccess.h>)
#include <uk/uaccess.h>
#define time_copy_out(dst, src, n) uk_copy_to_user(dst, src, n)
#define time_copy_in(dst, src, n)  uk_copy_from_user(dst, src, n)
#else
static inline int time_copy_out(void *dst, const void *src, size_t n)
{
	__builtin_memcpy(dst, src, n);
	return 0;
}
#define time_copy_in(dst, src, n) time_copy_out(dst, src, n)
#endif

/* clock.c: the value of clock clk in ns, or -EINVAL (returned as a
 * negative int64) for a clock that does not exist. */
int64_t posix_time_clock_ns(int clk);
/* Whether clk counts from the Epoch (REALTIME and its kind), not boot. */
bool posix_time_clock_is_wall(int clk);

/* itimer.c: expiries of timer which (UK_ITIMER_*) so far (tests). */
unsigned long posix_time_itimer_fired(int which);

static inline struct uk_timespec ns_to_ts(uint64_t ns)
{
	return (struct uk_timespec){ (long)(ns / UK_NSEC_PER_SEC), (long)(ns % UK_NSEC_PER_SEC) };
}

#endif
