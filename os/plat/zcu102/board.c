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

#define KiB (1UL << 10)
#define MiB (1UL << 20)
#define GiB (1UL << 30)

/* Pool table 0: the root (1 GiB entries); 1: 0-1 GiB (2 MiB entries);
 * 2: 0-2 MiB (pages). */
static const struct arm64_mmu_run map[] = {
	ARM64_MMU_TABLE(0, 0, 1),
	ARM64_MMU_TABLE(1, 0, 2),
	/* DDR low, 0 - 2 GiB but for page 0 */
	ARM64_MMU_BLOCKS(2, 1, 511, 4 * KiB, 4 * KiB, ARM64_DESC_NORMAL),
	ARM64_MMU_BLOCKS(1, 1, 511, 2 * MiB, 2 * MiB, ARM64_DESC_NORMAL),
	ARM64_MMU_BLOCKS(0, 1, 1, 1 * GiB, 1 * GiB, ARM64_DESC_NORMAL),
	/* QSPI, PCIe, LPD/FPD peripherals, 3 - 4 GiB */
	ARM64_MMU_BLOCKS(0, 3, 1, 3 * GiB, 1 * GiB, ARM64_DESC_DEVICE),
	/* DDR high, 32 - 34 GiB */
	ARM64_MMU_BLOCKS(0, 32, 2, 32 * GiB, 1 * GiB, ARM64_DESC_NORMAL),
};

const struct arm64_board arm64_board = {
	.name = "zcu102",
	.ram = { 0, 0x80000000 },
	.ram_default = 128UL << 20,
	.ram_high = 0x800000000UL,
	.ram_high_size = 2UL << 30,
	.map = map,
	.nr_map = UK_ARRAY_SIZE(map),
	.map_tables = 3,
	.uart = 0xff000000,
	.irqc = { 0xf9010000, 0xf9020000 },
	.timer_irq_virt = 27,
	.timer_irq_phys = 30,
	.psci = ARM64_PSCI_SMC,
	.dtb_probe = 0,
};
