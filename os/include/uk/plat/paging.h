/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Page-table operations of the platform API (included by uk/plat.h):
 * map, unmap and change the protection of a page-aligned range of the one
 * address space the image runs in, and stack guard pages.
 *
 * Implemented by the VM platforms: os/plat/kvm/paging.c (x86_64, 4-level
 * tables) and os/plat/arm64/paging.c (over os/arch/arm64/mmu.c). Both boot
 * with the image W^X: text read-only and executable, rodata read-only,
 * everything else (data, bss, stacks, heap, the rest of RAM) not
 * executable. linuxu has no page tables of its own: it provides only the
 * stack guard functions (mprotect), and its crash handler recognises an
 * overflow of the process stack by itself (os/plat/linuxu/crash.c).
 *
 *   ukplat_page_map(va, pa, 2 * 4096, UKPLAT_PROT_READ | UKPLAT_PROT_WRITE);
 *   ukplat_page_protect(va, 4096, UKPLAT_PROT_READ);    // now read-only
 *   ukplat_page_unmap(va, 2 * 4096);
 *
 * Contracts, for all of them:
 *  - va, pa and len must be multiples of UKPLAT_PAGE_SIZE and the range
 *    must not wrap or leave the translated address space (x86_64: the
 *    low 512 GiB; arm64: 39-bit addresses): else -EINVAL, nothing changed.
 *  - prot must include UKPLAT_PROT_READ (neither architecture has
 *    write- or execute-only pages here): else -EINVAL.
 *  - Large pages (2 MiB, 1 GiB) are used where a whole aligned one is
 *    covered, and split when part of one changes; splitting takes a table
 *    from a fixed pool: -ENOMEM when it is empty (the range may then be
 *    partly done).
 *  - Changes are visible to the calling CPU on return: the TLB entries of
 *    what was mapped before are invalidated (page by page, or the whole
 *    TLB when many changed); mapping where nothing was mapped invalidates
 *    nothing (no architecture caches an absent translation). There is one
 *    CPU: no other core's TLB is shot down.
 *  - Not reentrant: no locking (callers are boot code and, later, the
 *    thread library with interrupts off).
 */
#ifndef UK_PLAT_PAGING_H
#define UK_PLAT_PAGING_H

#include <uk/essentials.h>

#define UKPLAT_PAGE_SIZE   4096UL

#define UKPLAT_PROT_READ   0x1
#define UKPLAT_PROT_WRITE  0x2
#define UKPLAT_PROT_EXEC   0x4
#define UKPLAT_PROT_DEVICE 0x8  /* uncached device memory (never executable) */

/*
 * Map [va, va + len) to [pa, pa + len) with prot, replacing what was there.
 * 0, -EINVAL, -ENOMEM.
 */
int ukplat_page_map(uintptr_t va, uintptr_t pa, size_t len, unsigned int prot);

/* Unmap [va, va + len); pages that were not mapped are skipped. 0, -EINVAL,
 * -ENOMEM (unmapping part of a large page splits it). */
int ukplat_page_unmap(uintptr_t va, size_t len);

/*
 * Change the protection of the mapped pages of [va, va + len), keeping
 * their physical addresses. 0, -EINVAL, -ENOMEM, or -ENOENT when a page of
 * the range is not mapped (the pages before it have been changed).
 */
int ukplat_page_protect(uintptr_t va, size_t len, unsigned int prot);

/* The protection of the page holding va (UKPLAT_PROT_* bits), or -ENOENT
 * when it is not mapped. */
int ukplat_page_prot(uintptr_t va);

/*
 * The page-table generation: incremented after every ukplat_page_map,
 * _unmap and _protect (and so every guard change) has changed the tables.
 * An answer of ukplat_page_prot() for a page stays true while the value
 * read before asking it is unchanged (uaccess caches its last checked page
 * this way).
 */
extern volatile unsigned long ukplat_page_gen;

/*
 * How many updates flushed the whole TLB (VM platforms): more than 16
 * entries that were mapped changed, or a table was written over. The
 * others invalidated only the entries they replaced, or nothing at all
 * (mapping where nothing was mapped). For tests and profiling: under QEMU
 * TCG a full flush is expensive (it also drops the translated code's jump
 * cache), and demand paging updates once per fault.
 */
extern unsigned long ukplat_tlb_flushes;

/*
 * Stack guard pages. ukplat_stack_guard(page) unmaps the page-aligned page
 * just below a stack and records it, so that a fault there is reported as
 * "stack overflow" instead of a plain page fault. The platform does it for
 * the boot stack (and arm64 for its exception stack); the threads library
 * does it for each thread's stack. 0, -EINVAL (not page aligned), -ENOMEM
 * (table pool, or all UKPLAT_STACK_GUARDS slots used).
 * ukplat_stack_guard_hit(addr): whether addr is in a recorded guard page.
 */
#if defined(CONFIG_LIBUKSCHED_STACK_GUARDS)
#define UKPLAT_STACK_GUARDS CONFIG_LIBUKSCHED_STACK_GUARDS   /* one per thread */
#else
#define UKPLAT_STACK_GUARDS 16
#endif
int ukplat_stack_guard(uintptr_t page);
bool ukplat_stack_guard_hit(uintptr_t addr);
/* Maps a page of ukplat_stack_guard() back (read-write) and forgets it,
 * before its stack's memory is freed. 0, -EINVAL (not page aligned),
 * -ENOENT (not a recorded guard page), -ENOMEM (table pool). */
int ukplat_stack_unguard(uintptr_t page);

#endif
