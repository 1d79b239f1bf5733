/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Allocator test suite. Runs against the default allocator (whichever
 * backend ukboot installed) through the uk_* API and through the libc's
 * malloc family. Cases that need memory to come back after free run only on
 * backends with UK_ALLOC_F_FREES; the rest keep their total consumption
 * small (well under 4 MiB) so a bump allocator survives the whole suite.
 *
 * The same file is built on the host (tests/host/test_alloc.py) against
 * every backend.
 */
#include <uk/essentials.h>
#include <uk/alloc.h>
#include <uk/test.h>
#include <stdlib.h>

#include <uk/errno.h>
#include <uk/string.h>

#define KiB 1024UL
#define MiB (1024UL * 1024UL)

static inline bool frees(struct uk_alloc *a)
{
	return a->flags & UK_ALLOC_F_FREES;
}

static inline uint8_t pat(size_t i, unsigned int seed)
{
	return (uint8_t)(seed * 31 + i * 7 + (i >> 8));
}

static void fill(void *p, size_t n, unsigned int seed)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = pat(i, seed);
}

static bool check(const void *p, size_t n, unsigned int seed)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != pat(i, seed))
			return false;
	return true;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

#define ALIGNED(p, a) (((uintptr_t)(p) & ((a) - 1)) == 0)

static const size_t sizes[] = {
	1, 2, 7, 8, 15, 16, 17, 24, 31, 32, 33, 48, 63, 64, 65, 100, 128, 200,
	255, 256, 500, 1000, 1024, 1500, 2047, 2048, 2049, 3000, 4095, 4096,
	4097, 8192, 10000, 70000,
};
#define NSIZES UK_ARRAY_SIZE(sizes)

#if defined(CONFIG_LIBUKBOOT)
/* The heap is built over the backend that registered itself
 * (UK_ALLOC_BACKEND), and that is the one chosen in Kconfig. */
UK_TESTCASE(ukalloc, registered_backend_is_the_chosen_one)
{
	const struct uk_alloc_backend *b = uk_alloc_backend();
	struct uk_alloc *a = uk_alloc_get_default();

	UK_TEST_ASSERT(b != NULL && a != NULL);
	UK_TEST_EXPECT(uk_streq(a->name, b->name));
#if defined(CONFIG_UKBOOT_ALLOC_BUDDY)
	UK_TEST_EXPECT(uk_streq(b->name, "buddy"));
#elif defined(CONFIG_UKBOOT_ALLOC_REGION)
	UK_TEST_EXPECT(uk_streq(b->name, "region"));
#endif
}
#endif

UK_TESTCASE(ukalloc, default_allocator)
{
	struct uk_alloc *a = uk_alloc_get_default();

	UK_TEST_ASSERT(a != NULL);
	UK_TEST_EXPECT(a->name != NULL);
	UK_TEST_EXPECT(a->malloc || a->memalign);
	UK_TEST_EXPECT_EQ(uk_alloc_getsize(a, NULL), 0);
}

/* Live blocks of every size at once: aligned, big enough, no overlap. */
UK_TESTCASE(ukalloc, malloc_align_no_overlap)
{
	struct uk_alloc *a = uk_alloc_get_default();
	void *p[NSIZES];
	size_t i, gs;

	UK_TEST_ASSERT(a != NULL);
	for (i = 0; i < NSIZES; i++) {
		p[i] = uk_malloc(a, sizes[i]);
		UK_TEST_ASSERT(p[i] != NULL);
		UK_TEST_EXPECT(ALIGNED(p[i], 16));
		gs = uk_alloc_getsize(a, p[i]);
		UK_TEST_EXPECT(gs == 0 || gs >= sizes[i]);
		fill(p[i], sizes[i], i);
	}
	for (i = 0; i < NSIZES; i++) {
		UK_TEST_EXPECT(check(p[i], sizes[i], i));
		uk_free(a, p[i]);
	}
}

UK_TESTCASE(ukalloc, malloc_zero_is_unique)
{
	struct uk_alloc *a = uk_alloc_get_default();
	void *p, *q;

	UK_TEST_ASSERT(a != NULL);
	p = uk_malloc(a, 0);
	q = uk_malloc(a, 0);
	UK_TEST_EXPECT(p != NULL);
	UK_TEST_EXPECT(q != NULL);
	UK_TEST_EXPECT(p != q);
	uk_free(a, p);
	uk_free(a, q);
}

