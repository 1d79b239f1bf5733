/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc <stdlib.h>, <errno.h>, <limits.h>, <inttypes.h>, <setjmp.h>. */
#include <stdlib.h>
#include <unistd.h>
#include <stdint.h>
#include <inttypes.h>
#include <limits.h>
#include <errno.h>
#include <setjmp.h>
#include "nolibc_test.h"

#if !NOLIBC_TEST_HEAP
UK_TESTCASE(nolibc_stdlib, malloc_without_heap)
{
	void *a = NULL;

	errno = 0;
	UK_TEST_EXPECT_NULL(malloc(1));
	UK_TEST_EXPECT_EQ(errno, ENOMEM);
	UK_TEST_EXPECT_NULL(calloc(1, 1));
	UK_TEST_EXPECT_NULL(strdup("x"));
	UK_TEST_EXPECT_EQ(posix_memalign(&a, 64, 1), ENOMEM);
	free(NULL);
}
#else
UK_TESTCASE(nolibc_stdlib, malloc_family)
{
	char *p = malloc(100), *q;
	void *a = NULL;
	int i;

	UK_TEST_ASSERT(p != NULL);
	UK_TEST_EXPECT_EQ((uintptr_t)p % 16, 0);
	memset(p, 'x', 100);
	q = realloc(p, 4000);
	UK_TEST_ASSERT(q != NULL);
	for (i = 0; i < 100; i++)
		UK_TEST_ASSERT(q[i] == 'x');
	free(q);
	p = calloc(50, 4);
	UK_TEST_ASSERT(p != NULL);
	for (i = 0; i < 200; i++)
		UK_TEST_ASSERT(p[i] == 0);
	free(p);
	free(NULL);

	UK_TEST_EXPECT_EQ(posix_memalign(&a, 256, 10), 0);
	UK_TEST_EXPECT_EQ((uintptr_t)a % 256, 0);
	free(a);
	UK_TEST_EXPECT_EQ(posix_memalign(&a, 24, 10), EINVAL);
	p = aligned_alloc(64, 128);
	UK_TEST_ASSERT(p != NULL);
	UK_TEST_EXPECT_EQ((uintptr_t)p % 64, 0);
	free(p);

	errno = 0;
	UK_TEST_EXPECT_NULL(calloc(SIZE_MAX / 2, 3));
	UK_TEST_EXPECT_EQ(errno, ENOMEM);
	errno = 0;
	UK_TEST_EXPECT_NULL(malloc(SIZE_MAX - 64));
	UK_TEST_EXPECT_EQ(errno, ENOMEM);
}
#endif

UK_TESTCASE(nolibc_stdlib, abs_div)
{
	div_t d = div(-7, 2);
	lldiv_t ld = lldiv(LLONG_MIN, 10);

	UK_TEST_EXPECT_EQ(abs(-5), 5);
	UK_TEST_EXPECT_EQ(abs(INT_MIN + 1), INT_MAX);
	UK_TEST_EXPECT_EQ(labs(-5L), 5);
	UK_TEST_EXPECT_EQ(llabs(-5000000000LL), 5000000000LL);
	UK_TEST_EXPECT_EQ(d.quot, -3);
	UK_TEST_EXPECT_EQ(d.rem, -1);
	UK_TEST_EXPECT_EQ(ld.quot, LLONG_MIN / 10);
	UK_TEST_EXPECT_EQ(ld.rem, -8);
}

