/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The allocator API: the uk_* wrappers, the default allocator, statistics,
 * and the generic operations a backend may leave NULL (see uk/alloc.h for
 * the backend contract).
 *
 * Every public wrapper validates its arguments, calls the backend through the
 * do_* helpers below (which never touch the statistics) and then accounts
 * the result once, so backends get statistics for free and the generic
 * fallbacks (which call do_* themselves) are never counted twice.
 *
 * Threads: with a scheduler in the image (uklock), every public call holds
 * one lock, alloc_lock, taken with interrupts masked (uk/spinlock.h) — one
 * lock here, for every backend, so backends stay lock-free and a call is
 * never preempted half-way. The *_nolock bodies never take it (realloc
 * calls them). Without a scheduler there is one thread and no lock; then,
 * as with it, interrupt handlers must not allocate.
 */
#include <uk/essentials.h>
#include <uk/alloc.h>
#include <uk/print.h>

#include <uk/errno.h>
#if defined(CONFIG_LIBUKLOCK)
#include <uk/spinlock.h>
#include <uk/plat/irq.h>
#endif

/* Larger requests fail up front: backends can add sizes without overflow. */
#define ALLOC_MAX (SIZE_MAX / 4)
/* What malloc guarantees, and the header size of the generic memalign. */
#define MIN_ALIGN 16

/* GNU ld defines these for the section; weak: no backend, no section. */
extern const struct uk_alloc_backend __start_uk_alloc_backends[] __weak;
extern const struct uk_alloc_backend __stop_uk_alloc_backends[] __weak;

const struct uk_alloc_backend *uk_alloc_backend(void)
{
	const struct uk_alloc_backend *first = __start_uk_alloc_backends;

	return first < (const struct uk_alloc_backend *)__stop_uk_alloc_backends ? first : NULL;
}

static struct uk_alloc *uk_alloc_default;
static struct uk_alloc *(*default_make)(void);  /* pending: see uk/alloc.h */

#if defined(CONFIG_LIBUKLOCK)
static struct uk_spinlock alloc_lock = UK_SPINLOCK_INITIALIZER;
#define ALLOC_LOCK()   unsigned long lock_flags_ = uk_spin_lock_irqsave(&alloc_lock)
#define ALLOC_UNLOCK() uk_spin_unlock_irqrestore(&alloc_lock, lock_flags_)
/* make() calls the API (addmem): masked, not locked */
#define MAKE_LOCK()    unsigned long make_flags_ = ukplat_lcpu_save_irqf()
#define MAKE_UNLOCK()  ukplat_lcpu_restore_irqf(make_flags_)
#else
#define ALLOC_LOCK()   do { } while (0)
#define ALLOC_UNLOCK() do { } while (0)
#define MAKE_LOCK()    do { } while (0)
#define MAKE_UNLOCK()  do { } while (0)
#endif

struct uk_alloc *uk_alloc_get_default(void)
{
	struct uk_alloc *(*make)(void);

	if (default_make) {
		MAKE_LOCK();
		make = default_make;
		default_make = NULL;    /* once, even if make() asks for it */
		if (make)
			uk_alloc_default = make();
		MAKE_UNLOCK();
	}
	return uk_alloc_default;
}

void uk_alloc_set_default(struct uk_alloc *a)
{
	default_make = NULL;
	uk_alloc_default = a;
}

void uk_alloc_set_default_init(struct uk_alloc *(*make)(void))
{
	default_make = make;
}

/* ---- backend calls, no statistics --------------------------------------- */

/*
 * Generic memalign over malloc, used only when the backend has no memalign.
 * Then every block (malloc'ed too) carries the distance back to the
 * backend's pointer in the word just below the returned pointer, so free and
 * getsize can always undo it.
 */
static void *generic_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	uintptr_t raw, p;

	/* raw is 16-aligned, so p - raw <= align: size + align bytes suffice */
	raw = (uintptr_t)a->malloc(a, size + align);
	if (!raw)
		return NULL;
	p = UK_ALIGN_UP(raw + MIN_ALIGN, align);
	((size_t *)p)[-1] = p - raw;
	return (void *)p;
}

static inline void *generic_raw(void *p)
{
	return (char *)p - ((size_t *)p)[-1];
}

static void *do_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	if (a->memalign)
		return a->memalign(a, align, size);
	return generic_memalign(a, align, size);
}

static void *do_malloc(struct uk_alloc *a, size_t size)
{
	if (a->malloc && a->memalign)
		return a->malloc(a, size);
	return do_memalign(a, MIN_ALIGN, size);
}

static void do_free(struct uk_alloc *a, void *p)
{
	if (!a->free)
		return;
	a->free(a, a->memalign ? p : generic_raw(p));
}

