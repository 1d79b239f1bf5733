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

static const struct arm64_range mmio[] = {
	{ 0x3f000000, 0x01000000 },     /* peripherals */
	{ 0x40000000, 0x00040000 },     /* ARM local peripherals */
};

const struct arm64_board arm64_board = {
	.name = "raspi3b",
	.ram = { 0, 0x3c000000 },
	.ram_default = 0x3c000000,
	.mmio = mmio,
	.nr_mmio = UK_ARRAY_SIZE(mmio),
	.uart = 0x3f201000,
	.irqc = { 0x40000000, 0 },
	.timer_irq_virt = 3,            /* CNTVIRQ source bit */
	.timer_irq_phys = 1,            /* CNTPNSIRQ source bit */
	.psci = ARM64_PSCI_NONE,
	.dtb_probe = 0,
	.spin_table = 0xd8,             /* cores 1-3: 0xe0, 0xe8, 0xf0 */
	.nr_cpus = 4,
};
