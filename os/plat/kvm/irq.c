/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupts on x86 QEMU/KVM (pc, microvm): the platform API of
 * uk/plat/irq.h over the legacy 8259 PIC pair (lines 0-15 at vectors
 * X86_IRQ_VECTOR_BASE.., through the arch's entry stubs: x86_irq_init()).
 * The PIC reaches the CPU through the local APIC's LINT0 in ExtINT mode
 * ("virtual wire"). SeaBIOS leaves it so on pc, but on microvm the local
 * APIC comes up software-disabled with LINT0 masked, so setup() writes it
 * (xAPIC registers at their reset address, which the boot page tables
 * map): enabled, LINT0 ExtINT, LINT1 NMI. The APIC timer and x2APIC are
 * for the threads issue.
 *
 * Set up at the first registration (boot does not pay for it): the PICs
 * are re-initialised (their vectors moved off the exceptions' 0-31), every
 * line masked but the cascade (2). Interrupts stay masked at the CPU
 * (RFLAGS.IF) until ukplat_lcpu_enable_irq() or ukplat_lcpu_halt_irq().
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/arch.h>
#include <uk/plat/irq.h>
#include <x86/cpu.h>
#include "kvm.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI   0x20
#define PIC_READ_ISR 0x0b
#define NR_LINES  16
#define CASCADE   2

#define X86_MSR_APIC_BASE   0x1b
#define APIC_BASE_ENABLE    (1UL << 11)
#define APIC_BASE_X2APIC    (1UL << 10)
#define APIC_MMIO           0xfee00000UL
#define APIC_SVR            0xf0
#define APIC_LVT_LINT0      0x350
#define APIC_LVT_LINT1      0x360
#define APIC_SVR_ENABLE     0x100
#define APIC_DM_EXTINT      0x700
#define APIC_DM_NMI         0x400
/* The APIC's spurious vector: PIC line 7's, which dispatch already treats
 * as spurious when line 7 is not in service. */
#define APIC_SPURIOUS_VEC   (X86_IRQ_VECTOR_BASE + 7)

struct slot {
	unsigned int irq;
	ukplat_irq_handler_t fn;
	void *arg;
};

static struct slot slots[UKPLAT_IRQ_HANDLERS];
static uint64_t count;
static bool ready;
static uint16_t masks = 0xffff & ~(1U << CASCADE);
static int current = -1;        /* the line being handled */
static bool acked;

static void write_masks(void)
{
	x86_outb(PIC1_DATA, masks & 0xff);
	x86_outb(PIC2_DATA, masks >> 8);
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

/* Local APIC in virtual wire mode, when there is one in xAPIC mode. */
static void apic_virtual_wire(void)
{
	volatile uint32_t *apic = (volatile uint32_t *)APIC_MMIO;
	uint32_t a, b, c, d;
	uint64_t base;

	__asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!(d & (1U << 9)))
		return;                         /* no local APIC: the PIC is wired */
	base = rdmsr(X86_MSR_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE) || (base & APIC_BASE_X2APIC) ||
	    (base & ~0xfffUL) != APIC_MMIO)
		return;
	apic[APIC_SVR / 4] = APIC_SVR_ENABLE | APIC_SPURIOUS_VEC;
	apic[APIC_LVT_LINT0 / 4] = APIC_DM_EXTINT;
	apic[APIC_LVT_LINT1 / 4] = APIC_DM_NMI;
}

static void setup(void)
{
	if (ready)
		return;
	ready = true;
	x86_outb(PIC1_CMD, 0x11);               /* ICW1: init, ICW4 follows */
	x86_outb(PIC2_CMD, 0x11);
	x86_outb(PIC1_DATA, X86_IRQ_VECTOR_BASE);       /* ICW2: vectors */
	x86_outb(PIC2_DATA, X86_IRQ_VECTOR_BASE + 8);
	x86_outb(PIC1_DATA, 1U << CASCADE);     /* ICW3: slave on line 2 */
	x86_outb(PIC2_DATA, CASCADE);
	x86_outb(PIC1_DATA, 0x01);              /* ICW4: 8086 mode, normal EOI */
	x86_outb(PIC2_DATA, 0x01);
	write_masks();
	x86_irq_init(kvm_irq_dispatch);
	apic_virtual_wire();
	kvm_timer_quiet();                      /* nothing stale from firmware */
}

static void eoi(unsigned int irq)
{
	if (irq >= 8)
		x86_outb(PIC2_CMD, PIC_EOI);
	x86_outb(PIC1_CMD, PIC_EOI);
}

static struct slot *find(unsigned int irq)
{
	for (unsigned int i = 0; i < UKPLAT_IRQ_HANDLERS; i++)
		if (slots[i].fn && slots[i].irq == irq)
			return &slots[i];
	return NULL;
}

static int set_mask(unsigned int irq, bool masked)
{
	if (irq >= NR_LINES || irq == CASCADE)
		return -EINVAL;
	setup();
	masks = masked ? masks | (1U << irq) : masks & ~(1U << irq);
	write_masks();
	return 0;
}

int ukplat_irq_register(unsigned int irq, ukplat_irq_handler_t fn, void *arg)
{
	unsigned long flags = x86_save_flags_cli();
	struct slot *s = NULL;
	int rc = -ENOSPC;

	setup();
	if (!fn || irq >= NR_LINES || irq == CASCADE) {
		rc = -EINVAL;
	} else if (find(irq)) {
		rc = -EBUSY;
	} else {
		for (unsigned int i = 0; i < UKPLAT_IRQ_HANDLERS && !s; i++)
			if (!slots[i].fn)
				s = &slots[i];
		if (s) {
			*s = (struct slot){ irq, fn, arg };
			rc = set_mask(irq, false);
		}
	}
	x86_restore_flags(flags);
	return rc;
}

int ukplat_irq_unregister(unsigned int irq)
{
	unsigned long flags = x86_save_flags_cli();
	struct slot *s = find(irq);

	if (s) {
		set_mask(irq, true);
		s->fn = NULL;
	}
	x86_restore_flags(flags);
	return s ? 0 : -ENOENT;
}

int ukplat_irq_mask(unsigned int irq)
{
	unsigned long flags = x86_save_flags_cli();
	int rc = set_mask(irq, true);

	x86_restore_flags(flags);
	return rc;
}

int ukplat_irq_unmask(unsigned int irq)
{
	unsigned long flags = x86_save_flags_cli();
	int rc = set_mask(irq, false);

	x86_restore_flags(flags);
	return rc;
}

void ukplat_irq_ack(unsigned int irq)
{
	if (current >= 0 && (unsigned int)current == irq && !acked) {
		acked = true;
		eoi(irq);
	}
}

uint64_t ukplat_irq_count(void)
{
	return count;
}

/* In-service bit of irq: a PIC raises line 7 (15) when a request went
 * away before the CPU took it; such a spurious one is not in service. */
static bool in_service(unsigned int irq)
{
	uint16_t port = irq >= 8 ? PIC2_CMD : PIC1_CMD;

	x86_outb(port, PIC_READ_ISR);
	return x86_inb(port) & (1U << (irq & 7));
}

void kvm_irq_dispatch(unsigned int vector, struct __regs *regs __unused)
{
	unsigned int irq = vector - X86_IRQ_VECTOR_BASE;
	struct slot *s;

	if ((irq & 7) == 7 && !in_service(irq)) {
		if (irq == 15)
			eoi(0);         /* the master did see the cascade */
		return;
	}
	/* a PIT edge that is not the armed one-shot's expiry (timer.c) */
	if (irq == KVM_TIMER_IRQ && !kvm_timer_deliver()) {
		eoi(irq);
		return;
	}
	count++;
	current = (int)irq;
	acked = false;
	s = find(irq);
	if (s)
		s->fn(irq, s->arg);
	else
		set_mask(irq, true);
	current = -1;
	if (!acked)
		eoi(irq);
}

/* ---- the CPU's mask (RFLAGS.IF) ---------------------------------------- */

void ukplat_lcpu_enable_irq(void)
{
	__asm__ __volatile__("sti" : : : "memory");
}

void ukplat_lcpu_disable_irq(void)
{
	__asm__ __volatile__("cli" : : : "memory");
}

unsigned long ukplat_lcpu_save_irqf(void)
{
	return x86_save_flags_cli();
}

void ukplat_lcpu_restore_irqf(unsigned long flags)
{
	x86_restore_flags(flags);
}

bool ukplat_lcpu_irqs_disabled(void)
{
	unsigned long f;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(f));
	return !(f & (1UL << 9));
}

/* sti's one-instruction shadow: no interrupt slips in before the hlt. */
void ukplat_lcpu_halt_irq(void)
{
	__asm__ __volatile__("sti; hlt; cli" : : : "memory");
}
