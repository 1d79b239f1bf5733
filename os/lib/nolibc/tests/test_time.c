/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nolibc <time.h> in the guest: the calendar and strftime against values
 * from glibc (TZ=UTC; tests/host/test_nolibc_time.py compares the two over
 * millions of cases on the host, this checks the same code on each
 * architecture), and, with uktime in the image, the clocks and nanosleep's
 * argument checks.
 */
#include <time.h>
#include <sys/time.h>
#include <errno.h>
#include <limits.h>
#include "nolibc_test.h"

static const struct {
	long long t;
	int year, mon, mday, hour, min, sec, wday, yday;
	const char *f1, *f2;
} dates[] = {
	{ 0LL, 70, 0, 1, 0, 0, 0, 4, 0,
	  "Thu Thursday Jan January 19 01 01/01/70  1 1970-01-01 70 1970 00 12 001 01 00 AM 12:00:00 AM 00:00 00 00:00:00 4 00 01 4 00 70 1970 +0000 UTC %",
	  "Thu Jan  1 00:00:00 1970|01/01/70|00:00:00|Jan|\n|\t| 0|12|am|0" },
	{ 951825600LL, 100, 1, 29, 12, 0, 0, 2, 59,
	  "Tue Tuesday Feb February 20 29 02/29/00 29 2000-02-29 00 2000 12 12 060 02 00 PM 12:00:00 PM 12:00 00 12:00:00 2 09 09 2 09 00 2000 +0000 UTC %",
	  "Tue Feb 29 12:00:00 2000|02/29/00|12:00:00|Feb|\n|\t|12|12|pm|951825600" },
	{ -1LL, 69, 11, 31, 23, 59, 59, 3, 364,
	  "Wed Wednesday Dec December 19 31 12/31/69 31 1969-12-31 70 1970 23 11 365 12 59 PM 11:59:59 PM 23:59 59 23:59:59 3 52 01 3 52 69 1969 +0000 UTC %",
	  "Wed Dec 31 23:59:59 1969|12/31/69|23:59:59|Dec|\n|\t|23|11|pm|-1" },
	{ 2147483648LL, 138, 0, 19, 3, 14, 8, 2, 18,
	  "Tue Tuesday Jan January 20 19 01/19/38 19 2038-01-19 38 2038 03 03 019 01 14 AM 03:14:08 AM 03:14 08 03:14:08 2 03 03 2 03 38 2038 +0000 UTC %",
	  "Tue Jan 19 03:14:08 2038|01/19/38|03:14:08|Jan|\n|\t| 3| 3|am|2147483648" },
	{ 253402300799LL, 8099, 11, 31, 23, 59, 59, 5, 364,
	  "Fri Friday Dec December 99 31 12/31/99 31 9999-12-31 99 9999 23 11 365 12 59 PM 11:59:59 PM 23:59 59 23:59:59 5 52 52 5 52 99 9999 +0000 UTC %",
	  "Fri Dec 31 23:59:59 9999|12/31/99|23:59:59|Dec|\n|\t|23|11|pm|253402300799" },
	{ -62135596800LL, -1899, 0, 1, 0, 0, 0, 1, 0,
	  "Mon Monday Jan January 0 01 01/01/01  1 1-01-01 01 1 00 12 001 01 00 AM 12:00:00 AM 00:00 00 00:00:00 1 00 01 1 01 01 1 +0000 UTC %",
	  "Mon Jan  1 00:00:00 1|01/01/01|00:00:00|Jan|\n|\t| 0|12|am|-62135596800" },
	{ 1796419337LL, 126, 11, 4, 21, 22, 17, 5, 337,
	  "Fri Friday Dec December 20 04 12/04/26  4 2026-12-04 26 2026 21 09 338 12 22 PM 09:22:17 PM 21:22 17 21:22:17 5 48 49 5 48 26 2026 +0000 UTC %",
	  "Fri Dec  4 21:22:17 2026|12/04/26|21:22:17|Dec|\n|\t|21| 9|pm|1796419337" },
};

#define F1 "%a %A %b %B %C %d %D %e %F %g %G %H %I %j %m %M %p %r %R %S %T %u %U %V %w %W %y %Y %z %Z %%"
#define F2 "%c|%x|%X|%h|%n|%t|%k|%l|%P|%s"

