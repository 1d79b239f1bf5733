/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posix-time's private helpers: the handlers' prototypes (from the
 * registry, os/lib/uksyscall/syscalls.toml, through <uk/syscall.h>), the
 * copy helpers (<uk/uaccess.h>), and timespec arithmetic.
 */
#ifndef POSIX_TIME_SYS_H
#define POSIX_TIME_SYS_H

#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/time.h>
#include <uk/linux/time.h>

#include <uk/syscall.h>
#include <uk/uaccess.h>

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
