/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The trapped syscall path: the `syscall` instruction (MSR LSTAR, set by
 * syscall.c) lands here, in ring 0 as the caller already is.
 *
 * The CPU put the return rip in rcx and rflags in r11, and cleared IF, DF,
 * TF and AC (MSR FMASK); rsp is still the caller's. The entry:
 *  - steps over the caller's 128-byte red zone (the SysV ABI lets leaf
 *    code keep data below rsp; prebuilt code may) and builds a struct
 *    __regs (os/include/uk/arch.h) below it, on the calling thread's own
 *    stack: each thread has its own, so a handler that blocks (futex,
 *    nanosleep) and lets another thread trap is safe;
 *  - saves xmm0-15 (the C handlers may use them; Linux preserves them);
 *  - turns interrupts back on if the caller had them on;
 *  - calls uk_syscall_trapped(regs, rax, rdi, rsi, rdx, r10, r8, r9)
 *    (lib/uksyscall) and puts the result in regs->rax; a handler may
 *    change the frame (clone, signals) through uk_syscall_regs();
 *  - returns with a plain jump (not sysret, which would go to ring 3),
 *    restoring rflags with IF last (`sti` shadows the jump), so nothing
 *    is pushed below the caller's rsp.
 * Linux's contract: every register but rax (result), rcx and r11 is
 * preserved; rcx = the return rip and r11 = rflags on return. The FS
 * and GS bases are never touched.
 */
#include <x86/cpu.h>

/* struct __regs offsets */
#define R15 0
#define R14 8
#define R13 16
#define R12 24
#define R11 32
#define R10 40
#define R9  48
#define R8  56
#define RBP 64
#define RDI 72
#define RSI 80
#define RDX 88
#define RCX 96
#define RBX 104
#define RAX 112
#define VEC 120
#define ERR 128
#define RIP 136
#define CS  144
#define RFLAGS 152
#define RSP 160
#define SS  168
#define FRAME 176
#define RED_ZONE 128

	.section .text.x86_syscall_entry, "ax", @progbits
	.code64
	.globl x86_syscall_entry
	.type x86_syscall_entry, @function
x86_syscall_entry:
	leaq -(RED_ZONE + FRAME)(%rsp), %rsp
	movq %rax, RAX(%rsp)
	leaq (RED_ZONE + FRAME)(%rsp), %rax
	movq %rax, RSP(%rsp)
	movq %rcx, RIP(%rsp)
	movq %rcx, RCX(%rsp)
	movq %r11, RFLAGS(%rsp)
	movq %r11, R11(%rsp)
	movq $X86_SEL_CODE64, CS(%rsp)
	movq $X86_SEL_DATA, SS(%rsp)
	movq $-1, VEC(%rsp)
	movq $0, ERR(%rsp)
	movq %rbx, RBX(%rsp)
	movq %rdx, RDX(%rsp)
	movq %rsi, RSI(%rsp)
	movq %rdi, RDI(%rsp)
	movq %rbp, RBP(%rsp)
	movq %r8, R8(%rsp)
	movq %r9, R9(%rsp)
	movq %r10, R10(%rsp)
	movq %r12, R12(%rsp)
	movq %r13, R13(%rsp)
	movq %r14, R14(%rsp)
	movq %r15, R15(%rsp)
	movq %rsp, %rbx                 /* callee-saved: the frame */
	andq $-16, %rsp
	subq $256, %rsp
	movaps %xmm0, 0x00(%rsp)
	movaps %xmm1, 0x10(%rsp)
	movaps %xmm2, 0x20(%rsp)
	movaps %xmm3, 0x30(%rsp)
	movaps %xmm4, 0x40(%rsp)
	movaps %xmm5, 0x50(%rsp)
	movaps %xmm6, 0x60(%rsp)
	movaps %xmm7, 0x70(%rsp)
	movaps %xmm8, 0x80(%rsp)
	movaps %xmm9, 0x90(%rsp)
	movaps %xmm10, 0xa0(%rsp)
	movaps %xmm11, 0xb0(%rsp)
	movaps %xmm12, 0xc0(%rsp)
	movaps %xmm13, 0xd0(%rsp)
	movaps %xmm14, 0xe0(%rsp)
	movaps %xmm15, 0xf0(%rsp)
	/* a frame record (saved rbp, return = the caller's rip) for backtraces */
	pushq RIP(%rbx)
	pushq %rbp
	movq %rsp, %rbp
	testl $X86_RFLAGS_IF, %r11d
	jz 1f
	sti
	/* uk_syscall_trapped(regs, nr, a0..a5): the 7th and 8th on the stack */
1:	pushq R9(%rbx)
	pushq R8(%rbx)
	movq %rbx, %rdi
	movq RAX(%rbx), %rsi
	movq RDI(%rbx), %rdx
	movq RSI(%rbx), %rcx
	movq RDX(%rbx), %r8
	movq R10(%rbx), %r9
	call uk_syscall_trapped
	movq %rax, RAX(%rbx)
	cli
	leaq 32(%rsp), %rsp
	movaps 0x00(%rsp), %xmm0
	movaps 0x10(%rsp), %xmm1
	movaps 0x20(%rsp), %xmm2
	movaps 0x30(%rsp), %xmm3
	movaps 0x40(%rsp), %xmm4
	movaps 0x50(%rsp), %xmm5
	movaps 0x60(%rsp), %xmm6
	movaps 0x70(%rsp), %xmm7
	movaps 0x80(%rsp), %xmm8
	movaps 0x90(%rsp), %xmm9
	movaps 0xa0(%rsp), %xmm10
	movaps 0xb0(%rsp), %xmm11
	movaps 0xc0(%rsp), %xmm12
	movaps 0xd0(%rsp), %xmm13
	movaps 0xe0(%rsp), %xmm14
	movaps 0xf0(%rsp), %xmm15
	movq %rbx, %rsp
	movq R15(%rsp), %r15
	movq R14(%rsp), %r14
	movq R13(%rsp), %r13
	movq R12(%rsp), %r12
	movq R10(%rsp), %r10
	movq R9(%rsp), %r9
	movq R8(%rsp), %r8
	movq RBP(%rsp), %rbp
	movq RDI(%rsp), %rdi
	movq RSI(%rsp), %rsi
	movq RDX(%rsp), %rdx
	movq RBX(%rsp), %rbx
	movq RAX(%rsp), %rax
	movq RIP(%rsp), %rcx
	movq RFLAGS(%rsp), %r11
	btrq $9, %r11                   /* CF = the caller's IF; r11 = rflags without IF */
	jc 2f
	pushq %r11
	popfq
	movq RSP(%rsp), %rsp
	jmp *%rcx
2:	pushq %r11
	popfq                           /* everything but IF */
	leaq X86_RFLAGS_IF(%r11), %r11  /* r11 = the caller's rflags again (lea: flags untouched) */
	movq RSP(%rsp), %rsp
	sti                             /* takes effect after the next instruction */
	jmp *%rcx
	.size x86_syscall_entry, . - x86_syscall_entry

	.section .note.GNU-stack, "", @progbits
