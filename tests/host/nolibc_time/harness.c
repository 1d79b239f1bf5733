/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Differential test of nolibc's time functions against glibc (TZ=UTC).
 * nolibc is linked in with every symbol renamed nl_* (objcopy
 * --prefix-symbols); the OS functions it calls (nl_uk_time_now_ns,
 * nl_uk_time_wall_ns, nl_uk_time_freq, nl_uk_sleep_until_ns) are shims
 * here that record what they were asked. Usage: harness GROUP; prints
 * "RESULT group checks=N failures=N" and exits non-zero on a failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

extern __thread int nl_errno;
struct tm *nl_gmtime_r(const time_t *t, struct tm *tm);
struct tm *nl_gmtime(const time_t *t);
struct tm *nl_localtime_r(const time_t *t, struct tm *tm);
struct tm *nl_localtime(const time_t *t);
time_t nl_timegm(struct tm *tm);
time_t nl_mktime(struct tm *tm);
double nl_difftime(time_t a, time_t b);
size_t nl_strftime(char *s, size_t max, const char *fmt, const struct tm *tm);
char *nl_asctime_r(const struct tm *tm, char *buf);
char *nl_asctime(const struct tm *tm);
char *nl_ctime_r(const time_t *t, char *buf);
char *nl_ctime(const time_t *t);
int nl_clock_gettime(clockid_t clk, struct timespec *ts);
int nl_clock_getres(clockid_t clk, struct timespec *ts);
int nl_gettimeofday(struct timeval *tv, void *tz);
time_t nl_time(time_t *t);
int nl_nanosleep(const struct timespec *req, struct timespec *rem);
int nl_clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem);
unsigned int nl_sleep(unsigned int s);
int nl_usleep(unsigned int us);

/* ---- shims of what nolibc takes from the OS ------------------------------ */
static uint64_t mono_ns = 5 * 1000000000ULL + 123, wall_ns = 1700000000ULL * 1000000000ULL + 456789;
static uint64_t freq_hz = 1000000000ULL;
static uint64_t slept_until;
static int sleeps;

uint64_t nl_uk_time_now_ns(void) { return mono_ns; }
uint64_t nl_uk_time_wall_ns(void) { return wall_ns; }
uint64_t nl_uk_time_freq(void) { return freq_hz; }
void nl_uk_sleep_until_ns(uint64_t d) { slept_until = d; sleeps++; }
void nl_ukplat_cout(const char *s, size_t n) { fwrite(s, 1, n, stdout); }
void nl_ukplat_halt(int status) { exit(status); }
void nl_uk_crash(const char *why) { printf("crash: %s\n", why); exit(99); }

static long checks, failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	if (++failures > 40)
		return;
	va_start(ap, fmt);
	printf("FAIL ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

#define CHECK(cond, ...) do { checks++; if (!(cond)) fail(__VA_ARGS__); } while (0)

/* xorshift64*: reproducible */
static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void)
{
	rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}
static long long rnd_range(long long lo, long long hi)
{
	return lo + (long long)(rnd() % (uint64_t)(hi - lo + 1));
}

static int tm_eq(const struct tm *a, const struct tm *b, int zone)
{
	return a->tm_sec == b->tm_sec && a->tm_min == b->tm_min && a->tm_hour == b->tm_hour &&
	       a->tm_mday == b->tm_mday && a->tm_mon == b->tm_mon && a->tm_year == b->tm_year &&
	       a->tm_wday == b->tm_wday && a->tm_yday == b->tm_yday && a->tm_isdst == b->tm_isdst &&
	       a->tm_gmtoff == b->tm_gmtoff &&
	       (!zone || (a->tm_zone && b->tm_zone && !strcmp(a->tm_zone, b->tm_zone)));
}

static const char *tm_str(const struct tm *t)
{
	static char buf[4][160];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "{y%d m%d d%d %d:%d:%d wd%d yd%d dst%d off%ld %s}",
		 t->tm_year, t->tm_mon, t->tm_mday, t->tm_hour, t->tm_min, t->tm_sec, t->tm_wday,
		 t->tm_yday, t->tm_isdst, t->tm_gmtoff, t->tm_zone ? t->tm_zone : "(null)");
	return buf[i];
}

