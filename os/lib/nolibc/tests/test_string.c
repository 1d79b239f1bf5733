/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc <string.h> and <strings.h>. */
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <errno.h>
#include "nolibc_test.h"

UK_TESTCASE(nolibc_string, memcpy_memset)
{
	unsigned char a[64], b[64];
	int i, off, n;

	for (off = 0; off < 9; off++)
		for (n = 0; n < 40; n += 3) {
			for (i = 0; i < 64; i++)
				a[i] = i, b[i] = 0xee;
			UK_TEST_EXPECT(memcpy(b + off, a + 1, n) == b + off);
			for (i = 0; i < 64; i++)
				UK_TEST_ASSERT(b[i] == (i >= off && i < off + n ? i - off + 1 : 0xee));
			UK_TEST_EXPECT(memset(b + off, 0x5a, n) == b + off);
			for (i = 0; i < 64; i++)
				UK_TEST_ASSERT(b[i] == (i >= off && i < off + n ? 0x5a : 0xee));
		}
	memset(b, 0x1ff, 4);            /* only the low byte counts */
	UK_TEST_EXPECT_EQ(b[3], 0xff);
}

UK_TESTCASE(nolibc_string, memmove_overlap)
{
	char s[] = "0123456789abcdefghijklmnopqrstuv";

	memmove(s + 1, s, 16);
	EXPECT_STREQ(s, "00123456789abcdefhijklmnopqrstuv");
	memmove(s, s + 1, 16);
	EXPECT_STREQ(s, "0123456789abcdeffhijklmnopqrstuv");
	memmove(s + 8, s, 16);          /* word-aligned both ways */
	EXPECT_STREQ(s, "012345670123456789abcdefopqrstuv");
	memmove(s, s + 8, 16);
	EXPECT_STREQ(s, "0123456789abcdef89abcdefopqrstuv");
	UK_TEST_EXPECT(memmove(s, s, 5) == s);
}

UK_TESTCASE(nolibc_string, memcmp_memchr)
{
	const char *s = "abc\0\x80xyz";

	UK_TEST_EXPECT_EQ(memcmp("abc", "abc", 3), 0);
	UK_TEST_EXPECT(memcmp("abc", "abd", 3) < 0);
	UK_TEST_EXPECT(memcmp("\x80", "\x01", 1) > 0);   /* unsigned bytes */
	UK_TEST_EXPECT_EQ(memcmp("abc", "xyz", 0), 0);
	UK_TEST_EXPECT(memchr(s, 'x', 8) == s + 5);
	UK_TEST_EXPECT(memchr(s, 0x80, 8) == s + 4);
	UK_TEST_EXPECT(memchr(s, 0, 8) == s + 3);
	UK_TEST_EXPECT_NULL(memchr(s, 'x', 5));
	UK_TEST_EXPECT(memrchr(s, 'z', 8) == s + 7);
	UK_TEST_EXPECT(memrchr(s, 'a', 8) == s);
	UK_TEST_EXPECT_NULL(memrchr(s, 'q', 8));
}

UK_TESTCASE(nolibc_string, strlen_cpy_cat)
{
	char b[32];

	UK_TEST_EXPECT_EQ(strlen(""), 0);
	UK_TEST_EXPECT_EQ(strlen("hello"), 5);
	UK_TEST_EXPECT_EQ(strnlen("hello", 3), 3);
	UK_TEST_EXPECT_EQ(strnlen("hello", 10), 5);
	UK_TEST_EXPECT(strcpy(b, "abc") == b);
	EXPECT_STREQ(b, "abc");
	UK_TEST_EXPECT(strcat(b, "def") == b);
	EXPECT_STREQ(b, "abcdef");
	strncat(b, "ghijk", 2);
	EXPECT_STREQ(b, "abcdefgh");
	memset(b, 'x', sizeof(b));
	strncpy(b, "ab", 5);
	UK_TEST_EXPECT(!memcmp(b, "ab\0\0\0x", 6));
	strncpy(b, "abcdef", 3);
	UK_TEST_EXPECT(!memcmp(b, "abc\0\0x", 6));
	UK_TEST_EXPECT(stpcpy(b, "xyz") == b + 3);
}

