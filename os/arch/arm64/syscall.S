/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The trapped syscall path on arm64: `svc #0` from kernel code (EL1 on
 * SP_EL0) is a synchronous exception with ESR_EL1.EC = 0x15; the
 * vectors' el1t-sync slot (vectors.S, with uksyscall) branches here.
 * Anything else goes on to the common trap path unchanged.
 *
 * Linux's contract: x8 = number, x0-x5 = arguments, result in x0; every
 * other register (x1-x30, sp, the FP/SIMD registers, NZCV) is preserved.
 *
 * The handler may block and switch threads, so it does not run on the
 * one exception stack (SP_EL1): the frame (struct __regs + q0-q31, FPSR,
 * FPCR, the layout of vectors.S) goes on the calling thread's own stack
 * (SP_EL0; AAPCS64 has no red zone), interrupts go back to the caller's
 * mask, and arm64_syscall_handler(regs) (syscall.c) puts the result in
 * regs->x[0]. The return takes every register, sp, ELR and SPSR from the
 * frame, which a handler may have changed (clone, signals).
 */
#include <arm64/cpu.h>

	.section .text.arm64_syscall, "ax", %progbits
	.globl	arm64_el1t_sync
	.type	arm64_el1t_sync, %function
arm64_el1t_sync:
	sub	sp, sp, #ARM64_FRAME_SIZE
	stp	x0, x1, [sp, #ARM64_REGS_X(0)]
	mrs	x0, esr_el1
	ubfx	x0, x0, #26, #6
	cmp	x0, #ARM64_EC_SVC64
	b.eq	1f
	mov	x1, #0		/* kind: el1t sync */
	b	arm64_trap_entry

1:	/*
	 * The frame goes on the caller's stack, which may be a posix-mmap
	 * mapping paged on demand (a Linux program's, ukelfload): a store
	 * there may fault, and the nested exception overwrites ELR_EL1 and
	 * SPSR_EL1 before they are saved. So: keep them in this SP_EL1 frame
	 * (always mapped), touch the lowest and highest byte the frame and
	 * its frame record will use (the frame is under a page: that covers
	 * every page), then put them back.
	 */
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #ARM64_REGS_ELR]
	mrs	x0, sp_el0
	sub	x0, x0, #(ARM64_FRAME_SIZE + 16)
	ldrb	w1, [x0]
	mrs	x0, sp_el0
	sub	x0, x0, #1
	ldrb	w1, [x0]
	ldp	x0, x1, [sp, #ARM64_REGS_ELR]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #ARM64_REGS_X(0)]
	add	sp, sp, #ARM64_FRAME_SIZE
	msr	spsel, #0	/* sp = SP_EL0, the caller's stack */
	sub	sp, sp, #ARM64_FRAME_SIZE
	stp	x0, x1, [sp, #ARM64_REGS_X(0)]
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
	add	x2, sp, #ARM64_FRAME_SIZE
	stp	x30, x2, [sp, #ARM64_REGS_X(30)]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #ARM64_REGS_ELR]
	mrs	x2, esr_el1
	stp	x2, xzr, [sp, #ARM64_REGS_ESR]
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
	mrs	x4, fpsr
	mrs	x5, fpcr
	str	x4, [x2, #0x200]
	str	x5, [x2, #0x208]
	/* a frame record (fp, return = the caller's pc) for backtraces */
	ldr	x30, [sp, #ARM64_REGS_ELR]
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	/* the caller's interrupt mask (SPSR's DAIF bits) */
	and	x3, x3, #0x3c0
	msr	daif, x3
	add	x0, sp, #16
	bl	arm64_syscall_handler
	msr	daifset, #0xf
	add	sp, sp, #16

	add	x2, sp, #ARM64_FRAME_FP
	ldr	x4, [x2, #0x200]
	ldr	x5, [x2, #0x208]
	msr	fpsr, x4
	msr	fpcr, x5
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
	/* back on SP_EL1 (empty: nothing of ours is on it), SP_EL0 = the frame's sp */
	mov	x0, sp
	msr	spsel, #1
	ldr	x1, [x0, #ARM64_REGS_SP]
	msr	sp_el0, x1
	ldp	x2, x3, [x0, #ARM64_REGS_X(2)]
	ldp	x4, x5, [x0, #ARM64_REGS_X(4)]
	ldp	x6, x7, [x0, #ARM64_REGS_X(6)]
	ldp	x8, x9, [x0, #ARM64_REGS_X(8)]
	ldp	x10, x11, [x0, #ARM64_REGS_X(10)]
	ldp	x12, x13, [x0, #ARM64_REGS_X(12)]
	ldp	x14, x15, [x0, #ARM64_REGS_X(14)]
	ldp	x16, x17, [x0, #ARM64_REGS_X(16)]
	ldp	x18, x19, [x0, #ARM64_REGS_X(18)]
	ldp	x20, x21, [x0, #ARM64_REGS_X(20)]
	ldp	x22, x23, [x0, #ARM64_REGS_X(22)]
	ldp	x24, x25, [x0, #ARM64_REGS_X(24)]
	ldp	x26, x27, [x0, #ARM64_REGS_X(26)]
	ldp	x28, x29, [x0, #ARM64_REGS_X(28)]
	ldr	x30, [x0, #ARM64_REGS_X(30)]
	ldp	x0, x1, [x0, #ARM64_REGS_X(0)]
	eret
	.size	arm64_el1t_sync, . - arm64_el1t_sync
