/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukallocregion: a bump allocator. Each block is [size_t size][payload]; the
 * size word sits just below the payload (for getsize and the generic
 * realloc's copy). free is a no-op (free == NULL), realloc, palloc and malloc
 * are the generic ones in ukalloc (memalign(16) / copy / memalign(4096)).
 */
#include <uk/essentials.h>
#include <uk/alloc.h>
#include <uk/allocregion.h>

struct region {
	struct uk_alloc a;
	uintptr_t cur, end;
};

static void *region_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	struct region *r = (struct region *)a;
	uintptr_t p = UK_ALIGN_UP(r->cur + sizeof(size_t), align);

	if (p > r->end || size > r->end - p)
		return NULL;
	((size_t *)p)[-1] = size;
	r->cur = p + size;
	return (void *)p;
}

static size_t region_getsize(struct uk_alloc *a, void *p)
{
	return ((size_t *)p)[-1];
}

static size_t region_availmem(struct uk_alloc *a)
{
	struct region *r = (struct region *)a;

	return r->end - r->cur;
}

struct uk_alloc *uk_allocregion_init(void *base, size_t len)
{
	uintptr_t b = (uintptr_t)base, end = b + len;
	struct region *r = (struct region *)UK_ALIGN_UP(b, 16);

	if (end < b || end < (uintptr_t)(r + 1))
		return NULL;
	*r = (struct region){
		.a = {
			.name = "region",
			.memalign = region_memalign,
			.getsize = region_getsize,
			.availmem = region_availmem,
		},
		.cur = (uintptr_t)(r + 1),
		.end = end,
	};
	return &r->a;
}

#if defined(CONFIG_UKBOOT_ALLOC_REGION)
/* Chosen as the heap allocator (this library's Config.uk). */
UK_ALLOC_BACKEND("region", uk_allocregion_init);
#endif
