/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Identity page tables for EL1, built with the MMU off (so: no unaligned
 * accesses, plain stores go straight to memory) and then enabled. See
 * include/arm64/mmu.h. Descriptor formats: Arm ARM D8.3 "Translation table
 * descriptor formats" (4 KiB granule: level 1 blocks of 1 GiB, level 2
 * blocks of 2 MiB, level 3 pages).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <arm64/cpu.h>
#include <arm64/mmu.h>

#define DESC_VALID     (1UL << 0)
#define DESC_TABLE     (1UL << 1)     /* level 1/2: table; level 3: page */
#define DESC_ATTRIDX(i) ((uint64_t)(i) << 2)
#define DESC_SH_INNER  (3UL << 8)
#define DESC_AP_RO     (1UL << 7)     /* AP[2]: read-only */
#define DESC_AF        (1UL << 10)
#define DESC_PXN       (1UL << 53)
#define DESC_UXN       (1UL << 54)
#define DESC_ADDR_MASK 0x0000fffffffff000UL
#define DESC_ATTR_MASK (~DESC_ADDR_MASK & ~3UL)

_Static_assert(ARM64_DESC_NORMAL == (DESC_ATTRIDX(ARM64_MT_NORMAL) | DESC_SH_INNER | DESC_AF |
				     DESC_PXN | DESC_UXN), "ARM64_DESC_NORMAL");
_Static_assert(ARM64_DESC_DEVICE == (DESC_ATTRIDX(ARM64_MT_DEVICE_nGnRE) | DESC_AF | DESC_PXN |
				     DESC_UXN), "ARM64_DESC_DEVICE");
_Static_assert(ARM64_DESC_NORMAL_NC == (DESC_ATTRIDX(ARM64_MT_NORMAL_NC) | DESC_SH_INNER | DESC_AF |
					DESC_PXN | DESC_UXN), "ARM64_DESC_NORMAL_NC");

static arm64_pt_t *pool;
static unsigned int pool_n, pool_used;
static uint64_t *root;

/* Descriptor attributes per ARM64_MEM_* (0: unmapped). */
static const uint64_t attr_bits[] = {
	[ARM64_MEM_UNMAPPED]  = 0,
	[ARM64_MEM_NORMAL]    = ARM64_DESC_NORMAL,
	[ARM64_MEM_DEVICE]    = ARM64_DESC_DEVICE,
	[ARM64_MEM_NORMAL_NC] = ARM64_DESC_NORMAL_NC,
	[ARM64_MEM_NORMAL_RO] = ARM64_DESC_NORMAL | DESC_AP_RO,
	[ARM64_MEM_NORMAL_RX] = (ARM64_DESC_NORMAL & ~DESC_PXN) | DESC_AP_RO,
	[ARM64_MEM_NORMAL_RWX] = ARM64_DESC_NORMAL & ~DESC_PXN,
};

/*
 * Under QEMU TCG boot time is mostly the translation of the code that runs
 * for the first time, instruction by instruction, so this is written small
 * rather than fast: one entry written per step, one routine making tables.
 */

/*
 * The table under the entry *e (entries of 1 << shift bytes in its table;
 * shift 39 for the root), made from the pool if there is none: a block
 * there is split into 512 entries with its attributes, anything else
 * becomes 512 empty ones. NULL when the pool is empty.
 */
static uint64_t *subtable(uint64_t *e, unsigned int shift)
{
	uint64_t d = *e, *t;
	unsigned int i, sub = shift - 9;

	if ((d & (DESC_VALID | DESC_TABLE)) == (DESC_VALID | DESC_TABLE))
		return (uint64_t *)(uintptr_t)(d & DESC_ADDR_MASK);
	if (pool_used >= pool_n)
		return NULL;
	t = pool[pool_used++];
	/* the first piece of the block (pages are DESC_TABLE | DESC_VALID) */
	if (d & DESC_VALID)
		d = (d & DESC_ADDR_MASK & ~((1UL << shift) - 1)) | (d & DESC_ATTR_MASK) |
		    DESC_VALID | (sub == 12 ? DESC_TABLE : 0);
	for (i = 0; i < ARM64_TABLE_ENTRIES; i++)
		t[i] = d & DESC_VALID ? d + ((uint64_t)i << sub) : 0;
	*e = (uint64_t)(uintptr_t)t | DESC_VALID | DESC_TABLE;
	return t;
}

static uint64_t root_entry;            /* what "points" to the root table */

void arm64_mmu_init(arm64_pt_t *tables, unsigned int n)
{
	pool = tables;
	pool_n = n;
	pool_used = 0;
	root_entry = 0;
	root = subtable(&root_entry, 39);
}

