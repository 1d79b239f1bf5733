/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The regions of the mmap area: one singly linked list sorted by address,
 * never overlapping, nodes from the default allocator. Splitting happens
 * before any change to part of a region (vma_isolate), merging after
 * (vma_merge), so the list stays short for the usual grow-and-shrink
 * patterns of malloc implementations. Callers mask interrupts (area.h).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/alloc.h>
#include <uk/plat.h>
#include <uk/assert.h>
#include <uk/linux/mman.h>
#include "area.h"
#if defined(CONFIG_LIBPOSIX_FDTAB)
#include <uk/file.h>
#endif

void vma_file_get(struct uk_file *file)
{
#if defined(CONFIG_LIBPOSIX_FDTAB)
	if (file)
		uk_file_get(file);
#else
	UK_ASSERT(!file);
#endif
}

void vma_file_put(struct uk_file *file)
{
#if defined(CONFIG_LIBPOSIX_FDTAB)
	if (file)
		uk_file_put(file);
#else
	UK_ASSERT(!file);
#endif
}

static struct vma *head;

struct vma *vma_first(void)
{
	return head;
}

struct vma *vma_find(uintptr_t addr)
{
	struct vma *v;

	for (v = head; v && v->start <= addr; v = v->next)
		if (addr < v->end)
			return v;
	return NULL;
}

bool vma_covered(uintptr_t start, uintptr_t end)
{
	struct vma *v;

	for (v = head; v && start < end; v = v->next) {
		if (v->end <= start)
			continue;
		if (v->start > start)
			return false;
		start = v->end;
	}
	return start >= end;
}

bool vma_free(uintptr_t start, uintptr_t end)
{
	struct vma *v;

	for (v = head; v && v->start < end; v = v->next)
		if (v->end > start)
			return false;
	return true;
}

/* Splits v at addr (v->start < addr < v->end). 0 or -ENOMEM. */
static int split(struct vma *v, uintptr_t addr)
{
	struct vma *n = uk_malloc(uk_alloc_get_default(), sizeof(*n));

	if (!n)
		return -ENOMEM;
	*n = *v;
	n->start = addr;
	if (v->kind == VMA_FILE || v->kind == VMA_SHARED)
		n->off = v->off + (addr - v->start);
	vma_file_get(n->file);
	v->end = addr;
	v->next = n;
	return 0;
}

int vma_isolate(uintptr_t start, uintptr_t end)
{
	struct vma *v;
	int rc;

	for (v = head; v && v->start < end; v = v->next) {
		if (v->start < start && start < v->end) {
			rc = split(v, start);
			if (rc)
				return rc;
			continue;       /* the next one starts at start */
		}
		if (v->start < end && end < v->end)
			return split(v, end);
	}
	return 0;
}

int vma_insert(uintptr_t start, uintptr_t end, unsigned int prot, unsigned int flags,
	       enum vma_kind kind, unsigned long off, struct uk_file *file)
{
	struct vma *n = uk_malloc(uk_alloc_get_default(), sizeof(*n)), **pp;

	if (!n)
		return -ENOMEM;
	*n = (struct vma){ start, end, prot, flags, kind, off, file, NULL };
	vma_file_get(file);
	for (pp = &head; *pp && (*pp)->start < start; pp = &(*pp)->next)
		;
	n->next = *pp;
	*pp = n;
	return 0;
}

void vma_remove(uintptr_t start, uintptr_t end)
{
	struct vma **pp = &head, *v;

	while ((v = *pp) && v->start < end) {
		if (v->start >= start && v->end <= end) {
			*pp = v->next;
			vma_file_put(v->file);
			uk_free(uk_alloc_get_default(), v);
		} else {
			pp = &v->next;
		}
	}
}

static bool alike(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->prot == b->prot && a->flags == b->flags &&
	       a->kind == b->kind && (a->kind != VMA_FILE || a->off + (a->end - a->start) == b->off);
}

void vma_merge(void)
{
	struct vma *v = head, *n;

	while (v && (n = v->next)) {
		/* file regions stay as mapped (offsets, references) */
		if ((v->kind == VMA_ANON || v->kind == VMA_HEAP) && alike(v, n)) {
			v->end = n->end;
			v->next = n->next;
			uk_free(uk_alloc_get_default(), n);
		} else {
			v = n;
		}
	}
}

uintptr_t vma_find_free(uintptr_t from, uintptr_t to, size_t len)
{
	struct vma *v;
	uintptr_t at = from;

	for (v = head; v; v = v->next) {
		if (v->end <= at)
			continue;
		if (v->start >= at && v->start - at >= len)
			break;
		at = v->end;
	}
	return at < to && to - at >= len ? at : 0;
}

int uk_mmap_walk(int (*fn)(const struct uk_mmap_region *r, void *arg), void *arg)
{
	unsigned long irqf = ukplat_lcpu_save_irqf();
	struct uk_mmap_region r;
	struct vma *v;
	int rc = 0;

	for (v = head; v && !rc; v = v->next) {
		r = (struct uk_mmap_region){
			.start = v->start, .end = v->end, .prot = v->prot,
			.flags = (v->flags & (UK_MAP_TYPE | UK_MAP_STACK)) |
				 (v->kind == VMA_FILE || v->kind == VMA_SHARED ? 0 : UK_MAP_ANONYMOUS),
			.offset = v->kind == VMA_FILE || v->kind == VMA_SHARED ? v->off : 0,
			.name = v->kind == VMA_HEAP ? "[heap]" :
				v->flags & UK_MAP_STACK ? "[stack]" : NULL,
		};
		rc = fn(&r, arg);
	}
	ukplat_lcpu_restore_irqf(irqf);
	return rc;
}