UK_TESTCASE(nolibc_time, gmtime_timegm_strftime)
{
	char buf[256];

	for (unsigned int i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		time_t t = (time_t)dates[i].t;
		struct tm tm, *r = gmtime_r(&t, &tm);

		UK_TEST_ASSERT(r == &tm);
		UK_TEST_EXPECT_EQ(tm.tm_year, dates[i].year);
		UK_TEST_EXPECT_EQ(tm.tm_mon, dates[i].mon);
		UK_TEST_EXPECT_EQ(tm.tm_mday, dates[i].mday);
		UK_TEST_EXPECT_EQ(tm.tm_hour, dates[i].hour);
		UK_TEST_EXPECT_EQ(tm.tm_min, dates[i].min);
		UK_TEST_EXPECT_EQ(tm.tm_sec, dates[i].sec);
		UK_TEST_EXPECT_EQ(tm.tm_wday, dates[i].wday);
		UK_TEST_EXPECT_EQ(tm.tm_yday, dates[i].yday);
		UK_TEST_EXPECT_EQ(strftime(buf, sizeof(buf), F1, &tm), strlen(dates[i].f1));
		EXPECT_STREQ(buf, dates[i].f1);
		UK_TEST_EXPECT_EQ(strftime(buf, sizeof(buf), F2, &tm), strlen(dates[i].f2));
		EXPECT_STREQ(buf, dates[i].f2);
		UK_TEST_EXPECT_EQ(timegm(&tm), t);
		UK_TEST_EXPECT_EQ(mktime(&tm), t);
	}
}

UK_TESTCASE(nolibc_time, normalise_and_overflow)
{
	/* 2000-13-32 25:61:61 is 2001-02-02 02:02:01 */
	struct tm tm = { .tm_year = 100, .tm_mon = 12, .tm_mday = 32, .tm_hour = 25, .tm_min = 61, .tm_sec = 61 };
	time_t big = (time_t)1 << 62;
	char small[8];

	UK_TEST_EXPECT_EQ(timegm(&tm), (time_t)981079321);
	UK_TEST_EXPECT_EQ(tm.tm_year, 101);
	UK_TEST_EXPECT_EQ(tm.tm_mon, 1);
	UK_TEST_EXPECT_EQ(tm.tm_mday, 2);
	UK_TEST_EXPECT_EQ(tm.tm_wday, 5);
	UK_TEST_EXPECT_EQ(tm.tm_yday, 32);
	errno = 0;
	UK_TEST_EXPECT_NULL(gmtime(&big));
	UK_TEST_EXPECT_EQ(errno, EOVERFLOW);
	tm = (struct tm){ .tm_year = INT_MAX, .tm_mon = 12, .tm_mday = 1 };
	errno = 0;
	UK_TEST_EXPECT_EQ(mktime(&tm), (time_t)-1);
	UK_TEST_EXPECT_EQ(errno, EOVERFLOW);
	/* too small: 0, not a cut string */
	big = 0;
	UK_TEST_EXPECT_EQ(strftime(small, sizeof(small), "%Y-%m-%d", gmtime(&big)), 0);
	UK_TEST_EXPECT_EQ(strftime(small, sizeof(small), "%H:%M", gmtime(&big)), 5);
	EXPECT_STREQ(asctime(gmtime(&big)), "Thu Jan  1 00:00:00 1970\n");
	UK_TEST_EXPECT(difftime(5, 7) == -2.0);
}

#ifdef CONFIG_LIBUKTIME
UK_TESTCASE(nolibc_time, clocks_and_sleep_arguments)
{
	struct timespec a, b, bad = { 0, 1000000000 }, ms = { 0, 2000000 };
	struct timeval tv;

	UK_TEST_EXPECT_EQ(clock_gettime(CLOCK_MONOTONIC, &a), 0);
	UK_TEST_EXPECT_EQ(nanosleep(&ms, NULL), 0);
	UK_TEST_EXPECT_EQ(clock_gettime(CLOCK_MONOTONIC, &b), 0);
	UK_TEST_EXPECT((b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec) >= 2000000);
	errno = 0;
	UK_TEST_EXPECT_EQ(nanosleep(&bad, NULL), -1);
	UK_TEST_EXPECT_EQ(errno, EINVAL);
	errno = 0;
	UK_TEST_EXPECT_EQ(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a), -1);
	UK_TEST_EXPECT_EQ(errno, EINVAL);
	UK_TEST_EXPECT_EQ(gettimeofday(&tv, NULL), 0);
	UK_TEST_EXPECT(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	UK_TEST_EXPECT(time(NULL) >= tv.tv_sec);
}
#endif
