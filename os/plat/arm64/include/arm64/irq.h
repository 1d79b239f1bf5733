/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interrupt controller driver interface of the arm64 platform: one
 * driver per board (gic.c: GICv2/v3, 0-1019 with PPIs 16-31;
 * bcm2836_intc.c: the BCM2836 per-core controller, source bits 0-3).
 * irq.c builds the platform API (uk/plat/irq.h) on it; the arch vectors
 * call arm64_irq_handler() (irq.c).
 */
#ifndef ARM64_IRQ_H
#define ARM64_IRQ_H

#include <uk/essentials.h>

#define ARM64_IRQ_NONE  0xffffffffU

void arm64_irqc_init(void);
/* 0, or -EINVAL when irq is not a line of the controller. */
int arm64_irqc_enable(unsigned int irq);
int arm64_irqc_disable(unsigned int irq);
unsigned int arm64_irqc_ack(void);        /* ARM64_IRQ_NONE when none */
void arm64_irqc_eoi(unsigned int irq);    /* with the value ack returned */

#endif