UK_TESTCASE(ukalloc, libc_malloc_family)
{
	void *p[NSIZES];
	char *r;
	size_t i;

	for (i = 0; i < NSIZES; i++) {
		p[i] = malloc(sizes[i]);
		UK_TEST_ASSERT(p[i] != NULL);
		UK_TEST_EXPECT(ALIGNED(p[i], 16));
		fill(p[i], sizes[i], 100 + i);
	}
	for (i = 0; i < NSIZES; i++) {
		UK_TEST_EXPECT(check(p[i], sizes[i], 100 + i));
		free(p[i]);
	}
	r = calloc(10, 100);
	UK_TEST_ASSERT(r != NULL);
	UK_TEST_EXPECT(all_zero(r, 1000));
	fill(r, 1000, 7);
	r = realloc(r, 6000);
	UK_TEST_ASSERT(r != NULL);
	UK_TEST_EXPECT(ALIGNED(r, 16));
	UK_TEST_EXPECT(check(r, 1000, 7));
	free(r);
}

UK_TESTCASE(ukalloc, memalign)
{
	struct uk_alloc *a = uk_alloc_get_default();
	size_t align, i;

	UK_TEST_ASSERT(a != NULL);
	for (align = 8; align <= 4096; align <<= 1) {
		const size_t sz[] = { 1, 24, align, align + 1, 3 * align / 2, 5000 };
		void *p[UK_ARRAY_SIZE(sz)];

		for (i = 0; i < UK_ARRAY_SIZE(sz); i++) {
			p[i] = uk_memalign(a, align, sz[i]);
			UK_TEST_ASSERT(p[i] != NULL);
			UK_TEST_EXPECT(ALIGNED(p[i], align));
			UK_TEST_EXPECT(ALIGNED(p[i], 16));
			UK_TEST_EXPECT(uk_alloc_getsize(a, p[i]) == 0 ||
				       uk_alloc_getsize(a, p[i]) >= sz[i]);
			fill(p[i], sz[i], align + i);
		}
		for (i = 0; i < UK_ARRAY_SIZE(sz); i++) {
			UK_TEST_EXPECT(check(p[i], sz[i], align + i));
			uk_free(a, p[i]);
		}
	}
	/* beyond a page */
	for (align = 8192; align <= 65536; align <<= 2) {
		void *p = uk_memalign(a, align, 100);

		UK_TEST_ASSERT(p != NULL);
		UK_TEST_EXPECT(ALIGNED(p, align));
		fill(p, 100, 3);
		UK_TEST_EXPECT(check(p, 100, 3));
		uk_free(a, p);
	}
	UK_TEST_EXPECT_NULL(uk_memalign(a, 0, 16));
	UK_TEST_EXPECT_NULL(uk_memalign(a, 48, 16));
}

UK_TESTCASE(ukalloc, posix_memalign)
{
	struct uk_alloc *a = uk_alloc_get_default();
	void *p = (void *)0x1234;
	volatile size_t huge = SIZE_MAX / 2;
	const size_t bad[] = { 0, 1, 3, 4, 24, 100 };
	size_t i, align;

	UK_TEST_ASSERT(a != NULL);
	for (i = 0; i < UK_ARRAY_SIZE(bad); i++) {
		UK_TEST_EXPECT_EQ(uk_posix_memalign(a, &p, bad[i], 16), EINVAL);
		UK_TEST_EXPECT(p == (void *)0x1234);
	}
	for (align = sizeof(void *); align <= 4096; align <<= 3) {
		UK_TEST_EXPECT_EQ(uk_posix_memalign(a, &p, align, 100), 0);
		UK_TEST_ASSERT(p != NULL && p != (void *)0x1234);
		UK_TEST_EXPECT(ALIGNED(p, align));
		uk_free(a, p);
		p = (void *)0x1234;
	}
	UK_TEST_EXPECT_EQ(uk_posix_memalign(a, &p, 64, huge), ENOMEM);
	UK_TEST_EXPECT(p == (void *)0x1234);
}

