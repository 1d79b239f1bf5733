/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Randomised check of os/plat/kvm/memory.c on the host:
 *
 *   memory_check [seed] [cases]
 *
 * Each case reserves random holes (boot information: any start, any length,
 * zero too, overlapping, in any order) and adds random disjoint RAM ranges,
 * as the Multiboot and PVH parsers do, then compares bi->mrd with a page
 * model: a page is free when it lies entirely inside one RAM range (clipped
 * to [1 MiB, 4 GiB)) and shares no byte with a hole (a zero-length hole at
 * an unaligned address takes its page). With more holes than memory.c has
 * slots, holes merge: then free pages must only be a subset of the model.
 * Regions must be page aligned, non-empty, disjoint and, per RAM range, in
 * address order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kvm.h"

char __uk_image_start[1], _end[1];

#define PAGE     4096ULL
#define SPACE    (64ULL << 20)                  /* addresses drawn: [0, 64 MiB) */
#define NPAGES   ((SPACE >> 12) + 128)          /* holes may end beyond */

static unsigned char model[NPAGES];             /* 1: the page must be free */
static unsigned char got[NPAGES];
static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng >> 11;
}

/* A random address, often page aligned or near 1 MiB. */
static uint64_t rnd_addr(void)
{
	uint64_t a = rnd() % SPACE;

	switch (rnd() % 4) {
	case 0: return a & ~(PAGE - 1);
	case 1: return 0x100000 - 2 * PAGE + rnd() % (4 * PAGE);
	default: return a;
	}
}

static void reset(void)
{
	for (unsigned int i = 0; i < KVM_MAX_HOLES; i++)
		kvm_holes[i] = (struct kvm_range){ UINT64_MAX, 0 };
	kvm_nr_holes = 0;
}

static int fail(unsigned long c, const char *what, const struct ukplat_bootinfo *bi)
{
	printf("FAIL case %lu: %s\n", c, what);
	for (unsigned int i = 0; i < bi->nr_mrd; i++)
		printf("  mrd %#lx +%#lx type %d\n", (unsigned long)bi->mrd[i].base,
		       (unsigned long)bi->mrd[i].len, bi->mrd[i].type);
	return 1;
}

static int one_case(unsigned long c)
{
	static struct ukplat_bootinfo bi;
	unsigned int nholes = rnd() % 24, nram = 1 + rnd() % 4, i;
	uint64_t hs[32], he[32], cuts[8];
	uint64_t p;

	memset(&bi, 0, sizeof(bi));
	memset(model, 0, sizeof(model));
	memset(got, 0, sizeof(got));
	reset();

	/* disjoint RAM ranges: sorted random cut points, every other gap */
	for (i = 0; i < 2 * nram; i++)
		cuts[i] = rnd_addr();
	for (i = 1; i < 2 * nram; i++)     /* insertion sort */
		for (unsigned int j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
			uint64_t t = cuts[j]; cuts[j] = cuts[j - 1]; cuts[j - 1] = t;
		}
	for (i = 0; i < nholes; i++) {
		hs[i] = rnd_addr();
		he[i] = hs[i] + (rnd() % 3 == 0 ? 0 : rnd() % (rnd() % 2 ? 64 * PAGE : 2 * PAGE));
		kvm_mem_reserve(hs[i], he[i] - hs[i]);
	}
	for (i = 0; i < nram; i++) {
		uint64_t s = cuts[2 * i], e = cuts[2 * i + 1];
		uint64_t lo = (s < 0x100000 ? 0x100000 : s), hi = e;
		unsigned int before = bi.nr_mrd;

		kvm_mem_add_ram(&bi, s, e - s);
		lo = (lo + PAGE - 1) & ~(PAGE - 1);
		hi &= ~(PAGE - 1);
		for (p = lo; p < hi; p += PAGE)
			model[p / PAGE] = 1;
		for (unsigned int k = before + 1; k < bi.nr_mrd; k++)
			if (bi.mrd[k].base < bi.mrd[k - 1].base + bi.mrd[k - 1].len)
				return fail(c, "regions of one RAM range out of order", &bi);
	}
	for (i = 0; i < nholes; i++)
		for (p = hs[i] & ~(PAGE - 1); p < he[i]; p += PAGE)
			model[p / PAGE] = 0;
	for (i = 0; i < nholes; i++)     /* zero-length, unaligned: its page */
		if (hs[i] == he[i] && (hs[i] & (PAGE - 1)))
			model[hs[i] / PAGE] = 0;

	for (i = 0; i < bi.nr_mrd; i++) {
		const struct ukplat_memregion *m = &bi.mrd[i];

		if (m->type != UKPLAT_MEMR_FREE || !m->len || ((m->base | m->len) & (PAGE - 1)))
			return fail(c, "region not free, empty or not page aligned", &bi);
		if (m->base + m->len > SPACE)
			return fail(c, "region outside the RAM ranges", &bi);
		for (p = m->base; p < m->base + m->len; p += PAGE) {
			if (got[p / PAGE])
				return fail(c, "regions overlap", &bi);
			got[p / PAGE] = 1;
		}
	}
	for (p = 0; p < NPAGES; p++) {
		if (got[p] && !model[p])
			return fail(c, "reserved or non-RAM page handed out", &bi);
		if (!got[p] && model[p] && nholes <= KVM_MAX_HOLES &&
		    bi.nr_mrd < UKPLAT_MEMR_MAX)
			return fail(c, "free page missing", &bi);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long seed = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
	unsigned long cases = argc > 2 ? strtoul(argv[2], NULL, 0) : 2000;
	struct ukplat_bootinfo bi;

	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	for (unsigned long c = 0; c < cases; c++)
		if (one_case(c))
			return 1;

	/* the image: one KERNEL region, page aligned at the end */
	memset(&bi, 0, sizeof(bi));
	kvm_mem_finish(&bi);
	if (bi.nr_mrd != 1 || bi.mrd[0].type != UKPLAT_MEMR_KERNEL ||
	    bi.mrd[0].base != (uintptr_t)__uk_image_start)
		return fail(0, "kernel region", &bi);
	printf("memory ok\n");
	return 0;
}
