/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Heap setup: hands the largest free memory region (and, where the backend
 * takes more, the others) to the allocator chosen in Kconfig
 * (UKBOOT_ALLOC_*), and makes it the default. With UKBOOT_ALLOC_NONE
 * there is no heap and malloc() returns NULL.
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/boot.h>
#if defined(CONFIG_LIBUKALLOC)
#include <uk/alloc.h>
#endif

void ukboot_heap_init(struct ukplat_bootinfo *bi)
{
#if defined(CONFIG_LIBUKALLOC) && !defined(CONFIG_UKBOOT_ALLOC_NONE)
	struct uk_alloc *a = NULL;
	unsigned int i, largest = bi->nr_mrd;

	for (i = 0; i < bi->nr_mrd; i++)
		if (bi->mrd[i].type == UKPLAT_MEMR_FREE &&
		    (largest == bi->nr_mrd || bi->mrd[i].len > bi->mrd[largest].len))
			largest = i;
	/* The largest region first (it holds the allocator's metadata), then
	 * the others through addmem.
	 */
	for (unsigned int n = 0; n < bi->nr_mrd; n++) {
		i = (largest + n) % bi->nr_mrd;
		struct ukplat_memregion *m = &bi->mrd[i];

		if (m->type != UKPLAT_MEMR_FREE || m->len < 2 * __PAGE_SIZE)
			continue;
		if (!a) {
#if defined(CONFIG_UKBOOT_ALLOC_BUDDY)
			a = uk_allocbuddy_init((void *)m->base, m->len);
#elif defined(CONFIG_UKBOOT_ALLOC_REGION)
			a = uk_allocregion_init((void *)m->base, m->len);
#endif
			if (a)
				uk_alloc_set_default(a);
		} else if (a->addmem) {
			uk_alloc_addmem(a, (void *)m->base, m->len);
		}
	}
	if (!a)
		uk_pr_warn("no memory for the heap\n");
#else
	(void)bi;
#endif
}