static size_t do_getsize(struct uk_alloc *a, void *p)
{
	if (!a->getsize)
		return 0;
	if (a->memalign)
		return a->getsize(a, p);
	return a->getsize(a, generic_raw(p)) - ((size_t *)p)[-1];
}

/* Generic realloc: shrink in place, otherwise malloc + copy + free. */
static void *do_realloc(struct uk_alloc *a, void *p, size_t size)
{
	size_t old;
	void *q;

	if (a->realloc && a->memalign)
		return a->realloc(a, p, size);
	old = do_getsize(a, p);
	if (!old) {
		uk_pr_err("%s: realloc needs the backend's getsize\n", a->name);
		return NULL;
	}
	/* keep the block unless that would waste more than half of it */
	if (size <= old && (size > old / 2 || !a->free))
		return p;
	q = do_malloc(a, size);
	if (!q)
		return NULL;
	__builtin_memcpy(q, p, UK_MIN(old, size));
	do_free(a, p);
	return q;
}

/* ---- statistics ----------------------------------------------------------- */

static size_t usable(struct uk_alloc *a, void *p, size_t requested)
{
	return a->getsize ? do_getsize(a, p) : requested;
}

static void *account_alloc(struct uk_alloc *a, void *p, size_t requested)
{
	struct uk_alloc_stats *s = &a->stats;

	if (!p) {
		s->nb_enomem++;
		return NULL;
	}
	s->nb_allocs++;
	s->cur_bytes += usable(a, p, requested);
	if (s->cur_bytes > s->peak_bytes)
		s->peak_bytes = s->cur_bytes;
	return p;
}

static void account_free(struct uk_alloc *a, size_t n)
{
	struct uk_alloc_stats *s = &a->stats;

	s->nb_frees++;
	s->cur_bytes -= UK_MIN(n, s->cur_bytes);
}

static inline bool is_pow2(size_t x)
{
	return x && !(x & (x - 1));
}

/* ---- the API -------------------------------------------------------------- */

static void *malloc_nolock(struct uk_alloc *a, size_t size)
{
	if (!a)
		return NULL;
	if (!size)
		size = 1;
	return account_alloc(a, size > ALLOC_MAX ? NULL : do_malloc(a, size), size);
}

static void *calloc_nolock(struct uk_alloc *a, size_t nmemb, size_t size)
{
	size_t n;
	void *p;

	if (!a)
		return NULL;
	if (__builtin_mul_overflow(nmemb, size, &n) || n > ALLOC_MAX)
		return account_alloc(a, NULL, 0);
	if (!n)
		n = 1;
	p = do_malloc(a, n);
	if (p)
		__builtin_memset(p, 0, n);
	return account_alloc(a, p, n);
}

static void *memalign_nolock(struct uk_alloc *a, size_t align, size_t size)
{
	if (!a || !is_pow2(align))
		return NULL;
	if (!size)
		size = 1;
	if (size > ALLOC_MAX || align > ALLOC_MAX)
		return account_alloc(a, NULL, size);
	if (align <= MIN_ALIGN)
		return account_alloc(a, do_malloc(a, size), size);
	return account_alloc(a, do_memalign(a, align, size), size);
}

int uk_posix_memalign(struct uk_alloc *a, void **memptr, size_t align, size_t size)
{
	void *p;

	if (!is_pow2(align) || align < sizeof(void *))
		return EINVAL;
	p = uk_memalign(a, align, size);
	if (!p)
		return ENOMEM;
	*memptr = p;
	return 0;
}

static void free_nolock(struct uk_alloc *a, void *ptr);

static void *realloc_nolock(struct uk_alloc *a, void *ptr, size_t size)
{
	struct uk_alloc_stats *s;
	size_t old;
	void *q;

	if (!ptr)
		return malloc_nolock(a, size);
	if (!a)
		return NULL;
	if (!size) {            /* like glibc: free and return NULL */
		free_nolock(a, ptr);
		return NULL;
	}
	s = &a->stats;
	old = do_getsize(a, ptr);
	q = size > ALLOC_MAX ? NULL : do_realloc(a, ptr, size);
	if (!q) {               /* the old block stays valid */
		s->nb_enomem++;
		return NULL;
	}
	if (a->getsize) {
		s->cur_bytes = s->cur_bytes - UK_MIN(old, s->cur_bytes) + do_getsize(a, q);
		if (s->cur_bytes > s->peak_bytes)
			s->peak_bytes = s->cur_bytes;
	}
	return q;
}

static void free_nolock(struct uk_alloc *a, void *ptr)
{
	size_t n;

	if (!a || !ptr)
		return;
	/* getsize 0: not a block of this allocator; the backend reports it */
	n = do_getsize(a, ptr);
	if (n || !a->getsize)
		account_free(a, n);
	do_free(a, ptr);
}

