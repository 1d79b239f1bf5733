/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uk_regs_resume(regs) on arm64 (uk/thread.h): continues at regs->elr
 * with x0-x30, sp and PSTATE (regs->spsr: flags, DAIF, the mode and
 * stack selection of the code that trapped, EL1t) from the struct __regs
 * (os/include/uk/arch.h), none clobbered: eret from ELR_EL1/SPSR_EL1,
 * set with every exception masked (an interrupt taken between would
 * overwrite them). Used for clone's child and a signal handler's return.
 */
#define X_SP   248
#define X_ELR  256
#define X_SPSR 264

	.section .text.uk_regs_resume, "ax", %progbits
	.globl uk_regs_resume
	.type uk_regs_resume, %function
uk_regs_resume:
	msr daifset, #0xf
	ldr x1, [x0, #X_ELR]
	msr elr_el1, x1
	ldr x1, [x0, #X_SPSR]
	msr spsr_el1, x1
	ldr x1, [x0, #X_SP]
	mov sp, x1
	ldp x2, x3, [x0, #16]
	ldp x4, x5, [x0, #32]
	ldp x6, x7, [x0, #48]
	ldp x8, x9, [x0, #64]
	ldp x10, x11, [x0, #80]
	ldp x12, x13, [x0, #96]
	ldp x14, x15, [x0, #112]
	ldp x16, x17, [x0, #128]
	ldp x18, x19, [x0, #144]
	ldp x20, x21, [x0, #160]
	ldp x22, x23, [x0, #176]
	ldp x24, x25, [x0, #192]
	ldp x26, x27, [x0, #208]
	ldp x28, x29, [x0, #224]
	ldr x30, [x0, #240]
	ldp x0, x1, [x0]
	eret
	.size uk_regs_resume, . - uk_regs_resume

	.section .note.GNU-stack, "", %progbits