/* Times worth testing: random over several scales, and edges. */
static time_t pick_time(long i)
{
	static const time_t edges[] = {
		0, -1, 1, 86399, 86400, -86400, -86401, INT32_MAX, (time_t)INT32_MAX + 1,
		INT32_MIN, (time_t)INT32_MIN - 1, 951782400 /* 2000-02-29 */, 951868800,
		4107456000 /* 2100-02-28 */, 4107542400, 253402300799 /* 9999-12-31 23:59:59 */,
		253402300800, -62135596800 /* 0001-01-01 */, -62135596801, -62167219200 /* 0000-01-01 */,
		-62198755200 /* -0001-01-01 */, 67767976233532799 /* year 2147485547, the last */,
		-67768040609740800 /* year -2147481748, the first */,
		LLONG_MAX, LLONG_MIN, LLONG_MIN + 1, LLONG_MIN + 86399, LLONG_MAX - 86399,
	};
	long n = sizeof(edges) / sizeof(edges[0]);

	if (i < n)
		return edges[i];
	switch (i % 6) {
	case 0: return rnd_range(-(1LL << 31), 1LL << 32);           /* 1901..2106 */
	case 1: return rnd_range(-62167219200LL, 253402300799LL);      /* years 0..9999 */
	case 2: return rnd_range(-(1LL << 40), 1LL << 40);            /* +- 35000 years */
	case 3: { /* around a year boundary, 1600..2500 */
		struct tm t = { .tm_year = (int)rnd_range(-300, 600), .tm_mday = 1 };
		return timegm(&t) + rnd_range(-3 * 86400, 3 * 86400);
	}
	case 4: { /* around Feb 28/29 and Mar 1 */
		struct tm t = { .tm_year = (int)rnd_range(-2000, 2000), .tm_mon = 1, .tm_mday = 28 };
		return timegm(&t) + rnd_range(-86400, 3 * 86400);
	}
	default:
		return (time_t)(rnd() >> rnd_range(1, 20)) * (rnd() & 1 ? 1 : -1);  /* huge too */
	}
}

/* ---- gmtime / localtime ------------------------------------------------- */
static void group_gmtime(void)
{
	for (long i = 0; i < 400000; i++) {
		time_t t = pick_time(i);
		struct tm a, b, c, d;
		struct tm *ra, *rb, *rc, *rd;
		int ea, eb;

		memset(&a, 0x55, sizeof(a)); memset(&b, 0x55, sizeof(b));
		nl_errno = 0; errno = 0;
		ra = nl_gmtime_r(&t, &a); ea = nl_errno;
		rb = gmtime_r(&t, &b); eb = errno;
		CHECK(!ra == !rb && (rb || ea == eb), "gmtime_r(%lld): nolibc %p errno %d, glibc %p errno %d",
		      (long long)t, (void *)ra, ea, (void *)rb, eb);
		if (ra && rb)
			CHECK(ra == &a && tm_eq(&a, &b, 0), "gmtime_r(%lld): nolibc %s glibc %s",
			      (long long)t, tm_str(&a), tm_str(&b));
		/* localtime under TZ=UTC: the zone name too ("UTC") */
		rc = nl_localtime_r(&t, &c);
		rd = localtime_r(&t, &d);
		CHECK(!rc == !rd, "localtime_r(%lld) null", (long long)t);
		if (rc && rd)
			CHECK(tm_eq(&c, &d, 1), "localtime_r(%lld): nolibc %s glibc %s",
			      (long long)t, tm_str(&c), tm_str(&d));
		if (i % 97 == 0) {
			struct tm *s1 = nl_gmtime(&t), *s2 = nl_localtime(&t);

			CHECK(!s1 == !rb && (!s1 || tm_eq(s1, &b, 0)), "gmtime(%lld)", (long long)t);
			CHECK(!s2 == !rd && (!s2 || tm_eq(s2, &d, 1)), "localtime(%lld)", (long long)t);
		}
	}
}

