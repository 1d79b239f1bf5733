/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * External interrupt entry stubs, vectors X86_IRQ_VECTOR_BASE to
 * X86_IRQ_VECTOR_BASE + X86_IRQ_VECTORS - 1 (irq.c puts them in the IDT).
 * Each stub is 16 bytes at x86_irq_stubs + 16 * n, pushes a zero error code
 * and its vector, and jumps to the common path: the general registers are
 * saved so the stack holds a struct __regs (uk/arch.h), then the FPU/SSE
 * state (fxsave: the compiler uses SSE registers, and the interrupted code
 * must get them back), then x86_irq_entry(regs) (irq.c) runs with
 * interrupts still masked (interrupt gates), and iretq resumes.
 *
 * The red zone: everything runs in ring 0, Linux binaries too, and SysV
 * code may keep data in the 128 bytes below rsp. So the CPU delivers these
 * vectors on the interrupt stack (IST3, idt.c), never below the
 * interrupted rsp, and the entry then moves the saved frame to the
 * interrupted stack below rsp - 128 (16-aligned) and carries on there:
 * the handler may switch threads (preemption) or block like before, and
 * IST3 is free again for the next interrupt. The move (one `rep movsq`,
 * whose address x86_irq_frame_move holds) is the only write to the
 * interrupted stack before the handler; a page fault there goes to IST2:
 * demand paging maps the page and the copy goes on, anything else is
 * reported by x86_trap_handler (idt.c) as a fault of the interrupted code.
 */
#include <x86/cpu.h>

#define REGS_RIP (17 * 8)
#define REGS_RSP (20 * 8)
#define FRAME (22 * 8)                  /* sizeof(struct __regs) */
#define RED_ZONE 128

	.section .text.x86_irq, "ax", @progbits
	.code64

	.balign 16
	.globl x86_irq_stubs
	.type x86_irq_stubs, @function
x86_irq_stubs:
	.set vec, X86_IRQ_VECTOR_BASE
	.rept X86_IRQ_VECTORS
	.balign 16
	pushq $0
	pushq $vec
	jmp x86_irq_common
	.set vec, vec + 1
	.endr
	.size x86_irq_stubs, . - x86_irq_stubs

	.type x86_irq_common, @function
x86_irq_common:
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
	/* the frame to the interrupted stack, below its red zone */
	movq %rsp, %rsi
	movq REGS_RSP(%rsp), %rdi
	subq $RED_ZONE, %rdi
	andq $-16, %rdi
	subq $FRAME, %rdi
	movq %rdi, %rax
	movl $(FRAME / 8), %ecx
9:	rep movsq                       /* x86_irq_frame_move (below) */
	movq %rax, %rsp
	movq %rsp, %rdi                 /* struct __regs * */
	movq %rsp, %rbx                 /* callee-saved: restore point */
	pushq REGS_RIP(%rdi)            /* frame record into the interrupted code */
	pushq %rbp
	movq %rsp, %rbp
	subq $512, %rsp
	andq $-16, %rsp
	fxsave64 (%rsp)
	call x86_irq_entry
	fxrstor64 (%rsp)
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
	.size x86_irq_common, . - x86_irq_common

	/* where the frame move is, for x86_trap_handler (a data word, not a
	 * label in the code: backtraces keep naming x86_irq_common) */
	.section .rodata.x86_irq_frame_move, "a", @progbits
	.balign 8
	.globl x86_irq_frame_move
x86_irq_frame_move:
	.quad 9b

	.section .note.GNU-stack, "", @progbits
