/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The allocator API. An allocator backend (ukallocregion, ukallocbuddy, ...)
 * fills a struct uk_alloc with its operations; everything else allocates
 * through the uk_* wrappers below, usually on the default allocator that
 * ukboot installs (uk_alloc_get_default()). Generic helpers that a backend
 * may leave NULL (calloc, realloc, memalign over malloc, palloc over
 * memalign) live in alloc.c.
 *
 * Contract: allocation failures return NULL (never crash); free(NULL) is a
 * no-op; malloc'ed memory is aligned to at least 16 bytes; malloc(0) returns
 * a unique minimal allocation. Thread-safe when a scheduler is in the image:
 * alloc.c takes one lock (interrupts masked) around every call, so backends
 * need none; without a scheduler there is one thread and no lock. Never
 * from an interrupt handler.
 *
 * Backend contract (what alloc.c relies on): the wrappers validate arguments
 * first, so a backend only sees size > 0 and size, align <= SIZE_MAX / 4,
 * align a power of two >= 16 (smaller alignments go to malloc). Any of
 * malloc/memalign may be NULL (not both); free NULL means "never frees"
 * (bump allocators). realloc/palloc/pfree NULL select the generic versions in
 * alloc.c. A backend without memalign gets one generic over malloc: the
 * wrappers then put a 16-byte header in front of every block.
 */
#ifndef UK_ALLOC_H
#define UK_ALLOC_H

#include <uk/essentials.h>

struct uk_alloc;

struct uk_alloc_stats {
	size_t cur_bytes;    /* bytes handed out and not yet freed: usable sizes
			      * (getsize), or requested sizes for a backend
			      * without getsize (which then never decreases) */
	size_t peak_bytes;   /* high-water mark of cur_bytes */
	size_t nb_allocs;
	size_t nb_frees;
	size_t nb_enomem;    /* failed allocations */
};

typedef void *(*uk_alloc_malloc_func_t)(struct uk_alloc *a, size_t size);
typedef void *(*uk_alloc_memalign_func_t)(struct uk_alloc *a, size_t align, size_t size);
typedef void *(*uk_alloc_realloc_func_t)(struct uk_alloc *a, void *ptr, size_t size);
typedef void (*uk_alloc_free_func_t)(struct uk_alloc *a, void *ptr);
typedef void *(*uk_alloc_palloc_func_t)(struct uk_alloc *a, unsigned long npages);
typedef void (*uk_alloc_pfree_func_t)(struct uk_alloc *a, void *ptr, unsigned long npages);
typedef size_t (*uk_alloc_getsize_func_t)(struct uk_alloc *a, void *ptr);
typedef int (*uk_alloc_addmem_func_t)(struct uk_alloc *a, void *base, size_t len);
typedef size_t (*uk_alloc_availmem_func_t)(struct uk_alloc *a);
typedef int (*uk_alloc_addmem_used_func_t)(struct uk_alloc *a, void *base, size_t len);

struct uk_alloc {
	const char *name;
	uk_alloc_malloc_func_t malloc;
	uk_alloc_memalign_func_t memalign;
	uk_alloc_realloc_func_t realloc;     /* NULL: generic (malloc+copy+free) */
	uk_alloc_free_func_t free;
	uk_alloc_palloc_func_t palloc;       /* NULL: generic (memalign 4096) */
	uk_alloc_pfree_func_t pfree;         /* NULL: generic (free) */
	uk_alloc_getsize_func_t getsize;     /* usable size of an allocation */
	uk_alloc_addmem_func_t addmem;       /* give the allocator more memory */
	uk_alloc_availmem_func_t availmem;   /* bytes still free (approximate) */
	uk_alloc_addmem_used_func_t addmem_used; /* more memory, all in use
						  * (NULL: not supported) */
	struct uk_alloc_stats stats;         /* kept by the uk_* wrappers */
	struct uk_alloc *next;               /* reserved for chaining allocators */
	unsigned int flags;                  /* UK_ALLOC_F_* */
};

/* flags: free() really returns memory for reuse (a bump allocator has 0). */
#define UK_ALLOC_F_FREES 0x1

/*
 * The allocator malloc() and friends use; set by ukboot. NULL when none.
 * uk_alloc_set_default_init(make) defers it to first use: the first
 * uk_alloc_get_default() calls make() (once) and installs what it returns.
 * uk_alloc_set_default() cancels a pending make().
 */
struct uk_alloc *uk_alloc_get_default(void);
void uk_alloc_set_default(struct uk_alloc *a);
void uk_alloc_set_default_init(struct uk_alloc *(*make)(void));

void *uk_malloc(struct uk_alloc *a, size_t size);
void *uk_calloc(struct uk_alloc *a, size_t nmemb, size_t size);
void *uk_realloc(struct uk_alloc *a, void *ptr, size_t size);
void *uk_memalign(struct uk_alloc *a, size_t align, size_t size);
/* posix_memalign semantics: 0, EINVAL or ENOMEM (positive, as POSIX says). */
int uk_posix_memalign(struct uk_alloc *a, void **memptr, size_t align, size_t size);
void uk_free(struct uk_alloc *a, void *ptr);
void *uk_palloc(struct uk_alloc *a, unsigned long npages);
void uk_pfree(struct uk_alloc *a, void *ptr, unsigned long npages);
/* 0, -EINVAL (region too small), -ENOTSUP (backend takes no more memory). */
int uk_alloc_addmem(struct uk_alloc *a, void *base, size_t len);
/*
 * Gives the allocator the pages of [base, base + len) (page-aligned) as if
 * each had been handed out by uk_palloc(a, 1): the caller (or whoever it
 * passes a page to) gives each back with uk_pfree(a, page, 1) when done
 * with it, and until then the allocator never touches them (its own
 * bookkeeping for them lives elsewhere in the heap). For memory that is
 * in use at boot and freed piecemeal: the initrd, whose file pages ramfs
 * adopts (ukcpio). 0, -EINVAL (unaligned, empty), -ENOMEM (no room for the
 * bookkeeping), -ENOTSUP (the backend cannot: uk_alloc_can_addmem_used).
 */
int uk_alloc_addmem_used(struct uk_alloc *a, void *base, size_t len);
/* Whether uk_alloc_addmem_used is supported by a. */
bool uk_alloc_can_addmem_used(struct uk_alloc *a);
size_t uk_alloc_availmem(struct uk_alloc *a);
/* Usable size of an allocation (>= the size asked for); 0 when unknown. */
size_t uk_alloc_getsize(struct uk_alloc *a, void *ptr);
void uk_alloc_stats(struct uk_alloc *a, struct uk_alloc_stats *out);

/*
 * Backend registration. An allocator library registers its constructor
 * with UK_ALLOC_BACKEND() (a link-time table, section uk_alloc_backends),
 * when it is the one chosen as the heap, so that ukboot builds the heap
 * without naming any backend: adding an allocator edits neither ukboot nor
 * this header. The constructor manages [base, base + len), keeps its
 * struct uk_alloc inside that memory, and returns NULL if len is too small.
 */
struct uk_alloc_backend {
	const char *name;
	struct uk_alloc *(*init)(void *base, size_t len);
};

#define UK_ALLOC_BACKEND(name_, init_)                                       \
	static const struct uk_alloc_backend __uk_alloc_backend_##init_        \
	__attribute__((used, section("uk_alloc_backends"), aligned(8))) =      \
		{ (name_), (init_) }

/* The registered backend (the first in link order: the Kconfig choice
 * leaves at most one), or NULL when none is. */
const struct uk_alloc_backend *uk_alloc_backend(void);

#endif
