/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Raspberry Pi 3 Model B (BCM2837; BCM2835 ARM Peripherals manual with the
 * bus address 0x7e000000 seen by the ARM at 0x3f000000). RAM from 0; the
 * VideoCore keeps the top (QEMU: the last 64 MiB of the 1 GiB, ATAG_MEM
 * says 0x3c000000). Peripherals 0x3f000000-0x3fffffff, PL011 "UART0" at
 * 0x3f201000 (QEMU's first -serial; the mini UART is the second), the
 * per-core interrupt controller and generic timer routing at 0x40000000.
 * No PSCI: secondary cores wait on a spin table (0xd8 + 8 * core, the
 * firmware's armstub and QEMU's stub alike); boot sends them to a WFI loop.
 * A device tree only when the loader gets one (QEMU -dtb); else ATAGS.
 */
#include <arm64/board.h>

#define KiB (1UL << 10)
#define MiB (1UL << 20)

/* Pool table 0: the root (1 GiB entries); 1: 0-1 GiB and 3: 1-2 GiB
 * (2 MiB entries); 2: 0-2 MiB (pages). */
static const struct arm64_mmu_run map[] = {
	ARM64_MMU_TABLE(0, 0, 1),
	ARM64_MMU_TABLE(1, 0, 2),
	/* RAM, 0 - 0x3c000000 but for page 0 */
	ARM64_MMU_BLOCKS(2, 1, 511, 4 * KiB, 4 * KiB, ARM64_DESC_NORMAL),
	ARM64_MMU_BLOCKS(1, 1, 479, 2 * MiB, 2 * MiB, ARM64_DESC_NORMAL),
	/* peripherals 0x3f000000 - 0x40000000 */
	ARM64_MMU_BLOCKS(1, 504, 8, 0x3f000000, 2 * MiB, ARM64_DESC_DEVICE),
	/* ARM local peripherals 0x40000000 - 0x40040000 */
	ARM64_MMU_TABLE(0, 1, 3),
	ARM64_MMU_BLOCKS(3, 0, 1, 0x40000000, 2 * MiB, ARM64_DESC_DEVICE),
};

const struct arm64_board arm64_board = {
	.name = "raspi3b",
	.ram = { 0, 0x3c000000 },
	.ram_default = 0x3c000000,
	.map = map,
	.nr_map = UK_ARRAY_SIZE(map),
	.map_tables = 4,
	.uart = 0x3f201000,
	.irqc = { 0x40000000, 0 },
	.timer_irq_virt = 3,            /* CNTVIRQ source bit */
	.timer_irq_phys = 1,            /* CNTPNSIRQ source bit */
	.psci = ARM64_PSCI_NONE,
	.dtb_probe = 0,
	.spin_table = 0xd8,             /* cores 1-3: 0xe0, 0xe8, 0xf0 */
	.nr_cpus = 4,
};
