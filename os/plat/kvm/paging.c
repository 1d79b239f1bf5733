/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Page-table operations of the platform API (os/include/uk/plat/paging.h)
 * over the x86_64 4-level tables trampoline.S builds (PML4 -> PDPT -> PD ->
 * PT; one PML4 entry, so the low 512 GiB), and the stack guard registry.
 *
 * trampoline.S already leaves the image W^X (text RX, rodata R, the rest NX)
 * and the boot stack's guard page unmapped; this file is what code after
 * boot uses: tests, and the threads library for each stack's guard page.
 *
 * One routine walks for all three operations: for each step it goes down
 * from the PML4 until an entry covers a whole aligned piece of what is left
 * (1 GiB, 2 MiB or 4 KiB), splitting a large page on the way into a table
 * of smaller ones with the same bits (tables from a pool in .bss), and
 * writes that entry.
 *
 * TLB: an entry that was not present cannot be in the TLB (x86 caches no
 * not-present translation), so making one present needs no invalidation;
 * an entry that was present (unmapped, re-protected, replaced, or the
 * large page split on the way to it) is invalidated with invlpg, page by
 * page, up to INVLPG_MAX of them; more, and the whole TLB is flushed (a
 * CR3 reload). Under QEMU TCG a full flush also empties the translated
 * code's jump cache, and demand paging maps a page per fault: reloading
 * CR3 on each made every fault cost a refill of the whole working set.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <x86/cpu.h>
#include "kvm.h"

#define PT_ENTRIES   512
#define ADDR_MASK 0x000ffffffffff000ULL
#define VA_LIMIT  (1ULL << 39)          /* what PML4[0] translates */

enum op { MAP, UNMAP, PROTECT };

extern uint64_t kvm_pml4[];             /* trampoline.S */
extern char kvm_boot_stack_guard[];

static uint64_t pool[CONFIG_KVM_PAGE_TABLES][PT_ENTRIES] __align(4096);
static unsigned int pool_used;
static uintptr_t guards[UKPLAT_STACK_GUARDS];
static unsigned int nr_guards;

/* Leaf entry bits for prot (without the address and PS). */
static uint64_t prot_bits(unsigned int prot)
{
	uint64_t b = X86_PTE_P | X86_PTE_A | X86_PTE_D;

	if (prot & UKPLAT_PROT_WRITE)
		b |= X86_PTE_RW;
	if (!(prot & UKPLAT_PROT_EXEC) || (prot & UKPLAT_PROT_DEVICE))
		b |= X86_PTE_NX;
	if (prot & UKPLAT_PROT_DEVICE)
		b |= X86_PTE_PCD | X86_PTE_PWT;
	return b;
}

static bool is_leaf(uint64_t e, unsigned int shift)
{
	return (e & X86_PTE_P) && (shift == 12 || (e & X86_PTE_PS));
}

/*
 * The table under *e (whose entries map 1 << shift bytes each; shift 39 for
 * the PML4 entry), made if there is none: a large page there is split
 * into PT_ENTRIES pieces with its bits, an empty entry gives an empty table.
 * NULL when the pool is empty.
 */
static uint64_t *subtable(uint64_t *e, unsigned int shift)
{
	unsigned int sub = shift - 9, i;
	uint64_t *t, d = *e, base, flags;

	if ((d & X86_PTE_P) && !is_leaf(d, shift))
		return (uint64_t *)(uintptr_t)(d & ADDR_MASK);
	if (pool_used >= CONFIG_KVM_PAGE_TABLES)
		return NULL;
	t = pool[pool_used++];
	base = d & ADDR_MASK & ~((1ULL << shift) - 1);
	flags = (d & ~ADDR_MASK & ~X86_PTE_PS) | (sub > 12 ? X86_PTE_PS : 0);
	for (i = 0; i < PT_ENTRIES; i++)
		t[i] = (d & X86_PTE_P) ? (base + ((uint64_t)i << sub)) | flags : 0;
	/* a table entry: present, writable, executable; the leaves decide */
	*e = (uintptr_t)t | X86_PTE_P | X86_PTE_RW | X86_PTE_A;
	return t;
}

