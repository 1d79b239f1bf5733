/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * clock: a small realistic user of nolibc's time functions. With no
 * arguments it prints the wall date (ISO 8601 and RFC 2822, through
 * strftime), the clocks' resolutions, and times its own sleeps with
 * clock_gettime(CLOCK_MONOTONIC); it exits 1 if a sleep ended early or a
 * clock went backwards. Two more modes, for tests and curious users:
 *
 *   clock sleeperr [N]   N sleeps (default 100) of 1-20 ms: the error of
 *                        each (woken - deadline) as one machine-readable
 *                        line, UK-SLEEP-ERR n= early= min= p50= p90= p99=
 *                        max= (microseconds); exit 1 if one woke early.
 *   clock idle [S]       nanosleep 1 s, S times (default 20), between the
 *                        lines UK-IDLE begin and UK-IDLE end; then 3 s
 *                        more asleep before exiting, so that whoever
 *                        measures the VMM still finds it after the end
 *                        line has crossed a busy host's pipes.
 *
 * Output lines a test can parse: UK-DATE, UK-SLEPT, UK-SLEEP-ERR, UK-IDLE.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(clockid_t clk)
{
	struct timespec ts;

	if (clock_gettime(clk, &ts)) {
		printf("clock: clock_gettime(%d): %s\n", clk, strerror(errno));
		exit(1);
	}
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int print_date(void)
{
	char iso[64], rfc[64];
	struct timeval tv;
	struct tm tm;
	time_t t;

	gettimeofday(&tv, NULL);
	t = tv.tv_sec;
	if (!gmtime_r(&t, &tm)) {
		printf("clock: gmtime_r: %s\n", strerror(errno));
		return 1;
	}
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	strftime(rfc, sizeof(rfc), "%a, %d %b %Y %H:%M:%S %z", &tm);
	printf("UK-DATE epoch=%lld usec=%06ld\n", (long long)t, (long)tv.tv_usec);
	printf("UK-DATE iso8601=%s\n", iso);
	printf("UK-DATE rfc2822=%s\n", rfc);
	if (timegm(&tm) != t || time(NULL) < t) {
		printf("clock: timegm/time disagree with gettimeofday\n");
		return 1;
	}
	return 0;
}

/* One timed sleep: prints UK-SLEPT; 1 if it ended before its time. */
static int timed(const char *what, long long want_ns, int (*fn)(long long))
{
	long long t0 = now_ns(CLOCK_MONOTONIC), t1;

	if (fn(want_ns)) {
		printf("clock: %s failed: %s\n", what, strerror(errno));
		return 1;
	}
	t1 = now_ns(CLOCK_MONOTONIC);
	printf("UK-SLEPT fn=%s want_us=%lld got_us=%lld\n", what, want_ns / 1000, (t1 - t0) / 1000);
	return t1 - t0 < want_ns;
}

static int do_nanosleep(long long ns)
{
	struct timespec ts = { ns / 1000000000, ns % 1000000000 };

	return nanosleep(&ts, NULL);
}

static int do_usleep(long long ns)
{
	return usleep((useconds_t)(ns / 1000));
}

static int do_abs(long long ns)
{
	struct timespec ts;
	long long d = now_ns(CLOCK_MONOTONIC) + ns;

	ts.tv_sec = d / 1000000000;
	ts.tv_nsec = d % 1000000000;
	return clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

static int do_sleep(long long ns)
{
	return (int)sleep((unsigned int)(ns / 1000000000));
}

static int demo(void)
{
	struct timespec res;
	long long w0, m0, m0b, w1, m1, m1b, lo, hi;
	int bad = 0;

	bad |= print_date();
	clock_getres(CLOCK_MONOTONIC, &res);
	printf("clock: CLOCK_MONOTONIC resolution %ld ns\n", res.tv_nsec);
	/* each wall clock read between two monotonic ones */
	m0 = now_ns(CLOCK_MONOTONIC);
	w0 = now_ns(CLOCK_REALTIME);
	m0b = now_ns(CLOCK_MONOTONIC);
	bad |= timed("nanosleep", 50000000, do_nanosleep);
	bad |= timed("usleep", 20000000, do_usleep);
	bad |= timed("clock_nanosleep", 30000000, do_abs);
	bad |= timed("sleep", 1000000000, do_sleep);
	m1 = now_ns(CLOCK_MONOTONIC);
	w1 = now_ns(CLOCK_REALTIME);
	m1b = now_ns(CLOCK_MONOTONIC);
	/* both clocks advanced by the same amount: the wall clock's advance
	 * lies between the monotonic clock's least (m1 - m0b) and most
	 * (m1b - m0) between the reads, within 1 ms; with no bound on how far
	 * apart two reads are (a busy host may stop the guest between any two) */
	lo = m1 - m0b;
	hi = m1b - m0;
	printf("UK-CLOCKS monotonic_us=%lld realtime_us=%lld uptime_ms=%lld monotonic_max_us=%lld\n",
	       lo / 1000, (w1 - w0) / 1000, m1b / 1000000, hi / 1000);
	if (m1 < m0b || w1 < w0 || w1 - w0 < lo - 1000000 || w1 - w0 > hi + 1000000) {
		printf("clock: the clocks disagree\n");
		bad = 1;
	}
	printf("clock: %s\n", bad ? "FAILED" : "ok");
	return bad;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of n sorted values. */
static long long pct(const long long *v, int n, int p)
{
	int k = (p * n + 99) / 100;

	return v[k < 1 ? 0 : k - 1];
}

static int sleeperr(int n)
{
	long long *err = calloc((size_t)n, sizeof(*err));
	unsigned int r = 12345;
	int early = 0;

	if (!err) {
		printf("clock: no memory for %d samples\n", n);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		long long want = 1000000LL * (1 + (long long)(rand_r(&r) % 20));  /* 1-20 ms */
		struct timespec ts = { 0, (long)want };
		long long t0 = now_ns(CLOCK_MONOTONIC), t1;

		nanosleep(&ts, NULL);
		t1 = now_ns(CLOCK_MONOTONIC);
		err[i] = t1 - (t0 + want);
		early += err[i] < 0;
	}
	qsort(err, (size_t)n, sizeof(*err), cmp_ll);
	printf("UK-SLEEP-ERR n=%d early=%d min=%lld p50=%lld p90=%lld p99=%lld max=%lld unit=us\n", n, early,
	       err[0] / 1000, pct(err, n, 50) / 1000, pct(err, n, 90) / 1000, pct(err, n, 99) / 1000,
	       err[n - 1] / 1000);
	free(err);
	return early != 0;
}

static int idle(int secs)
{
	struct timespec one = { 1, 0 };
	long long t0 = now_ns(CLOCK_MONOTONIC);

	printf("UK-IDLE begin steps=%d\n", secs);
	for (int i = 0; i < secs; i++)
		nanosleep(&one, NULL);
	printf("UK-IDLE end elapsed_ms=%lld\n", (now_ns(CLOCK_MONOTONIC) - t0) / 1000000);
	sleep(3);
	return 0;
}

int main(int argc, char *argv[])
{
	if (argc > 1 && !strcmp(argv[1], "sleeperr"))
		return sleeperr(argc > 2 ? atoi(argv[2]) : 100);
	if (argc > 1 && !strcmp(argv[1], "idle"))
		return idle(argc > 2 ? atoi(argv[2]) : 20);
	if (argc > 1) {
		printf("usage: clock [sleeperr [N] | idle [SECONDS]]\n");
		return 2;
	}
	return demo();
}
