/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The boot thread's TLS block (layout: lib/uktls). Its memory is taken from
 * the end of the largest free memory region, in whole pages, before the
 * heap is built from the regions (heap.c): no static reservation to size,
 * no allocator to pull into images that never allocate. Runs before the
 * init functions: nothing before it may touch a __thread variable
 * (platform entry, argument splitting and heap bookkeeping do not).
 */
#include <uk/essentials.h>
#include <uk/assert.h>
#include <uk/plat.h>
#include <uk/tls.h>
#include <uk/boot.h>

void ukboot_tls_init(struct ukplat_bootinfo *bi)
{
	size_t need = (uk_tls_size() + __PAGE_SIZE - 1) & ~(__PAGE_SIZE - 1);
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
	arch_tls_set_tp(uk_tls_init((void *)(best->base + best->len)));
}
