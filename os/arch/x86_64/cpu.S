/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_cpu_init: early CPU setup, run by the platform's 64-bit entry before
 * any C code (which may use SSE registers). Clobbers %rax only.
 *   CR0: EM off (no x87 emulation), MP and NE on, TS off.
 *   CR4: OSFXSR (SSE, fxsave/fxrstor) and OSXMMEXCPT (#XM for SIMD faults).
 */
#include <x86/cpu.h>

	.section .text.x86_cpu_init, "ax", @progbits
	.code64
	.globl x86_cpu_init
	.type x86_cpu_init, @function
x86_cpu_init:
	movq %cr0, %rax
	andq $~(X86_CR0_EM | X86_CR0_TS), %rax
	orq $(X86_CR0_MP | X86_CR0_NE), %rax
	movq %rax, %cr0
	movq %cr4, %rax
	orq $(X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT), %rax
	movq %rax, %cr4
	fninit
	ret
	.size x86_cpu_init, . - x86_cpu_init

	.section .note.GNU-stack, "", @progbits