static void *palloc_nolock(struct uk_alloc *a, unsigned long npages)
{
	size_t size;

	if (!a || !npages)
		return NULL;
	if (__builtin_mul_overflow(npages, __PAGE_SIZE, &size) || size > ALLOC_MAX)
		return account_alloc(a, NULL, 0);
	if (a->palloc)
		return account_alloc(a, a->palloc(a, npages), size);
	return account_alloc(a, do_memalign(a, __PAGE_SIZE, size), size);
}

static void pfree_nolock(struct uk_alloc *a, void *ptr, unsigned long npages)
{
	size_t n;

	if (!a || !ptr)
		return;
	if (!a->getsize)
		account_free(a, npages * __PAGE_SIZE);
	else if ((n = do_getsize(a, ptr)) != 0)
		account_free(a, n);
	if (a->pfree)
		a->pfree(a, ptr, npages);
	else
		do_free(a, ptr);
}

static size_t alloc_getsize_nolock(struct uk_alloc *a, void *ptr)
{
	return a && ptr ? do_getsize(a, ptr) : 0;
}

static int alloc_addmem_nolock(struct uk_alloc *a, void *base, size_t len)
{
	if (!a || !a->addmem)
		return -ENOTSUP;
	return a->addmem(a, base, len);
}

static size_t alloc_availmem_nolock(struct uk_alloc *a)
{
	return a && a->availmem ? a->availmem(a) : 0;
}

static void alloc_stats_nolock(struct uk_alloc *a, struct uk_alloc_stats *out)
{
	if (a)
		*out = a->stats;
	else
		*out = (struct uk_alloc_stats){ 0 };
}

/* ---- the locked entry points ---------------------------------------------- */

void *uk_malloc(struct uk_alloc *a, size_t size)
{
	void *p;
	ALLOC_LOCK();
	p = malloc_nolock(a, size);
	ALLOC_UNLOCK();
	return p;
}

void *uk_calloc(struct uk_alloc *a, size_t nmemb, size_t size)
{
	void *p;
	ALLOC_LOCK();
	p = calloc_nolock(a, nmemb, size);
	ALLOC_UNLOCK();
	return p;
}

void *uk_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	void *p;
	ALLOC_LOCK();
	p = memalign_nolock(a, align, size);
	ALLOC_UNLOCK();
	return p;
}

void *uk_realloc(struct uk_alloc *a, void *ptr, size_t size)
{
	void *p;
	ALLOC_LOCK();
	p = realloc_nolock(a, ptr, size);
	ALLOC_UNLOCK();
	return p;
}

void uk_free(struct uk_alloc *a, void *ptr)
{
	ALLOC_LOCK();
	free_nolock(a, ptr);
	ALLOC_UNLOCK();
}

void *uk_palloc(struct uk_alloc *a, unsigned long npages)
{
	void *p;
	ALLOC_LOCK();
	p = palloc_nolock(a, npages);
	ALLOC_UNLOCK();
	return p;
}

void uk_pfree(struct uk_alloc *a, void *ptr, unsigned long npages)
{
	ALLOC_LOCK();
	pfree_nolock(a, ptr, npages);
	ALLOC_UNLOCK();
}

size_t uk_alloc_getsize(struct uk_alloc *a, void *ptr)
{
	size_t n;
	ALLOC_LOCK();
	n = alloc_getsize_nolock(a, ptr);
	ALLOC_UNLOCK();
	return n;
}

int uk_alloc_addmem(struct uk_alloc *a, void *base, size_t len)
{
	int rc;
	ALLOC_LOCK();
	rc = alloc_addmem_nolock(a, base, len);
	ALLOC_UNLOCK();
	return rc;
}

int uk_alloc_addmem_used(struct uk_alloc *a, void *base, size_t len)
{
	int rc;

	if (!uk_alloc_can_addmem_used(a))
		return -ENOTSUP;
	if (!len || ((uintptr_t)base | len) & (__PAGE_SIZE - 1))
		return -EINVAL;
	ALLOC_LOCK();
	rc = a->addmem_used(a, base, len);
	if (!rc) {      /* as if handed out: uk_pfree() accounts them back */
		a->stats.cur_bytes += len;
		if (a->stats.cur_bytes > a->stats.peak_bytes)
			a->stats.peak_bytes = a->stats.cur_bytes;
	}
	ALLOC_UNLOCK();
	return rc;
}

bool uk_alloc_can_addmem_used(struct uk_alloc *a)
{
	return a && a->addmem_used;
}

size_t uk_alloc_availmem(struct uk_alloc *a)
{
	size_t n;
	ALLOC_LOCK();
	n = alloc_availmem_nolock(a);
	ALLOC_UNLOCK();
	return n;
}

void uk_alloc_stats(struct uk_alloc *a, struct uk_alloc_stats *out)
{
	ALLOC_LOCK();
	alloc_stats_nolock(a, out);
	ALLOC_UNLOCK();
}