/* ---- timegm / mktime ---------------------------------------------------- */
static void random_tm(struct tm *t, long i)
{
	memset(t, 0, sizeof(*t));
	if (i % 3 == 0) {     /* in range */
		t->tm_year = (int)rnd_range(-2000, 8100);
		t->tm_mon = (int)rnd_range(0, 11);
		t->tm_mday = (int)rnd_range(1, 31);
		t->tm_hour = (int)rnd_range(0, 23);
		t->tm_min = (int)rnd_range(0, 59);
		t->tm_sec = (int)rnd_range(0, 60);
	} else if (i % 3 == 1) {  /* out of range: carried */
		t->tm_year = (int)rnd_range(-3000, 10000);
		t->tm_mon = (int)rnd_range(-40, 40);
		t->tm_mday = (int)rnd_range(-400, 400);
		t->tm_hour = (int)rnd_range(-100, 100);
		t->tm_min = (int)rnd_range(-3000, 3000);
		t->tm_sec = (int)rnd_range(-100000, 100000);
	} else {                  /* anything an int holds */
		t->tm_year = (int)(rnd() >> 32);
		t->tm_mon = (int)(rnd() >> 32);
		t->tm_mday = (int)(rnd() >> 32);
		t->tm_hour = (int)(rnd() >> (32 + rnd() % 32));
		t->tm_min = (int)(rnd() >> (32 + rnd() % 32));
		t->tm_sec = (int)(rnd() >> (32 + rnd() % 32));
	}
	t->tm_wday = (int)rnd_range(-9, 9);   /* ignored on input */
	t->tm_yday = (int)rnd_range(-9, 400);
	t->tm_isdst = (i & 4) ? -1 : 0;
}

static void group_mktime(void)
{
	for (long i = 0; i < 300000; i++) {
		struct tm in, a, b, c, d;
		time_t ra, rb, rc, rd;
		int ea, eb;

		random_tm(&in, i);
		a = b = c = d = in;
		nl_errno = 0; errno = 0;
		ra = nl_timegm(&a); ea = nl_errno;
		rb = timegm(&b); eb = errno;
		CHECK(ra == rb && (ra != -1 || ea == eb), "timegm(%s): nolibc %lld errno %d, glibc %lld errno %d",
		      tm_str(&in), (long long)ra, ea, (long long)rb, eb);
		if (ra == rb && ra != -1)
			CHECK(tm_eq(&a, &b, 0), "timegm(%s) normalised: nolibc %s glibc %s", tm_str(&in),
			      tm_str(&a), tm_str(&b));
		nl_errno = 0; errno = 0;
		rc = nl_mktime(&c); ea = nl_errno;
		rd = mktime(&d); eb = errno;
		CHECK(rc == rd && (rc != -1 || ea == eb), "mktime(%s): nolibc %lld errno %d, glibc %lld errno %d",
		      tm_str(&in), (long long)rc, ea, (long long)rd, eb);
		if (rc == rd && rc != -1)
			CHECK(tm_eq(&c, &d, 1), "mktime(%s) normalised: nolibc %s glibc %s", tm_str(&in),
			      tm_str(&c), tm_str(&d));
	}
	/* round trip over random times */
	for (long i = 0; i < 100000; i++) {
		time_t t = pick_time(i), r;
		struct tm tm;

		if (!nl_gmtime_r(&t, &tm))
			continue;
		r = nl_timegm(&tm);
		CHECK(r == t, "timegm(gmtime(%lld)) = %lld", (long long)t, (long long)r);
	}
	CHECK(nl_difftime(10, 4) == 6.0 && nl_difftime(LONG_MIN, LONG_MAX) == difftime(LONG_MIN, LONG_MAX),
	      "difftime");
}

/* ---- strftime ----------------------------------------------------------- */
static const char convs[] = "aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%";

static void compare_strftime(const char *fmt, const struct tm *tm)
{
	char a[512], b[512];
	size_t na, nb;

	memset(a, 'x', sizeof(a)); memset(b, 'y', sizeof(b));
	na = nl_strftime(a, sizeof(a), fmt, tm);
	nb = strftime(b, sizeof(b), fmt, tm);
	CHECK(na == nb && !memcmp(a, b, nb + 1), "strftime(\"%s\", %s): nolibc %zu \"%s\", glibc %zu \"%s\"",
	      fmt, tm_str(tm), na, na ? a : "", nb, nb ? b : "");
	if (nb > 0 && nb < 60 && (checks & 7) == 0) {
		/* exactly too small and exactly big enough */
		CHECK(nl_strftime(a, nb, fmt, tm) == 0, "strftime(\"%s\") into %zu bytes", fmt, nb);
		CHECK(nl_strftime(a, nb + 1, fmt, tm) == nb && !strcmp(a, b), "strftime(\"%s\") into %zu bytes",
		      fmt, nb + 1);
	}
}

