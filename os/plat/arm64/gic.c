/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Arm Generic Interrupt Controller: GICv2 (Arm IHI 0048B) through the
 * memory-mapped CPU interface, or GICv3 (Arm IHI 0069) through the system
 * register interface when the CPU reports one (ID_AA64PFR0_EL1.GIC; QEMU
 * virt with gic-version=3). Board bases: irqc[0] distributor, irqc[1] GICv2
 * CPU interface, irqc[2] the boot CPU's GICv3 redistributor.
 *
 * Boot cost is a handful of register writes: distributor and CPU interface
 * on, priority mask open, no preemption. Interrupts stay disabled until
 * registered; then they get a middle priority and, for SPIs, the boot CPU
 * as target. Group: GICv2 group 0 (signalled as IRQ while FIQEn is clear);
 * GICv3 group 1 of the security state we run in (Secure EL1 after an EL3
 * entry, else Non-secure), which is signalled as IRQ.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <arm64/cpu.h>
#include <arm64/board.h>
#include <arm64/irq.h>
#include <arm64/plat.h>

#define GICD_CTLR       0x0000
#define GICD_TYPER      0x0004
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ICENABLER  0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR  0x0800
#define GICD_IGRPMODR   0x0d00
#define GICD_IROUTER    0x6000

#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_BPR        0x08
#define GICC_IAR        0x0c
#define GICC_EOIR       0x10

#define GICR_WAKER      0x0014
#define GICR_SGI        0x10000       /* SGI/PPI frame: GICD-like registers */
#define WAKER_SLEEP     (1U << 1)
#define WAKER_ASLEEP    (1U << 2)

#define GIC_SPURIOUS    1020          /* 1020-1023: no interrupt */
#define GIC_PRIO        0xa0

#define gicd (arm64_board.irqc[0])
#define gicc (arm64_board.irqc[1])
#define gicr (arm64_board.irqc[2])

static bool v3;

static unsigned int nr_lines(void)
{
	return 32 * ((arm64_read32(gicd + GICD_TYPER) & 0x1f) + 1);
}

/* Byte-wide fields through word accesses (some GICs take only those). */
static void write8(uintptr_t reg, unsigned int irq, uint8_t v)
{
	uintptr_t w = reg + (irq & ~3U);
	unsigned int shift = 8 * (irq & 3);
	uint32_t old = arm64_read32(w);

	arm64_write32(w, (old & ~(0xffU << shift)) | ((uint32_t)v << shift));
}

static void setbit(uintptr_t reg, unsigned int irq, bool on)
{
	uintptr_t w = reg + 4 * (irq / 32);
	uint32_t old = arm64_read32(w), bit = 1U << (irq % 32);

	arm64_write32(w, on ? old | bit : old & ~bit);
}

void arm64_irqc_init(void)
{
	unsigned int i;

	v3 = ((arm64_sysreg_read(id_aa64pfr0_el1) >> 24) & 0xf) && gicr;
	if (!v3) {
		arm64_write32(gicd + GICD_CTLR, 3);
		arm64_write32(gicc + GICC_PMR, 0xff);
		arm64_write32(gicc + GICC_BPR, 7);
		arm64_write32(gicc + GICC_CTLR, 3);
		return;
	}
	/* affinity routing; group 1 (both states when we are Secure) */
	arm64_write32(gicd + GICD_CTLR, arm64_entry_el == 3 ? 0x37 : 0x12);
	arm64_write32(gicr + GICR_WAKER, arm64_read32(gicr + GICR_WAKER) & ~WAKER_SLEEP);
	for (i = 0; i < 100000 && (arm64_read32(gicr + GICR_WAKER) & WAKER_ASLEEP); i++)
		;
	arm64_sysreg_write(icc_sre_el1, arm64_sysreg_read(icc_sre_el1) | 1);
	arm64_isb();
	arm64_sysreg_write(icc_pmr_el1, 0xff);
	arm64_sysreg_write(icc_bpr1_el1, 7);
	arm64_sysreg_write(icc_igrpen1_el1, 1);
	arm64_isb();
}

int arm64_irqc_enable(unsigned int irq)
{
	/* GICv3: SGIs/PPIs are configured in the redistributor */
	uintptr_t d = (v3 && irq < 32) ? gicr + GICR_SGI : gicd;

	if (irq >= GIC_SPURIOUS || irq >= nr_lines())
		return -EINVAL;
	write8(d + GICD_IPRIORITYR, irq, GIC_PRIO);
	if (v3) {
		/* Secure group 1 (IGROUPR 0, IGRPMODR 1) or Non-secure group 1 */
		setbit(d + GICD_IGROUPR, irq, arm64_entry_el != 3);
		setbit(d + GICD_IGRPMODR, irq, arm64_entry_el == 3);
		if (irq >= 32) {
			uint64_t mpidr = arm64_sysreg_read(mpidr_el1);

			/* Aff3.Aff2.Aff1.Aff0 of the boot CPU, lower word first */
			arm64_write32(gicd + GICD_IROUTER + 8 * irq, (uint32_t)(mpidr & 0xffffff));
			arm64_write32(gicd + GICD_IROUTER + 8 * irq + 4, (uint32_t)(mpidr >> 32) & 0xff);
		}
	} else if (irq >= 32) {
		write8(gicd + GICD_ITARGETSR, irq, 1);      /* CPU 0 */
	}
	arm64_write32(d + GICD_ISENABLER + 4 * (irq / 32), 1U << (irq % 32));
	return 0;
}

int arm64_irqc_disable(unsigned int irq)
{
	uintptr_t d = (v3 && irq < 32) ? gicr + GICR_SGI : gicd;

	if (irq >= GIC_SPURIOUS || irq >= nr_lines())
		return -EINVAL;
	arm64_write32(d + GICD_ICENABLER + 4 * (irq / 32), 1U << (irq % 32));
	return 0;
}

unsigned int arm64_irqc_ack(void)
{
	uint32_t iar = v3 ? (uint32_t)arm64_sysreg_read(icc_iar1_el1)
			  : arm64_read32(gicc + GICC_IAR);

	if ((iar & 0x3ff) >= GIC_SPURIOUS)
		return ARM64_IRQ_NONE;
	return iar;          /* GICv2 keeps the source CPU bits for an SGI's EOI */
}

void arm64_irqc_eoi(unsigned int irq)
{
	if (v3) {
		arm64_sysreg_write(icc_eoir1_el1, irq);
		arm64_isb();
	} else {
		arm64_write32(gicc + GICC_EOIR, irq);
	}
}
