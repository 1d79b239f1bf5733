/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * __kernel_rt_sigreturn (arm64, LINUX_2.6.39): the return address Linux
 * gives a signal handler without SA_RESTORER; it is rt_sigreturn (139).
 * The nop before it is Linux's too: unwinders look up pc - 4 in a frame.
 */
	.text
	nop
	.globl __kernel_rt_sigreturn
	.type __kernel_rt_sigreturn, %function
__kernel_rt_sigreturn:
	mov x8, #139
	svc #0
	.size __kernel_rt_sigreturn, . - __kernel_rt_sigreturn

	.section .note.GNU-stack, "", %progbits
