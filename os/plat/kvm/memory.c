/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory regions for struct ukplat_bootinfo. The loader reports RAM ranges;
 * from each we keep the part between 1 MiB and 4 GiB (the identity map of
 * entry.S) and cut out the image and every piece of boot information
 * (command line, memory map, ...) recorded with kvm_mem_reserve(). What is
 * left, page aligned, is UKPLAT_MEMR_FREE; the image is UKPLAT_MEMR_KERNEL,
 * boot information inside RAM is UKPLAT_MEMR_RESERVED.
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include "kvm.h"

#define MAX_HOLES 8

struct hole {
	uint64_t start, end;
	bool in_ram;
};

static struct hole holes[MAX_HOLES];
static unsigned int nr_holes;

static void add_region(struct ukplat_bootinfo *bi, uint64_t start,
		       uint64_t end, int type)
{
	struct ukplat_memregion *m;

	if (end <= start || bi->nr_mrd >= UKPLAT_MEMR_MAX)
		return;
	m = &bi->mrd[bi->nr_mrd++];
	m->base = start;
	m->len = end - start;
	m->type = type;
}

/* Holes are kept sorted by start address; overlaps are fine. */
void kvm_mem_reserve(uint64_t base, uint64_t len)
{
	uint64_t start = UK_ALIGN_DOWN(base, __PAGE_SIZE);
	uint64_t end = UK_ALIGN_UP(base + len, __PAGE_SIZE);
	unsigned int i;

	if (!len || end <= KVM_MEM_LOW_END || start >= KVM_MEM_MAPPED_END)
		return;
	if (nr_holes == MAX_HOLES) {
		/* cannot track it: drop the hole with the highest start if it
		 * is above this one, else treat the rest of memory as taken */
		if (holes[nr_holes - 1].start < start)
			end = KVM_MEM_MAPPED_END;
		nr_holes--;
	}
	for (i = nr_holes; i > 0 && holes[i - 1].start > start; i--)
		holes[i] = holes[i - 1];
	holes[i].start = start;
	holes[i].end = end;
	holes[i].in_ram = false;
	nr_holes++;
}

void kvm_mem_add_ram(struct ukplat_bootinfo *bi, uint64_t base, uint64_t len)
{
	uint64_t start = UK_MAX(base, KVM_MEM_LOW_END);
	uint64_t end = UK_MIN(base + len, KVM_MEM_MAPPED_END);
	unsigned int i;

	if (len == 0 || base + len < base)
		return;
	for (i = 0; i < nr_holes && start < end; i++) {
		struct hole *h = &holes[i];

		if (h->end <= start || h->start >= end)
			continue;
		h->in_ram = true;
		if (h->start > start)
			add_region(bi, UK_ALIGN_UP(start, __PAGE_SIZE),
				   UK_ALIGN_DOWN(h->start, __PAGE_SIZE),
				   UKPLAT_MEMR_FREE);
		start = UK_MAX(start, h->end);
	}
	if (start < end)
		add_region(bi, UK_ALIGN_UP(start, __PAGE_SIZE),
			   UK_ALIGN_DOWN(end, __PAGE_SIZE), UKPLAT_MEMR_FREE);
}

void kvm_mem_finish(struct ukplat_bootinfo *bi)
{
	uint64_t img_start = (uintptr_t)__uk_image_start;
	uint64_t img_end = UK_ALIGN_UP((uint64_t)(uintptr_t)_end, __PAGE_SIZE);
	uint64_t cs = 0, ce = 0;
	unsigned int i;

	add_region(bi, img_start, img_end, UKPLAT_MEMR_KERNEL);
	/* boot information inside RAM, merged, without the image */
	for (i = 0; i < nr_holes; i++) {
		uint64_t s = holes[i].start, e = holes[i].end;

		if (!holes[i].in_ram || (s == img_start && e == img_end))
			continue;
		if (s >= img_start && s < img_end)
			s = img_end;
		if (e > img_start && e <= img_end)
			e = img_start;
		if (e <= s)
			continue;
		if (s <= ce) {
			ce = UK_MAX(ce, e);
			continue;
		}
		add_region(bi, cs, ce, UKPLAT_MEMR_RESERVED);
		cs = s;
		ce = e;
	}
	add_region(bi, cs, ce, UKPLAT_MEMR_RESERVED);
}
