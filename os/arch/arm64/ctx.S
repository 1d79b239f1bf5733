/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64 context switch (uk/arch_ctx.h): the AAPCS64 callee-saved registers
 * (x19-x28, the frame record x29/x30, d8-d15) and FPCR go on the old stack
 * (SP_EL0: threads run at EL1t); the stack pointer is the context.
 * Saved frame (ARM64_CTX_SIZE bytes), from the saved sp up:
 *   x19 x20 x21 x22 x23 x24 x25 x26 x27 x28 x29 x30 d8-d15 fpcr pad
 * A fresh context (ctx.c) returns into arm64_ctx_start with x19 = fn and
 * x20 = arg.
 */
#define ARM64_CTX_SIZE 176

	.section .text.arch_ctx_switch, "ax", %progbits

	.globl arch_ctx_switch
	.type arch_ctx_switch, %function
/* void arch_ctx_switch(uintptr_t *prev_sp x0, uintptr_t next_sp x1) */
arch_ctx_switch:
	sub	sp, sp, #ARM64_CTX_SIZE
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
	mrs	x9, fpcr
	str	x9, [sp, #160]
	mov	x9, sp
	str	x9, [x0]
	mov	sp, x1
	ldr	x9, [sp, #160]
	msr	fpcr, x9
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
	add	sp, sp, #ARM64_CTX_SIZE
	ret
	.size arch_ctx_switch, . - arch_ctx_switch

	.globl arm64_ctx_start
	.type arm64_ctx_start, %function
/* First instruction of a new context. */
arm64_ctx_start:
	mov	x0, x20
	mov	x29, xzr
	mov	x30, xzr
	blr	x19
	brk	#0                      /* fn must not return */
	.size arm64_ctx_start, . - arm64_ctx_start
