/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uk_regs_resume(regs) on x86_64 (uk/thread.h): continues at regs->rip
 * with every general register, rflags and rsp from the struct __regs
 * (os/include/uk/arch.h), none clobbered: the struct's tail (rip, cs,
 * rflags, rsp, ss) is an iretq frame, with cs and ss replaced by the
 * current ones (the frame may come from linuxu's host signal context,
 * which has none; there, in user mode, interrupts are not ours to mask). Used for clone's child (a copy of the caller's trap
 * frame) and a signal handler's return (posix-signal).
 */
#define RIP 136
#define CS  144
#define SS  168

	.section .text.uk_regs_resume, "ax", @progbits
	.globl uk_regs_resume
	.type uk_regs_resume, @function
uk_regs_resume:
#if !defined(CONFIG_PLAT_LINUXU)
	cli                             /* until iretq restores rflags */
#endif
	movq %rdi, %rsp
	movq %cs, %rax
	movq %rax, CS(%rsp)
	movq %ss, %rax
	movq %rax, SS(%rsp)
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
	.size uk_regs_resume, . - uk_regs_resume

	.section .note.GNU-stack, "", @progbits
