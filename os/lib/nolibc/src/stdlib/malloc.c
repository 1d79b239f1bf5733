/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * malloc and friends over ukalloc's default allocator (the one ukboot
 * installs). Without ukalloc in the image, or before/without a default
 * allocator, every allocation fails with ENOMEM and free() does nothing.
 */
#include <stdlib.h>
#include <stdint.h>
#include <errno.h>
#if defined(CONFIG_LIBUKALLOC)
#include <uk/alloc.h>

static struct uk_alloc *heap(void)
{
	struct uk_alloc *a = uk_alloc_get_default();

	if (!a)
		errno = ENOMEM;
	return a;
}

static void *nomem(void *p)
{
	if (!p)
		errno = ENOMEM;
	return p;
}

void *malloc(size_t size)
{
	struct uk_alloc *a = heap();

	return a ? nomem(uk_malloc(a, size)) : NULL;
}

void *calloc(size_t nmemb, size_t size)
{
	struct uk_alloc *a = heap();
	size_t n;

	if (!a)
		return NULL;
	if (__builtin_mul_overflow(nmemb, size, &n)) {
		errno = ENOMEM;
		return NULL;
	}
	return nomem(uk_calloc(a, nmemb, size));
}

void *realloc(void *ptr, size_t size)
{
	struct uk_alloc *a;

	if (!ptr)
		return malloc(size);
	a = heap();
	if (!a)
		return NULL;
	if (!size) {
		uk_free(a, ptr);
		return NULL;
	}
	return nomem(uk_realloc(a, ptr, size));
}

void free(void *ptr)
{
	struct uk_alloc *a;

	if (ptr && (a = uk_alloc_get_default()))
		uk_free(a, ptr);
}

int posix_memalign(void **memptr, size_t align, size_t size)
{
	struct uk_alloc *a;

	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	a = uk_alloc_get_default();
	if (!a)
		return ENOMEM;
	return uk_posix_memalign(a, memptr, align, size);
}

void *aligned_alloc(size_t align, size_t size)
{
	struct uk_alloc *a;

	if (!align || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	if (align <= 16)        /* the ukalloc contract: malloc aligns to 16 */
		return malloc(size);
	a = heap();
	return a ? nomem(uk_memalign(a, align, size)) : NULL;
}

#else /* !CONFIG_LIBUKALLOC */

static void *nomem(void)
{
	errno = ENOMEM;
	return NULL;
}

void *malloc(size_t size) { return nomem(); }
void *calloc(size_t nmemb, size_t size) { return nomem(); }
void *realloc(void *ptr, size_t size) { return nomem(); }
void free(void *ptr) { }
void *aligned_alloc(size_t align, size_t size) { return nomem(); }
int posix_memalign(void **memptr, size_t align, size_t size) { return ENOMEM; }

#endif
