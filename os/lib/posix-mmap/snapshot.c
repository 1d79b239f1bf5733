/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Snapshots of the process's memory (uk/mmap_snapshot.h) on the VM
 * platforms, for fork in one address space: the region list and the
 * present pages, copied into fresh heap pages; restore unmaps everything
 * there is now and puts the saved regions and pages back (the saved copies
 * become the pages: no second copy). A file's pages (MAP_SHARED, and those
 * a private mapping has not copied yet) are not copied: they are saved as
 * they are (the region keeps its reference to the file), so the parent
 * sees what the file holds when it resumes, as on Linux, where parent and
 * child share such pages with the page cache.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/alloc.h>
#include <uk/plat/irq.h>
#include <uk/linux/mman.h>
#include <uk/mmap_snapshot.h>
#include "area.h"

struct saved_vma {
	uintptr_t start, end;
	unsigned int prot, flags;
	enum vma_kind kind;
	unsigned long off;
	struct uk_file *file;           /* a reference (SHARED) */
};

struct saved_page {
	uintptr_t va;                   /* | 1: pa is a file's (not ours) */
	uintptr_t pa;                   /* ours (a copy), or the slot as it
					 * was (a file's page, its flags) */
};

struct uk_mmap_snapshot {
	size_t nvma, npage, ncopied;
	uintptr_t brk;
	struct saved_vma *vmas;
	struct saved_page *pages;
};

static void free_snapshot(struct uk_mmap_snapshot *s, bool pages_too)
{
	struct uk_alloc *a = uk_alloc_get_default();
	size_t i;

	for (i = 0; i < s->nvma; i++)
		vma_file_put(s->vmas[i].file);
	if (pages_too)
		for (i = 0; i < s->npage; i++)
			if (!(s->pages[i].va & 1))      /* bit 0: borrowed (SHARED) */
				page_free(s->pages[i].pa);
	uk_free(a, s->vmas);
	uk_free(a, s->pages);
	uk_free(a, s);
}

int uk_mmap_snapshot_take(struct uk_mmap_snapshot **out)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_mmap_snapshot *s = uk_calloc(a, 1, sizeof(*s));
	size_t nv = 0, np = 0, i;
	unsigned long irqf;
	struct vma *v;
	uintptr_t va, pa, copy;

	if (!s)
		return -ENOMEM;
	/* sizes first (the list cannot change: one CPU, nothing maps while
	 * the caller is in this call), then the arrays, then the copies */
	irqf = ukplat_lcpu_save_irqf();
	for (v = vma_first(); v; v = v->next, nv++)
		for (va = v->start; va < v->end; va += PAGE_SIZE)
			np += page_raw(va) != 0;
	ukplat_lcpu_restore_irqf(irqf);
	s->vmas = uk_calloc(a, nv ? nv : 1, sizeof(*s->vmas));
	s->pages = uk_calloc(a, np ? np : 1, sizeof(*s->pages));
	if (!s->vmas || !s->pages) {
		free_snapshot(s, true);
		return -ENOMEM;
	}
	s->brk = brk_current();
	for (v = vma_first(), i = 0; v && i < nv; v = v->next, i++) {
		s->vmas[i] = (struct saved_vma){ v->start, v->end, v->prot, v->flags, v->kind,
						 v->off, v->file };
		vma_file_get(v->file);
		s->nvma++;
		for (va = v->start; va < v->end && s->npage < np; va += PAGE_SIZE) {
			if (!(pa = page_raw(va)))
				continue;
			if (raw_borrowed(pa)) {
				s->pages[s->npage++] = (struct saved_page){ va | 1, pa };
				continue;
			}
			if (!(copy = page_alloc())) {
				free_snapshot(s, true);
				return -ENOMEM;
			}
			/* a PROT_NONE page is not in the page tables, but its
			 * heap page (identity-mapped) is readable */
			__builtin_memcpy((void *)copy, (void *)pa, PAGE_SIZE);
			s->pages[s->npage++] = (struct saved_page){ va, copy };
			s->ncopied++;
		}
	}
	*out = s;
	return 0;
}

int uk_mmap_snapshot_restore(struct uk_mmap_snapshot *s)
{
	unsigned long irqf = ukplat_lcpu_save_irqf();
	struct vma *v;
	size_t i, j = 0;
	int rc = 0, r;

	while ((v = vma_first()) != NULL)
		if (unmap_range(v->start, v->end - v->start))
			break;                  /* a split: impossible for a whole region */
	deferred_reset();               /* the child's pending unmaps: gone with it */
	for (i = 0; i < s->nvma; i++) {
		struct saved_vma *sv = &s->vmas[i];

		r = vma_insert(sv->start, sv->end, sv->prot, sv->flags, sv->kind, sv->off,
			       sv->file);
		if (r && !rc)
			rc = r;
		for (; j < s->npage && (s->pages[j].va & ~1UL) < sv->end; j++) {
			uintptr_t va = s->pages[j].va & ~1UL;

			r = page_install_raw(va, s->pages[j].pa, sv->prot);
			if (r) {
				if (!(s->pages[j].va & 1))
					page_free(s->pages[j].pa);
				if (!rc)
					rc = r;
			}
		}
	}
	brk_restore(s->brk);
	vma_merge();
	ukplat_lcpu_restore_irqf(irqf);
	free_snapshot(s, false);        /* the pages are the memory's now */
	return rc;
}

void uk_mmap_snapshot_drop(struct uk_mmap_snapshot *s)
{
	if (s)
		free_snapshot(s, true);
}

size_t uk_mmap_snapshot_size(const struct uk_mmap_snapshot *s)
{
	return s->ncopied * PAGE_SIZE;
}
