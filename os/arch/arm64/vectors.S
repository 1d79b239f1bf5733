/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EL1 exception vectors (VBAR_EL1). Kernel code runs on SP_EL0 (EL1t), so
 * an exception always lands on SP_EL1, the separate exception stack set up
 * by the platform entry code: a kernel stack overflow still gets a crash
 * report instead of a recursive fault.
 *
 * Every entry saves a frame (include/arm64/cpu.h, ARM64_FRAME_*):
 * struct __regs (x0-x30, sp, elr, spsr, esr, far — os/include/uk/arch.h)
 * then q0-q31, FPSR and FPCR, and calls arm64_trap(regs, kind) (traps.c).
 * If that returns (interrupts), ELR/SPSR/x0-x30/FP come back from the frame
 * and the exception returns.
 */
#include <arm64/cpu.h>

/* kind: ARM64_TRAP_<group> | ARM64_TRAP_<type> (include/arm64/cpu.h) */
.macro ventry kind
	.balign	0x80
	sub	sp, sp, #ARM64_FRAME_SIZE
	stp	x0, x1, [sp, #ARM64_REGS_X(0)]
	mov	x1, #\kind
	b	arm64_trap_entry
.endm

	.section .text.arm64_vectors,"ax",%progbits
	.balign	0x800
	.globl	arm64_vectors
arm64_vectors:
	/* current EL, SP_EL0: normal kernel code */
#if defined(CONFIG_LIBUKSYSCALL)
	.balign	0x80
	b	arm64_el1t_sync	/* el1t sync: svc #0 is a syscall (syscall.S), the rest goes on below */
#else
	ventry	0	/* el1t sync */
#endif
	ventry	1	/* el1t irq */
	ventry	2	/* el1t fiq */
	ventry	3	/* el1t serror */
	/* current EL, SP_EL1: inside an exception handler, or early boot */
	ventry	4	/* el1h sync */
	ventry	5	/* el1h irq */
	ventry	6	/* el1h fiq */
	ventry	7	/* el1h serror */
	/* lower EL, AArch64 */
	ventry	8	/* lower64 sync */
	ventry	9	/* lower64 irq */
	ventry	10	/* lower64 fiq */
	ventry	11	/* lower64 serror */
	/* lower EL, AArch32 */
	ventry	12	/* lower32 sync */
	ventry	13	/* lower32 irq */
	ventry	14	/* lower32 fiq */
	ventry	15	/* lower32 serror */

/* x0 saved, x1 = kind (the interrupted x1 is saved too) */
	.globl	arm64_trap_entry
arm64_trap_entry:
	stp	x2, x3, [sp, #ARM64_REGS_X(2)]
	stp	x4, x5, [sp, #ARM64_REGS_X(4)]
	stp	x6, x7, [sp, #ARM64_REGS_X(6)]
	stp	x8, x9, [sp, #ARM64_REGS_X(8)]
	stp	x10, x11, [sp, #ARM64_REGS_X(10)]
	stp	x12, x13, [sp, #ARM64_REGS_X(12)]
	stp	x14, x15, [sp, #ARM64_REGS_X(14)]
	stp	x16, x17, [sp, #ARM64_REGS_X(16)]
	stp	x18, x19, [sp, #ARM64_REGS_X(18)]
	stp	x20, x21, [sp, #ARM64_REGS_X(20)]
	stp	x22, x23, [sp, #ARM64_REGS_X(22)]
	stp	x24, x25, [sp, #ARM64_REGS_X(24)]
	stp	x26, x27, [sp, #ARM64_REGS_X(26)]
	stp	x28, x29, [sp, #ARM64_REGS_X(28)]
	/* the interrupted sp: SP_EL0, or this stack above the frame */
	mrs	x2, sp_el0
	add	x3, sp, #ARM64_FRAME_SIZE
	tst	x1, #(ARM64_TRAP_EL1H)
	csel	x2, x3, x2, ne
	stp	x30, x2, [sp, #ARM64_REGS_X(30)]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #ARM64_REGS_ELR]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #ARM64_REGS_ESR]
	add	x2, sp, #ARM64_FRAME_FP
	stp	q0, q1, [x2, #0x000]
	stp	q2, q3, [x2, #0x020]
	stp	q4, q5, [x2, #0x040]
	stp	q6, q7, [x2, #0x060]
	stp	q8, q9, [x2, #0x080]
	stp	q10, q11, [x2, #0x0a0]
	stp	q12, q13, [x2, #0x0c0]
	stp	q14, q15, [x2, #0x0e0]
	stp	q16, q17, [x2, #0x100]
	stp	q18, q19, [x2, #0x120]
	stp	q20, q21, [x2, #0x140]
	stp	q22, q23, [x2, #0x160]
	stp	q24, q25, [x2, #0x180]
	stp	q26, q27, [x2, #0x1a0]
	stp	q28, q29, [x2, #0x1c0]
	stp	q30, q31, [x2, #0x1e0]
	mrs	x3, fpsr
	mrs	x4, fpcr
	str	x3, [x2, #0x200]
	str	x4, [x2, #0x208]
	/* a frame record so backtraces walk into the interrupted code */
	ldr	x29, [sp, #ARM64_REGS_X(29)]
	ldr	x30, [sp, #ARM64_REGS_ELR]
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	add	x0, sp, #16
	bl	arm64_trap
	add	sp, sp, #16

	/* return from the exception (interrupts): restore everything */
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
	add	sp, sp, #ARM64_FRAME_SIZE
	eret