UK_TESTCASE(ukalloc, calloc_zeroes)
{
	struct uk_alloc *a = uk_alloc_get_default();
	const size_t sz[] = { 1, 16, 100, 2048, 3000, 5000, 20000 };
	size_t i;
	void *p;

	UK_TEST_ASSERT(a != NULL);
	for (i = 0; i < UK_ARRAY_SIZE(sz); i++) {
		/* dirty memory first so reused blocks are not zero by luck */
		p = uk_malloc(a, sz[i]);
		UK_TEST_ASSERT(p != NULL);
		__builtin_memset(p, 0xa5, sz[i]);
		uk_free(a, p);
		p = uk_calloc(a, 1, sz[i]);
		UK_TEST_ASSERT(p != NULL);
		UK_TEST_EXPECT(ALIGNED(p, 16));
		UK_TEST_EXPECT(all_zero(p, sz[i]));
		uk_free(a, p);
		p = uk_calloc(a, sz[i], 3);
		UK_TEST_ASSERT(p != NULL);
		UK_TEST_EXPECT(all_zero(p, sz[i] * 3));
		uk_free(a, p);
	}
	p = uk_calloc(a, 0, 8);
	UK_TEST_EXPECT(p != NULL);
	uk_free(a, p);
}

UK_TESTCASE(ukalloc, calloc_overflow)
{
	struct uk_alloc *a = uk_alloc_get_default();
	volatile size_t half = SIZE_MAX / 2 + 1, max = SIZE_MAX, big = (size_t)1 << 33;
	struct uk_alloc_stats s0, s1;

	UK_TEST_ASSERT(a != NULL);
	uk_alloc_stats(a, &s0);
	UK_TEST_EXPECT_NULL(uk_calloc(a, half, 2));
	UK_TEST_EXPECT_NULL(uk_calloc(a, 2, half));
	UK_TEST_EXPECT_NULL(uk_calloc(a, max, max));
	UK_TEST_EXPECT_NULL(uk_calloc(a, big, big));
	uk_alloc_stats(a, &s1);
	UK_TEST_EXPECT_EQ(s1.nb_enomem, s0.nb_enomem + 4);
	UK_TEST_EXPECT_EQ(s1.nb_allocs, s0.nb_allocs);
	UK_TEST_EXPECT_EQ(s1.cur_bytes, s0.cur_bytes);
	UK_TEST_EXPECT_NULL(calloc(half, 2));
	UK_TEST_EXPECT_NULL(calloc(big, big));
}

static void realloc_walk(struct uk_testcase *__tc, struct uk_alloc *a)
{
	const size_t steps[] = { 100, 5000, 50, 3000, 70000, 10, 17, 4096, 1 };
	size_t i, prev = 0;
	char *p = NULL, *q;

	for (i = 0; i < UK_ARRAY_SIZE(steps); i++) {
		q = a ? uk_realloc(a, p, steps[i]) : realloc(p, steps[i]);
		UK_TEST_ASSERT(q != NULL);
		UK_TEST_EXPECT(ALIGNED(q, 16));
		if (prev)
			UK_TEST_EXPECT(check(q, UK_MIN(prev, steps[i]), i - 1));
		fill(q, steps[i], i);
		p = q;
		prev = steps[i];
	}
	if (a)
		uk_free(a, p);
	else
		free(p);
}

UK_TESTCASE(ukalloc, realloc_preserves)
{
	struct uk_alloc *a = uk_alloc_get_default();

	UK_TEST_ASSERT(a != NULL);
	realloc_walk(__tc, a);          /* uk_realloc */
	realloc_walk(__tc, NULL);       /* libc realloc */
}

UK_TESTCASE(ukalloc, realloc_null_and_zero)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_alloc_stats s0, s1, s2;
	void *p;

	UK_TEST_ASSERT(a != NULL);
	uk_alloc_stats(a, &s0);
	p = uk_realloc(a, NULL, 64);            /* == malloc(64) */
	UK_TEST_ASSERT(p != NULL);
	uk_alloc_stats(a, &s1);
	UK_TEST_EXPECT_EQ(s1.nb_allocs, s0.nb_allocs + 1);
	UK_TEST_EXPECT(s1.cur_bytes >= s0.cur_bytes + 64);
	UK_TEST_EXPECT_NULL(uk_realloc(a, p, 0));   /* == free(p) */
	uk_alloc_stats(a, &s2);
	UK_TEST_EXPECT_EQ(s2.nb_frees, s0.nb_frees + 1);
	UK_TEST_EXPECT_EQ(s2.cur_bytes, s0.cur_bytes);
	UK_TEST_EXPECT_EQ(s2.nb_enomem, s0.nb_enomem);
}

