/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Process entry on x86_64 (psABI 3.4.1): rsp at argc, rdx 0 (no exit
 * handler for the program to register), every other general register 0,
 * x87 control word 0x37f (fninit), MXCSR 0x1f80, DF clear; rflags keep
 * IF as it is (the program runs in ring 0, interrupts on).
 */
	.text
	.globl elf_arch_jump
	.type elf_arch_jump, @function
/* void elf_arch_jump(uintptr_t entry, uintptr_t sp) */
elf_arch_jump:
	mov %rsi, %rsp
	push %rdi                       /* ret pops it: rsp ends at sp */
	fninit
	pushq $0x1f80
	ldmxcsr (%rsp)
	add $8, %rsp
	cld
	.irp r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	pxor %xmm\r, %xmm\r
	.endr
	xor %eax, %eax
	xor %ebx, %ebx
	xor %ecx, %ecx
	xor %edx, %edx
	xor %esi, %esi
	xor %edi, %edi
	xor %ebp, %ebp
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d
	xor %r12d, %r12d
	xor %r13d, %r13d
	xor %r14d, %r14d
	xor %r15d, %r15d
	ret
	.size elf_arch_jump, . - elf_arch_jump

	.section .note.GNU-stack, "", @progbits
