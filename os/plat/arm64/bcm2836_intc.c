/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The BCM2836/BCM2837 per-core interrupt controller ("ARM local
 * peripherals", 0x40000000 on the Raspberry Pi 2/3; Broadcom's "QA7"
 * document). Interrupt numbers are the bits of the core's IRQ source
 * register: 0 CNTPS, 1 CNTPNS, 2 CNTHP, 3 CNTV (generic timers), 4-7
 * mailboxes, 8 GPU (the legacy BCM2835 controller), 9 PMU, 11 local timer.
 * Only the generic timers (0-3) can be routed here; core 0 only.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <arm64/cpu.h>
#include <arm64/board.h>
#include <arm64/irq.h>

#define LOCAL_CONTROL      0x00
#define LOCAL_PRESCALER    0x08
#define CORE0_TIMER_IRQCNTL 0x40
#define CORE0_IRQ_SOURCE   0x60

#define base (arm64_board.irqc[0])

static uint32_t enabled;

void arm64_irqc_init(void)
{
	enabled = 0;
	arm64_write32(base + CORE0_TIMER_IRQCNTL, 0);
}

int arm64_irqc_enable(unsigned int irq)
{
	if (irq > 3)
		return -EINVAL;
	enabled |= 1U << irq;
	arm64_write32(base + CORE0_TIMER_IRQCNTL, enabled);
	return 0;
}

int arm64_irqc_disable(unsigned int irq)
{
	if (irq > 3)
		return -EINVAL;
	enabled &= ~(1U << irq);
	arm64_write32(base + CORE0_TIMER_IRQCNTL, enabled);
	return 0;
}

unsigned int arm64_irqc_ack(void)
{
	uint32_t src = arm64_read32(base + CORE0_IRQ_SOURCE) & enabled;

	if (!src)
		return ARM64_IRQ_NONE;
	return (unsigned int)__builtin_ctz(src);
}

void arm64_irqc_eoi(unsigned int irq)
{
	/* level-triggered from the source: the handler clears the cause */
}
