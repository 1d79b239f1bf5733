/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The wall clock on arm64 (uk/plat/time.h, ukplat_wall_clock()): an Arm
 * PL031 real-time clock, found in the device tree (a child of the root
 * with compatible "arm,pl031": QEMU virt's at 0x09010000, set to the
 * host's UTC time). Its data register counts seconds since the Unix epoch.
 * Boards without a device tree (raspi3b's ATAGS boot, zcu102's ELF image)
 * or without a PL031 have none: uktime then takes the time from the
 * runner's uktime.wall parameter.
 */
#include <uk/essentials.h>
#include <uk/fdt.h>
#include <uk/plat/paging.h>
#include <uk/plat/time.h>
#include <arm64/plat.h>

#define PL031_DR        0x000   /* data: seconds */
#define PL031_CR        0x00c   /* control: bit 0 starts the counter */
#define PL031_PERIPHID0 0xfe0   /* 0x31 for a PL031 */
#define PAGE            4096UL

static uintptr_t find_pl031(void)
{
	const void *fdt = arm64_dtb;
	int root, node;
	uint32_t ac, sc;
	uint64_t addr, size;

	if (!fdt || (root = ukfdt_root(fdt)) < 0)
		return 0;
	ac = ukfdt_address_cells(fdt, root);
	sc = ukfdt_size_cells(fdt, root);
	for (node = ukfdt_first_child(fdt, root); node >= 0; node = ukfdt_next_sibling(fdt, node))
		if (ukfdt_prop_has_string(fdt, node, "compatible", "arm,pl031") &&
		    ukfdt_reg(fdt, node, ac, sc, 0, &addr, &size) == 0)
			return (uintptr_t)addr;
	return 0;
}

const char *ukplat_wall_clock(uint64_t *ns)
{
	uintptr_t base = find_pl031(), page = base & ~(PAGE - 1);
	volatile uint32_t *r;

	if (!base)
		return NULL;
	/* the board's device window covers virt's; map it when it does not */
	if (ukplat_page_prot(page) < 0 &&
	    ukplat_page_map(page, page, PAGE, UKPLAT_PROT_READ | UKPLAT_PROT_WRITE |
			    UKPLAT_PROT_DEVICE) < 0)
		return NULL;
	r = (volatile uint32_t *)base;
	if ((r[PL031_PERIPHID0 / 4] & 0xff) != 0x31)
		return NULL;                            /* not a PL031 after all */
	if (!(r[PL031_CR / 4] & 1))
		return NULL;                            /* stopped: no time kept */
	*ns = (uint64_t)r[PL031_DR / 4] * 1000000000ULL;
	return "pl031";
}