UK_TESTCASE(ukalloc, free_null)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_alloc_stats s0, s1;

	UK_TEST_ASSERT(a != NULL);
	uk_alloc_stats(a, &s0);
	uk_free(a, NULL);
	uk_pfree(a, NULL, 1);
	free(NULL);
	uk_alloc_stats(a, &s1);
	UK_TEST_EXPECT_EQ(s1.nb_frees, s0.nb_frees);
	UK_TEST_EXPECT_EQ(s1.cur_bytes, s0.cur_bytes);
}

UK_TESTCASE(ukalloc, palloc_pfree)
{
	struct uk_alloc *a = uk_alloc_get_default();
	const unsigned long np[] = { 1, 2, 3, 5, 16 };
	struct uk_alloc_stats s0, s1, s2;
	void *p[UK_ARRAY_SIZE(np)];
	size_t i, j;

	UK_TEST_ASSERT(a != NULL);
	uk_alloc_stats(a, &s0);
	for (i = 0; i < UK_ARRAY_SIZE(np); i++) {
		p[i] = uk_palloc(a, np[i]);
		UK_TEST_ASSERT(p[i] != NULL);
		UK_TEST_EXPECT(ALIGNED(p[i], __PAGE_SIZE));
		for (j = 0; j < np[i]; j++) {
			((char *)p[i])[j * __PAGE_SIZE] = (char)i;
			((char *)p[i])[j * __PAGE_SIZE + __PAGE_SIZE - 1] = (char)i;
		}
	}
	uk_alloc_stats(a, &s1);
	UK_TEST_EXPECT_EQ(s1.nb_allocs, s0.nb_allocs + UK_ARRAY_SIZE(np));
	UK_TEST_EXPECT(s1.cur_bytes >= s0.cur_bytes + 27 * __PAGE_SIZE);
	for (i = 0; i < UK_ARRAY_SIZE(np); i++) {
		for (j = 0; j < np[i]; j++)
			UK_TEST_EXPECT(((char *)p[i])[j * __PAGE_SIZE] == (char)i);
		uk_pfree(a, p[i], np[i]);
	}
	uk_alloc_stats(a, &s2);
	UK_TEST_EXPECT_EQ(s2.cur_bytes, s0.cur_bytes);
	UK_TEST_EXPECT_EQ(s2.nb_frees, s0.nb_frees + UK_ARRAY_SIZE(np));
	UK_TEST_EXPECT_NULL(uk_palloc(a, 0));
}

UK_TESTCASE(ukalloc, stats)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_alloc_stats s0, s1, s2, s3;
	void *p, *q;

	UK_TEST_ASSERT(a != NULL);
	uk_alloc_stats(a, &s0);
	UK_TEST_EXPECT(s0.peak_bytes >= s0.cur_bytes);
	p = uk_malloc(a, 1000);
	UK_TEST_ASSERT(p != NULL);
	uk_alloc_stats(a, &s1);
	UK_TEST_EXPECT_EQ(s1.nb_allocs, s0.nb_allocs + 1);
	UK_TEST_EXPECT(s1.cur_bytes >= s0.cur_bytes + 1000);
	UK_TEST_EXPECT(s1.peak_bytes >= s1.cur_bytes);
	q = uk_malloc(a, 5000);
	UK_TEST_ASSERT(q != NULL);
	uk_alloc_stats(a, &s2);
	UK_TEST_EXPECT(s2.cur_bytes >= s1.cur_bytes + 5000);
	UK_TEST_EXPECT(s2.peak_bytes >= s2.cur_bytes);
	uk_free(a, p);
	uk_free(a, q);
	uk_alloc_stats(a, &s3);
	UK_TEST_EXPECT_EQ(s3.cur_bytes, s0.cur_bytes);
	UK_TEST_EXPECT_EQ(s3.nb_frees, s0.nb_frees + 2);
	UK_TEST_EXPECT_EQ(s3.nb_allocs, s0.nb_allocs + 2);
	UK_TEST_EXPECT(s3.peak_bytes >= s2.cur_bytes);
	UK_TEST_EXPECT_EQ(s3.nb_enomem, s0.nb_enomem);
}

