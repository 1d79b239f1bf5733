/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fork's context switch on arm64 (fork.c), as fork_x86_64.S:
 * fork_ctx_save(ctx) / fork_ctx_resume(ctx, val) / fork_call_on_stack(fn,
 * arg, top). ctx: x19-x30, sp, d8-d15 (21 words).
 */
	.section .text.fork_ctx_save, "ax", %progbits
	.globl fork_ctx_save
	.type fork_ctx_save, %function
fork_ctx_save:
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	mov	x1, sp
	str	x1, [x0, #96]
	stp	d8, d9, [x0, #104]
	stp	d10, d11, [x0, #120]
	stp	d12, d13, [x0, #136]
	stp	d14, d15, [x0, #152]
	mov	x0, #0
	ret
	.size fork_ctx_save, . - fork_ctx_save

	.globl fork_ctx_resume
	.type fork_ctx_resume, %function
fork_ctx_resume:
	ldp	x19, x20, [x0, #0]
	ldp	x21, x22, [x0, #16]
	ldp	x23, x24, [x0, #32]
	ldp	x25, x26, [x0, #48]
	ldp	x27, x28, [x0, #64]
	ldp	x29, x30, [x0, #80]
	ldr	x2, [x0, #96]
	mov	sp, x2
	ldp	d8, d9, [x0, #104]
	ldp	d10, d11, [x0, #120]
	ldp	d12, d13, [x0, #136]
	ldp	d14, d15, [x0, #152]
	mov	w0, w1
	ret
	.size fork_ctx_resume, . - fork_ctx_resume

	.globl fork_call_on_stack
	.type fork_call_on_stack, %function
fork_call_on_stack:
	mov	x3, x0
	mov	x0, x1
	mov	sp, x2
	mov	x29, #0
	blr	x3
	brk	#0
	.size fork_call_on_stack, . - fork_call_on_stack

	.section .note.GNU-stack, "", @progbits
