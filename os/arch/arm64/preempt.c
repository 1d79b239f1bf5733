/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64 preemption at interrupt return. The interrupt frame lives on the
 * one exception stack (SP_EL1), which every thread shares, so the switch
 * cannot happen in the handler as on x86. Instead, when uksched asked for a
 * reschedule and the interrupt came from a thread (EL1t), the whole frame
 * (registers, q0-q31, FPSR/FPCR) is copied onto that thread's own stack,
 * just below its stack pointer, and the exception returns into
 * arm64_preempt_tramp (preempt.S) at EL1t with interrupts masked. The
 * trampoline calls uk_sched_preempt() as a plain function on the thread's
 * stack and, when the thread runs again, restores the frame and returns to
 * the interrupted instruction with ERET. AAPCS64 code has no red zone, so
 * the memory below the stack pointer is free.
 */
#include <uk/essentials.h>
#include <uk/arch.h>
#include <uk/sched_policy.h>
#include <arm64/cpu.h>

void arm64_preempt_tramp(void);

void arm64_preempt_irq_return(struct __regs *regs)
{
	uintptr_t sp;

	if (!uk_sched_need_resched)
		return;
	if (uk_sched_preempt_notify)
		uk_sched_preempt_notify(regs);  /* rseq: may move elr */
	sp = regs->sp - ARM64_FRAME_SIZE;       /* SP stays 16-aligned */
	__builtin_memcpy((void *)sp, regs, ARM64_FRAME_SIZE);
	__asm__ __volatile__("msr sp_el0, %0" : : "r"(sp) : "memory");
	regs->elr = (uintptr_t)arm64_preempt_tramp;
	regs->spsr = (regs->spsr & ~0xfUL) | ARM64_SPSR_EL1T | ARM64_DAIF_IRQ;
}