void arm64_mmu_load(arm64_pt_t *tables, unsigned int n, unsigned int used,
		    const struct arm64_mmu_run *r, unsigned int nruns)
{
	const struct arm64_mmu_run *end = r + nruns;
	uint64_t *e, *last, d;

	pool = tables;
	pool_n = n;
	pool_used = used;
	root = tables[0];
	for (; r < end; r++) {
		d = r->desc + (r->ref ? (uint64_t)(uintptr_t)tables[r->ref - 1] | DESC_VALID | DESC_TABLE : 0);
		e = &tables[r->table][r->first];
		last = e + r->count;
		do {
			*e++ = d;
			d += r->step;
		} while (e < last);
	}
}

unsigned int arm64_mmu_tables_used(void)
{
	return pool_used;
}

/* Entries invalidated one by one at most in one update; more: the whole
 * TLB (under QEMU TCG a full flush also empties the jump cache of the
 * translated code: one per demand-paged fault made every fault cost a
 * refill of the working set). */
#define TLBI_MAX 16

unsigned long arm64_mmu_tlb_flushes;

/*
 * After an update: the new entries visible to the walker; of the TLB, the
 * entries that were valid before (stale[0..n), by address: TLBI VAAE1IS
 * drops a page's or a block's translation and the walks cached for it),
 * or everything (all). An entry that was invalid is in no TLB (the
 * architecture caches no invalid descriptor): making one valid needs the
 * barriers only.
 */
static void sync_tables(const uint64_t *stale, unsigned int n, bool all)
{
	unsigned int i;

	if (!arm64_mmu_enabled())
		return;
	if (all) {
		__asm__ __volatile__("dsb ishst; tlbi vmalle1is; dsb ish; isb" : : : "memory");
		arm64_mmu_tlb_flushes++;
		return;
	}
	__asm__ __volatile__("dsb ishst" : : : "memory");
	for (i = 0; i < n; i++)
		__asm__ __volatile__("tlbi vaae1is, %0" : : "r"(stale[i] >> 12) : "memory");
	__asm__ __volatile__("dsb ish; isb" : : : "memory");
}

/*
 * One entry at a time: from va, go down from level 1 (making tables on
 * the way, splitting blocks) until an entry covers a whole block (MAP:
 * whose output address is aligned too), or a page, inside [va, end), and
 * write it. Where a whole entry is not mapped, UNMAP skips it and PROTECT
 * stops with -ENOENT, without making tables. A table under a block or an
 * empty entry written over leaks.
 */
int arm64_mmu_update(uint64_t va, uint64_t pa, uint64_t len, int attr, int op)
{
	uint64_t end = va + len, attrs, size, *t, *e, stale[TLBI_MAX];
	unsigned int shift, nstale = 0;
	bool all = false;
	int rc = 0;

	if (!root || ((va | pa | len) & (ARM64_PAGE_SIZE - 1)) || end > (1UL << ARM64_VA_BITS) ||
	    end < va || (unsigned int)attr >= UK_ARRAY_SIZE(attr_bits) ||
	    (op != ARM64_MMU_UNMAP && !attr_bits[attr]))
		return -EINVAL;
	attrs = op == ARM64_MMU_UNMAP ? 0 : attr_bits[attr];
	while (va < end) {
		for (t = root, shift = 30;; shift -= 9) {
			bool whole;

			size = 1UL << shift;
			e = &t[(va >> shift) & (ARM64_TABLE_ENTRIES - 1)];
			whole = !(va & (size - 1)) && end - va >= size;
			if (shift == 12 || (whole && (op == ARM64_MMU_MAP ? !(pa & (size - 1)) :
			    (*e & (DESC_VALID | DESC_TABLE)) != (DESC_VALID | DESC_TABLE))))
				break;
			if (!(*e & DESC_VALID) && op != ARM64_MMU_MAP)
				break;          /* nothing mapped under it */
			t = subtable(e, shift);
			if (!t)
				break;
		}
		if (!t) {
			rc = -ENOMEM;
			break;
		}
		/* a valid entry (or one a split just made from a valid block)
		 * may be in the TLB; a table written over: its pages too */
		if (*e & DESC_VALID) {
			if (shift != 12 && (*e & DESC_TABLE))
				all = true;
			else if (nstale < TLBI_MAX)
				stale[nstale++] = va;
			else
				all = true;
		}
		if (op == ARM64_MMU_MAP) {
			*e = pa | attrs | DESC_VALID | (shift == 12 ? DESC_TABLE : 0);
		} else if (op == ARM64_MMU_UNMAP) {
			*e = 0;
		} else if (!(*e & DESC_VALID)) {
			rc = -ENOENT;
			break;
		} else {
			*e = (*e & (DESC_ADDR_MASK | DESC_VALID | DESC_TABLE)) | attrs;
		}
		size -= va & (size - 1);        /* to the next entry */
		va += size;
		pa += size;
	}
	sync_tables(stale, nstale, all);
	return rc;
}

