/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The pages behind the mmap area, and demand paging. A page is a 4 KiB
 * block of the heap (uk_palloc, identity-mapped: its address is its
 * physical address), mapped at its place in the area with
 * ukplat_page_map() the first time it is touched: from the page-fault
 * handler chain (uk/fault.h, priority 10), or at once for MAP_POPULATE and
 * file mappings. So a reservation (MAP_NORESERVE, a thread stack, a big
 * malloc arena) costs nothing until used.
 *
 * Which heap page backs which address is kept here, in a three-level table
 * of our own (1 GiB, 2 MiB, 4 KiB steps over [0, UK_MMAP_AREA_END), so
 * the fixed window below the area too; nodes are heap pages made on
 * first use and kept), not read back from the page tables: a PROT_NONE
 * page is unmapped but keeps its contents for a later mprotect.
 *
 * A file's pages (MAP_SHARED; a private mapping's until written) are
 * borrowed: unmapped, never freed. A private mapping's are mapped without
 * write permission, and the first write fault gives the address a copy
 * of its own (cow_break).
 *
 * Faults this handler leaves to the next (the signal delivery, else the
 * crash report): addresses outside any region, PROT_NONE regions, and
 * accesses the region's protection does not allow (a write to PROT_READ).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/alloc.h>
#include <uk/fault.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/linux/mman.h>
#include "area.h"

#define L1_SHIFT 30
#define L2_SHIFT 21
#define NR_L1    (UK_MMAP_AREA_END >> L1_SHIFT)   /* from 0: the fixed window too */
#define NR_ENT   512

static uintptr_t *l1[NR_L1];            /* -> NR_ENT pointers to leaves */

uintptr_t page_alloc(void)
{
	void *p = uk_palloc(uk_alloc_get_default(), 1);

	if (!p)
		return 0;
	__builtin_memset(p, 0, PAGE_SIZE);
	return (uintptr_t)p;
}

void page_free(uintptr_t pa)
{
	uk_pfree(uk_alloc_get_default(), (void *)pa, 1);
}

/* The slot of va in the table, made when make is set; NULL if absent (or
 * no memory for a node). */
static uintptr_t *slot(uintptr_t va, bool make)
{
	uintptr_t off = va, *mid, *leaf;
	unsigned int i = off >> L1_SHIFT, j = (off >> L2_SHIFT) & (NR_ENT - 1);

	if (!l1[i]) {
		if (!make || !(l1[i] = (uintptr_t *)page_alloc()))
			return NULL;
	}
	mid = l1[i];
	if (!mid[j]) {
		if (!make || !(mid[j] = page_alloc()))
			return NULL;
	}
	leaf = (uintptr_t *)mid[j];
	return &leaf[(off >> 12) & (NR_ENT - 1)];
}

/* A slot holds the page's address, | BORROWED when the page is a file's
 * (MAP_SHARED, or a private mapping sharing it): unmapped, never freed;
 * | COW when it is a file's page in a private mapping: never mapped
 * writable, a write fault gives the address a copy of its own. */
#define BORROWED   1UL
#define COW        2UL
#define SLOT_FLAGS (BORROWED | COW)

uintptr_t page_get(uintptr_t va)
{
	uintptr_t *s = slot(va, false);

	return s ? *s & ~SLOT_FLAGS : 0;
}

uintptr_t page_raw(uintptr_t va)
{
	uintptr_t *s = slot(va, false);

	return s ? *s : 0;
}

/* UK_PROT_* -> UKPLAT_PROT_*; 0 for PROT_NONE (not mapped). */
static unsigned int plat_prot(unsigned int prot)
{
	if (!(prot & (UK_PROT_READ | UK_PROT_WRITE | UK_PROT_EXEC)))
		return 0;
	return UKPLAT_PROT_READ | (prot & UK_PROT_WRITE ? UKPLAT_PROT_WRITE : 0) |
	       (prot & UK_PROT_EXEC ? UKPLAT_PROT_EXEC : 0);
}

/* What the page tables get for a slot's page under the region's prot: a
 * COW page never writable. */
static unsigned int slot_prot(uintptr_t raw, unsigned int prot)
{
	return plat_prot(raw & COW ? prot & ~UK_PROT_WRITE : prot);
}

/* pa: the page's address, | BORROWED, | COW. */
static int install(uintptr_t va, uintptr_t pa, unsigned int prot)
{
	uintptr_t *s = slot(va, true);
	int rc;

	if (!s)
		return -ENOMEM;
	if (plat_prot(prot)) {
		rc = ukplat_page_map(va, pa & ~SLOT_FLAGS, PAGE_SIZE, slot_prot(pa, prot));
		if (rc)
			return rc;
	}
	*s = pa;
	return 0;
}

int page_install(uintptr_t va, uintptr_t pa, unsigned int prot)
{
	return install(va, pa, prot);
}

int page_install_borrowed(uintptr_t va, uintptr_t pa, unsigned int prot)
{
	return install(va, pa | BORROWED, prot);
}

int page_install_cow(uintptr_t va, uintptr_t pa, unsigned int prot)
{
	return install(va, pa | BORROWED | COW, prot);
}

int page_install_raw(uintptr_t va, uintptr_t raw, unsigned int prot)
{
	return install(va, raw, prot);
}

int page_populate(uintptr_t va, unsigned int prot)
{
	uintptr_t pa;
	int rc;

	if (page_get(va))
		return 0;
	if (!(pa = page_alloc()))
		return -ENOMEM;
	rc = page_install(va, pa, prot);
	if (rc)
		page_free(pa);
	return rc;
}

