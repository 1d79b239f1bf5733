/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Process entry on arm64 (Linux's start_thread): sp at argc, x0 0 (no exit
 * handler), every other general register 0, FPCR 0. The kernel runs at
 * EL1 on SP_EL0 (EL1t), the stack the trapped syscall path expects its
 * callers on (os/arch/arm64/syscall.S): `mov sp` sets SP_EL0 here.
 */
	.text
	.globl elf_arch_jump
	.type elf_arch_jump, %function
/* void elf_arch_jump(uintptr_t entry, uintptr_t sp) */
elf_arch_jump:
	mov sp, x1
	mov x30, x0                     /* ret goes there */
	msr fpcr, xzr
	.irp r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
	mov x\r, xzr
	.endr
	ret
	.size elf_arch_jump, . - elf_arch_jump

	.section .note.GNU-stack, "", %progbits
