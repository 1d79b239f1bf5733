/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The calendar in UTC: gmtime/localtime (the same: there are no time
 * zones), timegm/mktime (the same), difftime, asctime and ctime. The
 * proleptic Gregorian calendar over the whole range of time_t, in 64-bit
 * integer arithmetic (days <-> civil dates as in H. Hinnant's
 * "chrono-Compatible Low-Level Date Algorithms"): a year that does not fit
 * tm_year is EOVERFLOW, as in glibc. Needs nothing from the OS.
 */
#include <time.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>

#define SECS_PER_DAY 86400LL

static long long floor_div(long long a, long long b)
{
	long long q = a / b;

	return (a % b && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days since 1970-01-01 of y-m-d (m 1..12, d 1..31); any y in +-2^40. */
static long long days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;                                  /* 0..399 */
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  /* 0..365 */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* 0..146096 */
	return era * 146097 + doe - 719468;
}

struct tm *gmtime_r(const time_t *t, struct tm *tm)
{
	/* days and seconds without overflow, also next to LLONG_MIN */
	long long days = *t / SECS_PER_DAY, secs = *t % SECS_PER_DAY;
	long long z, era, doe, yoe, y, doy, mp;
	int m, d;

	if (secs < 0) {
		secs += SECS_PER_DAY;
		days--;
	}
	z = days + 719468;

	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);        /* from March 1 */
	mp = (5 * doy + 2) / 153;
	d = (int)(doy - (153 * mp + 2) / 5 + 1);
	m = (int)(mp < 10 ? mp + 3 : mp - 9);
	y += m <= 2;
	if (y - 1900 > INT_MAX || y - 1900 < INT_MIN) {
		errno = EOVERFLOW;
		return NULL;
	}
	tm->tm_year = (int)(y - 1900);
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_yday = (int)(days - days_from_civil(y, 1, 1));
	tm->tm_wday = (int)(floor_div(days + 4, 7) * -7 + days + 4); /* 1970-01-01: Thursday */
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_sec = (int)(secs % 60);
	tm->tm_isdst = 0;
	tm->tm_gmtoff = 0;
	tm->tm_zone = "UTC";
	return tm;
}

struct tm *gmtime(const time_t *t)
{
	static struct tm tm;

	return gmtime_r(t, &tm);
}

struct tm *localtime_r(const time_t *t, struct tm *tm)
{
	return gmtime_r(t, tm);
}

struct tm *localtime(const time_t *t)
{
	return gmtime(t);
}

/* Fields out of their ranges are carried (month 13 is January of the next
 * year, second -1 the last second of the previous minute); tm is rewritten
 * normalised, with tm_wday and tm_yday. tm_isdst is ignored (UTC). */
time_t timegm(struct tm *tm)
{
	long long y = (long long)tm->tm_year + 1900 + floor_div(tm->tm_mon, 12);
	int mon = (int)(tm->tm_mon - floor_div(tm->tm_mon, 12) * 12);
	long long t;
	time_t r;
	struct tm out;

	/* every term fits easily: |days| < 2^42, times 86400 < 2^59 */
	t = (days_from_civil(y, mon + 1, 1) + tm->tm_mday - 1) * SECS_PER_DAY +
	    (long long)tm->tm_hour * 3600 + (long long)tm->tm_min * 60 + tm->tm_sec;
	r = (time_t)t;
	if (!gmtime_r(&r, &out)) {
		errno = EOVERFLOW;
		return -1;
	}
	*tm = out;
	return r;
}

time_t mktime(struct tm *tm)
{
	return timegm(tm);
}

double difftime(time_t t1, time_t t0)
{
	/* each converted first: t1 - t0 could overflow time_t */
	return (double)t1 - (double)t0;
}

static const char wday_abbr[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char mon_abbr[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/* "Thu Jan  1 00:00:00 1970\n" as glibc prints it; buf holds 26 bytes for
 * four-digit years. NULL + EOVERFLOW when the result does not fit. */
char *asctime_r(const struct tm *tm, char *buf)
{
	int n;

	n = snprintf(buf, 26, "%.3s %.3s%3d %.2d:%.2d:%.2d %d\n",
		     tm->tm_wday >= 0 && tm->tm_wday < 7 ? wday_abbr[tm->tm_wday] : "???",
		     tm->tm_mon >= 0 && tm->tm_mon < 12 ? mon_abbr[tm->tm_mon] : "???",
		     tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec, 1900 + tm->tm_year);
	if (n < 0 || n >= 26 || tm->tm_year > INT_MAX - 1900) {
		errno = EOVERFLOW;
		return NULL;
	}
	return buf;
}

char *asctime(const struct tm *tm)
{
	static char buf[26];

	return asctime_r(tm, buf);
}

char *ctime_r(const time_t *t, char *buf)
{
	struct tm tm;

	return localtime_r(t, &tm) ? asctime_r(&tm, buf) : NULL;
}

char *ctime(const time_t *t)
{
	static char buf[26];

	return ctime_r(t, buf);
}
