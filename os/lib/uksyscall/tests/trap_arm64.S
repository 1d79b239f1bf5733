/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test helper (test_trap.c): issue `svc #0` with x1-x7, x9-x28, d8 and
 * q16 holding known patterns, then record what came back. (AAPCS64 has no
 * red zone: memory below sp is not the caller's.)
 *
 *   long uksc_trap_arm64(long nr, uint64_t out[40]);
 *
 * out[i] = x(i) for i in 1..28 (out[8] = x8), out[29] = d8, out[30] = q16's
 * low half, out[32] = sp after minus sp before. Returns x0.
 */
#define PAT(i) (0x0123456789ab0000 + (i))

	.text
	.globl uksc_trap_arm64
	.type uksc_trap_arm64, %function
uksc_trap_arm64:
	stp x29, x30, [sp, #-96]!
	mov x29, sp
	stp x19, x20, [sp, #16]
	stp x21, x22, [sp, #32]
	stp x23, x24, [sp, #48]
	stp x25, x26, [sp, #64]
	stp x27, x28, [sp, #80]
	str d8, [sp, #-16]!
	str x1, [sp, #8]                /* out */
	mov x8, x0
	.irp i, 1,2,3,4,5,6,7,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28
	ldr x\i, =PAT(\i)
	.endr
	fmov d8, x1
	fmov d16, x2
	mov x0, sp
	fmov d17, x0                    /* sp before (a scratch FP register) */
	mov x0, #0
	svc #0
	/* x0 = result; keep it in d18 while x1.. are stored */
	fmov d18, x0
	ldr x0, [sp, #8]
	.irp i, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28
	str x\i, [x0, #(\i * 8)]
	.endr
	fmov x1, d8
	str x1, [x0, #(29 * 8)]
	fmov x1, d16
	str x1, [x0, #(30 * 8)]
	fmov x1, d17
	mov x2, sp
	sub x2, x2, x1
	str x2, [x0, #(32 * 8)]
	fmov x0, d18
	ldr d8, [sp], #16
	ldp x19, x20, [sp, #16]
	ldp x21, x22, [sp, #32]
	ldp x23, x24, [sp, #48]
	ldp x25, x26, [sp, #64]
	ldp x27, x28, [sp, #80]
	ldp x29, x30, [sp], #96
	ret
	.size uksc_trap_arm64, . - uksc_trap_arm64
	.ltorg

	.section .note.GNU-stack, "", @progbits
