/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fork's context switch on x86_64 (fork.c):
 * - fork_ctx_save(ctx): saves the callee-saved registers, sp and the
 *   return address; returns 0 (and again, with fork_ctx_resume's value);
 * - fork_ctx_resume(ctx, val): continues after that fork_ctx_save with val;
 * - fork_call_on_stack(fn, arg, top): fn(arg) on the stack ending at top
 *   (fn must not return).
 * ctx: rip, rsp, rbx, rbp, r12, r13, r14, r15 (8 words).
 */
	.section .text.fork_ctx_save, "ax", @progbits
	.globl fork_ctx_save
	.type fork_ctx_save, @function
fork_ctx_save:
	movq (%rsp), %rax
	movq %rax, 0(%rdi)
	leaq 8(%rsp), %rax
	movq %rax, 8(%rdi)
	movq %rbx, 16(%rdi)
	movq %rbp, 24(%rdi)
	movq %r12, 32(%rdi)
	movq %r13, 40(%rdi)
	movq %r14, 48(%rdi)
	movq %r15, 56(%rdi)
	xorl %eax, %eax
	ret
	.size fork_ctx_save, . - fork_ctx_save

	.globl fork_ctx_resume
	.type fork_ctx_resume, @function
fork_ctx_resume:
	movq 16(%rdi), %rbx
	movq 24(%rdi), %rbp
	movq 32(%rdi), %r12
	movq 40(%rdi), %r13
	movq 48(%rdi), %r14
	movq 56(%rdi), %r15
	movq 8(%rdi), %rsp
	movl %esi, %eax
	jmpq *0(%rdi)
	.size fork_ctx_resume, . - fork_ctx_resume

	.globl fork_call_on_stack
	.type fork_call_on_stack, @function
fork_call_on_stack:
	movq %rdi, %rax
	movq %rsi, %rdi
	movq %rdx, %rsp
	xorl %ebp, %ebp
	callq *%rax
	ud2
	.size fork_call_on_stack, . - fork_call_on_stack

	.section .note.GNU-stack, "", @progbits
