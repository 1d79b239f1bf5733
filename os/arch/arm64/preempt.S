/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64_preempt_tramp (see preempt.c): entered at EL1t, interrupts masked,
 * with SP_EL0 pointing at a copy of an interrupt frame (the layout of
 * vectors.S, include/arm64/cpu.h ARM64_FRAME_*) taken on this thread's
 * stack. Calls uk_sched_preempt(), then restores the frame and returns to
 * the interrupted code with ERET (ELR/SPSR from the frame: its interrupt
 * mask comes back with it).
 */
#include <arm64/cpu.h>

	.section .text.arm64_preempt_tramp, "ax", %progbits
	.globl	arm64_preempt_tramp
	.type	arm64_preempt_tramp, %function
arm64_preempt_tramp:
	/* a frame record into the interrupted code, for backtraces */
	ldr	x29, [sp, #ARM64_REGS_X(29)]
	ldr	x30, [sp, #ARM64_REGS_ELR]
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	uk_sched_preempt
	add	sp, sp, #16

	add	x2, sp, #ARM64_FRAME_FP
	ldr	x3, [x2, #0x200]
	ldr	x4, [x2, #0x208]
	msr	fpsr, x3
	msr	fpcr, x4
	ldp	q0, q1, [x2, #0x000]
	ldp	q2, q3, [x2, #0x020]
	ldp	q4, q5, [x2, #0x040]
	ldp	q6, q7, [x2, #0x060]
	ldp	q8, q9, [x2, #0x080]
	ldp	q10, q11, [x2, #0x0a0]
	ldp	q12, q13, [x2, #0x0c0]
	ldp	q14, q15, [x2, #0x0e0]
	ldp	q16, q17, [x2, #0x100]
	ldp	q18, q19, [x2, #0x120]
	ldp	q20, q21, [x2, #0x140]
	ldp	q22, q23, [x2, #0x160]
	ldp	q24, q25, [x2, #0x180]
	ldp	q26, q27, [x2, #0x1a0]
	ldp	q28, q29, [x2, #0x1c0]
	ldp	q30, q31, [x2, #0x1e0]
	ldp	x2, x3, [sp, #ARM64_REGS_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x2, x3, [sp, #ARM64_REGS_X(2)]
	ldp	x4, x5, [sp, #ARM64_REGS_X(4)]
	ldp	x6, x7, [sp, #ARM64_REGS_X(6)]
	ldp	x8, x9, [sp, #ARM64_REGS_X(8)]
	ldp	x10, x11, [sp, #ARM64_REGS_X(10)]
	ldp	x12, x13, [sp, #ARM64_REGS_X(12)]
	ldp	x14, x15, [sp, #ARM64_REGS_X(14)]
	ldp	x16, x17, [sp, #ARM64_REGS_X(16)]
	ldp	x18, x19, [sp, #ARM64_REGS_X(18)]
	ldp	x20, x21, [sp, #ARM64_REGS_X(20)]
	ldp	x22, x23, [sp, #ARM64_REGS_X(22)]
	ldp	x24, x25, [sp, #ARM64_REGS_X(24)]
	ldp	x26, x27, [sp, #ARM64_REGS_X(26)]
	ldp	x28, x29, [sp, #ARM64_REGS_X(28)]
	ldr	x30, [sp, #ARM64_REGS_X(30)]
	ldp	x0, x1, [sp, #ARM64_REGS_X(0)]
	add	sp, sp, #ARM64_FRAME_SIZE       /* the interrupted sp */
	eret
	.size	arm64_preempt_tramp, . - arm64_preempt_tramp