UK_TESTCASE(nolibc_stdlib, strtol)
{
	char *end;
	const char *s;

	UK_TEST_EXPECT_EQ(strtol("  -123abc", &end, 10), -123);
	EXPECT_STREQ(end, "abc");
	UK_TEST_EXPECT_EQ(strtol("0x1F", NULL, 0), 31);
	UK_TEST_EXPECT_EQ(strtol("0x1F", NULL, 16), 31);
	UK_TEST_EXPECT_EQ(strtol("017", NULL, 0), 15);
	UK_TEST_EXPECT_EQ(strtol("z", NULL, 36), 35);
	UK_TEST_EXPECT_EQ(strtol("-1010", NULL, 2), -10);
	s = "0xg";
	UK_TEST_EXPECT_EQ(strtol(s, &end, 0), 0);
	UK_TEST_EXPECT(end == s + 1);
	s = "  +";
	UK_TEST_EXPECT_EQ(strtol(s, &end, 10), 0);
	UK_TEST_EXPECT(end == s);

	errno = 0;
	UK_TEST_EXPECT_EQ(strtol("9223372036854775807", NULL, 10), LONG_MAX);
	UK_TEST_EXPECT_EQ(errno, 0);
	UK_TEST_EXPECT_EQ(strtol("-9223372036854775808", NULL, 10), LONG_MIN);
	UK_TEST_EXPECT_EQ(errno, 0);
	UK_TEST_EXPECT_EQ(strtol("9223372036854775808", &end, 10), LONG_MAX);
	UK_TEST_EXPECT_EQ(errno, ERANGE);
	UK_TEST_EXPECT_EQ(*end, '\0');
	errno = 0;
	UK_TEST_EXPECT_EQ(strtoll("-99999999999999999999999", NULL, 10), LLONG_MIN);
	UK_TEST_EXPECT_EQ(errno, ERANGE);

	errno = 0;
	UK_TEST_EXPECT(strtoul("18446744073709551615", NULL, 10) == ULONG_MAX);
	UK_TEST_EXPECT_EQ(errno, 0);
	UK_TEST_EXPECT(strtoul("-1", NULL, 10) == ULONG_MAX);
	UK_TEST_EXPECT(strtoull("18446744073709551616", NULL, 10) == ULLONG_MAX);
	UK_TEST_EXPECT_EQ(errno, ERANGE);
	errno = 0;
	UK_TEST_EXPECT_EQ(strtol("1", NULL, 1), 0);
	UK_TEST_EXPECT_EQ(errno, EINVAL);
	UK_TEST_EXPECT(strtoumax("ffffffffffffffff", NULL, 16) == UINTMAX_MAX);
	UK_TEST_EXPECT(strtoimax("-7fffffffffffffff", NULL, 16) == -INTMAX_MAX);

	UK_TEST_EXPECT_EQ(atoi(" 42 "), 42);
	UK_TEST_EXPECT_EQ(atoi("-2147483648"), INT_MIN);
	UK_TEST_EXPECT_EQ(atol("123456789012"), 123456789012L);
	UK_TEST_EXPECT_EQ(atoll("-5"), -5);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

struct rec { char name[5]; unsigned char key; };

static int cmp_rec(const void *a, const void *b)
{
	return ((const struct rec *)a)->key - ((const struct rec *)b)->key;
}

UK_TESTCASE(nolibc_stdlib, qsort_bsearch)
{
	int v[200], i, k;
	unsigned int seed = 7;
	struct rec r[5] = { { "e", 5 }, { "b", 2 }, { "d", 4 }, { "a", 1 }, { "c", 3 } };

	for (i = 0; i < 200; i++)
		v[i] = rand_r(&seed) % 1000 - 500;
	qsort(v, 200, sizeof(int), cmp_int);
	for (i = 1; i < 200; i++)
		UK_TEST_ASSERT(v[i - 1] <= v[i]);
	for (i = 0; i < 200; i += 17) {
		k = v[i];
		int *f = bsearch(&k, v, 200, sizeof(int), cmp_int);
		UK_TEST_ASSERT(f != NULL);
		UK_TEST_EXPECT_EQ(*f, k);
	}
	k = 10000;
	UK_TEST_EXPECT_NULL(bsearch(&k, v, 200, sizeof(int), cmp_int));
	UK_TEST_EXPECT_NULL(bsearch(&k, v, 0, sizeof(int), cmp_int));

	qsort(r, 5, sizeof(r[0]), cmp_rec);     /* odd size: the bytewise swap */
	for (i = 0; i < 5; i++)
		UK_TEST_EXPECT_EQ(r[i].name[0], 'a' + i);
	qsort(v, 0, sizeof(int), cmp_int);
	qsort(v, 1, sizeof(int), cmp_int);
}

UK_TESTCASE(nolibc_stdlib, rand_env)
{
	int a, b;

	srand(1);
	a = rand();
	srand(1);
	b = rand();
	UK_TEST_EXPECT_EQ(a, b);
	UK_TEST_EXPECT(a >= 0 && a <= RAND_MAX);
	UK_TEST_EXPECT(rand() != rand());
}

UK_TESTCASE(nolibc_stdlib, getenv_reads_environ)
{
	static char *env[] = { "A=1", "AB=two words", "E=", "X=y=z", NULL };
	char **saved = environ;

	environ = env;
	EXPECT_STREQ(getenv("A"), "1");
	EXPECT_STREQ(getenv("AB"), "two words");
	EXPECT_STREQ(getenv("E"), "");
	EXPECT_STREQ(getenv("X"), "y=z");
	UK_TEST_EXPECT_NULL(getenv("B"));
	UK_TEST_EXPECT_NULL(getenv("A=1"));
	UK_TEST_EXPECT_NULL(getenv(""));
	environ = saved;
}

static jmp_buf jb;
static int depth;
/* through a pointer: gcc must not know the deepest call never returns */
static void (*volatile jump)(jmp_buf, int) = longjmp;

static void __attribute__((noinline)) jump_from_deep(int n)
{
	volatile char pad[64];

	pad[0] = (char)n;
	depth = n + pad[0];
	if (n == 0)
		jump(jb, 0);             /* 0 comes back as 1 */
	else
		jump_from_deep(n - 1);
}

UK_TESTCASE(nolibc_stdlib, setjmp_longjmp)
{
	volatile int passes = 0;
	int r;

	r = setjmp(jb);
	passes++;
	if (r == 0) {
		jump_from_deep(10);
		UK_TEST_EXPECT(0);       /* not reached */
	}
	UK_TEST_EXPECT_EQ(r, 1);
	UK_TEST_EXPECT_EQ(passes, 2);
	UK_TEST_EXPECT_EQ(depth, 0);

	if ((r = setjmp(jb)) == 0)
		longjmp(jb, 42);
	UK_TEST_EXPECT_EQ(r, 42);
}

UK_TESTCASE(nolibc_stdlib, limits_errno)
{
	char b[128];

	UK_TEST_EXPECT_EQ(CHAR_BIT, 8);
	UK_TEST_EXPECT_EQ(INT_MAX, 2147483647);
	UK_TEST_EXPECT_EQ(INT_MIN, -2147483647 - 1);
	UK_TEST_EXPECT(UINT_MAX == 4294967295U);
	UK_TEST_EXPECT(LLONG_MIN < 0 && ULLONG_MAX == 18446744073709551615ULL);
	UK_TEST_EXPECT_EQ(UCHAR_MAX, 255);
	UK_TEST_EXPECT_EQ(SHRT_MIN, -32768);
	snprintf(b, sizeof(b), "%" PRId64 " %" PRIu64 " %" PRIx32 " %" PRIuPTR " %" PRIdMAX,
		 INT64_MIN, UINT64_MAX, (uint32_t)0xdeadbeef, (uintptr_t)7, INTMAX_MAX);
	EXPECT_STREQ(b, "-9223372036854775808 18446744073709551615 deadbeef 7 9223372036854775807");
	UK_TEST_EXPECT_EQ(EPERM, 1);
	UK_TEST_EXPECT_EQ(ERANGE, 34);
	UK_TEST_EXPECT_EQ(ENOSYS, 38);
	UK_TEST_EXPECT_EQ(ENOTSUP, 95);
	UK_TEST_EXPECT_EQ(EAFNOSUPPORT, 97);
	UK_TEST_EXPECT_EQ(ETIMEDOUT, 110);
}
