/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc <stdio.h>: the printf conversions and the console functions. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <stddef.h>
#include <limits.h>
#include <errno.h>
#include "nolibc_test.h"

UK_TESTCASE(nolibc_stdio, integers)
{
	EXPECT_FMT("42 -42 0", "%d %i %d", 42, -42, 0);
	EXPECT_FMT("-2147483648 2147483647", "%d %d", INT_MIN, INT_MAX);
	EXPECT_FMT("4294967295", "%u", UINT_MAX);
	EXPECT_FMT("-9223372036854775808", "%lld", LLONG_MIN);
	EXPECT_FMT("18446744073709551615", "%llu", ULLONG_MAX);
	EXPECT_FMT("-9223372036854775808", "%ld", LONG_MIN);
	EXPECT_FMT("ff FF 377 ffffffffffffffff", "%x %X %o %lx", 255, 255, 255, ULONG_MAX);
	EXPECT_FMT("-1 -1 255 65535", "%hhd %hd %hhu %hu", 255, 65535, -1, -1);
	EXPECT_FMT("12 -3 5 7", "%zu %zd %jd %td", (size_t)12, (ptrdiff_t)-3, (intmax_t)5,
		   (ptrdiff_t)7);
	EXPECT_FMT("1a", "%zx", (size_t)26);
}

UK_TESTCASE(nolibc_stdio, flags_width_precision)
{
	EXPECT_FMT("[   42][42   ][00042][+42][ 42]", "[%5d][%-5d][%05d][%+d][% d]", 42, 42, 42, 42, 42);
	EXPECT_FMT("[  -42][-0042][  042][-042]", "[%5d][%05d][%5.3d][%.3d]", -42, -42, 42, -42);
	EXPECT_FMT("[][    ][0]", "[%.0d][%4.0d][%d]", 0, 0, 0);
	EXPECT_FMT("[0x1f][0X1F][017][0][0]", "[%#x][%#X][%#o][%#x][%#o]", 31, 31, 15, 0, 0);
	EXPECT_FMT("[0x001f][  0x1f]", "[%#06x][%#6x]", 31, 31);
	EXPECT_FMT("[   42][42   ]", "[%*d][%*d]", 5, 42, -5, 42);
	EXPECT_FMT("[00042][42]", "[%.*d][%.*d]", 5, 42, -1, 42);
	const char *plus_space = "[%+ d][%+d]", *unknown = "[%y]";   /* gcc would warn */
	EXPECT_FMT("[+42][+0]", plus_space, 42, 0);
	EXPECT_FMT("[  abc][abc  ][ab][   ab]", "[%5s][%-5s][%.2s][%5.2s]", "abc", "abc", "abc", "abc");
	EXPECT_FMT("[x][    x][x    ][%]", "[%c][%5c][%-5c][%%]", 'x', 'x', 'x');
	const char *volatile null = NULL;       /* hidden from gcc's checks */
	EXPECT_FMT("[(null)][]", "[%s][%.3s]", null, null);
	EXPECT_FMT("[0x1234][(nil)][  0x10]", "[%p][%p][%6p]", (void *)0x1234, (void *)0, (void *)16);
	EXPECT_FMT("[%y]", unknown, 0);
}

UK_TESTCASE(nolibc_stdio, floats)
{
#if defined(CONFIG_LIBNOLIBC_PRINTF_FLOAT)
	EXPECT_FMT("3.141593 3.14 3 3.", "%f %.2f %.0f %#.0f", 3.14159265, 3.14159265, 3.14159265, 3.0);
	EXPECT_FMT("0.125 0.12 0.2 2 2 0", "%g %.2f %.1f %.0f %.0f %.0f", 0.125, 0.125, 0.25, 1.5, 2.5, 0.5);
	EXPECT_FMT("1.000000e+00 1.234568e+04 1.0e-05 -2.50E+300", "%e %e %.1e %.2E", 1.0, 12345.678,
		   1e-5, -2.5e300);
	EXPECT_FMT("100000 1e+06 0.0001 1e-05 1.23457e+08 0", "%g %g %g %g %g %g", 1e5, 1e6, 1e-4, 1e-5,
		   123456789.0, 0.0);
	EXPECT_FMT("0.100000000000000005551115123125782702118158340454101562500",
		   "%.57f", 0.1);
	EXPECT_FMT("-0.000000 inf -INF nan", "%f %f %F %f", -0.0, 1.0 / 0.0, -1.0 / 0.0,
		   __builtin_nan(""));
	EXPECT_FMT("[  -1.50][-001.50][+1.5    ][ 1.5]", "[%7.2f][%07.2f][%-+8.1f][% .1f]", -1.5, -1.5, 1.5, 1.5);
	EXPECT_FMT("4.9e-324 1.8e+308", "%.1e %.1e", 4.9406564584124654e-324, 1.7976931348623157e308);
	EXPECT_FMT("1.500000 2.5", "%Lf %Lg", 1.5L, 2.5L);
#endif
}

UK_TESTCASE(nolibc_stdio, snprintf_truncation)
{
	char b[8];

	memset(b, 'x', sizeof(b));
	UK_TEST_EXPECT_EQ(snprintf(b, 5, "hello world"), 11);
	EXPECT_STREQ(b, "hell");
	UK_TEST_EXPECT_EQ(b[5], 'x');
	UK_TEST_EXPECT_EQ(snprintf(NULL, 0, "%d", 12345), 5);
	b[0] = 'q';
	UK_TEST_EXPECT_EQ(snprintf(b, 0, "abc"), 3);
	UK_TEST_EXPECT_EQ(b[0], 'q');
	UK_TEST_EXPECT_EQ(sprintf(b, "%s-%d", "ab", 7), 4);
	EXPECT_STREQ(b, "ab-7");
}

UK_TESTCASE(nolibc_stdio, asprintf)
{
	char *s = NULL;

	if (!NOLIBC_TEST_HEAP) {
		UK_TEST_EXPECT_EQ(asprintf(&s, "%d", 1), -1);
		UK_TEST_EXPECT_NULL(s);
		return;
	}

	UK_TEST_EXPECT_EQ(asprintf(&s, "%s=%d", "answer", 42), 9);
	UK_TEST_ASSERT(s != NULL);
	EXPECT_STREQ(s, "answer=42");
	free(s);
}

UK_TESTCASE(nolibc_stdio, console)
{
	UK_TEST_EXPECT_EQ(printf("nolibc: printf %s\n", "works"), 21);
	UK_TEST_EXPECT_EQ(fprintf(stderr, "nolibc: fprintf(stderr)\n"), 24);
	UK_TEST_EXPECT(puts("nolibc: puts") >= 0);
	UK_TEST_EXPECT(fputs("nolibc: fputs\n", stdout) >= 0);
	UK_TEST_EXPECT_EQ(putchar('\n'), '\n');
	UK_TEST_EXPECT_EQ(fputc(0x100 + '\n', stdout), '\n');    /* as unsigned char */
	UK_TEST_EXPECT_EQ(fwrite("abc\n", 1, 4, stdout), 4);
	UK_TEST_EXPECT_EQ(fflush(stdout), 0);
	errno = 0;
	UK_TEST_EXPECT_EQ(fprintf(stdin, "x"), -1);
	UK_TEST_EXPECT_EQ(errno, EBADF);
	UK_TEST_EXPECT_EQ(fputs("x", stdin), EOF);
}
