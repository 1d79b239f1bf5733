/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * strtol, strtoul, strtoll, strtoull, strtoimax, strtoumax, atoi, atol,
 * atoll. One parser (strtox) reads the magnitude as unsigned long long;
 * each wrapper clamps it to its type: out of range gives the limit and
 * ERANGE. Bases 0 and 2..36; another base gives 0 and EINVAL.
 */
#include <stdlib.h>
#include <inttypes.h>
#include <limits.h>
#include <ctype.h>
#include <errno.h>
#include "../internal.h"

/*
 * Parses [space][sign][0x|0]digits; sets *neg, *ovf (magnitude over
 * ULLONG_MAX) and *end (s itself when there are no digits).
 */
static unsigned long long strtox(const char *s, char **end, int base, int *neg, int *ovf)
{
	const char *p = s;
	unsigned long long v = 0, cut;
	int d, cutd, any = 0;

	*neg = *ovf = 0;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		if (end)
			*end = (char *)s;
		return 0;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '-' || *p == '+')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 32) == 'x'
	    && __nolibc_digit(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}
	cut = ULLONG_MAX / base;
	cutd = ULLONG_MAX % base;
	for (; (d = __nolibc_digit(*p)) < base; p++) {
		any = 1;
		if (v > cut || (v == cut && d > cutd))
			*ovf = 1;
		else
			v = v * base + d;
	}
	if (end)
		*end = (char *)(any ? p : s);
	return v;
}

/* Signed result in [-max-1, max]. */
static long long sclamp(const char *s, char **end, int base, long long max)
{
	int neg, ovf;
	unsigned long long v = strtox(s, end, base, &neg, &ovf);
	unsigned long long lim = (unsigned long long)max + neg;

	if (ovf || v > lim) {
		errno = ERANGE;
		return neg ? -max - 1 : max;
	}
	return neg ? (long long)(0ULL - v) : (long long)v;
}

/* Unsigned result in [0, max]; a '-' negates in the unsigned type. */
static unsigned long long uclamp(const char *s, char **end, int base, unsigned long long max)
{
	int neg, ovf;
	unsigned long long v = strtox(s, end, base, &neg, &ovf);

	if (ovf || v > max) {
		errno = ERANGE;
		return max;
	}
	return neg ? (0ULL - v) & max : v;
}

long strtol(const char *__restrict s, char **__restrict end, int base)
{
	return sclamp(s, end, base, LONG_MAX);
}

unsigned long strtoul(const char *__restrict s, char **__restrict end, int base)
{
	return uclamp(s, end, base, ULONG_MAX);
}

long long strtoll(const char *__restrict s, char **__restrict end, int base)
{
	return sclamp(s, end, base, LLONG_MAX);
}

unsigned long long strtoull(const char *__restrict s, char **__restrict end, int base)
{
	return uclamp(s, end, base, ULLONG_MAX);
}

intmax_t strtoimax(const char *__restrict s, char **__restrict end, int base)
{
	return sclamp(s, end, base, INTMAX_MAX);
}

uintmax_t strtoumax(const char *__restrict s, char **__restrict end, int base)
{
	return uclamp(s, end, base, UINTMAX_MAX);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
	return strtoll(s, NULL, 10);
}
