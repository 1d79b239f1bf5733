/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The heap: the registered allocator backend (uk_alloc_backend(): the
 * library chosen in Kconfig's UKBOOT_ALLOC registers itself) over the
 * largest free memory region, with the others added through addmem, as the
 * default allocator. No backend registered (UKBOOT_ALLOC_NONE): no heap,
 * and malloc() returns NULL. Nothing here names a backend.
 *
 * Created on first use (uk_alloc_set_default_init(), lib/ukalloc): the boot
 * only records the memory regions, and the first uk_alloc_get_default()
 * (malloc(), an init function, a test...) builds the allocator. The regions
 * stay free until then: nothing else hands out memory, and the platform's
 * struct ukplat_bootinfo lives as long as the image. An image that never
 * allocates never pays for a heap; under TCG, where boot time is mostly the
 * translation of code that runs for the first time, that is about a fifth
 * of the guest's boot time (see README.md).
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/boot.h>
#if defined(CONFIG_LIBUKALLOC)
#include <uk/alloc.h>
#endif

#if defined(CONFIG_LIBUKALLOC)
/* Smaller regions are not worth an allocator's bookkeeping. */
#define MIN_REGION (2 * __PAGE_SIZE)

static const struct ukplat_bootinfo *heap_bi;

static const struct uk_alloc_backend *backend;

/* The allocator over one region (NULL if it failed). */
static struct uk_alloc *alloc_init(const struct ukplat_memregion *m)
{
	return backend->init((void *)m->base, m->len);
}

/* The length of a free region, 0 for any other kind. */
static size_t free_len(const struct ukplat_memregion *m)
{
	return m->type == UKPLAT_MEMR_FREE ? m->len : 0;
}

/* Builds the heap: called by the first uk_alloc_get_default(). */
static struct uk_alloc *heap_make(void)
{
	const struct ukplat_bootinfo *bi = heap_bi;
	const struct ukplat_memregion *m, *big = NULL;
	struct uk_alloc *a = NULL;
	unsigned int i, nfree = 0;
	size_t best = 0;

	backend = uk_alloc_backend();
	if (!backend)
		return NULL;            /* UKBOOT_ALLOC_NONE: no heap */

	/* The largest region first: it holds the allocator's metadata. */
	for (i = 0; i < bi->nr_mrd; i++) {
		size_t len = free_len(&bi->mrd[i]);

		nfree += len >= MIN_REGION;
		big = len > best ? &bi->mrd[i] : big;
		best = len > best ? len : best;
	}
	if (best >= MIN_REGION)
		a = alloc_init(big);
	/* Then the others, through addmem (or as the heap if that failed). */
	if (nfree > 1) {
		for (i = 0; i < bi->nr_mrd; i++) {
			m = &bi->mrd[i];
			if (m == big || free_len(m) < MIN_REGION)
				continue;
			if (!a)
				a = alloc_init(m);
			else if (a->addmem)
				uk_alloc_addmem(a, (void *)m->base, m->len);
		}
	}
	if (!a)
		uk_pr_warn("no memory for the heap\n");
	return a;
}
#endif

void ukboot_heap_init(struct ukplat_bootinfo *bi)
{
#if defined(CONFIG_LIBUKALLOC)
	heap_bi = bi;
	uk_alloc_set_default_init(heap_make);
#else
	(void)bi;
#endif
}
