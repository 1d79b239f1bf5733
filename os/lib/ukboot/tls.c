/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The boot thread's TLS block (layout: lib/uktls). A small block (the
 * usual case: errno and a few variables) lives in ukplat_entry()'s frame,
 * which never returns; a larger one takes whole pages from the end of the
 * largest free memory region, before the heap is built from the regions.
 * Neither needs an allocator, and the small one touches no new page: under
 * TCG on this project's CI machine the first write to a fresh guest page
 * costs about 250 us, half the guest's boot time (see README.md).
 * Runs before the init functions: nothing before it may touch a __thread
 * variable (platform entry, argument splitting and heap bookkeeping do not).
 */
#include <uk/essentials.h>
#include <uk/assert.h>
#include <uk/plat.h>
#include <uk/tls.h>
#include <uk/boot.h>

/* Pages for a block too large for the caller's buffer: from the end of the
 * largest free region that holds them. Crashes when none does. */
static void *tls_pages(struct ukplat_bootinfo *bi, size_t size)
{
	size_t need = (size + __PAGE_SIZE - 1) & ~(__PAGE_SIZE - 1);
	struct ukplat_memregion *best = NULL;
	unsigned int i;

	for (i = 0; i < bi->nr_mrd; i++) {
		struct ukplat_memregion *r = &bi->mrd[i];

		if (r->type == UKPLAT_MEMR_FREE && r->len >= need &&
		    (!best || r->len > best->len))
			best = r;
	}
	if (!best)
		uk_crashf("no free memory region holds the %lu-byte TLS block: "
			  "give the guest more memory", (unsigned long)need);
	best->len -= need;
	return (void *)(best->base + best->len);
}

void ukboot_tls_init(struct ukplat_bootinfo *bi, void *buf, size_t len)
{
	size_t size = uk_tls_size();
	void *block = size <= len ? buf : tls_pages(bi, size);

	arch_tls_set_tp(uk_tls_init(block));
}
