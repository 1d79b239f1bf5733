/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exception entry stubs for vectors 0-31. Each stub is 16-byte aligned at
 * x86_trap_stubs + 16 * vector (idt.c builds the IDT from that), pushes a
 * zero error code when the CPU does not push one, then the vector number,
 * and jumps to the common path, which saves the general registers so that
 * the stack holds a struct __regs (os/include/uk/arch.h) and calls
 * x86_trap_handler(regs) (idt.c). If the handler returns, the registers are restored
 * and the interrupted code resumes (iretq).
 */
#include <x86/cpu.h>

/* Offset of rip in struct __regs: 15 registers + vector + error code. */
#define REGS_RIP (17 * 8)

	.section .text.x86_traps, "ax", @progbits
	.code64

.macro TRAP vec
	.balign 16
	.if (\vec == 8) || (\vec == 10) || (\vec == 11) || (\vec == 12) || \
	    (\vec == 13) || (\vec == 14) || (\vec == 17) || (\vec == 21) || \
	    (\vec == 29) || (\vec == 30)
	/* the CPU pushed an error code */
	.else
	pushq $0
	.endif
	pushq $\vec
	jmp x86_trap_common
.endm

	.balign 16
	.globl x86_trap_stubs
	.type x86_trap_stubs, @function
x86_trap_stubs:
	.altmacro
	.set vec, 0
	.rept 32
	TRAP %vec
	.set vec, vec + 1
	.endr
	.noaltmacro
	.size x86_trap_stubs, . - x86_trap_stubs

	.type x86_trap_common, @function
x86_trap_common:
	cld
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi                 /* struct __regs * */
	movq %rsp, %rbx                 /* callee-saved: restore point */
	/* a frame record (saved rbp, return = faulting rip) so that frame
	 * pointer walks from the handler continue into the faulting code */
	pushq REGS_RIP(%rdi)
	pushq %rbp
	movq %rsp, %rbp
	andq $-16, %rsp
	call x86_trap_handler
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp                  /* vector, error code */
	iretq
	.size x86_trap_common, . - x86_trap_common

	.section .note.GNU-stack, "", @progbits
