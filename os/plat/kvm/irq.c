/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupts on x86 QEMU/KVM (pc, microvm): the platform API of
 * uk/plat/irq.h over one of two controllers, chosen at the first use:
 *
 *  - the local APIC and the IOAPIC (apic.c, ioapic.c), whenever the CPU
 *    has a local APIC (CPUID.1:EDX.APIC; QEMU's always do): lines 0-23 are
 *    the IOAPIC's inputs (vectors 32-55), line 24 (KVM_IRQ_APIC_TIMER,
 *    vector 56) the local APIC timer, the platform's one-shot (timer.c).
 *    The 8259 PICs are re-initialised off the exception vectors and masked
 *    whole, LINT0 masked: nothing from them reaches the CPU. Lines 25-30
 *    (vectors 57-62) are message-signalled (ukplat_irq_alloc_msi), for
 *    PCI MSI-X: a device writes the vector to the local APIC directly.
 *  - the fallback, with no local APIC or with CONFIG_KVM_IRQ_PIC: the
 *    8259 PIC pair (pic.c), lines 0-15 (vectors 32-47, 2
 *    is the cascade), with PIT channel 0 as the one-shot on line 0.
 *
 * Set up at the first registration or timer use (boot does not pay for
 * it). Interrupts stay masked at the CPU (RFLAGS.IF) until
 * ukplat_lcpu_enable_irq() or ukplat_lcpu_halt_irq().
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/arch.h>
#include <uk/plat/irq.h>
#include <x86/cpu.h>
#include "kvm.h"

#define PIC_LINES 16
#define CASCADE   2

struct slot {
	unsigned int irq;
	ukplat_irq_handler_t fn;
	void *arg;
};

static struct slot slots[UKPLAT_IRQ_HANDLERS];
static uint64_t count;
static enum { UNDECIDED, MODE_PIC, MODE_APIC } mode;
static bool ready;
static unsigned int ioapic_lines;
static uint32_t apic_id;
static bool msi_used[UKPLAT_IRQ_MSI_LINES];
static int current = -1;        /* the line being handled */
static bool acked;

bool kvm_irq_apic(void)
{
	if (mode == UNDECIDED)
#if defined(CONFIG_KVM_IRQ_PIC)
		mode = MODE_PIC;
#else
		mode = kvm_apic_present() ? MODE_APIC : MODE_PIC;
#endif
	return mode == MODE_APIC;
}

const char *kvm_irq_controller(void)
{
	return kvm_irq_apic() ? kvm_apic_mode() : "8259 pic + pit";
}

void kvm_irq_setup(void)
{
	unsigned long flags;

	if (ready)
		return;
	flags = x86_save_flags_cli();
	ready = true;
	x86_irq_init(kvm_irq_dispatch);
	if (kvm_irq_apic()) {
		kvm_pic_init(false);
		apic_id = kvm_apic_init();
		ioapic_lines = kvm_ioapic_init(apic_id);
	} else {
		kvm_pic_init(true);
		kvm_apic_virtual_wire();
	}
	kvm_timer_quiet();                      /* nothing stale from firmware */
	x86_restore_flags(flags);
}

static bool is_msi(unsigned int irq)
{
	return irq >= UKPLAT_IRQ_MSI_FIRST
		&& irq < UKPLAT_IRQ_MSI_FIRST + UKPLAT_IRQ_MSI_LINES
		&& msi_used[irq - UKPLAT_IRQ_MSI_FIRST];
}

static bool valid(unsigned int irq)
{
	if (kvm_irq_apic())
		return irq < ioapic_lines || irq == KVM_IRQ_APIC_TIMER
			|| is_msi(irq);
	return irq < PIC_LINES && irq != CASCADE;
}

