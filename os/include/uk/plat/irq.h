/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupts, platform side (ukplat_irq_*): a handler per interrupt line of
 * the platform's controller, and the CPU's interrupt mask (ukplat_lcpu_*).
 *
 * Lines: x86 (pc, microvm) with the local APIC (the default) the IOAPIC's
 * inputs 0-23 (ISA IRQs 0-15 as wired, PCI/virtio 16-23) and 24, the local
 * APIC timer; in the PIC fallback (no local APIC, or KVM_IRQ_PIC) the
 * 8259 pair's lines 0-15 (0 is the PIT). arm64 the board's controller (GICv2/v3:
 * 0-1019, PPIs 16-31; BCM2836 per-core controller: source bits 0-3).
 * linuxu has no interrupts (-ENOTSUP). The timer's line is
 * ukplat_timer_irq() (uk/plat/time.h).
 *
 * Contract: handlers run with interrupts masked at the CPU, on the
 * interrupted stack (x86) or the exception stack (arm64), with the
 * interrupted FP/SIMD state preserved. When a handler returns, the
 * platform acknowledges the interrupt at the controller (end of interrupt)
 * unless the handler already did with ukplat_irq_ack(). A handler must
 * quiet a level-triggered source before returning (the one-shot timer: see
 * uk/plat/time.h). An interrupt without a handler is masked and dropped.
 */
#ifndef UK_PLAT_IRQ_H
#define UK_PLAT_IRQ_H

#include <uk/essentials.h>

/* Handlers registered at once, across all lines. */
#define UKPLAT_IRQ_HANDLERS 16

typedef void (*ukplat_irq_handler_t)(unsigned int irq, void *arg);

/*
 * Calls fn(irq, arg) on each interrupt of line irq, and unmasks the line.
 * 0; -EINVAL: fn is NULL or irq is not a line of this controller; -EBUSY:
 * irq already has a handler; -ENOSPC: UKPLAT_IRQ_HANDLERS are taken;
 * -ENOTSUP: the platform has no interrupts. The first call sets the
 * controller up (boot does not touch it).
 */
int ukplat_irq_register(unsigned int irq, ukplat_irq_handler_t fn, void *arg);
/* Masks irq and forgets its handler. 0, or -ENOENT if it had none. */
int ukplat_irq_unregister(unsigned int irq);
/* Mask / unmask one line at the controller. 0, or -EINVAL (no such line). */
int ukplat_irq_mask(unsigned int irq);
int ukplat_irq_unmask(unsigned int irq);
/*
 * End of interrupt for irq now, from its handler (e.g. one that switches
 * to another thread and returns much later); the dispatcher then does not
 * acknowledge it again. Anywhere else it does nothing.
 */
void ukplat_irq_ack(unsigned int irq);
/*
 * Message-signalled interrupts (x86 with the local APIC: PCI MSI/MSI-X).
 * Takes a free line (UKPLAT_IRQ_MSI_FIRST ..), registers fn(irq, arg) on
 * it, and gives the message the device must write to raise it: *addr
 * (the boot CPU's local APIC, fixed delivery) and *data (the vector, edge).
 * Returns the line (ukplat_irq_unregister frees it), or -ENOSPC (all MSI
 * lines or handler slots taken), -EINVAL (fn NULL), -ENOTSUP (no local
 * APIC: the PIC fallback, and every platform other than x86 kvm). A line
 * cannot be masked at a controller: ukplat_irq_mask/unmask do nothing on
 * it (mask at the device, e.g. its MSI-X entry).
 */
#define UKPLAT_IRQ_MSI_FIRST 25
#define UKPLAT_IRQ_MSI_LINES 6
int ukplat_irq_alloc_msi(ukplat_irq_handler_t fn, void *arg,
			 uint64_t *addr, uint32_t *data);

/* Interrupts dispatched so far (all lines), for tests and statistics. */
uint64_t ukplat_irq_count(void);

/* The CPU's interrupt mask (x86 RFLAGS.IF, arm64 DAIF.I). Masked at boot. */
void ukplat_lcpu_enable_irq(void);
void ukplat_lcpu_disable_irq(void);
/* Masks interrupts, returns the previous state for _restore_irqf(). */
unsigned long ukplat_lcpu_save_irqf(void);
void ukplat_lcpu_restore_irqf(unsigned long flags);
bool ukplat_lcpu_irqs_disabled(void);
/*
 * With interrupts masked: waits (hlt / wfi) until an interrupt arrives,
 * lets its handler run, and returns with interrupts masked again. No
 * interrupt is lost between the caller's check and the wait.
 */
void ukplat_lcpu_halt_irq(void);

#endif
