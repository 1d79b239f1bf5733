/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Randomised stress test of ukallocbuddy, meant to run under
 * -fsanitize=address,undefined:
 *
 *   stress_buddy [seed] [ops]
 *
 * Random malloc/calloc/memalign/palloc/realloc/free on a 4 MiB region plus an
 * odd-sized, unaligned second region (addmem). Every block is filled with a
 * pattern unique to it and checked before it is freed or resized, so two
 * live blocks that overlap are caught; the allocator's invariants (free
 * lists, page descriptors, full coalescing, slab counts) are checked every
 * 500 operations. At the end everything is freed and the heap must be back to
 * its initial state: same availmem, zero cur_bytes, the same largest block.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/allocbuddy.h>
#include <uk/allocregion.h>

int uk_allocbuddy_check(struct uk_alloc *a);

void uk_crashf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "UK-CRASH ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

#define FAIL(...) do {                                                  \
	fprintf(stderr, "FAIL (op %lu): ", op);                       \
	fprintf(stderr, __VA_ARGS__);                                   \
	fprintf(stderr, "\n");                                          \
	exit(1);                                                        \
} while (0)

enum { K_MALLOC, K_CALLOC, K_MEMALIGN, K_PALLOC };

struct blk {
	unsigned char *p;
	size_t size;
	unsigned int seed, kind;
	unsigned long npages;
};

#define MAXLIVE 1024
static struct blk live[MAXLIVE];
static unsigned int nlive;
static unsigned long op;
static uint64_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static inline unsigned char pat(size_t i, unsigned int seed)
{
	return (unsigned char)(seed + i * 13 + (i >> 9));
}

/* Small blocks entirely; large ones: 64 bytes at every page and the end. */
static void for_marks(struct blk *b, int check)
{
	size_t i, j;

	for (i = 0; i < b->size; i += (b->size <= 4096 ? b->size : 4096)) {
		size_t n = b->size <= 4096 ? b->size : 64;

		for (j = i; j < i + n && j < b->size; j++) {
			if (!check)
				b->p[j] = pat(j, b->seed);
			else if (b->p[j] != pat(j, b->seed))
				FAIL("block %p+%zu (size %zu) corrupted", (void *)b->p, j, b->size);
		}
	}
	for (j = b->size > 64 ? b->size - 64 : 0; j < b->size; j++) {
		if (!check)
			b->p[j] = pat(j, b->seed);
		else if (b->p[j] != pat(j, b->seed))
			FAIL("block %p+%zu (size %zu) corrupted at end", (void *)b->p, j, b->size);
	}
}

static size_t rand_size(void)
{
	uint32_t r = rnd() % 1000;

	if (r < 600)
		return rnd() % 256 + 1;
	if (r < 880)
		return rnd() % 4096 + 1;
	if (r < 990)
		return rnd() % 65536 + 1;
	return rnd() % (512 * 1024) + 1;
}

static void free_blk(struct uk_alloc *a, unsigned int i)
{
	struct blk *b = &live[i];

	for_marks(b, 1);
	if (b->kind == K_PALLOC)
		uk_pfree(a, b->p, b->npages);
	else
		uk_free(a, b->p);
	live[i] = live[--nlive];
}

static unsigned long largest_block(struct uk_alloc *a)
{
	unsigned long n = 1, best = 0;
	void *p;

	while ((p = uk_palloc(a, n)) != NULL) {
		uk_pfree(a, p, n);
		best = n;
		n <<= 1;
	}
	return best;
}

