/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a board library (os/plat/<board>, symbol BOARD_<NAME>) tells the
 * common arm64 platform (os/plat/arm64). See os/plat/arm64/README.md,
 * "Adding a board". A board folder has:
 *
 *   board.c   const struct arm64_board arm64_board = { ... };
 *   image.S   ARM64_IMAGE_LAYOUT(load address, RAM base)
 *   Config.uk selects the console and interrupt controller drivers
 */
#ifndef ARM64_BOARD_H
#define ARM64_BOARD_H

/*
 * The image's link/load address and its offset from the RAM base (the
 * arm64 Linux Image header's text_offset: a loader that understands the
 * header, like QEMU's, puts the image at RAM base + text_offset). Defines
 * absolute symbols the linker script (arm64.lds) and the header use.
 */
#define ARM64_IMAGE_LAYOUT(load_addr, ram_base)                        \
	.globl __arm64_load_addr;                                       \
	.set __arm64_load_addr, (load_addr);                            \
	.globl __arm64_text_offset;                                     \
	.set __arm64_text_offset, (load_addr) - (ram_base)

#ifndef __ASSEMBLER__
#include <uk/essentials.h>
#include <arm64/mmu.h>

struct arm64_range {
	uint64_t base;
	uint64_t size;
};

#define ARM64_PSCI_NONE 0
#define ARM64_PSCI_HVC  1
#define ARM64_PSCI_SMC  2

struct arm64_board {
	const char *name;
	/*
	 * Where RAM can be: base and the largest size of the first bank.
	 * Used when the boot loader describes no memory (no DTB, no ATAGS):
	 * then the size comes from semihosting SYS_HEAPINFO (clipped to
	 * ram.size) or, without semihosting, is ram_default.
	 */
	struct arm64_range ram;
	uint64_t ram_default;
	/* A size above ram.size (ATAGS) continues at ram_high (0: ignore it),
	 * a window of ram_high_size bytes. */
	uint64_t ram_high, ram_high_size;
	/*
	 * The fixed memory map, as page tables (arm64_mmu_load() in
	 * <arm64/mmu.h>): the RAM windows (ram, ram_high) Normal but for
	 * page 0 (NULL), the MMIO windows Device-nGnRE (they must include the
	 * UART and the interrupt controller), nothing else. map_tables pool
	 * tables are used (at most PLAT_ARM64_PAGE_TABLES). Boot writes these
	 * runs as they are; RAM or boot data the boot information places
	 * outside the RAM windows is mapped with the general mapper.
	 */
	const struct arm64_mmu_run *map;
	unsigned int nr_map, map_tables;
	/* The console UART (driver chosen in the board's Config.uk). */
	uintptr_t uart;
	/* Interrupt controller: GIC distributor, GICv2 CPU interface and
	 * GICv3 redistributor of the boot CPU (0: none; used when the CPU
	 * has the GICv3 system registers), or the BCM2836 per-core
	 * controller in irqc[0]. */
	uintptr_t irqc[3];
	/* Generic timer interrupt numbers on that controller. */
	unsigned int timer_irq_virt;
	unsigned int timer_irq_phys;
	/* PSCI conduit when no device tree names one (ARM64_PSCI_*). Only
	 * used when the image was entered at EL1 (at EL2/EL3 nobody above
	 * us implements PSCI unless a device tree says so). */
	int psci;
	/* Where a loader that passes nothing in x0 may have put a device
	 * tree (QEMU places one at the RAM base for ELF images); 0: none. */
	uintptr_t dtb_probe;
	/* Secondary cores the boot loader keeps spinning on a spin table
	 * (64-bit entry address at spin_table + 8 * core, cores 1..nr_cpus-1):
	 * the platform sends them to a WFI loop at once, so an emulator stops
	 * running them. 0: cores start powered off (PSCI) or are parked. */
	uintptr_t spin_table;
	unsigned int nr_cpus;
};

/* The board library defines this one. */
extern const struct arm64_board arm64_board;

#endif /* !__ASSEMBLER__ */
#endif
