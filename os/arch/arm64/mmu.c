/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Identity page tables for EL1, built with the MMU off (so: no unaligned
 * accesses, plain stores go straight to memory) and then enabled. See
 * include/arm64/mmu.h. Descriptor formats: Arm ARM D8.3 "Translation table
 * descriptor formats" (4 KiB granule: level 1 blocks of 1 GiB, level 2
 * blocks of 2 MiB, level 3 pages).
 */
#include <uk/essentials.h>
#include <arm64/cpu.h>
#include <arm64/mmu.h>

#define DESC_VALID     (1UL << 0)
#define DESC_TABLE     (1UL << 1)     /* level 1/2: table; level 3: page */
#define DESC_ATTRIDX(i) ((uint64_t)(i) << 2)
#define DESC_SH_INNER  (3UL << 8)
#define DESC_AF        (1UL << 10)
#define DESC_PXN       (1UL << 53)
#define DESC_UXN       (1UL << 54)
#define DESC_ADDR_MASK 0x0000fffffffff000UL
#define DESC_ATTR_MASK (~DESC_ADDR_MASK & ~3UL)

static arm64_pt_t *pool;
static unsigned int pool_n, pool_used;
static uint64_t *root;

/* Descriptor attributes per ARM64_MEM_* (0: unmapped). */
static const uint64_t attr_bits[] = {
	[ARM64_MEM_UNMAPPED]  = 0,
	[ARM64_MEM_NORMAL]    = DESC_ATTRIDX(ARM64_MT_NORMAL) | DESC_SH_INNER | DESC_AF,
	[ARM64_MEM_DEVICE]    = DESC_ATTRIDX(ARM64_MT_DEVICE_nGnRE) | DESC_AF | DESC_PXN | DESC_UXN,
	[ARM64_MEM_NORMAL_NC] = DESC_ATTRIDX(ARM64_MT_NORMAL_NC) | DESC_SH_INNER | DESC_AF |
				DESC_PXN | DESC_UXN,
};

static uint64_t *table_alloc(void)
{
	uint64_t *t;
	unsigned int i;

	if (pool_used >= pool_n)
		return NULL;
	t = pool[pool_used++];
	/* 64 bytes a round: the MMU is off, so no DC ZVA (Device memory) */
	for (i = 0; i < ARM64_TABLE_ENTRIES; i += 8)
		__asm__ __volatile__("stp xzr, xzr, [%0]\n\tstp xzr, xzr, [%0, #16]\n\t"
				     "stp xzr, xzr, [%0, #32]\n\tstp xzr, xzr, [%0, #48]"
				     : : "r"(&t[i]) : "memory");
	return t;
}

void arm64_mmu_init(arm64_pt_t *tables, unsigned int n)
{
	pool = tables;
	pool_n = n;
	pool_used = 0;
	root = table_alloc();
}

unsigned int arm64_mmu_tables_used(void)
{
	return pool_used;
}

/* Level 1..3: the shift of the address bits one entry covers. */
static unsigned int level_shift(int level)
{
	return 39 - 9 * level;
}

static uint64_t leaf(uint64_t addr, int level, uint64_t attrs)
{
	if (!attrs)
		return 0;
	return addr | attrs | DESC_VALID | (level == 3 ? DESC_TABLE : 0);
}