static void group_strftime(void)
{
	static const char *const flags[] = { "", "-", "_", "0", "^", "#", "10", "_5", "-3", "03", "^12", "#^8", "_08", "E", "O" };
	static const char *const whole[] = {
		"%Y-%m-%dT%H:%M:%SZ", "%a, %d %b %Y %H:%M:%S %z", "%c", "%x %X", "%Y-W%V-%u",
		"plain text", "", "%", "%q", "%5q", "100%% %Q", "%Ey %EC %Od %OH", "%%%Y%%", "%Ec|%Ex|%EX|%EY",
		"%Oe %OI %Om %OM %OS %Ou %OU %OV %Ow %OW %Oy",
	};
	long n = 0;

	for (long i = 0; i < 30000; i++) {
		time_t t = pick_time(i);
		struct tm tm;
		char fmt[16];

		if (!localtime_r(&t, &tm))
			continue;
		if (i % 50 == 7)
			tm.tm_hour = (int)rnd_range(0, 23);  /* AM/PM, 12-hour clock */
		for (const char *c = convs; *c; c++) {
			/* glibc computes the ISO year in an int: it overflows
			 * one year before the last (nolibc is right there) */
			if (strchr("gG", *c) && tm.tm_year > INT_MAX - 1901)
				continue;
			snprintf(fmt, sizeof(fmt), "%%%c", *c);
			compare_strftime(fmt, &tm);
			n++;
			if (i < 3000) {
				/* each flag and width; E/O only where C99 allows them */
				for (size_t f = 1; f < sizeof(flags) / sizeof(flags[0]); f++) {
					if ((flags[f][0] == 'E' && !strchr("cCxXyY", *c)) ||
					    (flags[f][0] == 'O' && !strchr("deHImMSuUVwWy", *c)))
						continue;
					snprintf(fmt, sizeof(fmt), "%%%s%c", flags[f], *c);
					compare_strftime(fmt, &tm);
				}
			}
		}
		for (size_t w = 0; w < sizeof(whole) / sizeof(whole[0]); w++)
			compare_strftime(whole[w], &tm);
	}
	/* a non-zero offset and an unknown zone (tm from elsewhere) */
	{
		struct tm tm;
		time_t t = 1700000000;
		static const long offs[] = { 3600, -3600, 19800, -34200, 50400, -1, 59, -59 };

		localtime_r(&t, &tm);
		for (size_t k = 0; k < sizeof(offs) / sizeof(offs[0]); k++) {
			tm.tm_gmtoff = offs[k];
			tm.tm_zone = "XYZ";
			compare_strftime("%z %Z %^Z %#Z", &tm);
		}
	}
	printf("strftime: %ld single conversions\n", n);
}

/* ---- asctime / ctime ---------------------------------------------------- */
static void group_asctime(void)
{
	for (long i = 0; i < 50000; i++) {
		time_t t = rnd_range(-62135596800LL, 253402300799LL);  /* years 1..9999 */
		struct tm tm;
		char a[26], b[26], *ra, *rb;

		gmtime_r(&t, &tm);
		ra = nl_asctime_r(&tm, a);
		rb = asctime_r(&tm, b);
		CHECK(ra && rb && !strcmp(a, b), "asctime_r(%lld): nolibc \"%s\" glibc \"%s\"", (long long)t,
		      ra ? a : "(null)", rb ? b : "(null)");
		ra = nl_ctime_r(&t, a);
		rb = ctime_r(&t, b);
		CHECK(ra && rb && !strcmp(a, b), "ctime_r(%lld)", (long long)t);
		if (i % 100 == 0)
			CHECK(!strcmp(nl_asctime(&tm), b) && !strcmp(nl_ctime(&t), b), "asctime/ctime(%lld)",
			      (long long)t);
	}
	/* a year that does not fit 26 bytes */
	{
		struct tm tm;
		time_t t = 1LL << 50;
		char a[26];

		nl_gmtime_r(&t, &tm);
		nl_errno = 0;
		CHECK(nl_asctime_r(&tm, a) == NULL && nl_errno == EOVERFLOW, "asctime_r(year %d)", tm.tm_year);
	}
}

