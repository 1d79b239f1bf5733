/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * External interrupts, architecture side: IDT gates for the vectors of
 * irq.S, and the hand-off to whoever drives the interrupt controller (a
 * platform calls x86_irq_init() with its dispatcher). The architecture
 * knows vectors, not controllers: no platform symbol is referenced here.
 */
#include <uk/essentials.h>
#include <uk/arch.h>
#include <uk/assert.h>
#include <x86/cpu.h>

#define IRQ_STUB_SIZE 16

extern const char x86_irq_stubs[];
void x86_irq_entry(struct __regs *regs);

static x86_irq_dispatch_t dispatch;

#if defined(CONFIG_LIBUKSCHED_PREEMPTION)
/* uksched's (uk/sched_policy.h); an image without a scheduler has no
 * preemption code here at all. */
extern volatile int uk_sched_need_resched;
void uk_sched_preempt(void);
void uk_sched_preempt_notify(struct __regs *regs) __weak;
#endif

void x86_irq_init(x86_irq_dispatch_t fn)
{
	unsigned int i;

	dispatch = fn;
	for (i = 0; i < X86_IRQ_VECTORS; i++)
		x86_idt_set_gate(X86_IRQ_VECTOR_BASE + i,
				 (uintptr_t)x86_irq_stubs + i * IRQ_STUB_SIZE);
}

/* Called by irq.S, interrupts masked. */
void x86_irq_entry(struct __regs *regs)
{
	UK_ASSERT(dispatch);
	dispatch((unsigned int)regs->vector, regs);
	/* preemption: after the end of interrupt, on the interrupted thread's
	 * stack, which keeps this frame and the FPU state irq.S saved */
#if defined(CONFIG_LIBUKSCHED_PREEMPTION)
	if (uk_sched_need_resched) {
		if (uk_sched_preempt_notify)
			uk_sched_preempt_notify(regs);  /* rseq: may move rip */
		uk_sched_preempt();
	}
#endif
}
