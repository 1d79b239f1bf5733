/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * QEMU "virt" (hw/arm/virt.c memory map): flash 0-128 MiB, GIC
 * distributor 0x08000000, GICv2 CPU interface 0x08010000 or GICv3
 * redistributors from 0x080a0000 (gic-version=3), PL011 0x09000000,
 * RTC, GPIO, virtio-mmio, platform bus and PCIe up to 1 GiB; RAM from
 * 0x40000000 (up to 255 GiB below the high PCIe window). QEMU always passes
 * a device tree (x0 for the raw image; at the RAM base for an ELF image if
 * it fits below it) with /memory, /chosen/bootargs and /psci.
 */
#include <arm64/board.h>

#define MiB (1UL << 20)
#define GiB (1UL << 30)

/* Pool table 0: the root (1 GiB entries); 1: 0-1 GiB (2 MiB entries). */
static const struct arm64_mmu_run map[] = {
	ARM64_MMU_TABLE(0, 0, 1),
	/* 128 MiB - 1 GiB: all devices; the flash below stays unmapped */
	ARM64_MMU_BLOCKS(1, 64, 448, 128 * MiB, 2 * MiB, ARM64_DESC_DEVICE),
	/* the RAM window, 1 - 256 GiB */
	ARM64_MMU_BLOCKS(0, 1, 255, 1 * GiB, 1 * GiB, ARM64_DESC_NORMAL),
};

const struct arm64_board arm64_board = {
	.name = "virt",
	.ram = { 0x40000000, 255UL << 30 },
	.ram_default = 64UL << 20,
	.map = map,
	.nr_map = UK_ARRAY_SIZE(map),
	.map_tables = 2,
	.uart = 0x09000000,
	.irqc = { 0x08000000, 0x08010000, 0x080a0000 },   /* GICD, GICC, GICR */
	.timer_irq_virt = 27,           /* PPI 11 */
	.timer_irq_phys = 30,           /* PPI 14 (non-secure EL1) */
	.psci = ARM64_PSCI_HVC,
	.dtb_probe = 0x40000000,
};
