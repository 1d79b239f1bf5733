/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64 context switch (uk/arch_ctx.h): the SysV callee-saved registers
 * (rbx, rbp, r12-r15) and the FP control state a call preserves (MXCSR,
 * x87 control word) go on the old stack; the stack pointer is the context.
 * Saved frame, from the saved rsp up:
 *   [mxcsr:4 fcw:2 pad:2] r15 r14 r13 r12 rbx rbp <return address>
 * A fresh context (ctx.c) returns into x86_ctx_start with r12 = fn and
 * r13 = arg.
 */
	.section .text.arch_ctx_switch, "ax", @progbits
	.code64

	.globl arch_ctx_switch
	.type arch_ctx_switch, @function
/* void arch_ctx_switch(uintptr_t *prev_sp %rdi, uintptr_t next_sp %rsi) */
arch_ctx_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $8, %rsp
	stmxcsr (%rsp)
	fnstcw 4(%rsp)
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	ldmxcsr (%rsp)
	fldcw 4(%rsp)
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size arch_ctx_switch, . - arch_ctx_switch

	.globl x86_ctx_start
	.type x86_ctx_start, @function
/* First instruction of a new context: rsp is 16-aligned here. */
x86_ctx_start:
	movq %r13, %rdi
	xorl %ebp, %ebp
	call *%r12
	ud2                             /* fn must not return */
	.size x86_ctx_start, . - x86_ctx_start

	.section .note.GNU-stack, "", @progbits
