/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory regions for struct ukplat_bootinfo. The loader reports RAM ranges;
 * from each we keep the part between 1 MiB and 4 GiB (the identity map of
 * trampoline.S) and cut out the image and every piece of boot information
 * (command line, memory map, modules, ...) recorded with kvm_mem_reserve().
 * What is left, page aligned, is UKPLAT_MEMR_FREE, in address order; the
 * image is reported as UKPLAT_MEMR_KERNEL (kvm_mem_finish(), kvm.h).
 *
 * Small and branch-poor on purpose: under TCG, boot time is mostly the
 * translation of code that runs for the first time, per instruction and per
 * translation block (every branch or call ends one). Hence min/max, masks
 * and tables below, holes appended as they come and never sorted, and
 * rejected regions written to a scratch slot.
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include "kvm.h"

/* The holes, unsorted and unaligned. Unused slots hold empty ranges that
 * the min/max of kvm_mem_reserve() leave alone. */
struct kvm_range kvm_holes[KVM_MAX_HOLES] = {
	[0 ... KVM_MAX_HOLES - 1] = { UINT64_MAX, 0 },
};
unsigned int kvm_nr_holes;

/*
 * Keeps [base, base + len) out of the free memory: a hole, appended as it
 * is. When all slots are taken, the last hole grows to cover this one too
 * (and the gap between them: some RAM is lost, no boot information is
 * handed out).
 */
void kvm_mem_reserve(uint64_t base, uint64_t len)
{
	unsigned int i = kvm_nr_holes - (kvm_nr_holes == KVM_MAX_HOLES);

	kvm_holes[i].start = UK_MIN(kvm_holes[i].start, base);
	kvm_holes[i].end = UK_MAX(kvm_holes[i].end, base + len);
	kvm_nr_holes = i + 1;
}

/* Appends [start, end) to bi->mrd, or to `discard` if it is empty or bi->mrd
 * is full (picked from a table: compilers tend to branch on a ?:). */
static void add_region(struct ukplat_bootinfo *bi, uint64_t start, uint64_t end, int type)
{
	static struct ukplat_memregion discard;
	unsigned int keep = (end > start) & (bi->nr_mrd < UKPLAT_MEMR_MAX);
	struct ukplat_memregion *slot[2] = { &discard, &bi->mrd[bi->nr_mrd] };
	struct ukplat_memregion *m = slot[keep];

	m->base = start;
	m->len = end - start;
	m->type = type;
	bi->nr_mrd += keep;
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
			uint64_t first = -(uint64_t)((kvm_holes[j].end > start) &
						     (kvm_holes[j].start < next));

			next ^= (next ^ kvm_holes[j].start) & first;
			next_end ^= (next_end ^ kvm_holes[j].end) & first;
		}
		add_region(bi, UK_ALIGN_UP(start, __PAGE_SIZE),
			   UK_ALIGN_DOWN(UK_MIN(end, next), __PAGE_SIZE),
			   UKPLAT_MEMR_FREE);
		start = UK_MIN(UK_MAX(start, next_end), KVM_MEM_MAPPED_END);
	}
}