static void eoi(unsigned int irq)
{
	if (mode == MODE_APIC)
		kvm_apic_eoi();
	else
		kvm_pic_eoi(irq);
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
	kvm_irq_setup();
	if (!valid(irq))
		return -EINVAL;
	if (mode == MODE_PIC)
		kvm_pic_mask(irq, masked);
	else if (is_msi(irq))
		;                       /* masked at the device */
	else if (irq == KVM_IRQ_APIC_TIMER)
		kvm_apic_timer_mask(masked);
	else
		kvm_ioapic_mask(irq, masked);
	return 0;
}

int ukplat_irq_register(unsigned int irq, ukplat_irq_handler_t fn, void *arg)
{
	unsigned long flags = x86_save_flags_cli();
	struct slot *s = NULL;
	int rc = -ENOSPC;

	kvm_irq_setup();
	if (!fn || !valid(irq)) {
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
		if (is_msi(irq))
			msi_used[irq - UKPLAT_IRQ_MSI_FIRST] = false;
	}
	x86_restore_flags(flags);
	return s ? 0 : -ENOENT;
}

int ukplat_irq_alloc_msi(ukplat_irq_handler_t fn, void *arg,
			 uint64_t *addr, uint32_t *data)
{
	unsigned long flags = x86_save_flags_cli();
	unsigned int i, irq;
	int rc;

	kvm_irq_setup();
	if (!fn) {
		rc = -EINVAL;
	} else if (!kvm_irq_apic()) {
		rc = -ENOTSUP;
	} else {
		rc = -ENOSPC;
		for (i = 0; i < UKPLAT_IRQ_MSI_LINES && msi_used[i]; i++)
			;
		if (i < UKPLAT_IRQ_MSI_LINES) {
			irq = UKPLAT_IRQ_MSI_FIRST + i;
			msi_used[i] = true;
			rc = ukplat_irq_register(irq, fn, arg);
			if (rc < 0) {
				msi_used[i] = false;
			} else {
				/* Intel SDM 11.11: 0xfee, destination ID
				 * 19:12, physical, fixed, edge */
				*addr = 0xfee00000ULL | (uint64_t)(apic_id & 0xff) << 12;
				*data = X86_IRQ_VECTOR_BASE + irq;
				rc = (int)irq;
			}
		}
	}
	x86_restore_flags(flags);
	return rc;
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

void kvm_irq_dispatch(unsigned int vector, struct __regs *regs __unused)
{
	unsigned int irq = vector - X86_IRQ_VECTOR_BASE;
	struct slot *s;

	if (mode == MODE_APIC) {
		if (vector == KVM_APIC_SPURIOUS_VEC)
			return;                 /* never in service: no EOI */
	} else if ((irq & 7) == 7 && !kvm_pic_in_service(irq)) {
		if (irq == 15)
			kvm_pic_eoi(0);         /* the master did see the cascade */
		return;
	}
	/* a timer interrupt that is not the armed one-shot's expiry (timer.c) */
	if (irq == ukplat_timer_irq() && !kvm_timer_deliver()) {
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

/*
 * Whatever unmasks interrupts sets the controller up first: on pc, SeaBIOS
 * leaves the PIT ticking into the PIC at vectors 8-15, which the CPU would
 * take as exceptions (a "double fault").
 */
void ukplat_lcpu_enable_irq(void)
{
	kvm_irq_setup();
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

/*
 * The pair's contract: interrupts are masked here (save_irqf masked them),
 * so only IF can differ from what was saved, and only a set IF needs work.
 * A nested pair (saved with IF clear) costs nothing: no popfq, which
 * would rewrite every flag to change none.
 */
void ukplat_lcpu_restore_irqf(unsigned long flags)
{
	if (flags & X86_RFLAGS_IF) {
		kvm_irq_setup();
		__asm__ __volatile__("sti" : : : "memory");
	}
}

bool ukplat_lcpu_irqs_disabled(void)
{
	unsigned long f;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(f));
	return !(f & X86_RFLAGS_IF);
}

/* sti's one-instruction shadow: no interrupt slips in before the hlt. */
void ukplat_lcpu_halt_irq(void)
{
	kvm_irq_setup();
	__asm__ __volatile__("sti; hlt; cli" : : : "memory");
}