UK_TESTCASE(nolibc_string, strcmp_family)
{
	UK_TEST_EXPECT_EQ(strcmp("abc", "abc"), 0);
	UK_TEST_EXPECT(strcmp("abc", "abd") < 0);
	UK_TEST_EXPECT(strcmp("abc", "ab") > 0);
	UK_TEST_EXPECT(strcmp("a\x80", "a\x01") > 0);
	UK_TEST_EXPECT_EQ(strncmp("abcx", "abcy", 3), 0);
	UK_TEST_EXPECT(strncmp("abcx", "abcy", 4) < 0);
	UK_TEST_EXPECT_EQ(strncmp("a", "b", 0), 0);
	UK_TEST_EXPECT_EQ(strcasecmp("HeLLo", "hello"), 0);
	UK_TEST_EXPECT(strcasecmp("abc", "ABD") < 0);
	UK_TEST_EXPECT_EQ(strncasecmp("ABCx", "abcY", 3), 0);
	UK_TEST_EXPECT(strncasecmp("ABCx", "abcY", 4) < 0);
}

UK_TESTCASE(nolibc_string, search)
{
	const char *s = "hello world";

	UK_TEST_EXPECT(strchr(s, 'o') == s + 4);
	UK_TEST_EXPECT(strrchr(s, 'o') == s + 7);
	UK_TEST_EXPECT(strchr(s, '\0') == s + 11);
	UK_TEST_EXPECT_NULL(strchr(s, 'z'));
	UK_TEST_EXPECT(strstr(s, "wor") == s + 6);
	UK_TEST_EXPECT(strstr(s, "") == s);
	UK_TEST_EXPECT_NULL(strstr(s, "worlds"));
	UK_TEST_EXPECT_EQ(strspn(s, "hel"), 4);
	UK_TEST_EXPECT_EQ(strcspn(s, " w"), 5);
	UK_TEST_EXPECT_EQ(strcspn(s, ""), 11);
	UK_TEST_EXPECT(strpbrk(s, "wr") == s + 6);
	UK_TEST_EXPECT_NULL(strpbrk(s, "XYZ"));
}

UK_TESTCASE(nolibc_string, strtok)
{
	char b[] = "  a,b,,c  ";
	char *save, *t;
	const char *want[] = { "a", "b", "c" };
	int i = 0;

	for (t = strtok_r(b, " ,", &save); t; t = strtok_r(NULL, " ,", &save)) {
		UK_TEST_ASSERT(i < 3);
		EXPECT_STREQ(t, want[i++]);
	}
	UK_TEST_EXPECT_EQ(i, 3);
	UK_TEST_EXPECT_NULL(strtok_r(NULL, " ,", &save));

	char c[] = "x=1;y=2";
	char *p = c;
	EXPECT_STREQ(strsep(&p, ";"), "x=1");
	EXPECT_STREQ(strsep(&p, ";"), "y=2");
	UK_TEST_EXPECT_NULL(p);
}

UK_TESTCASE(nolibc_string, strdup_strerror)
{
	char *d;

	if (NOLIBC_TEST_HEAP) {
		d = strdup("copy me");
		UK_TEST_ASSERT(d != NULL);
		EXPECT_STREQ(d, "copy me");
		free(d);
		d = strndup("copy me", 4);
		UK_TEST_ASSERT(d != NULL);
		EXPECT_STREQ(d, "copy");
		free(d);
	}
	EXPECT_STREQ(strerror(ENOMEM), "Out of memory");
	EXPECT_STREQ(strerror(EINVAL), "Invalid argument");
	EXPECT_STREQ(strerror(ETIMEDOUT), "Connection timed out");
	EXPECT_STREQ(strerror(0), "Success");
	EXPECT_STREQ(strerror(-1), "Unknown error");
	EXPECT_STREQ(strerror(1000), "Unknown error");
}
