/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Saved contexts on x86_64 (uk/arch_jmp.h; System V): arch_jmp_save /
 * arch_jmp_resume (what setjmp/longjmp are), arch_call_on_stack.
 * ctx: rbx rbp r12 r13 r14 r15, rsp after the return, the return address.
 */
	.section .text.arch_jmp_save, "ax", @progbits
	.globl arch_jmp_save
	.type arch_jmp_save, @function
arch_jmp_save:
	movq %rbx, 0(%rdi)
	movq %rbp, 8(%rdi)
	movq %r12, 16(%rdi)
	movq %r13, 24(%rdi)
	movq %r14, 32(%rdi)
	movq %r15, 40(%rdi)
	leaq 8(%rsp), %rdx          /* rsp after our return */
	movq %rdx, 48(%rdi)
	movq (%rsp), %rdx           /* return address */
	movq %rdx, 56(%rdi)
	xorl %eax, %eax
	ret
	.size arch_jmp_save, . - arch_jmp_save

	.section .text.arch_jmp_resume, "ax", @progbits
	.globl arch_jmp_resume
	.type arch_jmp_resume, @function
arch_jmp_resume:
	movl %esi, %eax
	testl %eax, %eax            /* val 0 returns 1 */
	jnz 1f
	incl %eax
1:	movq 0(%rdi), %rbx
	movq 8(%rdi), %rbp
	movq 16(%rdi), %r12
	movq 24(%rdi), %r13
	movq 32(%rdi), %r14
	movq 40(%rdi), %r15
	movq 48(%rdi), %rsp
	jmpq *56(%rdi)
	.size arch_jmp_resume, . - arch_jmp_resume

	.section .text.arch_call_on_stack, "ax", @progbits
	.globl arch_call_on_stack
	.type arch_call_on_stack, @function
/* void arch_call_on_stack(void (*fn)(void *) %rdi, void *arg %rsi, uintptr_t top %rdx) */
arch_call_on_stack:
	movq %rdi, %rax
	movq %rsi, %rdi
	movq %rdx, %rsp             /* 16-aligned at the call */
	xorl %ebp, %ebp
	callq *%rax
	ud2                         /* fn must not return */
	.size arch_call_on_stack, . - arch_call_on_stack

	.section .note.GNU-stack, "", @progbits
