/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory regions for struct ukplat_bootinfo. The loader reports RAM ranges;
 * from each we keep the part between 1 MiB and 4 GiB (the identity map of
 * trampoline.S) and cut out the image and every piece of boot information
 * (command line, memory map, modules, ...) recorded with kvm_mem_reserve().
 * What is left, page aligned, is UKPLAT_MEMR_FREE; the image is reported as
 * UKPLAT_MEMR_KERNEL.
 *
 * Kept short on purpose: under TCG, boot time is mostly the translation of
 * code that runs for the first time, so fewer branches boot faster.
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include "kvm.h"

#define MAX_HOLES 8

static struct {
	uint64_t start, end;
} holes[MAX_HOLES];
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

void kvm_mem_reserve(uint64_t base, uint64_t len)
{
	uint64_t end = base + len;
	unsigned int i = nr_holes;

	if (i == MAX_HOLES) {
		/* out of slots: grow the last hole to cover this one too */
		i--;
		base = UK_MIN(base, holes[i].start);
		end = UK_MAX(end, holes[i].end);
	} else {
		nr_holes++;
	}
	holes[i].start = UK_ALIGN_DOWN(base, __PAGE_SIZE);
	holes[i].end = UK_ALIGN_UP(end, __PAGE_SIZE);
}

/* Adds [start, end) minus holes[from..]: holes before `from` are known not
 * to overlap it. Regions come out in address order. */
static void add_free(struct ukplat_bootinfo *bi, uint64_t start, uint64_t end,
		     unsigned int from)
{
	unsigned int i;

	for (i = from; i < nr_holes; i++) {
		if (holes[i].end <= start || holes[i].start >= end)
			continue;
		add_free(bi, start, holes[i].start, i + 1);
		start = holes[i].end;
	}
	add_region(bi, UK_ALIGN_UP(start, __PAGE_SIZE),
		   UK_ALIGN_DOWN(end, __PAGE_SIZE), UKPLAT_MEMR_FREE);
}

void kvm_mem_add_ram(struct ukplat_bootinfo *bi, uint64_t base, uint64_t len)
{
	add_free(bi, UK_MAX(base, KVM_MEM_LOW_END),
		 UK_MIN(base + len, KVM_MEM_MAPPED_END), 0);
}

void kvm_mem_finish(struct ukplat_bootinfo *bi)
{
	add_region(bi, (uintptr_t)__uk_image_start,
		   UK_ALIGN_UP((uintptr_t)_end, __PAGE_SIZE), UKPLAT_MEMR_KERNEL);
}
