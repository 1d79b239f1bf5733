/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupts on arm64 (os/plat/arm64/irq.c): register a handler for an
 * interrupt number of the board's controller (GICv2: 0-1019, PPIs 16-31;
 * BCM2836 per-core controller: source bits 0-11), then unmask IRQs at the
 * CPU (arm64_irq_enable() in <arm64/cpu.h>). Handlers run on the exception
 * stack with IRQs masked; the interrupted FP/SIMD state is preserved.
 */
#ifndef ARM64_IRQ_H
#define ARM64_IRQ_H

#include <uk/essentials.h>

#define ARM64_IRQ_NONE  0xffffffffU
#define ARM64_IRQ_SLOTS 16

typedef void (*arm64_irq_fn)(unsigned int irq, void *arg);

/* 0, or -1 if all ARM64_IRQ_SLOTS are taken or irq is out of range.
 * Enables the interrupt at the controller. */
int arm64_irq_register(unsigned int irq, arm64_irq_fn fn, void *arg);
void arm64_irq_unregister(unsigned int irq);
/* Interrupts taken so far (all sources), for tests and statistics. */
uint64_t arm64_irq_count(void);

/* The controller driver (gic.c, bcm2836_intc.c; one per board). */
void arm64_irqc_init(void);
int arm64_irqc_enable(unsigned int irq);
void arm64_irqc_disable(unsigned int irq);
unsigned int arm64_irqc_ack(void);        /* ARM64_IRQ_NONE when none */
void arm64_irqc_eoi(unsigned int irq);

#endif
