/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Identity-mapped stage-1 translation for EL1 (os/arch/arm64/mmu.c).
 *
 * 4 KiB granule, 39-bit addresses (512 GiB, walks start at level 1); ranges
 * are mapped with the largest blocks that fit (1 GiB, 2 MiB, then 4 KiB
 * pages), so a typical board needs 3-5 tables. Tables come from a pool the
 * caller hands over (they are zeroed when taken, so the pool may live in
 * memory that is not cleared at boot).
 *
 * W^X: Normal memory is never executable (PXN, UXN) unless mapped
 * ARM64_MEM_NORMAL_RX or _RWX; boot maps the image's text RX, its rodata RO.
 *
 * Meant for boot, before arm64_mmu_enable(). Afterwards (the calls end with
 * the barriers and TLB invalidation), adding mappings where nothing was
 * mapped and changing only the permissions of a page (AP, PXN/UXN) are
 * sound; splitting a live block or changing an output address or a memory
 * type would need break-before-make, which is not done: fine under QEMU,
 * which has no TLB conflicts, and for pages nothing uses meanwhile.
 */
#ifndef ARM64_MMU_H
#define ARM64_MMU_H

#include <uk/essentials.h>

#define ARM64_MEM_UNMAPPED  0   /* no access: faults (the null page) */
#define ARM64_MEM_NORMAL    1   /* RAM: write-back cacheable, inner shareable */
#define ARM64_MEM_DEVICE    2   /* MMIO: Device-nGnRE, never executable */
#define ARM64_MEM_NORMAL_NC 3   /* normal, non-cacheable (DMA buffers) */
#define ARM64_MEM_NORMAL_RO 4   /* RAM, read-only, not executable (rodata) */
#define ARM64_MEM_NORMAL_RX 5   /* RAM, read-only, executable at EL1 (text) */
#define ARM64_MEM_NORMAL_RWX 6  /* RAM, writable and executable at EL1 */

#define ARM64_PAGE_SIZE     4096UL
#define ARM64_TABLE_ENTRIES 512

typedef uint64_t arm64_pt_t[ARM64_TABLE_ENTRIES];

/* Start a new (empty) address space using the tables of pool[0..n). */
void arm64_mmu_init(arm64_pt_t *pool, unsigned int n);

/*
 * Page tables written from a fixed description instead: runs of entries,
 * each `count` entries of pool table `table` from index `first`, the
 * first one `desc`, each next one `step` more; or (ref != 0) one entry
 * pointing at pool table ref - 1. Pool table 0 is the root (level 1,
 * entries of 1 GiB); a table a level-1 entry points at has entries of
 * 2 MiB, one a level-2 entry points at has pages. This is how boards map
 * their fixed memory map at boot (include/arm64/board.h): under an
 * emulator that translates the code it runs, a loop over a few runs costs
 * far less than the general mapper.
 */
struct arm64_mmu_run {
	uint64_t desc, step;
	uint16_t table, first, count, ref;
};

/* Descriptor attributes (Arm ARM D8.3): memory type index, shareability,
 * access flag, execute-never (PXN, UXN); AP[2] (bit 7) read-only. */
#define ARM64_DESC_NORMAL  ((3UL << 2) | (3UL << 8) | (1UL << 10) | (3UL << 53))
#define ARM64_DESC_DEVICE  ((1UL << 2) | (1UL << 10) | (3UL << 53))
#define ARM64_DESC_NORMAL_NC ((2UL << 2) | (3UL << 8) | (1UL << 10) | (3UL << 53))

/* count blocks (or pages, size 4096) of size bytes from addr with
 * attributes ARM64_DESC_*, at entries first.. of pool table t */
#define ARM64_MMU_BLOCKS(t, first, count, addr, size, attrs) \
	{ (uint64_t)(addr) | (attrs) | ((size) == 4096 ? 3 : 1), (size), (t), (first), (count), 0 }
/* entry `first` of pool table t points at pool table sub */
#define ARM64_MMU_TABLE(t, first, sub) { 0, 0, (t), (first), 1, (sub) + 1 }

/*
 * Start the address space from pool[0..n), which must be zeroed memory
 * (.bss): the runs (count >= 1 each) written into tables [0, used).
 * arm64_mmu_map() can add to it afterwards (with tables from [used, n)).
 */
void arm64_mmu_load(arm64_pt_t *pool, unsigned int n, unsigned int used,
		    const struct arm64_mmu_run *runs, unsigned int nruns);
/*
 * Identity-map [base, base + len) with attribute attr (ARM64_MEM_*); base
 * and len are rounded out to pages. Later calls override earlier ones for
 * the addresses they cover. 0; -EINVAL if the range is above 512 GiB (or
 * attr unknown, or the MMU not loaded); -ENOMEM if the table pool ran out.
 */
int arm64_mmu_map(uint64_t base, uint64_t len, int attr);
/*
 * The general form (uk/plat/paging.h is built on it): op ARM64_MMU_MAP maps
 * [va, va + len) to pa with attr; ARM64_MMU_PROTECT gives the mapped pages
 * of the range attr, keeping their addresses (-ENOENT at the first page
 * that is not mapped); ARM64_MMU_UNMAP unmaps. va, pa and len are page
 * aligned (else -EINVAL). 0, -EINVAL, -ENOMEM, -ENOENT.
 */
#define ARM64_MMU_MAP     0
#define ARM64_MMU_UNMAP   1
#define ARM64_MMU_PROTECT 2
int arm64_mmu_update(uint64_t va, uint64_t pa, uint64_t len, int attr, int op);
/* How many updates invalidated the whole TLB (past 16 entries that were
 * valid, or a table written over); the others only the entries they
 * replaced, or none (ukplat_tlb_flushes, uk/plat/paging.h). */
extern unsigned long arm64_mmu_tlb_flushes;
/* The leaf descriptor that maps va (page or block), 0 if none. */
uint64_t arm64_mmu_lookup(uint64_t va);
/* Tables taken from the pool so far. */
unsigned int arm64_mmu_tables_used(void);
/* Program MAIR/TCR/TTBR0 and turn on the MMU and caches at EL1. */
void arm64_mmu_enable(void);
bool arm64_mmu_enabled(void);

#endif
