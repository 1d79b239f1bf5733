/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The legacy 8259 PIC pair (pc, microvm). With the local APIC and IOAPIC
 * in use (apic.c, ioapic.c: the default) it is only re-initialised off
 * the exception vectors and masked whole, so nothing it raises reaches the
 * CPU. In the fallback (no local APIC, or KVM_IRQ_PIC) it is the interrupt
 * controller: lines 0-15 at vectors 32-47, the cascade (2) unmasked, and
 * it reaches the CPU through the local APIC's LINT0 in ExtINT mode
 * ("virtual wire"; SeaBIOS leaves it so on pc, but on microvm the local
 * APIC comes up software-disabled with LINT0 masked: apic.c sets it).
 */
#include <uk/essentials.h>
#include <x86/cpu.h>
#include "kvm.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI   0x20
#define PIC_READ_ISR 0x0b
#define CASCADE   2

static uint16_t masks = 0xffff;

static void write_masks(void)
{
	x86_outb(PIC1_DATA, masks & 0xff);
	x86_outb(PIC2_DATA, masks >> 8);
}

void kvm_pic_init(bool cascade)
{
	x86_outb(PIC1_CMD, 0x11);               /* ICW1: init, ICW4 follows */
	x86_outb(PIC2_CMD, 0x11);
	x86_outb(PIC1_DATA, X86_IRQ_VECTOR_BASE);       /* ICW2: vectors */
	x86_outb(PIC2_DATA, X86_IRQ_VECTOR_BASE + 8);
	x86_outb(PIC1_DATA, 1U << CASCADE);     /* ICW3: slave on line 2 */
	x86_outb(PIC2_DATA, CASCADE);
	x86_outb(PIC1_DATA, 0x01);              /* ICW4: 8086 mode, normal EOI */
	x86_outb(PIC2_DATA, 0x01);
	masks = cascade ? 0xffff & ~(1U << CASCADE) : 0xffff;
	write_masks();
}

void kvm_pic_mask(unsigned int irq, bool masked)
{
	masks = masked ? masks | (1U << irq) : masks & ~(1U << irq);
	write_masks();
}

void kvm_pic_eoi(unsigned int irq)
{
	if (irq >= 8)
		x86_outb(PIC2_CMD, PIC_EOI);
	x86_outb(PIC1_CMD, PIC_EOI);
}

/* In-service bit of irq: a PIC raises line 7 (15) when a request went
 * away before the CPU took it; such a spurious one is not in service. */
bool kvm_pic_in_service(unsigned int irq)
{
	uint16_t port = irq >= 8 ? PIC2_CMD : PIC1_CMD;

	x86_outb(port, PIC_READ_ISR);
	return x86_inb(port) & (1U << (irq & 7));
}
