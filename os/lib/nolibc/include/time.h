/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nolibc: time. Clocks over lib/uktime (CLOCK_REALTIME is uktime's wall
 * clock, the monotonic clocks its nanoseconds since boot), sleeping through
 * uk_sleep_until_ns() (the CPU halts, or with a scheduler the thread
 * blocks), and the calendar in UTC only: there are no time zones, so
 * localtime is gmtime and mktime is timegm. The clock and sleep functions
 * need uktime in the image (`libraries: [uktime]`); the calendar and
 * strftime need nothing.
 */
#ifndef _TIME_H
#define _TIME_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef NULL
#define NULL ((void *)0)
#endif

/* Linux's clock ids. */
#define CLOCK_REALTIME           0
#define CLOCK_MONOTONIC          1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_REALTIME_COARSE    5
#define CLOCK_MONOTONIC_COARSE   6
#define CLOCK_BOOTTIME           7

#define TIMER_ABSTIME 1

#ifndef __nolibc_timespec
#define __nolibc_timespec
struct timespec {
	time_t tv_sec;
	long tv_nsec;
};
#endif

/* glibc's layout (tm_gmtoff and tm_zone included). */
struct tm {
	int tm_sec;       /* 0-60 */
	int tm_min;       /* 0-59 */
	int tm_hour;      /* 0-23 */
	int tm_mday;      /* 1-31 */
	int tm_mon;       /* 0-11 */
	int tm_year;      /* years since 1900 */
	int tm_wday;      /* 0-6, Sunday = 0 */
	int tm_yday;      /* 0-365 */
	int tm_isdst;     /* always 0 here */
	long tm_gmtoff;   /* seconds east of UTC: always 0 here */
	const char *tm_zone;
};

/* clock() itself is not provided: nothing measures CPU time (README). */
typedef long clock_t;
#define CLOCKS_PER_SEC 1000000L

/* 0, or -1 with errno EINVAL (unknown clock, and the CPU-time clocks,
 * which nothing measures) or EFAULT (ts NULL). */
int clock_gettime(clockid_t clk, struct timespec *ts);
int clock_getres(clockid_t clk, struct timespec *res);
/* Seconds since the Epoch (UTC); also stored in *t when t is not NULL. */
time_t time(time_t *t);
/* Sleeps at least *req; -1 with errno EINVAL if tv_nsec is outside
 * 0..999999999 or tv_sec is negative, EFAULT if req is NULL. Nothing
 * interrupts a sleep (no signals), so rem is never written. */
int nanosleep(const struct timespec *req, struct timespec *rem);
/* flags 0 or TIMER_ABSTIME; returns the error number (not errno), as
 * POSIX says: EINVAL for a bad clock, flag or timespec, EFAULT for a NULL
 * req. Clocks: REALTIME, MONOTONIC, MONOTONIC_RAW, BOOTTIME. */
int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem);

struct tm *gmtime(const time_t *t);                   /* NULL + EOVERFLOW */
struct tm *gmtime_r(const time_t *t, struct tm *tm);
struct tm *localtime(const time_t *t);                /* = gmtime (UTC) */
struct tm *localtime_r(const time_t *t, struct tm *tm);
time_t timegm(struct tm *tm);                         /* normalises tm; -1 + EOVERFLOW */
time_t mktime(struct tm *tm);                         /* = timegm (UTC) */
double difftime(time_t t1, time_t t0);
size_t strftime(char *s, size_t max, const char *fmt, const struct tm *tm);
char *asctime(const struct tm *tm);
char *asctime_r(const struct tm *tm, char *buf);      /* buf: 26 bytes */
char *ctime(const time_t *t);
char *ctime_r(const time_t *t, char *buf);

#ifdef __cplusplus
}
#endif

#endif
