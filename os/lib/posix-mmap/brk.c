/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * brk on the VM platforms: the program break moves inside the first
 * LIBPOSIX_MMAP_BRK_MB of the mmap area, [BRK_START, BRK_END), as one
 * region named "[heap]", read-write, paged on demand like any anonymous
 * mapping (so growing gives zeroed pages, shrinking frees them).
 * Linux's raw semantics: brk(addr) returns the new break, or the current
 * one when addr is out of range or the pages above are taken (brk(0)
 * therefore returns the current break).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/linux/mman.h>
#include "area.h"
#include "mmap_sys.h"

static uintptr_t cur = BRK_START;

long uk_sys_brk(unsigned long brk)
{
	unsigned long irqf = ukplat_lcpu_save_irqf();
	uintptr_t old_end = UK_ALIGN_UP(cur, PAGE_SIZE), new_end;

	if (brk < BRK_START || brk > BRK_END)
		goto out;
	new_end = UK_ALIGN_UP(brk, PAGE_SIZE);
	if (new_end > old_end) {
		if (!vma_free(old_end, new_end) ||
		    vma_insert(old_end, new_end, UK_PROT_READ | UK_PROT_WRITE,
			       UK_MAP_PRIVATE | UK_MAP_ANONYMOUS, VMA_HEAP, 0, NULL))
			goto out;
		vma_merge();
	} else if (new_end < old_end) {
		if (unmap_range(new_end, old_end - new_end))
			goto out;
		vma_merge();
	}
	cur = brk;
out:
	ukplat_lcpu_restore_irqf(irqf);
	return (long)cur;
}

/* fork's snapshot (snapshot.c): the break, and putting a saved one back
 * (its region is the snapshot's to restore). */
uintptr_t brk_current(void)
{
	return cur;
}

void brk_restore(uintptr_t brk)
{
	cur = brk;
}

void brk_reset(void)
{
	cur = BRK_START;
}
