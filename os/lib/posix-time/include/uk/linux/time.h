/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux's time ABI (uapi linux/time.h, linux/time_types.h, asm-generic
 * times.h), prefixed uk_/UK_ so that it never clashes with a libc's
 * <time.h>. The same layout on x86_64 and arm64 (64-bit time_t and long).
 * posix-time's handlers take and return these.
 */
#ifndef UK_LINUX_TIME_H
#define UK_LINUX_TIME_H

struct uk_timespec {            /* __kernel_timespec */
	long tv_sec;
	long tv_nsec;
};

struct uk_timeval {             /* __kernel_old_timeval */
	long tv_sec;
	long tv_usec;
};

struct uk_timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

struct uk_itimerval {           /* __kernel_old_itimerval */
	struct uk_timeval it_interval;
	struct uk_timeval it_value;
};

struct uk_tms {
	long tms_utime;         /* clock_t: ticks of UK_USER_HZ */
	long tms_stime;
	long tms_cutime;
	long tms_cstime;
};

#define UK_USER_HZ 100          /* the unit of times() and clock_t */

#define UK_CLOCK_REALTIME           0
#define UK_CLOCK_MONOTONIC          1
#define UK_CLOCK_PROCESS_CPUTIME_ID 2
#define UK_CLOCK_THREAD_CPUTIME_ID  3
#define UK_CLOCK_MONOTONIC_RAW      4
#define UK_CLOCK_REALTIME_COARSE    5
#define UK_CLOCK_MONOTONIC_COARSE   6
#define UK_CLOCK_BOOTTIME           7
#define UK_CLOCK_REALTIME_ALARM     8
#define UK_CLOCK_BOOTTIME_ALARM     9
#define UK_CLOCK_TAI                11

#define UK_TIMER_ABSTIME 0x01

#define UK_ITIMER_REAL    0
#define UK_ITIMER_VIRTUAL 1
#define UK_ITIMER_PROF    2

#endif