void pages_release(uintptr_t start, uintptr_t end)
{
	uintptr_t va, *s;

	for (va = start; va < end; va += PAGE_SIZE) {
		s = slot(va, false);
		if (!s || !*s)
			continue;
		ukplat_page_unmap(va, PAGE_SIZE);
		if (!(*s & BORROWED))
			page_free(*s);
		*s = 0;
	}
}

int pages_protect(uintptr_t start, uintptr_t end, unsigned int prot)
{
	uintptr_t va, raw;
	int rc;

	for (va = start; va < end; va += PAGE_SIZE) {
		if (!(raw = page_raw(va)))
			continue;
		if (!plat_prot(prot))
			rc = ukplat_page_unmap(va, PAGE_SIZE);
		else if (ukplat_page_prot(va) >= 0)
			rc = ukplat_page_protect(va, PAGE_SIZE, slot_prot(raw, prot));
		else            /* it was PROT_NONE: map it back */
			rc = ukplat_page_map(va, raw & ~SLOT_FLAGS, PAGE_SIZE, slot_prot(raw, prot));
		if (rc)
			return rc;
	}
	return 0;
}

int pages_move(uintptr_t from, uintptr_t to, size_t len, unsigned int prot)
{
	uintptr_t i, *s, pa;
	int rc;

	for (i = 0; i < len; i += PAGE_SIZE) {
		s = slot(from + i, false);
		if (!s || !(pa = *s))
			continue;
		rc = install(to + i, pa, prot);
		if (rc)
			return rc;
		ukplat_page_unmap(from + i, PAGE_SIZE);
		*s = 0;
	}
	return 0;
}

/*
 * The first write to a file's page in a private mapping: va gets a copy of
 * its own (a fresh heap page, mapped with the region's prot); the file's
 * page stays the file's. 0 or -ENOMEM.
 */
static int cow_break(uintptr_t va, uintptr_t raw, unsigned int prot)
{
	uintptr_t copy = page_alloc();
	int rc;

	if (!copy)
		return -ENOMEM;
	__builtin_memcpy((void *)copy, (void *)(raw & ~SLOT_FLAGS), PAGE_SIZE);
	ukplat_page_unmap(va, PAGE_SIZE);
	rc = install(va, copy, prot);
	if (rc) {
		page_free(copy);
		install(va, raw, prot);         /* as it was */
	}
	return rc;
}

struct uk_mmap_stats mm_stats;

void uk_mmap_stats(struct uk_mmap_stats *out)
{
	unsigned long irqf = ukplat_lcpu_save_irqf();

	*out = mm_stats;
	ukplat_lcpu_restore_irqf(irqf);
}

static int demand_page_(struct uk_fault *f);

/* The handler, counted (mm_stats): which way each fault went, how long. */
static int demand_page(struct uk_fault *f)
{
	uint64_t t0 = ukplat_clock_ticks();
	int rc = demand_page_(f);

	mm_stats.fault_ticks += ukplat_clock_ticks() - t0;
	if (rc != UK_FAULT_HANDLED)
		mm_stats.passed_faults++;
	return rc;
}

static int demand_page_(struct uk_fault *f)
{
	uintptr_t va = UK_ALIGN_DOWN(f->addr, PAGE_SIZE), raw;
	unsigned int need = f->exec ? UK_PROT_EXEC : f->write ? UK_PROT_WRITE : UK_PROT_READ;
	struct vma *v;

	if (!in_user(va, PAGE_SIZE))
		return UK_FAULT_NOT_HANDLED;
	v = vma_find(f->addr);
	/* a MAP_SHARED file mapping has all its pages from the start (the
	 * file system's locks are no business of a fault handler) */
	if (!v || !(v->prot & need) || v->kind == VMA_SHARED)
		return UK_FAULT_NOT_HANDLED;
	if ((raw = page_raw(va))) {
		/* a write to a file's page a private mapping shares: its
		 * own copy now */
		if ((raw & COW) && f->write) {
			if (!cow_break(va, raw, v->prot)) {
				mm_stats.cow_faults++;
				return UK_FAULT_HANDLED;
			}
			uk_pr_crit("posix-mmap: out of memory: no free page to copy %p on write "
				   "(give the guest more memory, -m)\n", (void *)f->addr);
			return UK_FAULT_NOT_HANDLED;
		}
		/* it has its page, mapped as the region says: a fault that
		 * mapping again would not cure */
		return UK_FAULT_NOT_HANDLED;
	}
	if (page_populate(va, v->prot)) {
		/* The mapping was granted, its memory is gone (the heap is
		 * exhausted): like Linux's OOM killer, the program cannot go
		 * on; say why before the crash report's page fault. */
		uk_pr_crit("posix-mmap: out of memory: no free page for %p in a mapping "
			   "(give the guest more memory, -m)\n", (void *)f->addr);
		return UK_FAULT_NOT_HANDLED;
	}
	mm_stats.zero_faults++;
	return UK_FAULT_HANDLED;
}
UK_FAULT_HANDLER(demand_page, 10);

bool uk_mmap_fault_in(uintptr_t addr, bool write)
{
	struct uk_fault f = { .addr = addr, .write = write };
	unsigned long irqf = ukplat_lcpu_save_irqf();
	struct vma *v = vma_find(addr);
	uintptr_t raw = page_raw(UK_ALIGN_DOWN(addr, PAGE_SIZE));
	bool ok = v && (v->prot & (write ? UK_PROT_WRITE : UK_PROT_READ)) &&
		  ((raw && !(write && (raw & COW))) ||
		   demand_page(&f) == UK_FAULT_HANDLED);

	ukplat_lcpu_restore_irqf(irqf);
	return ok;
}
