/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Xilinx ZynqMP on the ZCU102 (Zynq UltraScale+ TRM UG1085 system address
 * map): DDR low 0-2 GiB, DDR high from 32 GiB (0x800000000), QSPI, PCIe
 * and the LPD/FPD peripherals in 3-4 GiB: GIC-400 distributor 0xf9010000
 * and CPU interface 0xf9020000, Cadence UART0 0xff000000. QEMU's
 * xlnx-zcu102 starts the boot core at EL1 (EL3 with secure=on, EL2 with
 * virtualization=on) and emulates PSCI over SMC at EL1; it builds no
 * device tree (only with -dtb).
 */
#include <arm64/board.h>

static const struct arm64_range mmio[] = {
	{ 0xc0000000, 0x40000000 },     /* QSPI, PCIe, LPD/FPD peripherals */
};

const struct arm64_board arm64_board = {
	.name = "zcu102",
	.ram = { 0, 0x80000000 },
	.ram_default = 128UL << 20,
	.ram_high = 0x800000000UL,
	.mmio = mmio,
	.nr_mmio = UK_ARRAY_SIZE(mmio),
	.uart = 0xff000000,
	.irqc = { 0xf9010000, 0xf9020000 },
	.timer_irq_virt = 27,
	.timer_irq_phys = 30,
	.psci = ARM64_PSCI_SMC,
	.dtb_probe = 0,
};
