/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu process entry: the kernel starts us with rsp -> argc, argv[],
 * NULL, envp[], NULL, auxv. Record the TSC first (boot-time measurement),
 * then hand the stack pointer to C (setup.c).
 */
	.section .text.start, "ax"
	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp
	rdtsc
	shlq $32, %rdx
	orq %rdx, %rax
	movq %rax, ukplat_boot_cycles(%rip)
	movq %rsp, %rbx
	andq $-16, %rsp
#if defined(CONFIG_STACK_PROTECTOR)
	/* the canary, before any protected function runs (setup.c) */
	movq %rbx, %rdi
	call linuxu_stack_chk_init
#endif
	movq %rbx, %rdi
	call linuxu_start
	hlt
	.size _start, . - _start

	/* Signal return trampoline (SA_RESTORER is mandatory on x86_64). */
	.globl linuxu_sigreturn
	.type linuxu_sigreturn, @function
linuxu_sigreturn:
	movq $15, %rax
	syscall
	hlt
	.size linuxu_sigreturn, . - linuxu_sigreturn

	.section .note.GNU-stack, "", @progbits
