/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posix-mmap's private interface on the VM platforms: the sorted list of
 * regions (region.c) and the pages behind them (pages.c). Everything here
 * runs with interrupts masked (one CPU): the syscalls mask around each
 * change, and the fault handler runs in the trap with interrupts masked.
 */
#ifndef POSIX_MMAP_AREA_H
#define POSIX_MMAP_AREA_H

#include <uk/essentials.h>
#include <uk/mmap.h>
#include <uk/plat.h>

#define PAGE_SIZE UKPLAT_PAGE_SIZE
#define BRK_START UK_MMAP_AREA_START
#define BRK_END   (UK_MMAP_AREA_START + ((uintptr_t)CONFIG_LIBPOSIX_MMAP_BRK_MB << 20))
#define MAP_START BRK_END                       /* where mmap looks first */

/* The fixed window (uk_mmap_fixed_window; both 0 when none): MAP_FIXED
 * may map there too. */
extern uintptr_t mm_win_start, mm_win_end;

/* Whether [start, start + len) lies inside the area. */
static inline bool in_area(uintptr_t start, size_t len)
{
	return start >= UK_MMAP_AREA_START && start <= UK_MMAP_AREA_END &&
	       len <= UK_MMAP_AREA_END - start;
}

/* Whether [start, start + len) lies inside the area or the fixed window:
 * where mappings may be (MAP_FIXED, munmap, mprotect...). */
static inline bool in_user(uintptr_t start, size_t len)
{
	return in_area(start, len) ||
	       (mm_win_end && start >= mm_win_start && start <= mm_win_end &&
		len <= mm_win_end - start);
}

/* ANON: private or shared anonymous memory; FILE: a private mapping of a
 * file (the file's own pages, copied on the first write, when its file
 * system has get_page: ramfs; else a copy read at mmap time); SHARED: a
 * file's own pages (MAP_SHARED); HEAP: the brk region. */
enum vma_kind { VMA_ANON, VMA_FILE, VMA_SHARED, VMA_HEAP };

struct uk_file;

struct vma {
	uintptr_t start, end;
	unsigned int prot;              /* UK_PROT_* */
	unsigned int flags;             /* UK_MAP_* as given (type, STACK...) */
	enum vma_kind kind;
	unsigned long off;              /* file offset of start (FILE, SHARED) */
	struct uk_file *file;           /* SHARED, FILE sharing the file's pages:
					 * a reference to the file (NULL else) */
	struct vma *next;
};

/* region.c */
struct vma *vma_first(void);
/* The region holding addr, or NULL. */
struct vma *vma_find(uintptr_t addr);
/* Whether [start, end) is covered by regions without a gap. */
bool vma_covered(uintptr_t start, uintptr_t end);
/* Whether no region overlaps [start, end). */
bool vma_free(uintptr_t start, uintptr_t end);
/* Splits regions at start and at end so that every region overlapping
 * [start, end) lies inside it. 0 or -ENOMEM (a split needs a node). */
int vma_isolate(uintptr_t start, uintptr_t end);
/* Adds a region (whose range must be free); it takes a reference to file
 * (SHARED; NULL otherwise). 0 or -ENOMEM. */
int vma_insert(uintptr_t start, uintptr_t end, unsigned int prot, unsigned int flags,
	       enum vma_kind kind, unsigned long off, struct uk_file *file);
/* Reference counting of a SHARED region's file (posix-fdtab's uk_file_get
 * and uk_file_put; no-ops for NULL). */
void vma_file_get(struct uk_file *file);
void vma_file_put(struct uk_file *file);
/* Removes every region inside [start, end) (after vma_isolate). */
void vma_remove(uintptr_t start, uintptr_t end);
/* Joins neighbours that are contiguous and alike. */
void vma_merge(void);
/* The lowest free page-aligned range of len bytes in [from, to), or 0. */
uintptr_t vma_find_free(uintptr_t from, uintptr_t to, size_t len);

/* mmap.c: unmaps [start, start + len) (inside the area): regions and
 * pages. 0 or -ENOMEM (a split). */
int unmap_range(uintptr_t start, size_t len);

/* brk.c: the current break; set it (fork's restore, snapshot.c) */
uintptr_t brk_current(void);
void brk_restore(uintptr_t brk);
/* brk.c: the break back at BRK_START (its region must be gone). */
void brk_reset(void);
/* mmap.c: forgets the deferred unmaps (their regions must be gone). */
void deferred_reset(void);

/* pages.c */
/* The heap page behind va, or 0 when none (not touched yet). */
uintptr_t page_get(uintptr_t va);
/* Gives va a zeroed heap page mapped with prot (UK_PROT_*; PROT_NONE:
 * kept unmapped). 0, -ENOMEM. No-op if it has one. */
int page_populate(uintptr_t va, unsigned int prot);
/* Gives va the heap page pa (contents already set), mapped with prot;
 * with borrowed set the page is not ours (a file's page, MAP_SHARED): it
 * is unmapped but never freed. */
int page_install(uintptr_t va, uintptr_t pa, unsigned int prot);
int page_install_borrowed(uintptr_t va, uintptr_t pa, unsigned int prot);
/* A file's page pa in a private mapping: borrowed, and never mapped
 * writable; the first write fault gives va a copy of its own (copy on
 * write). */
int page_install_cow(uintptr_t va, uintptr_t pa, unsigned int prot);
/* The slot of va as it is (the page's address | flags; 0: none), and
 * installing such a value back (fork's snapshot keeps the flags). */
uintptr_t page_raw(uintptr_t va);
int page_install_raw(uintptr_t va, uintptr_t raw, unsigned int prot);
/* Whether a raw slot value is a page we do not own (a file's). */
static inline bool raw_borrowed(uintptr_t raw)
{
	return raw & 1UL;
}
/* Unmaps the pages of [start, end) and frees those that are ours. */
void pages_release(uintptr_t start, uintptr_t end);
/* Applies prot to the present pages of [start, end). 0 or -ENOMEM. */
int pages_protect(uintptr_t start, uintptr_t end, unsigned int prot);
/* Moves the pages of [from, from + len) to [to, to + len) (no copy). */
int pages_move(uintptr_t from, uintptr_t to, size_t len, unsigned int prot);
/* pages.c's counters (uk_mmap_stats); mmap.c adds the file pages. */
extern struct uk_mmap_stats mm_stats;

/* A fresh zeroed heap page (its address is its physical address), or 0. */
uintptr_t page_alloc(void);
void page_free(uintptr_t pa);

#endif
