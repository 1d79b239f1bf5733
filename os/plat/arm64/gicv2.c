/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Arm GICv2 (Arm IHI 0048B): distributor at irqc[0], CPU interface at
 * irqc[1] of the board. Boot cost is four register writes: distributor
 * and CPU interface on (both groups, which also covers a GIC with security
 * extensions seen from Secure EL1), priority mask open, no preemption
 * (binary point). Interrupts stay disabled until someone registers one:
 * then it gets a middle priority and, for SPIs, CPU 0 as target.
 */
#include <uk/essentials.h>
#include <arm64/cpu.h>
#include <arm64/board.h>
#include <arm64/irq.h>

#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ICPENDR    0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800

#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_BPR        0x08
#define GICC_IAR        0x0c
#define GICC_EOIR       0x10

#define GIC_SPURIOUS    1020          /* 1020-1023: no interrupt */
#define GIC_PRIO        0xa0

#define gicd (arm64_board.irqc[0])
#define gicc (arm64_board.irqc[1])

static unsigned int nr_lines(void)
{
	return 32 * ((arm64_read32(gicd + GICD_TYPER) & 0x1f) + 1);
}

void arm64_irqc_init(void)
{
	arm64_write32(gicd + GICD_CTLR, 3);
	arm64_write32(gicc + GICC_PMR, 0xff);
	arm64_write32(gicc + GICC_BPR, 7);
	arm64_write32(gicc + GICC_CTLR, 3);
}

static void write8(uintptr_t reg, unsigned int irq, uint8_t v)
{
	/* byte-accessible registers; use a read-modify-write of the word so a
	 * GIC that only takes 32-bit accesses works too */
	uintptr_t w = reg + (irq & ~3U);
	unsigned int shift = 8 * (irq & 3);
	uint32_t old = arm64_read32(w);

	arm64_write32(w, (old & ~(0xffU << shift)) | ((uint32_t)v << shift));
}

int arm64_irqc_enable(unsigned int irq)
{
	if (irq >= GIC_SPURIOUS || irq >= nr_lines())
		return -1;
	write8(gicd + GICD_IPRIORITYR, irq, GIC_PRIO);
	if (irq >= 32)
		write8(gicd + GICD_ITARGETSR, irq, 1);      /* CPU 0 */
	arm64_write32(gicd + GICD_ISENABLER + 4 * (irq / 32), 1U << (irq % 32));
	return 0;
}

void arm64_irqc_disable(unsigned int irq)
{
	if (irq >= GIC_SPURIOUS)
		return;
	arm64_write32(gicd + GICD_ICENABLER + 4 * (irq / 32), 1U << (irq % 32));
}

unsigned int arm64_irqc_ack(void)
{
	uint32_t iar = arm64_read32(gicc + GICC_IAR);

	if ((iar & 0x3ff) >= GIC_SPURIOUS)
		return ARM64_IRQ_NONE;
	return iar;          /* keeps the source CPU bits for the EOI of SGIs */
}

void arm64_irqc_eoi(unsigned int irq)
{
	arm64_write32(gicc + GICC_EOIR, irq);
}
