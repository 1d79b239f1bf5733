/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test helper (test_trap.c): issue the `syscall` instruction with every
 * register, xmm0/xmm15 and the 128-byte red zone below rsp holding known
 * patterns, then record what came back.
 *
 *   long uksc_trap_x86(long nr, uint64_t out[20]);
 *
 * out[0..15]: rbx rbp rdi rsi rdx r8 r9 r10 r12 r13 r14 r15 xmm0 xmm15
 *             rcx r11; out[16]: the red-zone qwords that changed;
 * out[17]: rsp after minus rsp before; out[18]: the address after the
 * syscall instruction (for rcx). Returns rax.
 * Pattern of register i: 0x1000000000000000 * ... see PAT below.
 */
#define PAT(i) (0x0123456789ab0000 + (i))

	.text
	.globl uksc_trap_x86
	.type uksc_trap_x86, @function
uksc_trap_x86:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rsi                      /* out, at (%rsp) */
	movq %rdi, %rax
	/* the red zone: 16 qwords below rsp */
	movq $PAT(100), %rcx
	movq $-16, %rdx
1:	movq %rcx, (%rsp, %rdx, 8)
	incq %rcx
	incq %rdx
	jnz 1b
	movabsq $PAT(1), %rbx
	movabsq $PAT(2), %rbp
	movabsq $PAT(3), %rdi
	movabsq $PAT(4), %rsi
	movabsq $PAT(5), %rdx
	movabsq $PAT(6), %r8
	movabsq $PAT(7), %r9
	movabsq $PAT(8), %r10
	movabsq $PAT(9), %r12
	movabsq $PAT(10), %r13
	movabsq $PAT(11), %r14
	movabsq $PAT(12), %r15
	movq %rbx, %xmm0
	movq %rbp, %xmm15
	movq %rsp, %rcx                 /* rsp before, kept in xmm1 */
	movq %rcx, %xmm1
	syscall
.Lafter:
	xchgq %rax, (%rsp)              /* rax = out; the result on the stack */
	movq %rbx, 0(%rax)
	movq %rbp, 8(%rax)
	movq %rdi, 16(%rax)
	movq %rsi, 24(%rax)
	movq %rdx, 32(%rax)
	movq %r8, 40(%rax)
	movq %r9, 48(%rax)
	movq %r10, 56(%rax)
	movq %r12, 64(%rax)
	movq %r13, 72(%rax)
	movq %r14, 80(%rax)
	movq %r15, 88(%rax)
	movq %xmm0, %rbx
	movq %rbx, 96(%rax)
	movq %xmm15, %rbx
	movq %rbx, 104(%rax)
	movq %rcx, 112(%rax)
	movq %r11, 120(%rax)
	/* red zone: count the changed qwords (the xchg wrote above rsp) */
	xorq %rbx, %rbx
	movq $PAT(100), %rcx
	movq $-16, %rdx
2:	cmpq %rcx, (%rsp, %rdx, 8)
	je 3f
	incq %rbx
3:	incq %rcx
	incq %rdx
	jnz 2b
	movq %rbx, 128(%rax)
	movq %xmm1, %rcx
	movq %rsp, %rbx
	subq %rcx, %rbx
	movq %rbx, 136(%rax)
	leaq .Lafter(%rip), %rbx
	movq %rbx, 144(%rax)
	popq %rax                       /* the result */
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret
	.size uksc_trap_x86, . - uksc_trap_x86

	.section .note.GNU-stack, "", @progbits
