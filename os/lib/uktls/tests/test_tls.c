/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktls in-guest tests: the boot thread's block (set up by ukboot) holds
 * every __thread variable where the compiled code looks for it, with the
 * template's values; a second block made with uk_tls_init() gives fresh
 * copies, as a new thread's will.
 */
#include <uk/tls.h>
#include <uk/test.h>
#if defined(CONFIG_LIBNOLIBC)
#include <errno.h>
#endif

int *uktls_test_other_addr(void);

static __thread int t_init = 42;
static __thread long t_zero;
static __thread char t_aligned[3] __align(128);
/* not static: gcc would fold a static one that is never written */
__thread unsigned long uktls_test_after = 0x1234567890abcdefUL;

/* The [lo, hi) range of the TLS data of the block tp points into. */
static void data_range(uintptr_t tp, uintptr_t *lo, uintptr_t *hi)
{
	struct uk_tls_template t;

	uk_tls_image(&t);
#if defined(__x86_64__)
	*hi = tp;
	*lo = tp - ((t.memsz + t.align - 1) & ~(t.align - 1));
#else
	*lo = tp + ((UK_TLS_TCB_SIZE + t.align - 1) & ~(t.align - 1));
	*hi = *lo + t.memsz;
#endif
}

static int inside(const volatile void *p, uintptr_t lo, uintptr_t hi)
{
	return (uintptr_t)p >= lo && (uintptr_t)p < hi;
}

UK_TESTCASE(uktls, template_matches_the_variables)
{
	struct uk_tls_template t;

	uk_tls_image(&t);
	UK_TEST_EXPECT(t.align >= 128);            /* t_aligned */
	UK_TEST_EXPECT_EQ(t.align & (t.align - 1), 0);
	UK_TEST_EXPECT(t.filesz >= sizeof(int) + sizeof(long));   /* t_init, ..._after */
	UK_TEST_EXPECT(t.memsz >= t.filesz + sizeof(long) + sizeof(t_aligned));
	UK_TEST_EXPECT(uk_tls_size() >= t.memsz + UK_TLS_TCB_SIZE);
}

UK_TESTCASE(uktls, boot_thread_block)
{
	uintptr_t tp = arch_tls_get_tp(), lo, hi;

	UK_TEST_ASSERT(tp != 0);
	data_range(tp, &lo, &hi);
	UK_TEST_EXPECT(inside(&t_init, lo, hi));
	UK_TEST_EXPECT(inside(&t_zero, lo, hi));
	UK_TEST_EXPECT(inside(t_aligned, lo, hi));
	UK_TEST_EXPECT(inside(uktls_test_other_addr(), lo, hi));
	UK_TEST_EXPECT_EQ((uintptr_t)t_aligned % 128, 0);
	UK_TEST_EXPECT_EQ(tp % 16, 0);
#if defined(__x86_64__)
	UK_TEST_EXPECT_EQ(((uintptr_t *)tp)[2], tp);   /* the TCB's self pointers */
#endif
#if defined(CONFIG_LIBNOLIBC)
	UK_TEST_EXPECT(inside(&errno, lo, hi));         /* errno is thread-local */
#endif
}

UK_TESTCASE(uktls, values)
{
	UK_TEST_EXPECT_EQ(t_init, 42);
	UK_TEST_EXPECT_EQ(t_zero, 0);
	UK_TEST_EXPECT_EQ(t_aligned[0] + t_aligned[2], 0);
	UK_TEST_EXPECT_EQ(uktls_test_after, 0x1234567890abcdefUL);
	UK_TEST_EXPECT_EQ(*uktls_test_other_addr(), 7);
}

/* What a thread sees in its block. */
struct snap {
	int init, other, zero_ok, err;
	uintptr_t init_addr;
};

/* Reads the current block (in its own function: the compiler may keep the
 * thread pointer in a register for a whole function, and arm64 code does). */
static void __attribute__((noinline)) snapshot(struct snap *s)
{
	s->init = t_init;
	s->zero_ok = t_zero == 0 && t_aligned[1] == 0 && (uintptr_t)t_aligned % 128 == 0;
	s->other = *uktls_test_other_addr();
	s->init_addr = (uintptr_t)&t_init;
#if defined(CONFIG_LIBNOLIBC)
	s->err = errno;
#endif
	t_init = 3;
}

/* Runs snapshot() on the block at tp, then goes back to the boot block;
 * touches no TLS itself. */
static void __attribute__((noinline)) in_block(uintptr_t tp, uintptr_t boot_tp, struct snap *s)
{
	arch_tls_set_tp(tp);
	snapshot(s);
	arch_tls_set_tp(boot_tp);
}

/* A second block, as a new thread gets: fresh values, its own errno; the
 * boot thread's block is untouched. */
UK_TESTCASE(uktls, second_block)
{
	static char block[1024] __align(16);
	uintptr_t boot_tp = arch_tls_get_tp(), tp, lo, hi;
	struct snap s = { 0 };

	UK_TEST_ASSERT(uk_tls_size() <= sizeof(block) - 1);
	t_init = 1;
	t_zero = 2;
#if defined(CONFIG_LIBNOLIBC)
	errno = 5;
#endif
	tp = uk_tls_init(block + 1);            /* unaligned on purpose */
	UK_TEST_EXPECT_EQ(tp, uk_tls_tp(block + 1));
	in_block(tp, boot_tp, &s);

	UK_TEST_EXPECT_EQ(arch_tls_get_tp(), boot_tp);
	UK_TEST_EXPECT_EQ(s.init, 42);
	UK_TEST_EXPECT(s.zero_ok);
	UK_TEST_EXPECT_EQ(s.other, 7);
	data_range(tp, &lo, &hi);
	UK_TEST_EXPECT(inside((void *)s.init_addr, lo, hi));
	UK_TEST_EXPECT(lo >= (uintptr_t)block + 1 && hi <= (uintptr_t)block + 1 + uk_tls_size());
	UK_TEST_EXPECT_EQ(t_init, 1);
	UK_TEST_EXPECT_EQ(t_zero, 2);
#if defined(CONFIG_LIBNOLIBC)
	UK_TEST_EXPECT_EQ(s.err, 0);
	UK_TEST_EXPECT_EQ(errno, 5);
	errno = 0;
#endif
	t_init = 42;
	t_zero = 0;
}
