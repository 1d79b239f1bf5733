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

static const struct arm64_range mmio[] = {
	{ 0x08000000, 0x38000000 },     /* 128 MiB - 1 GiB: all devices */
};

const struct arm64_board arm64_board = {
	.name = "virt",
	.ram = { 0x40000000, 255UL << 30 },
	.ram_default = 64UL << 20,
	.mmio = mmio,
	.nr_mmio = UK_ARRAY_SIZE(mmio),
	.uart = 0x09000000,
	.irqc = { 0x08000000, 0x08010000, 0x080a0000 },   /* GICD, GICC, GICR */
	.timer_irq_virt = 27,           /* PPI 11 */
	.timer_irq_phys = 30,           /* PPI 14 (non-secure EL1) */
	.psci = ARM64_PSCI_HVC,
	.dtb_probe = 0x40000000,
};