/* Impossible requests fail cleanly, are counted, and leave the heap usable. */
UK_TESTCASE(ukalloc, enomem)
{
	struct uk_alloc *a = uk_alloc_get_default();
	volatile size_t huge = SIZE_MAX / 2, maxsz = SIZE_MAX - 10;
	size_t avail = uk_alloc_availmem(a), n = 4;
	struct uk_alloc_stats s0, s1;
	void *p;

	UK_TEST_ASSERT(a != NULL);
	uk_alloc_stats(a, &s0);
	UK_TEST_EXPECT_NULL(uk_malloc(a, huge));
	UK_TEST_EXPECT_NULL(uk_malloc(a, maxsz));
	UK_TEST_EXPECT_NULL(uk_memalign(a, 64, maxsz));
	UK_TEST_EXPECT_NULL(uk_palloc(a, ~0UL));
	if (avail) {
		UK_TEST_EXPECT_NULL(uk_malloc(a, avail + 1 * MiB));
		UK_TEST_EXPECT_NULL(uk_palloc(a, (avail >> 12) + 256));
		UK_TEST_EXPECT_EQ(uk_alloc_availmem(a), avail);
		n += 2;
	}
	uk_alloc_stats(a, &s1);
	UK_TEST_EXPECT_EQ(s1.nb_enomem, s0.nb_enomem + n);
	UK_TEST_EXPECT_EQ(s1.nb_allocs, s0.nb_allocs);
	UK_TEST_EXPECT_EQ(s1.cur_bytes, s0.cur_bytes);
	p = uk_malloc(a, 64);
	UK_TEST_EXPECT(p != NULL);
	uk_free(a, p);
	p = malloc(64);
	UK_TEST_EXPECT(p != NULL);
	free(p);
}

/* free() gives memory back: availmem returns to where it was. */
UK_TESTCASE(ukalloc, free_returns_memory)
{
	struct uk_alloc *a = uk_alloc_get_default();
	const size_t sz[] = { 8, 100, 2048, 2049, 5000, 100000, 1 * MiB };
	size_t i, av0;
	void *p;

	UK_TEST_ASSERT(a != NULL);
	if (!frees(a))
		return;
	for (i = 0; i < UK_ARRAY_SIZE(sz); i++) {
		av0 = uk_alloc_availmem(a);
		p = uk_malloc(a, sz[i]);
		UK_TEST_ASSERT(p != NULL);
		fill(p, sz[i], i);
		uk_free(a, p);
		UK_TEST_EXPECT_EQ(uk_alloc_availmem(a), av0);
		p = uk_palloc(a, 3);
		UK_TEST_ASSERT(p != NULL);
		uk_pfree(a, p, 3);
		UK_TEST_EXPECT_EQ(uk_alloc_availmem(a), av0);
	}
	/* many small blocks (several pages' worth of each size), then free */
	for (i = 0; i < 4; i++) {
		void *list = NULL;
		size_t j, sz1 = (size_t)24 << (2 * i);  /* 24, 96, 384, 1536 */

		av0 = uk_alloc_availmem(a);
		for (j = 0; j < 40000 / sz1 + 8; j++) {
			p = uk_malloc(a, sz1);
			UK_TEST_ASSERT(p != NULL);
			*(void **)p = list;
			list = p;
		}
		while (list) {
			p = *(void **)list;
			uk_free(a, list);
			list = p;
		}
		UK_TEST_EXPECT_EQ(uk_alloc_availmem(a), av0);
	}
}

