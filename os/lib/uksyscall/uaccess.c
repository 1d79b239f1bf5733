/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <uk/uaccess.h> on the VM platforms: a range is accessible when every page
 * of it is mapped in the page tables with the protection the copy needs
 * (ukplat_page_prot), so a bad pointer is -EFAULT before any byte moves.
 * The first page (NULL) is never accessible. A page of a mapping that
 * was never touched is not in the page tables yet (posix-mmap maps pages
 * on demand): it is faulted in here first, as the access itself would.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/uaccess.h>
#include "copy.h"

/* posix-mmap's, when it is in the image (<uk/mmap.h>): makes a demand-paged
 * page present if the mapping allows the access. */
bool uk_mmap_fault_in(uintptr_t addr, bool write) __weak;

static bool page_ok(uintptr_t pg, unsigned int need, bool write)
{
	int prot = ukplat_page_prot(pg);

	if (prot >= 0 && ((unsigned int)prot & need) == need)
		return !(prot & UKPLAT_PROT_DEVICE);
	if (!uk_mmap_fault_in || !uk_mmap_fault_in(pg, write))
		return false;
	prot = ukplat_page_prot(pg);
	return prot >= 0 && ((unsigned int)prot & need) == need && !(prot & UKPLAT_PROT_DEVICE);
}

static bool range_ok(uintptr_t a, size_t n, bool write)
{
	uintptr_t end, pg;
	unsigned int need = UKPLAT_PROT_READ | (write ? UKPLAT_PROT_WRITE : 0);

	if (n == 0)
		return true;
	if (a < UKPLAT_PAGE_SIZE || a + n < a)
		return false;
	end = a + n - 1;
	for (pg = UK_ALIGN_DOWN(a, UKPLAT_PAGE_SIZE); ; pg += UKPLAT_PAGE_SIZE) {
		if (!page_ok(pg, need, write))
			return false;
		if (pg >= UK_ALIGN_DOWN(end, UKPLAT_PAGE_SIZE))
			return true;
	}
}

bool uk_access_ok(const void *p, size_t n, bool write)
{
	return range_ok((uintptr_t)p, n, write);
}

int uk_copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!range_ok((uintptr_t)usrc, n, false))
		return -EFAULT;
	uksc_copy(dst, usrc, n);
	return 0;
}

int uk_copy_to_user(void *udst, const void *src, size_t n)
{
	if (!range_ok((uintptr_t)udst, n, true))
		return -EFAULT;
	uksc_copy(udst, src, n);
	return 0;
}

long uk_strncpy_from_user(char *dst, const char *usrc, size_t max)
{
	uintptr_t a = (uintptr_t)usrc;
	size_t i = 0;

	while (i < max) {
		/* check one page at a time: the string may end before a bad one */
		size_t chunk = UKPLAT_PAGE_SIZE - ((a + i) & (UKPLAT_PAGE_SIZE - 1));

		if (!range_ok(a + i, 1, false))
			return -EFAULT;
		for (; chunk && i < max; chunk--, i++) {
			dst[i] = usrc[i];
			if (!dst[i])
				return (long)i;
		}
	}
	if (max)
		dst[max - 1] = '\0';
	return -ENAMETOOLONG;
}