int main(int argc, char **argv)
{
	unsigned long seed = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
	unsigned long ops = argc > 2 ? strtoul(argv[2], NULL, 0) : 100000;
	size_t len = 4u << 20, len2 = (1u << 20) + 12345;
	char *mem = malloc(len + 64), *mem2 = malloc(len2 + 64);
	struct uk_alloc *a;
	struct uk_alloc_stats st;
	size_t av0, nomem = 0, seeds = 0;
	unsigned long big0, big1;
	int rc;

	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	/* The allocator must never trust memory it has not written: fill the
	 * regions with bytes that read as free blocks of order 1 (PG_FREE). */
	memset(mem, 0x01, len + 64);
	memset(mem2, 0x01, len2 + 64);
	a = uk_allocbuddy_init(mem + 8, len);
	if (!a)
		FAIL("init");
	if (uk_alloc_addmem(a, mem2 + 40, len2) != 0)
		FAIL("addmem");
	if (uk_alloc_addmem(a, mem2, 100) != -22)
		FAIL("addmem of a too small region must be -EINVAL");
	if ((rc = uk_allocbuddy_check(a)))
		FAIL("check at start: %d", rc);
	av0 = uk_alloc_availmem(a);
	/* pointers into never-allocated memory: reported and ignored */
	uk_free(a, mem + len / 2);
	uk_free(a, mem2 + len2 / 2);
	if (uk_alloc_availmem(a) != av0 || uk_alloc_getsize(a, mem + len / 2) != 0 ||
	    (rc = uk_allocbuddy_check(a)))
		FAIL("free of a never-allocated pointer changed the heap (%d)", rc);
	big0 = largest_block(a);
	if (uk_alloc_availmem(a) != av0)
		FAIL("probing leaked");

	for (op = 0; op < ops; op++) {
		uint32_t r = rnd() % 100;

		if (nlive && (r < 40 || nlive == MAXLIVE)) {
			free_blk(a, rnd() % nlive);
		} else if (nlive && r < 55) {
			struct blk *b = &live[rnd() % nlive];
			size_t nsz = rand_size(), keep;
			unsigned char *q;

			if (b->kind == K_PALLOC)
				continue;
			for_marks(b, 1);
			q = uk_realloc(a, b->p, nsz);
			if (!q) {
				nomem++;
				for_marks(b, 1);        /* old block intact */
				continue;
			}
			keep = nsz < b->size ? nsz : b->size;
			for (size_t j = 0; j < keep && j < 64; j++)
				if (q[j] != pat(j, b->seed))
					FAIL("realloc lost byte %zu", j);
			if (((uintptr_t)q & 15))
				FAIL("realloc result %p not 16-aligned", (void *)q);
			b->p = q;
			b->size = nsz;
			b->kind = K_MALLOC;
			b->seed = (unsigned int)++seeds;
			for_marks(b, 0);
		} else {
			struct blk b = { .size = rand_size(), .seed = (unsigned int)++seeds };
			size_t align = 16;

			b.kind = rnd() % 10;
			b.kind = b.kind < 7 ? K_MALLOC : b.kind - 6;
			switch (b.kind) {
			case K_MALLOC:
				b.p = uk_malloc(a, b.size);
				break;
			case K_CALLOC:
				b.p = uk_calloc(a, 1, b.size);
				if (b.p)
					for (size_t j = 0; j < b.size; j++)
						if (b.p[j])
							FAIL("calloc not zeroed");
				break;
			case K_MEMALIGN:
				align = (size_t)16 << (rnd() % 13);     /* 16..64K */
				b.p = uk_memalign(a, align, b.size);
				break;
			case K_PALLOC:
				b.npages = rnd() % 32 + 1;
				b.size = b.npages * 4096;
				align = 4096;
				b.p = uk_palloc(a, b.npages);
				break;
			}
			if (!b.p) {
				nomem++;
				continue;
			}
			if ((uintptr_t)b.p & (align - 1))
				FAIL("%p not aligned to %zu", (void *)b.p, align);
			if (uk_alloc_getsize(a, b.p) < b.size)
				FAIL("getsize %zu < %zu", uk_alloc_getsize(a, b.p), b.size);
			for_marks(&b, 0);
			live[nlive++] = b;
		}
		if (op % 500 == 0 && (rc = uk_allocbuddy_check(a)))
			FAIL("check: %d", rc);
	}

	/* bad frees are reported and ignored, not fatal */
	if (nlive) {
		uk_free(a, live[0].p + 1);
		uk_free(a, mem);        /* not ours */
	}
	while (nlive)
		free_blk(a, nlive - 1);
	if ((rc = uk_allocbuddy_check(a)))
		FAIL("check at end: %d", rc);
	uk_alloc_stats(a, &st);
	if (uk_alloc_availmem(a) != av0)
		FAIL("availmem %zu at the end, %zu at start", uk_alloc_availmem(a), av0);
	if (st.cur_bytes != 0)
		FAIL("cur_bytes %zu after freeing everything", st.cur_bytes);
	if (st.nb_allocs != st.nb_frees)
		FAIL("nb_allocs %zu != nb_frees %zu", st.nb_allocs, st.nb_frees);
	big1 = largest_block(a);
	if (big1 != big0)
		FAIL("largest block %lu pages at the end, %lu at start", big1, big0);
	printf("stress ok: seed %lu, %lu ops, %zu allocs, %zu out-of-memory, peak %zu bytes\n",
	       seed, ops, st.nb_allocs, nomem, st.peak_bytes);
	free(mem);
	free(mem2);
	return 0;
}
