/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory regions for struct ukplat_bootinfo. The loader reports RAM ranges;
 * from each we keep the part between 1 MiB and 4 GiB (the identity map of
 * trampoline.S) and cut out the image and every piece of boot information
 * (command line, memory map, modules, ...) recorded with kvm_mem_reserve().
 * What is left, page aligned, is UKPLAT_MEMR_FREE, in address order; the
 * image is reported as UKPLAT_MEMR_KERNEL (kvm_mem_finish(), kvm.h).
 *
 * Holes are appended as they come and never sorted; each RAM range is
 * swept against all of them (a few holes, a few ranges: quadratic is
 * nothing here). Plain code: the branch-free variant this replaced saved
 * nothing measurable at boot (README.md, "Boot time").
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include "kvm.h"

/* The holes, unsorted and unaligned: [0, kvm_nr_holes). */
struct kvm_range kvm_holes[KVM_MAX_HOLES];
unsigned int kvm_nr_holes;

/*
 * Keeps [base, base + len) out of the free memory: a hole, appended as it
 * is. When all slots are taken, the last hole grows to cover this one too
 * (and the gap between them: some RAM is lost, no boot information is
 * handed out).
 */
void kvm_mem_reserve(uint64_t base, uint64_t len)
{
	struct kvm_range *h;

	if (kvm_nr_holes < KVM_MAX_HOLES) {
		h = &kvm_holes[kvm_nr_holes++];
		h->start = base;
		h->end = base + len;
		return;
	}
	h = &kvm_holes[KVM_MAX_HOLES - 1];
	h->start = UK_MIN(h->start, base);
	h->end = UK_MAX(h->end, base + len);
}

/* Appends [start, end) to bi->mrd; an empty one, or one too many, is
 * dropped. */
static void add_region(struct ukplat_bootinfo *bi, uint64_t start, uint64_t end, int type)
{
	if (end <= start || bi->nr_mrd >= UKPLAT_MEMR_MAX)
		return;
	bi->mrd[bi->nr_mrd++] = (struct ukplat_memregion){
		.base = start, .len = end - start, .type = type,
	};
}

void kvm_mem_add_ram(struct ukplat_bootinfo *bi, uint64_t base, uint64_t len)
{
	uint64_t start = UK_MIN(UK_MAX(base, KVM_MEM_LOW_END), KVM_MEM_MAPPED_END);
	uint64_t end = UK_MIN(base + len, KVM_MEM_MAPPED_END);
	unsigned int i, j;

	/*
	 * A sweep from low to high addresses; `start` is where the free piece
	 * being built begins. The next hole is the one that starts first
	 * among those ending above `start` (holes are unsorted and may
	 * overlap); the piece up to it, shrunk to whole pages, is free. When
	 * no hole is left, the stand-in hole at 4 GiB emits the tail and ends
	 * the sweep: nr_holes + 1 steps always suffice. (`start` stays at most
	 * 4 GiB, so aligning it up cannot wrap around.)
	 */
	for (i = 0; i <= kvm_nr_holes; i++) {
		uint64_t next = KVM_MEM_MAPPED_END, next_end = KVM_MEM_MAPPED_END;

		for (j = 0; j < kvm_nr_holes; j++) {
			if (kvm_holes[j].end > start && kvm_holes[j].start < next) {
				next = kvm_holes[j].start;
				next_end = kvm_holes[j].end;
			}
		}
		add_region(bi, UK_ALIGN_UP(start, __PAGE_SIZE),
			   UK_ALIGN_DOWN(UK_MIN(end, next), __PAGE_SIZE),
			   UKPLAT_MEMR_FREE);
		start = UK_MIN(UK_MAX(start, next_end), KVM_MEM_MAPPED_END);
	}
}
