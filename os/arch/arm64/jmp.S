/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Saved contexts on arm64 (uk/arch_jmp.h; AAPCS64): arch_jmp_save /
 * arch_jmp_resume (what setjmp/longjmp are), arch_call_on_stack.
 * ctx: x19-x28, x29 (fp), x30 (lr), sp, d8-d15 (the low halves of v8-v15).
 */
	.section .text.arch_jmp_save, "ax", %progbits
	.globl arch_jmp_save
	.type arch_jmp_save, %function
	.p2align 2
arch_jmp_save:
	stp x19, x20, [x0, #0]
	stp x21, x22, [x0, #16]
	stp x23, x24, [x0, #32]
	stp x25, x26, [x0, #48]
	stp x27, x28, [x0, #64]
	stp x29, x30, [x0, #80]
	mov x2, sp
	str x2, [x0, #96]
	stp d8, d9, [x0, #104]
	stp d10, d11, [x0, #120]
	stp d12, d13, [x0, #136]
	stp d14, d15, [x0, #152]
	mov w0, #0
	ret
	.size arch_jmp_save, . - arch_jmp_save

	.section .text.arch_jmp_resume, "ax", %progbits
	.globl arch_jmp_resume
	.type arch_jmp_resume, %function
	.p2align 2
arch_jmp_resume:
	ldp x19, x20, [x0, #0]
	ldp x21, x22, [x0, #16]
	ldp x23, x24, [x0, #32]
	ldp x25, x26, [x0, #48]
	ldp x27, x28, [x0, #64]
	ldp x29, x30, [x0, #80]
	ldr x2, [x0, #96]
	mov sp, x2
	ldp d8, d9, [x0, #104]
	ldp d10, d11, [x0, #120]
	ldp d12, d13, [x0, #136]
	ldp d14, d15, [x0, #152]
	cmp w1, #0                  /* val 0 returns 1 */
	csinc w0, w1, wzr, ne
	ret
	.size arch_jmp_resume, . - arch_jmp_resume

	.section .text.arch_call_on_stack, "ax", %progbits
	.globl arch_call_on_stack
	.type arch_call_on_stack, %function
	.p2align 2
/* void arch_call_on_stack(void (*fn)(void *) x0, void *arg x1, uintptr_t top x2) */
arch_call_on_stack:
	mov x3, x0
	mov x0, x1
	mov sp, x2
	mov x29, xzr
	mov x30, xzr
	blr x3
	brk #0                      /* fn must not return */
	.size arch_call_on_stack, . - arch_call_on_stack

	.section .note.GNU-stack, "", %progbits
