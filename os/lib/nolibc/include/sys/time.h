/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc: gettimeofday (the wall clock, UTC) and struct timeval. */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H

#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec;
};

/* Always UTC: a non-NULL tz is filled with zeros. */
struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

/* 0 (tv and tz may each be NULL). */
int gettimeofday(struct timeval *tv, struct timezone *tz);

#define timerisset(tv) ((tv)->tv_sec || (tv)->tv_usec)
#define timerclear(tv) ((tv)->tv_sec = (tv)->tv_usec = 0)
#define timercmp(a, b, CMP) \
	((a)->tv_sec == (b)->tv_sec ? (a)->tv_usec CMP (b)->tv_usec : (a)->tv_sec CMP (b)->tv_sec)
#define timeradd(a, b, res) do { \
	(res)->tv_sec = (a)->tv_sec + (b)->tv_sec; \
	(res)->tv_usec = (a)->tv_usec + (b)->tv_usec; \
	if ((res)->tv_usec >= 1000000) { (res)->tv_sec++; (res)->tv_usec -= 1000000; } \
} while (0)
#define timersub(a, b, res) do { \
	(res)->tv_sec = (a)->tv_sec - (b)->tv_sec; \
	(res)->tv_usec = (a)->tv_usec - (b)->tv_usec; \
	if ((res)->tv_usec < 0) { (res)->tv_sec--; (res)->tv_usec += 1000000; } \
} while (0)

#ifdef __cplusplus
}
#endif

#endif
