/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc <ctype.h>: every class over all 256 byte values and EOF. */
#include <ctype.h>
#include <stdio.h>
#include "nolibc_test.h"

/* The classes each byte belongs to, spelled out from the ASCII table. */
UK_TESTCASE(nolibc_ctype, classes)
{
	int c;

	for (c = -1; c < 256; c++) {
		int dig = c >= '0' && c <= '9';
		int up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z';
		int sp = c == ' ' || (c >= '\t' && c <= '\r');
		int print = c >= 0x20 && c < 0x7f;

		UK_TEST_ASSERT(!!isdigit(c) == dig);
		UK_TEST_ASSERT(!!isupper(c) == up);
		UK_TEST_ASSERT(!!islower(c) == lo);
		UK_TEST_ASSERT(!!isalpha(c) == (up || lo));
		UK_TEST_ASSERT(!!isalnum(c) == (up || lo || dig));
		UK_TEST_ASSERT(!!isxdigit(c) == (dig || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
		UK_TEST_ASSERT(!!isspace(c) == sp);
		UK_TEST_ASSERT(!!isblank(c) == (c == ' ' || c == '\t'));
		UK_TEST_ASSERT(!!isprint(c) == print);
		UK_TEST_ASSERT(!!isgraph(c) == (print && c != ' '));
		UK_TEST_ASSERT(!!iscntrl(c) == ((c >= 0 && c < 0x20) || c == 0x7f));
		UK_TEST_ASSERT(!!ispunct(c) == (print && c != ' ' && !up && !lo && !dig));
		UK_TEST_ASSERT(!!isascii(c) == (c >= 0 && c < 0x80));
		UK_TEST_ASSERT(tolower(c) == (up ? c + 32 : c));
		UK_TEST_ASSERT(toupper(c) == (lo ? c - 32 : c));
	}
	UK_TEST_EXPECT_EQ(tolower(EOF), EOF);
	UK_TEST_EXPECT_EQ(toascii(0xc1), 0x41);
}