static int map_level(uint64_t *table, int level, uint64_t va, uint64_t end, uint64_t attrs)
{
	unsigned int shift = level_shift(level), i;
	uint64_t size = 1UL << shift, next, e, *sub, base, sattrs;

	while (va < end) {
		uint64_t *slot = &table[(va >> shift) & (ARM64_TABLE_ENTRIES - 1)];

		next = (va & ~(size - 1)) + size;
		if (next > end)
			next = end;
		e = *slot;
		if (!attrs && !(e & DESC_VALID)) {
			/* unmapping what is not mapped */
		} else if (!(va & (size - 1)) && next - va == size) {
			/* whole blocks (level 3: pages), as many as fit; a table
			 * that was under one of them leaks */
			uint64_t *last = &table[ARM64_TABLE_ENTRIES - 1];
			uint64_t d = leaf(va, level, attrs);

			for (;;) {
				*slot = d;
				va += size;
				if (slot == last || end - va < size)
					break;
				slot++;
				if (d)
					d += size;
			}
			continue;
		} else {
			if ((e & (DESC_VALID | DESC_TABLE)) == (DESC_VALID | DESC_TABLE)) {
				sub = (uint64_t *)(uintptr_t)(e & DESC_ADDR_MASK);
			} else {
				sub = table_alloc();
				if (!sub)
					return -1;
				if (e & DESC_VALID) {
					/* split the block: same attributes, finer grain */
					base = e & DESC_ADDR_MASK & ~(size - 1);
					sattrs = e & DESC_ATTR_MASK;
					for (i = 0; i < ARM64_TABLE_ENTRIES; i++)
						sub[i] = leaf(base + ((uint64_t)i << (shift - 9)),
							      level + 1, sattrs);
				}
				*slot = (uint64_t)(uintptr_t)sub | DESC_VALID | DESC_TABLE;
			}
			if (map_level(sub, level + 1, va, next, attrs) < 0)
				return -1;
		}
		va = next;
	}
	return 0;
}

int arm64_mmu_map(uint64_t base, uint64_t len, int attr)
{
	uint64_t start = base & ~(ARM64_PAGE_SIZE - 1);
	uint64_t end = (base + len + ARM64_PAGE_SIZE - 1) & ~(ARM64_PAGE_SIZE - 1);

	int rc;

	if (!root || end > (1UL << ARM64_VA_BITS) || end < start ||
	    (unsigned int)attr >= UK_ARRAY_SIZE(attr_bits))
		return -1;
	rc = map_level(root, 1, start, end, attr_bits[attr]);
	if (arm64_mmu_enabled())
		/* new entries visible to the walker, old ones out of the TLB */
		__asm__ __volatile__("dsb ishst; tlbi vmalle1is; dsb ish; isb" : : : "memory");
	return rc;
}

bool arm64_mmu_enabled(void)
{
	return arm64_sysreg_read(sctlr_el1) & ARM64_SCTLR_M;
}

void arm64_mmu_enable(void)
{
	/* 52-bit PA (6) needs other descriptor formats: stay at 48 bits */
	uint64_t parange = UK_MIN(arm64_sysreg_read(id_aa64mmfr0_el1) & 0xf, 5UL), tcr, sctlr;

	tcr = ARM64_TCR_T0SZ | ARM64_TCR_IRGN0_WBWA | ARM64_TCR_ORGN0_WBWA |
	      ARM64_TCR_SH0_INNER | ARM64_TCR_TG0_4K | ARM64_TCR_T1SZ | ARM64_TCR_EPD1 |
	      (parange << ARM64_TCR_IPS_SHIFT);

	/* The tables were written with the caches off: drop any stale lines
	 * so the (cacheable) table walks see them. */
	arm64_dsb(sy);
	arm64_dcache_inval_range((uintptr_t)pool, pool_used * sizeof(arm64_pt_t));

	arm64_sysreg_write(mair_el1, ARM64_MAIR_VALUE);
	arm64_sysreg_write(tcr_el1, tcr);
	arm64_sysreg_write(ttbr0_el1, (uintptr_t)root);
	arm64_isb();
	__asm__ __volatile__("tlbi vmalle1; dsb nsh; isb" : : : "memory");

	sctlr = arm64_sysreg_read(sctlr_el1);
	sctlr |= ARM64_SCTLR_M | ARM64_SCTLR_C | ARM64_SCTLR_I | ARM64_SCTLR_SA;
	sctlr &= ~(ARM64_SCTLR_A | ARM64_SCTLR_WXN | ARM64_SCTLR_EE);
	arm64_sysreg_write(sctlr_el1, sctlr);
	arm64_isb();
	arm64_icache_inval_all();
}