/* ---- clocks and sleeps (over the shims) --------------------------------- */
static void group_clock(void)
{
	struct timespec ts, rem;
	struct timeval tv;
	struct { int tz_minuteswest, tz_dsttime; } tz = { 5, 5 };
	time_t t;

	CHECK(nl_clock_gettime(CLOCK_MONOTONIC, &ts) == 0 && ts.tv_sec == 5 && ts.tv_nsec == 123, "MONOTONIC");
	CHECK(nl_clock_gettime(CLOCK_MONOTONIC_RAW, &ts) == 0 && ts.tv_sec == 5, "MONOTONIC_RAW");
	CHECK(nl_clock_gettime(CLOCK_MONOTONIC_COARSE, &ts) == 0 && ts.tv_sec == 5, "MONOTONIC_COARSE");
	CHECK(nl_clock_gettime(CLOCK_BOOTTIME, &ts) == 0 && ts.tv_sec == 5 && ts.tv_nsec == 123, "BOOTTIME");
	CHECK(nl_clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec == 1700000000 && ts.tv_nsec == 456789,
	      "REALTIME");
	CHECK(nl_clock_gettime(CLOCK_REALTIME_COARSE, &ts) == 0 && ts.tv_sec == 1700000000, "REALTIME_COARSE");
	for (int c = CLOCK_PROCESS_CPUTIME_ID; c <= CLOCK_THREAD_CPUTIME_ID; c++) {
		nl_errno = 0;
		CHECK(nl_clock_gettime(c, &ts) == -1 && nl_errno == EINVAL, "clock_gettime(CPUTIME %d)", c);
		nl_errno = 0;
		CHECK(nl_clock_getres(c, &ts) == -1 && nl_errno == EINVAL, "clock_getres(CPUTIME %d)", c);
	}
	for (int c = 8; c < 40; c++) {
		nl_errno = 0;
		CHECK(nl_clock_gettime(c, &ts) == -1 && nl_errno == EINVAL, "clock_gettime(%d)", c);
	}
	nl_errno = 0;
	CHECK(nl_clock_gettime(-1, &ts) == -1 && nl_errno == EINVAL, "clock_gettime(-1)");
	nl_errno = 0;
	CHECK(nl_clock_gettime(CLOCK_MONOTONIC, NULL) == -1 && nl_errno == EFAULT, "clock_gettime(NULL)");
	/* resolution: one counter tick, rounded up */
	static const uint64_t freqs[][2] = { { 1000000000, 1 }, { 3000000000ULL, 1 }, { 62500000, 16 },
					     { 19200000, 53 }, { 54000000, 19 }, { 1, 1000000000 } };
	for (size_t i = 0; i < sizeof(freqs) / sizeof(freqs[0]); i++) {
		freq_hz = freqs[i][0];
		CHECK(nl_clock_getres(CLOCK_MONOTONIC, &ts) == 0 && ts.tv_sec == 0 &&
		      (uint64_t)ts.tv_nsec == freqs[i][1], "clock_getres at %llu Hz: %ld",
		      (unsigned long long)freqs[i][0], ts.tv_nsec);
	}
	freq_hz = 1000000000;
	CHECK(nl_clock_getres(CLOCK_REALTIME, NULL) == 0, "clock_getres(NULL)");
	CHECK(nl_gettimeofday(&tv, &tz) == 0 && tv.tv_sec == 1700000000 && tv.tv_usec == 456 &&
	      tz.tz_minuteswest == 0 && tz.tz_dsttime == 0, "gettimeofday");
	CHECK(nl_gettimeofday(NULL, NULL) == 0, "gettimeofday(NULL, NULL)");
	CHECK(nl_time(&t) == 1700000000 && t == 1700000000 && nl_time(NULL) == 1700000000, "time");

	/* nanosleep: argument checks, then the deadline it asks for */
	static const struct { long long sec; long nsec; } bad[] = {
		{ 0, -1 }, { 0, 1000000000 }, { -1, 0 }, { -1, 500 }, { 1, LONG_MAX }, { 1, LONG_MIN },
		{ LLONG_MIN, 0 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct timespec req = { bad[i].sec, bad[i].nsec };

		sleeps = 0;
		rem.tv_sec = 77;
		nl_errno = 0;
		CHECK(nl_nanosleep(&req, &rem) == -1 && nl_errno == EINVAL && sleeps == 0 && rem.tv_sec == 77,
		      "nanosleep({%lld, %ld}) must be EINVAL without sleeping", bad[i].sec, bad[i].nsec);
		errno = 0;
		CHECK(nanosleep(&req, NULL) == -1 && errno == EINVAL, "glibc agrees on {%lld, %ld}",
		      bad[i].sec, bad[i].nsec);
		CHECK(nl_clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL) == EINVAL && sleeps == 0,
		      "clock_nanosleep({%lld, %ld})", bad[i].sec, bad[i].nsec);
	}
	nl_errno = 0;
	CHECK(nl_nanosleep(NULL, NULL) == -1 && nl_errno == EFAULT && sleeps == 0, "nanosleep(NULL)");
	{
		struct timespec req = { 2, 500 };

		sleeps = 0;
		rem.tv_sec = 77;
		CHECK(nl_nanosleep(&req, &rem) == 0 && sleeps == 1 && slept_until == mono_ns + 2000000500ULL &&
		      rem.tv_sec == 77, "nanosleep({2, 500}): deadline %llu", (unsigned long long)slept_until);
		req = (struct timespec){ 0, 0 };
		CHECK(nl_nanosleep(&req, NULL) == 0 && slept_until == mono_ns, "nanosleep(0)");
		req = (struct timespec){ 0, 999999999 };
		CHECK(nl_nanosleep(&req, NULL) == 0 && slept_until == mono_ns + 999999999, "nanosleep(max ns)");
		req = (struct timespec){ LONG_MAX, 999999999 };
		CHECK(nl_nanosleep(&req, NULL) == 0 && slept_until == UINT64_MAX, "nanosleep(forever) saturates");
		req = (struct timespec){ 9, 0 };
		CHECK(nl_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &req, NULL) == 0 &&
		      slept_until == 9000000000ULL, "clock_nanosleep(ABSTIME)");
		req = (struct timespec){ 1700000003, 456789 };
		CHECK(nl_clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &req, NULL) == 0 &&
		      slept_until == mono_ns + 3000000000ULL, "clock_nanosleep(REALTIME, ABSTIME): %llu",
		      (unsigned long long)slept_until);
		req = (struct timespec){ 1600000000, 0 };
		CHECK(nl_clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &req, NULL) == 0 && slept_until == 0,
		      "clock_nanosleep(REALTIME, past)");
		req = (struct timespec){ 1, 0 };
		CHECK(nl_clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &req, NULL) == EINVAL,
		      "clock_nanosleep(CPUTIME)");
		CHECK(nl_clock_nanosleep(CLOCK_MONOTONIC, 2, &req, NULL) == EINVAL, "clock_nanosleep(flags 2)");
		CHECK(nl_clock_nanosleep(CLOCK_MONOTONIC, 0, NULL, NULL) == EFAULT, "clock_nanosleep(NULL)");
	}
	CHECK(nl_sleep(3) == 0 && slept_until == mono_ns + 3000000000ULL, "sleep(3)");
	CHECK(nl_sleep(UINT_MAX) == 0 && slept_until == mono_ns + UINT_MAX * 1000000000ULL, "sleep(UINT_MAX)");
	CHECK(nl_usleep(1500) == 0 && slept_until == mono_ns + 1500000, "usleep(1500)");
	CHECK(nl_usleep(2500000) == 0 && slept_until == mono_ns + 2500000000ULL, "usleep(2.5 s)");
}

int main(int argc, char **argv)
{
	const char *g = argc > 1 ? argv[1] : "";

	setenv("TZ", "UTC", 1);
	tzset();
	if (!strcmp(g, "gmtime"))
		group_gmtime();
	else if (!strcmp(g, "mktime"))
		group_mktime();
	else if (!strcmp(g, "strftime"))
		group_strftime();
	else if (!strcmp(g, "asctime"))
		group_asctime();
	else if (!strcmp(g, "clock"))
		group_clock();
	else {
		fprintf(stderr, "unknown group %s\n", g);
		return 2;
	}
	printf("RESULT %s checks=%ld failures=%ld\n", g, checks, failures);
	return failures != 0;
}
