/* SPDX-License-Identifier: BSD-3-Clause */
/* Time: every clock answers, monotonic clocks never go back, the wall
 * clock read three ways (time, gettimeofday, clock_gettime) is one clock,
 * sleeps never end early, bad arguments are EINVAL. Only orderings and
 * lower bounds: the values themselves differ between any two runs. */
#include "pt.h"

#include <stdint.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>

static int64_t ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static int64_t now_ns(clockid_t c)
{
	struct timespec t;
	if (clock_gettime(c, &t) != 0)
		return -1;
	return ns(&t);
}

static void time_every_clock(void)
{
	static const clockid_t clocks[] = {
		CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_PROCESS_CPUTIME_ID,
		CLOCK_THREAD_CPUTIME_ID, CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW,
	};
	struct timespec t, r;
	for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		PT_OK(clock_gettime(clocks[i], &t));
		PT_CHECK(t.tv_nsec >= 0 && t.tv_nsec < 1000000000 && t.tv_sec >= 0);
		PT_OK(clock_getres(clocks[i], &r));
		PT_CHECK(r.tv_sec == 0 && r.tv_nsec > 0);
	}
	PT_ERRNO(clock_gettime((clockid_t)1000, &t), EINVAL);
	PT_ERRNO(clock_getres((clockid_t)1000, &r), EINVAL);
}

static void time_monotonic_never_back(void)
{
	static const clockid_t clocks[] = {CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_MONOTONIC_RAW};
	for (unsigned c = 0; c < 3; c++) {
		int64_t prev = now_ns(clocks[c]);
		for (int i = 0; i < 20000; i++) {
			int64_t t = now_ns(clocks[c]);
			PT_CHECK(t >= prev);
			prev = t;
		}
	}
	/* BOOTTIME counts MONOTONIC's time and more (time suspended) */
	int64_t m = now_ns(CLOCK_MONOTONIC), b = now_ns(CLOCK_BOOTTIME);
	PT_CHECK(b >= m);
}

static void time_wall_clock_coherent(void)
{
	struct timeval tv;
	struct timespec ts;
	/* time() may be the coarse clock (one tick behind), never ahead */
	time_t t1 = time(NULL);
	PT_OK(gettimeofday(&tv, NULL));
	PT_OK(clock_gettime(CLOCK_REALTIME, &ts));
	time_t t2 = time(NULL);
	PT_CHECK(t1 <= tv.tv_sec && tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	PT_CHECK((int64_t)tv.tv_sec * 1000000 + tv.tv_usec <= ns(&ts) / 1000);
	PT_CHECK(t2 >= t1);
	/* after 2000 AD (the guest's wall clock is the host's) */
	PT_CHECK(ts.tv_sec > 946684800);
}

static void time_nanosleep_not_early(void)
{
	struct timespec d = {0, 20 * 1000000}, rem = {-1, -1};
	int64_t a = now_ns(CLOCK_MONOTONIC);
	PT_OK(nanosleep(&d, &rem));
	int64_t b = now_ns(CLOCK_MONOTONIC);
	PT_CHECK(b - a >= 20 * 1000000);
	struct timespec zero = {0, 0};
	PT_OK(nanosleep(&zero, NULL));
	struct timespec bad = {0, 1000000000};
	PT_ERRNO(nanosleep(&bad, NULL), EINVAL);
	struct timespec neg = {-1, 0};
	PT_ERRNO(nanosleep(&neg, NULL), EINVAL);
}

static void time_clock_nanosleep_absolute(void)
{
	struct timespec dl;
	PT_OK(clock_gettime(CLOCK_MONOTONIC, &dl));
	dl.tv_nsec += 15 * 1000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	PT_CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &dl, NULL) == 0);
	PT_CHECK(now_ns(CLOCK_MONOTONIC) >= ns(&dl));
	struct timespec rel = {0, 5 * 1000000};
	int64_t a = now_ns(CLOCK_REALTIME);
	PT_CHECK(clock_nanosleep(CLOCK_REALTIME, 0, &rel, NULL) == 0);
	PT_CHECK(now_ns(CLOCK_REALTIME) - a >= 5 * 1000000);
	/* clock_nanosleep returns the error instead of setting errno */
	struct timespec bad = {0, 1000000000};
	PT_CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL) == EINVAL);
}

static void time_cpu_clocks_advance(void)
{
	int64_t p0 = now_ns(CLOCK_PROCESS_CPUTIME_ID), t0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
	int64_t end = now_ns(CLOCK_MONOTONIC) + 3 * 1000000;
	volatile unsigned long spin = 0;
	while (now_ns(CLOCK_MONOTONIC) < end)
		spin++;
	int64_t p1 = now_ns(CLOCK_PROCESS_CPUTIME_ID), t1 = now_ns(CLOCK_THREAD_CPUTIME_ID);
	PT_CHECK(p0 >= 0 && t0 >= 0 && p1 > p0 && t1 > t0);
	struct tms tm;
	PT_CHECK(times(&tm) != (clock_t)-1);
	struct rusage ru;
	PT_OK(getrusage(RUSAGE_SELF, &ru));
}

static void time_itimer_query(void)
{
	struct itimerval v = {{1, 1}, {1, 1}};
	PT_OK(getitimer(ITIMER_REAL, &v));
	PT_CHECK(v.it_value.tv_sec == 0 && v.it_value.tv_usec == 0);   /* none armed */
	struct itimerval off = {{0, 0}, {0, 0}}, old;
	PT_OK(setitimer(ITIMER_REAL, &off, &old));
	PT_ERRNO(getitimer(99, &v), EINVAL);
}

const struct pt_case pt_time_cases[] = {
	PT_CASE(time_every_clock),
	PT_CASE(time_monotonic_never_back),
	PT_CASE(time_wall_clock_coherent),
	PT_CASE(time_nanosleep_not_early),
	PT_CASE(time_clock_nanosleep_absolute),
	PT_CASE(time_cpu_clocks_advance),
	PT_CASE(time_itimer_query),
	PT_END
};
