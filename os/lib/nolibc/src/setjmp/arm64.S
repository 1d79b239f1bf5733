/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * setjmp/longjmp for arm64: the architecture's saved context
 * (uk/arch_jmp.h, os/arch/arm64/jmp.S), entered by a tail branch (lr
 * kept) so that it saves (and resumes) setjmp's caller. jmp_buf: struct
 * arch_jmp.
 */
	.section .text.setjmp, "ax", %progbits
	.globl setjmp
	.type setjmp, %function
	.p2align 2
setjmp:
	b arch_jmp_save
	.size setjmp, . - setjmp

	.section .text.longjmp, "ax", %progbits
	.globl longjmp
	.type longjmp, %function
	.p2align 2
longjmp:
	b arch_jmp_resume           /* longjmp(env, 0) returns 1 there */
	.size longjmp, . - longjmp

	.section .note.GNU-stack, "", %progbits