/* Identity-map (or unmap) [base, base + len) rounded out to pages. */
int arm64_mmu_map(uint64_t base, uint64_t len, int attr)
{
	uint64_t va = base & ~(ARM64_PAGE_SIZE - 1);
	uint64_t end = (base + len + ARM64_PAGE_SIZE - 1) & ~(ARM64_PAGE_SIZE - 1);

	if (end < va)
		return -EINVAL;
	return arm64_mmu_update(va, va, end - va, attr,
				attr == ARM64_MEM_UNMAPPED ? ARM64_MMU_UNMAP : ARM64_MMU_MAP);
}

uint64_t arm64_mmu_lookup(uint64_t va)
{
	uint64_t *t = root, d = 0;
	unsigned int shift;

	if (!root || va >= (1UL << ARM64_VA_BITS))
		return 0;
	for (shift = 30;; shift -= 9) {
		d = t[(va >> shift) & (ARM64_TABLE_ENTRIES - 1)];
		if (!(d & DESC_VALID))
			return 0;
		if (shift == 12 || !(d & DESC_TABLE))
			return d;
		t = (uint64_t *)(uintptr_t)(d & DESC_ADDR_MASK);
	}
}

bool arm64_mmu_enabled(void)
{
	return arm64_sysreg_read(sctlr_el1) & ARM64_SCTLR_M;
}

void arm64_mmu_enable(void)
{
	/* 52-bit PA (6) needs other descriptor formats: stay at 48 bits */
	uint64_t parange = UK_MIN(arm64_sysreg_read(id_aa64mmfr0_el1) & 0xf, 5UL);
	uint64_t line = 4UL << ((arm64_sysreg_read(ctr_el0) >> 16) & 0xf);
	uint64_t p = (uintptr_t)pool & ~(line - 1);
	uint64_t end = (uintptr_t)pool + pool_used * sizeof(arm64_pt_t);
	uint64_t tcr, sctlr;

	tcr = ARM64_TCR_T0SZ | ARM64_TCR_IRGN0_WBWA | ARM64_TCR_ORGN0_WBWA |
	      ARM64_TCR_SH0_INNER | ARM64_TCR_TG0_4K | ARM64_TCR_T1SZ | ARM64_TCR_EPD1 |
	      (parange << ARM64_TCR_IPS_SHIFT);
	sctlr = arm64_sysreg_read(sctlr_el1);
	sctlr |= ARM64_SCTLR_M | ARM64_SCTLR_C | ARM64_SCTLR_I | ARM64_SCTLR_SA;
	sctlr &= ~(ARM64_SCTLR_A | ARM64_SCTLR_WXN | ARM64_SCTLR_EE);

	/*
	 * The tables were written with the caches off: drop any stale lines
	 * so the (cacheable) table walks see them. Then the translation
	 * registers; instruction cache and TLB invalidated while nothing can
	 * have allocated in them (SCTLR.I/M clear); all of it synchronised
	 * by one ISB before the MMU goes on. Each system register write ends
	 * a translated block under QEMU TCG, so nothing else is in between.
	 */
	__asm__ __volatile__(
		"dsb	sy\n"
		"1:	dc	ivac, %[p]\n"
		"	add	%[p], %[p], %[line]\n"
		"	cmp	%[p], %[end]\n"
		"	b.lo	1b\n"
		"	dsb	sy\n"
		"	msr	mair_el1, %[mair]\n"
		"	msr	tcr_el1, %[tcr]\n"
		"	msr	ttbr0_el1, %[ttbr]\n"
		"	ic	iallu\n"
		"	tlbi	vmalle1\n"
		"	dsb	nsh\n"
		"	isb\n"
		"	msr	sctlr_el1, %[sctlr]\n"
		"	isb\n"
		: [p] "+r"(p)
		: [line] "r"(line), [end] "r"(end), [mair] "r"(ARM64_MAIR_VALUE),
		  [tcr] "r"(tcr), [ttbr] "r"((uintptr_t)root), [sctlr] "r"(sctlr)
		: "memory", "cc");
}
