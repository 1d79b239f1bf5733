/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Page-table operations of the platform API (os/include/uk/plat/paging.h)
 * over the arch library's translation tables (os/arch/arm64/mmu.c), and
 * the stack guard registry. Boot (boot.c) has already made the image W^X
 * and unmapped the guard pages below the boot and exception stacks.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <arm64/cpu.h>
#include <arm64/mmu.h>

#define PXN   (1UL << 53)
#define AP_RO (1UL << 7)
#define ATTRIDX(d) (((d) >> 2) & 7)

extern char arm64_boot_stack_guard[], arm64_exc_stack_guard[];     /* start.S */

static uintptr_t guards[UKPLAT_STACK_GUARDS];
static unsigned int nr_guards;

/* ARM64_MEM_* for prot, or -EINVAL. */
static int mem_attr(unsigned int prot)
{
	if (!(prot & UKPLAT_PROT_READ) || prot > 0xf)
		return -EINVAL;
	if (prot & UKPLAT_PROT_DEVICE)
		return ARM64_MEM_DEVICE;
	switch (prot & (UKPLAT_PROT_WRITE | UKPLAT_PROT_EXEC)) {
	case 0:                                        return ARM64_MEM_NORMAL_RO;
	case UKPLAT_PROT_WRITE:                        return ARM64_MEM_NORMAL;
	case UKPLAT_PROT_EXEC:                         return ARM64_MEM_NORMAL_RX;
	default:                                       return ARM64_MEM_NORMAL_RWX;
	}
}

volatile unsigned long ukplat_page_gen;
unsigned long ukplat_tlb_flushes;

/* arm64_mmu_update, then the generation bumped after the change (paging.h) */
static int update(uintptr_t va, uintptr_t pa, size_t len, int attr, int op)
{
	int rc = arm64_mmu_update(va, pa, len, attr, op);

	ukplat_page_gen++;
	ukplat_tlb_flushes = arm64_mmu_tlb_flushes;
	return rc;
}

int ukplat_page_map(uintptr_t va, uintptr_t pa, size_t len, unsigned int prot)
{
	int attr = mem_attr(prot);

	return attr < 0 ? attr : update(va, pa, len, attr, ARM64_MMU_MAP);
}

int ukplat_page_unmap(uintptr_t va, size_t len)
{
	return update(va, 0, len, ARM64_MEM_UNMAPPED, ARM64_MMU_UNMAP);
}

int ukplat_page_protect(uintptr_t va, size_t len, unsigned int prot)
{
	int attr = mem_attr(prot);

	return attr < 0 ? attr : update(va, 0, len, attr, ARM64_MMU_PROTECT);
}

int ukplat_page_prot(uintptr_t va)
{
	uint64_t d = arm64_mmu_lookup(va);
	int prot = UKPLAT_PROT_READ;

	if (!d)
		return -ENOENT;
	if (!(d & AP_RO))
		prot |= UKPLAT_PROT_WRITE;
	if (!(d & PXN))
		prot |= UKPLAT_PROT_EXEC;
	if (ATTRIDX(d) == ARM64_MT_DEVICE_nGnRE || ATTRIDX(d) == ARM64_MT_DEVICE_nGnRnE)
		prot |= UKPLAT_PROT_DEVICE;
	return prot;
}

int ukplat_stack_guard(uintptr_t page)
{
	int rc;

	if (page & (UKPLAT_PAGE_SIZE - 1))
		return -EINVAL;
	if (nr_guards >= UKPLAT_STACK_GUARDS)
		return -ENOMEM;
	rc = ukplat_page_unmap(page, UKPLAT_PAGE_SIZE);
	if (!rc)
		guards[nr_guards++] = page;
	return rc;
}

int ukplat_stack_unguard(uintptr_t page)
{
	unsigned int i;
	int rc;

	if (page & (UKPLAT_PAGE_SIZE - 1))
		return -EINVAL;
	for (i = 0; i < nr_guards && guards[i] != page; i++)
		;
	if (i == nr_guards)
		return -ENOENT;
	/* RAM is identity-mapped: the guard page's frame is its address */
	rc = ukplat_page_map(page, page, UKPLAT_PAGE_SIZE, UKPLAT_PROT_READ | UKPLAT_PROT_WRITE);
	if (!rc)
		guards[i] = guards[--nr_guards];
	return rc;
}

bool ukplat_stack_guard_hit(uintptr_t addr)
{
	unsigned int i;

	/* the boot and exception stacks' (start.S), unmapped by boot.c */
	if (addr - (uintptr_t)arm64_boot_stack_guard < UKPLAT_PAGE_SIZE ||
	    addr - (uintptr_t)arm64_exc_stack_guard < UKPLAT_PAGE_SIZE)
		return true;
	for (i = 0; i < nr_guards; i++)
		if (addr - guards[i] < UKPLAT_PAGE_SIZE)
			return true;
	return false;
}