/* Allocate and free 100x the heap size in total. */
UK_TESTCASE(ukalloc, cycles_100x_heap)
{
	struct uk_alloc *a = uk_alloc_get_default();
	size_t heap, chunk, iters, i, av0;
	struct uk_alloc_stats s0, s1;
	char *p, *q;

	UK_TEST_ASSERT(a != NULL);
	if (!frees(a))
		return;
	av0 = uk_alloc_availmem(a);
	heap = av0 ? av0 : 4 * MiB;
	chunk = UK_MAX(heap / 64, 4096UL);
	iters = 100 * heap / chunk;
	uk_alloc_stats(a, &s0);
	for (i = 0; i < iters; i++) {
		p = uk_malloc(a, chunk);
		UK_TEST_ASSERT(p != NULL);
		p[0] = p[chunk - 1] = (char)i;
		q = uk_malloc(a, i % 3000 + 1);
		UK_TEST_ASSERT(q != NULL);
		q[0] = (char)i;
		uk_free(a, p);
		uk_free(a, q);
	}
	uk_alloc_stats(a, &s1);
	UK_TEST_EXPECT_EQ(s1.nb_allocs, s0.nb_allocs + 2 * iters);
	UK_TEST_EXPECT_EQ(s1.nb_frees, s0.nb_frees + 2 * iters);
	UK_TEST_EXPECT_EQ(s1.cur_bytes, s0.cur_bytes);
	UK_TEST_EXPECT_EQ(uk_alloc_availmem(a), av0);
}

/* Random mix of sizes, live blocks checked for corruption before free. */
UK_TESTCASE(ukalloc, random_cycles)
{
	struct uk_alloc *a = uk_alloc_get_default();
	enum { SLOTS = 64 };
	void *p[SLOTS] = { 0 };
	size_t sz[SLOTS] = { 0 };
	bool libc[SLOTS] = { 0 };       /* allocated by malloc(), not uk_malloc() */
	uint32_t x = 12345;
	size_t i, s, n;

	UK_TEST_ASSERT(a != NULL);
	n = frees(a) ? 20000 : 1500;
	for (i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		s = (x >> 16) % SLOTS;
		if (p[s]) {
			UK_TEST_EXPECT(check(p[s], sz[s], s));
			if (libc[s])
				free(p[s]);
			else
				uk_free(a, p[s]);
			p[s] = NULL;
			continue;
		}
		sz[s] = (x >> 8) % ((x & 0x30) ? 512 : 9000) + 1;
		libc[s] = x & 0x40;
		p[s] = libc[s] ? malloc(sz[s]) : uk_malloc(a, sz[s]);
		UK_TEST_ASSERT(p[s] != NULL);
		UK_TEST_EXPECT(ALIGNED(p[s], 16));
		fill(p[s], sz[s], s);
	}
	for (s = 0; s < SLOTS; s++)
		if (p[s]) {
			UK_TEST_EXPECT(check(p[s], sz[s], s));
			if (libc[s])
				free(p[s]);
			else
				uk_free(a, p[s]);
		}
}

/* Run the heap dry (big, page, small blocks), then give everything back. */
UK_TESTCASE(ukalloc, exhaust_and_recover)
{
	struct uk_alloc *a = uk_alloc_get_default();
	const size_t sz[] = { 256 * KiB, 4 * KiB, 16 };
	struct uk_alloc_stats s0, s1;
	void *list = NULL, *p;
	size_t av0, i, total = 0;

	UK_TEST_ASSERT(a != NULL);
	av0 = uk_alloc_availmem(a);
	if (!frees(a) || !av0)          /* bump allocator, or unknown capacity */
		return;
	uk_alloc_stats(a, &s0);
	for (i = 0; i < UK_ARRAY_SIZE(sz); i++)
		while ((p = uk_malloc(a, sz[i])) != NULL) {
			*(void **)p = list;
			list = p;
			total += sz[i];
		}
	uk_alloc_stats(a, &s1);
	UK_TEST_EXPECT_EQ(s1.nb_enomem, s0.nb_enomem + UK_ARRAY_SIZE(sz));
	UK_TEST_EXPECT(total >= av0);
	UK_TEST_EXPECT(uk_alloc_availmem(a) < 4 * KiB);
	while (list) {
		p = *(void **)list;
		uk_free(a, list);
		list = p;
	}
	UK_TEST_EXPECT_EQ(uk_alloc_availmem(a), av0);
	p = uk_malloc(a, av0 / 4);
	UK_TEST_EXPECT(p != NULL);
	uk_free(a, p);
}
