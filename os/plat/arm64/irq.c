/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupt dispatch (include/arm64/irq.h): the arch vectors call
 * arm64_irq_handler(); each pending interrupt the controller acknowledges
 * goes to its registered handler, then gets its end-of-interrupt. An
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
#include <uk/arch.h>
#include <arm64/cpu.h>
#include <arm64/irq.h>
#include <arm64/timer.h>

struct slot {
	unsigned int irq;
	arm64_irq_fn fn;
	void *arg;
};

static struct slot slots[ARM64_IRQ_SLOTS];
static uint64_t count;
static bool ready;

/* Both EL1 timers quiet, the controller on with everything disabled. */
static void setup(void)
{
	if (ready)
		return;
	ready = true;
	arm64_timer_stop();
	arm64_irqc_init();
}

int arm64_irq_register(unsigned int irq, arm64_irq_fn fn, void *arg)
{
	uint64_t flags = arm64_irq_save();
	int i, rc = -1;

	setup();
	for (i = 0; i < ARM64_IRQ_SLOTS; i++)
		if (!slots[i].fn) {
			if (arm64_irqc_enable(irq) < 0)
				break;
			slots[i].irq = irq;
			slots[i].arg = arg;
			slots[i].fn = fn;
			rc = 0;
			break;
		}
	arm64_irq_restore(flags);
	return rc;
}

void arm64_irq_unregister(unsigned int irq)
{
	uint64_t flags = arm64_irq_save();
	int i;

	setup();
	arm64_irqc_disable(irq);
	for (i = 0; i < ARM64_IRQ_SLOTS; i++)
		if (slots[i].fn && slots[i].irq == irq)
			slots[i].fn = NULL;
	arm64_irq_restore(flags);
}

uint64_t arm64_irq_count(void)
{
	return count;
}

void arm64_irq_handler(struct __regs *regs)
{
	unsigned int ack, irq, n;
	int i;

	setup();
	for (n = 0; n < 64; n++) {
		ack = arm64_irqc_ack();
		if (ack == ARM64_IRQ_NONE)
			break;
		irq = ack & 0x3ff;
		count++;
		for (i = 0; i < ARM64_IRQ_SLOTS; i++)
			if (slots[i].fn && slots[i].irq == irq)
				break;
		if (i < ARM64_IRQ_SLOTS)
			slots[i].fn(irq, slots[i].arg);
		else
			arm64_irqc_disable(irq);
		arm64_irqc_eoi(ack);
	}
}
