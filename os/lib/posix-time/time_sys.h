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

/* itimer.c: bit UK_ITIMER_* set while that timer's signal is owed (set at
 * expiry, cleared by posix_time_deliver). */
extern volatile unsigned int posix_time_alarms;
/* The earliest armed itimer deadline (monotonic ns), UINT64_MAX if none;
 * accounts the expiries up to now first (linuxu has no timer interrupt).
 * Interrupts masked. */
uint64_t posix_time_next_alarm(void);
/*
 * Thread context: sends the owed itimer signals (posix-signal's kill to
 * the process: a handler runs now, a default action may end the process)
 * and clears them. True when one of them interrupts a sleep: delivered to
 * a handler (not ignored, not blocked). Without posix-signal: false.
 */
bool posix_time_deliver(void);
/* A thread sleeping in sleep.c, woken by an itimer expiry. */
struct posix_time_sleeper {
	void *thread;                   /* struct uk_thread *, NULL before uksched */
	struct posix_time_sleeper *next;
};
extern struct posix_time_sleeper *posix_time_sleepers;

/* The earliest armed itimer deadline, UINT64_MAX when none is armed
 * (kept by itimer.c). */
extern volatile uint64_t posix_time_next_deadline;

/* An owed signal, or an expiry no interrupt reported (interrupts off, or
 * linuxu), goes out at the next time call: a flag test, and a clock read
 * only while an itimer is armed. */
static inline void posix_time_check_alarms(void)
{
	if (unlikely(posix_time_alarms) ||
	    unlikely(posix_time_next_deadline != UINT64_MAX &&
		     uk_time_now_ns() >= posix_time_next_deadline))
		posix_time_deliver();
}

static inline struct uk_timespec ns_to_ts(uint64_t ns)
{
	return (struct uk_timespec){ (long)(ns / UK_NSEC_PER_SEC), (long)(ns % UK_NSEC_PER_SEC) };
}

#endif
