/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64 pieces of posix-signal: calling a handler on the alternate
 * stack, the restorer a handler returns to, and the return to a saved
 * context with its FP/SSE state.
 */
	.text

/* void sig_call_on_stack(fn, a0, a1, a2, stack_top): fn(a0, a1, a2) with
 * rsp = stack_top (16-aligned), then back on the caller's stack. */
	.globl sig_call_on_stack
	.type sig_call_on_stack, @function
sig_call_on_stack:
	pushq %rbp
	movq %rsp, %rbp
	movq %r8, %rsp
	movq %rdi, %rax
	movq %rsi, %rdi
	movq %rdx, %rsi
	movq %rcx, %rdx
	call *%rax
	movq %rbp, %rsp
	popq %rbp
	ret
	.size sig_call_on_stack, . - sig_call_on_stack

/* The handler's return address (the frame's pretcode): rsp points at the
 * frame's ucontext once ret popped pretcode. */
	.globl uk_sig_restorer
	.type uk_sig_restorer, @function
uk_sig_restorer:
	movq %rsp, %rdi
	andq $-16, %rsp
	call uk_sig_return
	ud2
	.size uk_sig_restorer, . - uk_sig_restorer

/* void sig_resume_fp(const struct __regs *regs, const void *fxsave_area):
 * the FP/SSE state back (fxrstor), then uk_regs_resume(regs). */
	.globl sig_resume_fp
	.type sig_resume_fp, @function
sig_resume_fp:
	testq %rsi, %rsi
	jz 1f
	fxrstor64 (%rsi)
1:	jmp uk_regs_resume
	.size sig_resume_fp, . - sig_resume_fp

	.section .note.GNU-stack, "", @progbits
