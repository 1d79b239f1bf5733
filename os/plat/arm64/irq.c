/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupts on arm64: the platform API of uk/plat/irq.h over the board's
 * controller driver (include/arm64/irq.h: gic.c or bcm2836_intc.c). The
 * arch vectors call arm64_irq_handler(); each pending interrupt the
 * controller acknowledges goes to its registered handler, then gets its
 * end-of-interrupt (unless the handler sent it with ukplat_irq_ack()). An
 * interrupt nobody registered is disabled at the controller so it cannot
 * storm.
 *
 * The controller and the timers are set up at the first use of this file
 * (registration, or an interrupt taken), not at boot: until then nothing
 * can be signalled (the controller is as reset left it, no interrupt is
 * enabled in it, and the CPU has IRQs masked), so boot does not pay for
 * it and an image that never uses interrupts never does.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/arch.h>
#include <uk/plat/irq.h>
#include <arm64/cpu.h>
#include <arm64/irq.h>
#include <arm64/timer.h>

struct slot {
	unsigned int irq;
	ukplat_irq_handler_t fn;
	void *arg;
};

static struct slot slots[UKPLAT_IRQ_HANDLERS];
static uint64_t count;
static bool ready;
/* The interrupt being handled (its controller ack value), and whether its
 * handler already sent the end-of-interrupt. */
static unsigned int current = ARM64_IRQ_NONE;
static bool acked;

/* Both EL1 timers quiet, the controller on with everything disabled. */
static void setup(void)
{
	if (ready)
		return;
	ready = true;
	arm64_timer_stop();
	arm64_irqc_init();
}

static struct slot *find(unsigned int irq)
{
	for (unsigned int i = 0; i < UKPLAT_IRQ_HANDLERS; i++)
		if (slots[i].fn && slots[i].irq == irq)
			return &slots[i];
	return NULL;
}

int ukplat_irq_register(unsigned int irq, ukplat_irq_handler_t fn, void *arg)
{
	uint64_t flags = arm64_irq_save();
	struct slot *s = NULL;
	int rc = -ENOSPC;

	setup();
	if (!fn) {
		rc = -EINVAL;
	} else if (find(irq)) {
		rc = -EBUSY;
	} else {
		for (unsigned int i = 0; i < UKPLAT_IRQ_HANDLERS && !s; i++)
			if (!slots[i].fn)
				s = &slots[i];
		if (s) {
			*s = (struct slot){ irq, fn, arg };
			rc = arm64_irqc_enable(irq);
			if (rc < 0)
				s->fn = NULL;
		}
	}
	arm64_irq_restore(flags);
	return rc;
}

int ukplat_irq_unregister(unsigned int irq)
{
	uint64_t flags = arm64_irq_save();
	struct slot *s;

	setup();
	s = find(irq);
	if (s) {
		arm64_irqc_disable(irq);
		s->fn = NULL;
	}
	arm64_irq_restore(flags);
	return s ? 0 : -ENOENT;
}

int ukplat_irq_mask(unsigned int irq)
{
	setup();
	return arm64_irqc_disable(irq);
}

int ukplat_irq_unmask(unsigned int irq)
{
	setup();
	return arm64_irqc_enable(irq);
}

void ukplat_irq_ack(unsigned int irq)
{
	if (current != ARM64_IRQ_NONE && (current & 0x3ff) == irq && !acked) {
		acked = true;
		arm64_irqc_eoi(current);
	}
}

uint64_t ukplat_irq_count(void)
{
	return count;
}

/* No MSI here (virtio-mmio interrupts are GIC SPIs). */
int ukplat_irq_alloc_msi(ukplat_irq_handler_t fn __unused, void *arg __unused,
			 uint64_t *addr __unused, uint32_t *data __unused)
{
	return -ENOTSUP;
}

void arm64_irq_handler(struct __regs *regs)
{
	unsigned int ack, irq, n;
	struct slot *s;

	setup();
	for (n = 0; n < 64; n++) {
		ack = arm64_irqc_ack();
		if (ack == ARM64_IRQ_NONE)
			break;
		irq = ack & 0x3ff;
		count++;
		current = ack;
		acked = false;
		s = find(irq);
		if (s)
			s->fn(irq, s->arg);
		else
			arm64_irqc_disable(irq);
		current = ARM64_IRQ_NONE;
		if (!acked)
			arm64_irqc_eoi(ack);
	}
}

/* ---- the CPU's mask (DAIF.I) ------------------------------------------- */

void ukplat_lcpu_enable_irq(void)
{
	arm64_irq_enable();
}

void ukplat_lcpu_disable_irq(void)
{
	arm64_irq_disable();
}

unsigned long ukplat_lcpu_save_irqf(void)
{
	return arm64_irq_save();
}

/*
 * The pair's contract: IRQs are masked here (save_irqf masked them), so
 * only DAIF.I can differ from what was saved, and only a clear one needs
 * work. A nested pair (saved masked) costs nothing: no write to DAIF.
 */
void ukplat_lcpu_restore_irqf(unsigned long flags)
{
	if (!(flags & ARM64_DAIF_IRQ))
		arm64_irq_enable();
}

bool ukplat_lcpu_irqs_disabled(void)
{
	return arm64_sysreg_read(daif) & ARM64_DAIF_IRQ;
}

/* WFI wakes on a pending interrupt even while DAIF.I masks it; the short
 * unmasked window then takes it. */
void ukplat_lcpu_halt_irq(void)
{
	arm64_wfi();
	arm64_irq_enable();
	arm64_isb();
	arm64_irq_disable();
}
