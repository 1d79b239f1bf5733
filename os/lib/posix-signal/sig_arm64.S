/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64 pieces of posix-signal: calling a handler on the alternate stack,
 * the restorer a handler returns to (its lr), and the return to a saved
 * context with its FP/SIMD state.
 */
	.text

/* void sig_call_on_stack(fn, a0, a1, a2, stack_top) */
	.globl sig_call_on_stack
	.type sig_call_on_stack, %function
sig_call_on_stack:
	stp x29, x30, [sp, #-32]!
	str x19, [sp, #16]
	mov x29, sp
	mov x19, sp
	mov sp, x4
	mov x16, x0
	mov x0, x1
	mov x1, x2
	mov x2, x3
	blr x16
	mov sp, x19
	ldr x19, [sp, #16]
	ldp x29, x30, [sp], #32
	ret
	.size sig_call_on_stack, . - sig_call_on_stack

/* The handler's lr: sp is the frame (siginfo first) as the handler got it. */
	.globl uk_sig_restorer
	.type uk_sig_restorer, %function
uk_sig_restorer:
	mov x0, sp
	bl uk_sig_return
	brk #0
	.size uk_sig_restorer, . - uk_sig_restorer

/* void sig_resume_fp(const struct __regs *regs, const struct
 * uk_fpsimd_context *fp): FPSR, FPCR, q0-q31 back, then uk_regs_resume. */
	.globl sig_resume_fp
	.type sig_resume_fp, %function
sig_resume_fp:
	cbz x1, 1f
	ldr w2, [x1, #8]
	msr fpsr, x2
	ldr w2, [x1, #12]
	msr fpcr, x2
	add x1, x1, #16
	ldp q0, q1, [x1, #0x000]
	ldp q2, q3, [x1, #0x020]
	ldp q4, q5, [x1, #0x040]
	ldp q6, q7, [x1, #0x060]
	ldp q8, q9, [x1, #0x080]
	ldp q10, q11, [x1, #0x0a0]
	ldp q12, q13, [x1, #0x0c0]
	ldp q14, q15, [x1, #0x0e0]
	ldp q16, q17, [x1, #0x100]
	ldp q18, q19, [x1, #0x120]
	ldp q20, q21, [x1, #0x140]
	ldp q22, q23, [x1, #0x160]
	ldp q24, q25, [x1, #0x180]
	ldp q26, q27, [x1, #0x1a0]
	ldp q28, q29, [x1, #0x1c0]
	ldp q30, q31, [x1, #0x1e0]
1:	b uk_regs_resume
	.size sig_resume_fp, . - sig_resume_fp

	.section .note.GNU-stack, "", %progbits
