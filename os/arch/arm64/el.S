/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64_drop_to_el1: leave EL3 or EL2 for EL1 (AArch64, SP_EL1, all
 * exceptions masked) and return to the caller there. Called from the
 * platform entry code with the MMU off and no stack.
 *
 *   out: x0 = the exception level at entry (1, 2 or 3)
 *        x1 = CNTVOFF_EL2 before it was set to 0 (0 when entered at EL1):
 *             the virtual counter read at entry plus x1 is the counter
 *             value EL1 would have read then.
 *   clobbers x9-x11; preserves everything else.
 *
 * From EL2: EL1 gets the physical counter/timer (CNTHCTL_EL2), no traps
 * (HCR_EL2 = RW only, CPTR_EL2 without TFP), stage 2 off, its MIDR/MPIDR
 * read the real ones, the virtual counter offset is 0.
 * With a GICv3 CPU interface, ICC_SRE_EL2/EL3 let EL1 use its system
 * registers.
 * From EL3: straight to Secure EL1 (SCR_EL3.NS = 0, so the GIC and every
 * device are reachable without a firmware setting up Non-secure access;
 * SMC is disabled since no monitor is left behind). Armv8.0 bits only.
 */
#include <arm64/cpu.h>

	.section .text.arm64_drop_to_el1,"ax",%progbits
	.globl	arm64_drop_to_el1
	.type	arm64_drop_to_el1, %function
arm64_drop_to_el1:
	mrs	x9, CurrentEL
	lsr	x9, x9, #ARM64_CURRENTEL_SHIFT
	mov	x1, #0
	cmp	x9, #2
	b.eq	.Lfrom_el2
	b.hi	.Lfrom_el3
	mov	x0, #1
	ret

.Lfrom_el3:
	/* is EL2 implemented (ID_AA64PFR0_EL1.EL2 != 0)? then zero CNTVOFF */
	mrs	x10, id_aa64pfr0_el1
	ubfx	x11, x10, #8, #4
	cbz	x11, 1f
	mrs	x1, cntvoff_el2
	msr	cntvoff_el2, xzr
1:	/* GICv3 system registers (ID_AA64PFR0_EL1.GIC): let EL1 use them */
	ubfx	x11, x10, #24, #4
	cbz	x11, 2f
	mov	x10, #(ICC_SRE_SRE | ICC_SRE_ENABLE)
	msr	icc_sre_el3, x10
2:	mov	x10, #(ARM64_SCR_RW | ARM64_SCR_RES1 | ARM64_SCR_SMD)
	msr	scr_el3, x10
	msr	cptr_el3, xzr
	ldr	x10, =ARM64_SCTLR_EL1_RES1
	msr	sctlr_el1, x10
	mov	x10, #(ARM64_SPSR_DAIF | ARM64_SPSR_EL1H)
	msr	spsr_el3, x10
	msr	elr_el3, x30
	mov	x0, #3
	eret                                 /* context synchronizing: no ISB needed */

	/*
	 * Every system register write ends a translated block under QEMU
	 * TCG, so only what EL1 needs is written: not HSTR_EL2 (it traps
	 * AArch32 EL1/EL0 only) nor VTTBR_EL2 (stage 2 stays off, HCR_EL2.VM
	 * clear; its VMID only tags TLB entries, and it does not change).
	 */
.Lfrom_el2:
	mrs	x10, id_aa64pfr0_el1
	ubfx	x10, x10, #24, #4
	cbz	x10, 1f
	mov	x10, #(ICC_SRE_SRE | ICC_SRE_ENABLE)
	msr	icc_sre_el2, x10
1:	mrs	x10, cnthctl_el2
	orr	x10, x10, #(ARM64_CNTHCTL_EL1PCTEN | ARM64_CNTHCTL_EL1PCEN)
	msr	cnthctl_el2, x10
	mrs	x1, cntvoff_el2
	msr	cntvoff_el2, xzr
	mov	x10, #ARM64_HCR_RW
	msr	hcr_el2, x10
	mov	x10, #ARM64_CPTR_EL2_RES1
	msr	cptr_el2, x10
	mrs	x10, midr_el1
	msr	vpidr_el2, x10
	mrs	x10, mpidr_el1
	msr	vmpidr_el2, x10
	ldr	x10, =ARM64_SCTLR_EL1_RES1
	msr	sctlr_el1, x10
	mov	x10, #(ARM64_SPSR_DAIF | ARM64_SPSR_EL1H)
	msr	spsr_el2, x10
	msr	elr_el2, x30
	mov	x0, #2
	eret                                 /* context synchronizing: no ISB needed */
	.size	arm64_drop_to_el1, . - arm64_drop_to_el1
	.ltorg
