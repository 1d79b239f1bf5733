/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posix-mmap's kernel API, beside its syscall handlers (uk_sys_mmap,
 * uk_sys_munmap, uk_sys_brk, uk_sys_mprotect, uk_sys_mremap, uk_sys_madvise,
 * uk_sys_msync, uk_sys_mincore: <uk/syscall.h>): a walker over the mapped
 * regions, for /proc/self/maps.
 *
 * On the VM platforms every mapping lives in one reserved virtual range,
 * [UK_MMAP_AREA_START, UK_MMAP_AREA_END), away from the identity-mapped
 * image and heap; the program break (brk) is its first part. A second,
 * optional range, the fixed window (uk_mmap_fixed_window), takes MAP_FIXED
 * mappings of programs linked at fixed low addresses. On linuxu the
 * calls go to the host and the walker sees no regions.
 */
#ifndef UK_MMAP_H
#define UK_MMAP_H

#include <uk/essentials.h>

#define UK_MMAP_AREA_START 0x6000000000UL       /* 384 GiB */
#define UK_MMAP_AREA_END   0x8000000000UL       /* 512 GiB: the top of what
						 * x86_64 PML4[0] and arm64's
						 * 39-bit tables translate */

struct uk_mmap_region {
	uintptr_t start, end;           /* [start, end), page-aligned */
	unsigned int prot;              /* UK_PROT_* (uk/linux/mman.h) */
	unsigned int flags;             /* UK_MAP_SHARED or UK_MAP_PRIVATE,
					 * | UK_MAP_ANONYMOUS, UK_MAP_STACK */
	unsigned long offset;           /* file offset of start; 0 if anonymous */
	const char *name;               /* "[heap]" (brk), "[stack]"
					 * (MAP_STACK), else NULL */
};

/*
 * Calls fn(region, arg) for every mapped region, in address order, until
 * fn returns nonzero; returns that value, or 0 when every region was
 * seen. fn runs with interrupts masked (the list cannot change under it):
 * it must not block, map or unmap; it may copy and allocate.
 */
int uk_mmap_walk(int (*fn)(const struct uk_mmap_region *r, void *arg), void *arg);

/*
 * Makes the page holding addr present, as a fault there would, when a
 * mapping allows the access (write: a write). True when it is mapped now
 * (or already was), false when the access would fault for good (not
 * mapped, PROT_NONE, a write to PROT_READ). For checks that read the page
 * tables before touching memory (uk_access_ok in <uk/uaccess.h>): a page
 * of a mapping that was never touched is not in them yet. On linuxu the
 * host pages in by itself: always false.
 */
bool uk_mmap_fault_in(uintptr_t addr, bool write);

/*
 * The fixed window: one more range, below the area, where MAP_FIXED may
 * map (and munmap, mprotect, madvise... work), for programs linked at a
 * fixed address (non-PIE ELF executables at 0x400000). [start, end) must
 * be page-aligned, below UK_MMAP_AREA_START and above the first 64 KiB,
 * and kept out of the kernel heap by the boot (ukboot.reserve=, ukboot's
 * README): whatever the platform's page tables map there (x86: the
 * identity map of RAM) is unmapped, and the range is then paged on demand
 * like the area. Once only: 0, -EINVAL (bad range), -EEXIST (a window is
 * already set), -ENOMEM (page tables). VM platforms only (these three
 * are not built on linuxu, where ukelfload does not exist either).
 */
int uk_mmap_fixed_window(uintptr_t start, uintptr_t end);

/* Whether MAP_FIXED may map [start, end): inside the area or the window. */
bool uk_mmap_fixed_ok(uintptr_t start, uintptr_t end);

/*
 * For execve (ukelfload): unmaps every mapping (the area's and the
 * window's) and puts the program break back at its start, as a new
 * process image starts with none. The caller must not run on a stack in
 * the area any more.
 */
void uk_mmap_exec_reset(void);

/*
 * What demand paging has cost since boot (a profiling aid: counted
 * always, a few increments and two clock reads a fault): faults cured by
 * a zeroed page (zero_faults) and by a copy of a file's page
 * (cow_faults), faults passed on to the next handler (passed_faults),
 * the platform clock ticks spent in the handler for them (fault_ticks),
 * and the files' own pages mmap mapped (file_pages: ramfs's get_page,
 * private and shared, each page once per mmap). uksyscall's strace prints them at exit with
 * uksyscall.strace_time=1. On linuxu (the host pages in) all zero.
 */
struct uk_mmap_stats {
	unsigned long zero_faults, cow_faults, passed_faults, file_pages;
	uint64_t fault_ticks;
};
void uk_mmap_stats(struct uk_mmap_stats *out);

#endif
