/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * clock_gettime, clock_getres, gettimeofday, time and times over uktime.
 * Called tens of thousands of times a second through a libc's native
 * path: a direct computation from the counter (uk_time_now_ns,
 * uk_time_wall_ns), no lock, no allocation.
 *
 *  - REALTIME, REALTIME_COARSE, TAI, REALTIME_ALARM: uk_time_wall_ns()
 *    (the boot's wall time + the monotonic clock; TAI is given as UTC),
 *    plus the offset clock_settime(CLOCK_REALTIME) set (0 at boot).
 *  - MONOTONIC, MONOTONIC_RAW, MONOTONIC_COARSE, BOOTTIME, BOOTTIME_ALARM:
 *    uk_time_now_ns(), ns since the image's first instruction (the guest
 *    never suspends: BOOTTIME is MONOTONIC; nothing slews it: RAW is too).
 *  - PROCESS_CPUTIME_ID and THREAD_CPUTIME_ID (and the clock ids
 *    clock_getcpuclockid/pthread_getcpuclockid make for this process,
 *    pid 0): also ns since boot. The unikernel is the process and owns the
 *    CPU; nothing accounts idle time or time per thread, so both are the
 *    CPU's time since boot, an upper bound of the real CPU time, monotonic.
 *  - _COARSE variants are the precise clocks (reading them costs the same).
 * The resolution (clock_getres) is one counter tick rounded up to a whole
 * ns: 1 ns on x86's TSC, 16 ns on arm64's 62.5 MHz generic timer.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/time.h>
#include <uk/linux/time.h>
#include "time_sys.h"

/* A CPU-time clock id made for pid 0 (this process), Linux's encoding:
 * (~pid << 3) | CPUCLOCK_SCHED (2), | 4 for a thread clock. */
#define CPUCLOCK_SELF_PROCESS (-6)
#define CPUCLOCK_SELF_THREAD  (-2)

/* What clock_settime(CLOCK_REALTIME) added to uktime's wall clock, in ns.
 * One aligned word: a reader sees the old or the new value, never half. */
static volatile int64_t wall_offset;

int64_t posix_time_clock_ns(int clk)
{
	switch (clk) {
	case UK_CLOCK_REALTIME:
	case UK_CLOCK_REALTIME_COARSE:
	case UK_CLOCK_REALTIME_ALARM:
	case UK_CLOCK_TAI:
		return (int64_t)uk_time_wall_ns() + wall_offset;
	case UK_CLOCK_MONOTONIC:
	case UK_CLOCK_MONOTONIC_RAW:
	case UK_CLOCK_MONOTONIC_COARSE:
	case UK_CLOCK_BOOTTIME:
	case UK_CLOCK_BOOTTIME_ALARM:
	case UK_CLOCK_PROCESS_CPUTIME_ID:
	case UK_CLOCK_THREAD_CPUTIME_ID:
	case CPUCLOCK_SELF_PROCESS:
	case CPUCLOCK_SELF_THREAD:
		return (int64_t)uk_time_now_ns();
	default:
		return -EINVAL;
	}
}

bool posix_time_clock_is_wall(int clk)
{
	return clk == UK_CLOCK_REALTIME || clk == UK_CLOCK_REALTIME_COARSE ||
	       clk == UK_CLOCK_REALTIME_ALARM || clk == UK_CLOCK_TAI;
}

long uk_sys_clock_gettime(int which_clock, struct uk_timespec *tp)
{
	int64_t ns = posix_time_clock_ns(which_clock);
	struct uk_timespec ts;

	posix_time_check_alarms();
	if (ns < 0)
		return ns;
	ts = ns_to_ts((uint64_t)ns);
	return uk_copy_to_user(tp, &ts, sizeof(ts));
}

/* Only CLOCK_REALTIME can be set (as Linux); the process runs as root.
 * EINVAL: another clock, a bad timespec; EFAULT. */
long uk_sys_clock_settime(int which_clock, const struct uk_timespec *tp)
{
	struct uk_timespec ts;

	if (which_clock != UK_CLOCK_REALTIME)
		return -EINVAL;
	if (uk_copy_from_user(&ts, tp, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)UK_NSEC_PER_SEC ||
	    (uint64_t)ts.tv_sec > (uint64_t)INT64_MAX / UK_NSEC_PER_SEC - 1)
		return -EINVAL;
	wall_offset = ts.tv_sec * (int64_t)UK_NSEC_PER_SEC + ts.tv_nsec - (int64_t)uk_time_wall_ns();
	return 0;
}

long uk_sys_clock_getres(int which_clock, struct uk_timespec *tp)
{
	uint64_t f = uk_time_freq();
	struct uk_timespec ts = { 0, f ? (long)((UK_NSEC_PER_SEC + f - 1) / f) : 1 };

	if (posix_time_clock_ns(which_clock) < 0)
		return -EINVAL;
	if (!tp)
		return 0;               /* Linux: res may be NULL */
	return uk_copy_to_user(tp, &ts, sizeof(ts));
}

long uk_sys_gettimeofday(struct uk_timeval *tv, void *tz)
{
	static const struct uk_timezone utc = { 0, 0 };
	uint64_t ns = (uint64_t)posix_time_clock_ns(UK_CLOCK_REALTIME);
	struct uk_timeval t = { (long)(ns / UK_NSEC_PER_SEC),
				(long)(ns % UK_NSEC_PER_SEC / 1000) };

	posix_time_check_alarms();
	if (tv && uk_copy_to_user(tv, &t, sizeof(t)))
		return -EFAULT;
	if (tz && uk_copy_to_user(tz, &utc, sizeof(utc)))
		return -EFAULT;
	return 0;
}

long uk_sys_time(long *tloc)
{
	long t = (long)((uint64_t)posix_time_clock_ns(UK_CLOCK_REALTIME) / UK_NSEC_PER_SEC);

	posix_time_check_alarms();
	if (tloc && uk_copy_to_user(tloc, &t, sizeof(t)))
		return -EFAULT;
	return t;
}

/* Clock ticks (UK_USER_HZ) since boot: the result of times(), and the CPU
 * time it reports as user time (see the top: all of it). */
long uk_sys_times(struct uk_tms *tbuf)
{
	long ticks = (long)(uk_time_now_ns() / (UK_NSEC_PER_SEC / UK_USER_HZ));
	struct uk_tms t = { ticks, 0, 0, 0 };

	if (tbuf && uk_copy_to_user(tbuf, &t, sizeof(t)))
		return -EFAULT;
	return ticks;
}