static void flush_tlb(void)
{
	uint64_t cr3;

	__asm__ __volatile__("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3) : : "memory");
}

/* Drops the TLB's translations of the page (any size) holding va. */
static void invlpg(uintptr_t va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

/* Entries invalidated one by one at most in one update; more: a full flush
 * (each invlpg costs about what refilling a few TLB entries does). */
#define INVLPG_MAX 16

/*
 * The entry to change for va at the top of the loop below: the lowest
 * level where [va, end) covers the whole entry and the entry can hold it
 * (MAP: a page of that size, 4 KiB or 2 MiB — 1 GiB pages need a CPU
 * feature; otherwise: an empty or leaf entry). Tables are made or split
 * on the way; the entry is returned in *e and its size in *size. -ENOMEM.
 */
static int find(uintptr_t va, uintptr_t end, uintptr_t pa, enum op op,
		uint64_t **e, uint64_t *size)
{
	uint64_t *t = subtable(&kvm_pml4[0], 39);   /* the PDPT: always there */
	unsigned int shift;

	for (shift = 30;; shift -= 9) {
		uint64_t sz = 1ULL << shift, d;
		bool whole = !(va & (sz - 1)) && end - va >= sz;

		*e = &t[(va >> shift) & (PT_ENTRIES - 1)];
		*size = sz;
		d = **e;
		if (shift == 12)
			return 0;
		if (whole && (op == MAP ? shift <= 21 && !(pa & (sz - 1))
					: !(d & X86_PTE_P) || is_leaf(d, shift)))
			return 0;
		if (!(d & X86_PTE_P) && op != MAP)
			return 0;               /* nothing mapped under it */
		t = subtable(*e, shift);
		if (!t)
			return -ENOMEM;
	}
}

volatile unsigned long ukplat_page_gen;
unsigned long ukplat_tlb_flushes;

static int update(uintptr_t va, uintptr_t pa, size_t len, unsigned int prot, enum op op)
{
	uintptr_t end = va + len, stale[INVLPG_MAX];
	uint64_t bits = prot_bits(prot), *e, size, step;
	unsigned int nstale = 0, i;
	bool flush_all = false;
	int rc = 0;

	if ((va | pa | len) & (UKPLAT_PAGE_SIZE - 1) || end < va || end > VA_LIMIT ||
	    (op != UNMAP && (!(prot & UKPLAT_PROT_READ) || prot > 0xf)))
		return -EINVAL;
	while (va < end) {
		rc = find(va, end, pa, op, &e, &size);
		if (rc)
			break;
		/* a present entry (or one a split just made from a present
		 * large page) may be in the TLB: invalidate it after */
		if (*e & X86_PTE_P) {
			if (size > UKPLAT_PAGE_SIZE && !(*e & X86_PTE_PS))
				flush_all = true;       /* a table written over: its pages */
			else if (nstale < INVLPG_MAX)
				stale[nstale++] = va;
			else
				flush_all = true;
		}
		if (op == MAP) {
			*e = pa | bits | (size > UKPLAT_PAGE_SIZE ? X86_PTE_PS : 0);
		} else if (!(*e & X86_PTE_P)) {
			if (op == PROTECT) {
				rc = -ENOENT;
				break;
			}
		} else if (op == UNMAP) {
			*e = 0;                 /* whole entry (find); a table under it leaks */
		} else {
			*e = (*e & (ADDR_MASK | X86_PTE_PS)) | bits;
		}
		step = size - (va & (size - 1));      /* to the next entry */
		va += step;
		pa += step;
	}
	if (flush_all) {
		flush_tlb();
		ukplat_tlb_flushes++;
	} else {
		for (i = 0; i < nstale; i++)
			invlpg(stale[i]);
	}
	ukplat_page_gen++;            /* after the change (paging.h) */
	return rc;
}

int ukplat_page_map(uintptr_t va, uintptr_t pa, size_t len, unsigned int prot)
{
	return update(va, pa, len, prot, MAP);
}

int ukplat_page_unmap(uintptr_t va, size_t len)
{
	return update(va, 0, len, 0, UNMAP);
}

int ukplat_page_protect(uintptr_t va, size_t len, unsigned int prot)
{
	return update(va, 0, len, prot, PROTECT);
}

int ukplat_page_prot(uintptr_t va)
{
	uint64_t *t, d;
	unsigned int shift;
	int prot;

	if (va >= VA_LIMIT)
		return -ENOENT;
	for (t = (uint64_t *)(uintptr_t)(kvm_pml4[0] & ADDR_MASK), shift = 30;; shift -= 9) {
		d = t[(va >> shift) & (PT_ENTRIES - 1)];
		if (!(d & X86_PTE_P))
			return -ENOENT;
		if (is_leaf(d, shift))
			break;
		t = (uint64_t *)(uintptr_t)(d & ADDR_MASK);
	}
	prot = UKPLAT_PROT_READ;
	if (d & X86_PTE_RW)
		prot |= UKPLAT_PROT_WRITE;
	if (!(d & X86_PTE_NX))
		prot |= UKPLAT_PROT_EXEC;
	if (d & X86_PTE_PCD)
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

	/* the boot stack's, unmapped by trampoline.S */
	if (addr - (uintptr_t)kvm_boot_stack_guard < UKPLAT_PAGE_SIZE)
		return true;
	for (i = 0; i < nr_guards; i++)
		if (addr - guards[i] < UKPLAT_PAGE_SIZE)
			return true;
	return false;
}
