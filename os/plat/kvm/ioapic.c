/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IOAPIC (pc and microvm: at 0xfec00000, 24 inputs): input n is
 * interrupt line n of the platform API, delivered as vector 32 + n to the
 * boot CPU (physical destination: its local APIC ID), fixed delivery.
 * Inputs 0-15 are the ISA interrupts, edge-triggered, active high; 16-23
 * are PCI/virtio-mmio, level-triggered, active low (QEMU's pc and microvm
 * wiring; the PIT is ISA IRQ 0 but reaches input 2 on pc, an ACPI
 * interrupt source override, and input 0 on microvm). All masked at
 * setup; a line is unmasked when a handler is registered.
 */
#include <uk/essentials.h>
#include <x86/cpu.h>
#include "kvm.h"

#define IOAPIC_BASE     0xfec00000UL
#define IOREGSEL        0x00
#define IOWIN           0x10
#define IOAPIC_VER      0x01
#define IOAPIC_REDTBL   0x10    /* + 2 * n: low dword, + 1: high dword */

#define RTE_MASKED      (1U << 16)
#define RTE_LEVEL       (1U << 15)
#define RTE_ACTIVE_LOW  (1U << 13)

static unsigned int pins;
static uint32_t dest;           /* the boot CPU's local APIC ID, bits 56-63 */

static uint32_t rd(uint32_t reg)
{
	volatile uint32_t *io = (volatile uint32_t *)IOAPIC_BASE;

	io[IOREGSEL / 4] = reg;
	return io[IOWIN / 4];
}

static void wr(uint32_t reg, uint32_t v)
{
	volatile uint32_t *io = (volatile uint32_t *)IOAPIC_BASE;

	io[IOREGSEL / 4] = reg;
	io[IOWIN / 4] = v;
}

static uint32_t low_word(unsigned int pin, bool masked)
{
	uint32_t v = X86_IRQ_VECTOR_BASE + pin;

	if (pin >= 16)
		v |= RTE_LEVEL | RTE_ACTIVE_LOW;
	return masked ? v | RTE_MASKED : v;
}

/* Every input masked and aimed at the boot CPU; the number of inputs
 * (0 when there is no IOAPIC: all ones read back). */
unsigned int kvm_ioapic_init(uint32_t apic_id)
{
	uint32_t ver = rd(IOAPIC_VER);

	if (ver == 0xffffffffU)
		return 0;
	pins = UK_MIN(((ver >> 16) & 0xff) + 1, KVM_IOAPIC_LINES);
	dest = apic_id << 24;
	for (unsigned int i = 0; i < pins; i++) {
		wr(IOAPIC_REDTBL + 2 * i + 1, dest);
		wr(IOAPIC_REDTBL + 2 * i, low_word(i, true));
	}
	return pins;
}

void kvm_ioapic_mask(unsigned int pin, bool masked)
{
	if (pin < pins)
		wr(IOAPIC_REDTBL + 2 * pin, low_word(pin, masked));
}
