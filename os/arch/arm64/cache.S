/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cache maintenance by virtual address range (to the point of coherency),
 * and whole instruction cache invalidation. The data cache line size comes
 * from CTR_EL0.DminLine (log2 of the smallest line, in 4-byte words).
 *
 *   void arm64_dcache_clean_inval_range(uintptr_t start, size_t len);
 *   void arm64_dcache_inval_range(uintptr_t start, size_t len);
 *   void arm64_dcache_clean_range(uintptr_t start, size_t len);
 *   void arm64_icache_inval_all(void);
 */
	.text

/* x2 = line size, x0 = start rounded down, x1 = end; clobbers x3 */
.macro dcache_range op
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3
	add	x1, x0, x1
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	cmp	x0, x1
	b.hs	2f
	dc	\op, x0
	add	x0, x0, x2
	b	1b
2:	dsb	sy
	ret
.endm

	.section .text.arm64_dcache_clean_inval_range,"ax",%progbits
	.globl	arm64_dcache_clean_inval_range
	.type	arm64_dcache_clean_inval_range, %function
arm64_dcache_clean_inval_range:
	dcache_range civac
	.size	arm64_dcache_clean_inval_range, . - arm64_dcache_clean_inval_range

	.section .text.arm64_dcache_inval_range,"ax",%progbits
	.globl	arm64_dcache_inval_range
	.type	arm64_dcache_inval_range, %function
arm64_dcache_inval_range:
	dcache_range ivac
	.size	arm64_dcache_inval_range, . - arm64_dcache_inval_range

	.section .text.arm64_dcache_clean_range,"ax",%progbits
	.globl	arm64_dcache_clean_range
	.type	arm64_dcache_clean_range, %function
arm64_dcache_clean_range:
	dcache_range cvac
	.size	arm64_dcache_clean_range, . - arm64_dcache_clean_range

	.section .text.arm64_icache_inval_all,"ax",%progbits
	.globl	arm64_icache_inval_all
	.type	arm64_icache_inval_all, %function
arm64_icache_inval_all:
	ic	iallu
	dsb	nsh
	isb
	ret
	.size	arm64_icache_inval_all, . - arm64_icache_inval_all
