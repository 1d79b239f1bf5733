/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64 image entry. The image starts with an arm64 Linux "Image" header
 * (Documentation/arm64/booting in Linux names the fields): QEMU's -kernel
 * loader recognises the "ARM\x64" magic, loads the raw image at RAM base +
 * text_offset and enters it with x0 = the device tree address (when it has
 * a device tree). Loaders that ignore the header (the Raspberry Pi firmware,
 * QEMU's ELF loader) just run its first instruction.
 *
 * The header's first instruction reads the virtual counter, so boot time is
 * measured from the very first instruction (ukplat_boot_cycles).
 *
 * Then: park secondary cores, leave EL3/EL2 (arch: arm64_drop_to_el1),
 * check the load address, exception stack (SP_EL1) + vectors, FP/SIMD on,
 * kernel stack (SP_EL0, EL1t), copy .data to its page (arm64.lds), clear
 * .bss, arm64_boot(x0, el, cycles) in C with the MMU still off. The usual
 * case (boot core entered at EL1 at the link address) is one straight
 * path; the others loop back through a drop to EL1 or stop.
 */
#include <arm64/cpu.h>

	.section .text.boot,"ax",%progbits
	.globl	_start
	.type	_start, %function
_start:
	mrs	x19, cntvct_el0              /* code0 */
	b	arm64_entry                  /* code1 */
	.quad	__arm64_text_offset          /* text_offset */
	.quad	__arm64_image_size           /* image_size: up to _end, .bss included */
	.quad	0x2                          /* flags: little endian, 4 KiB pages */
	.quad	0                            /* res2 */
	.quad	0                            /* res3 */
	.quad	0                            /* res4 */
	.ascii	"ARM\x64"                    /* magic */
	.long	0                            /* res5 (no PE/COFF header) */

	.type	arm64_entry, %function
arm64_entry:
	mov	x20, x0                      /* boot loader argument: DTB, ATAGS or 0 */
	mov	x21, #1                      /* entry EL, unless a drop says otherwise */

	/*
	 * One test for the usual case (boot core, EL1, linked for the address
	 * we run at): under QEMU TCG every branch starts a new basic block to
	 * translate, and so does every system register write, so the path
	 * below has as few of either as it can.
	 */
.Lcheck:
	mrs	x1, mpidr_el1
	mrs	x9, CurrentEL
	adr	x10, _start
	ldr	x11, =_start
	and	x1, x1, #0xffffff            /* affinity 0.0.0: the boot core */
	cmp	x9, #(1 << ARM64_CURRENTEL_SHIFT)
	ccmp	x1, #0, #0, eq
	ccmp	x10, x11, #0, eq
	b.ne	.Lslow

	/* exceptions: own stack (SP_EL1) and vectors */
	ldr	x0, =arm64_exc_stack + CONFIG_PLAT_ARM64_EXC_STACK_SIZE
	and	x0, x0, #~15
	mov	sp, x0
	ldr	x0, =arm64_vectors
	msr	vbar_el1, x0
	/* FP/SIMD: the compiler uses q registers for copies */
	mov	x0, #ARM64_CPACR_FPEN
	msr	cpacr_el1, x0
	/* kernel code runs on SP_EL0 */
	msr	spsel, #0
	ldr	x0, =arm64_boot_stack + CONFIG_PLAT_ARM64_STACK_SIZE
	and	x0, x0, #~15
	mov	sp, x0
	/* .data and .tdata to their page from where the image stores them
	 * (arm64.lds; 16-byte aligned at both ends, never empty). Backwards:
	 * the destination is above the source and the two overlap when rodata
	 * ends less than the data's size below a page boundary */
	ldr	x0, =__data_copy_end
	ldr	x1, =__data_start
	ldr	x2, =__data_load_end
2:	ldp	x3, x4, [x2, #-16]!
	stp	x3, x4, [x0, #-16]!
	cmp	x0, x1
	b.hi	2b
	ldr	x1, =__bss_end
	isb                                  /* CPACR_EL1 in effect before any FP use */

	/* clear .bss (64-byte aligned at both ends and never empty, see arm64.lds) */
	ldr	x0, =__bss_start
1:	stp	xzr, xzr, [x0]
	stp	xzr, xzr, [x0, #16]
	stp	xzr, xzr, [x0, #32]
	stp	xzr, xzr, [x0, #48]
	add	x0, x0, #64
	cmp	x0, x1
	b.lo	1b

	mov	x29, #0                      /* end of the frame chain */
	mov	x30, #0
#if defined(CONFIG_STACK_PROTECTOR)
	/* the canary, before any protected function runs (ukdebug); seed:
	 * the loader's argument and the counter at entry */
	eor	x0, x20, x19
	bl	uk_stack_chk_init
	mov	x30, #0
#endif
	mov	x0, x20
	mov	x1, x21
	mov	x2, x19
	bl	arm64_boot                   /* does not return */

.Lslow:
	/* only the boot core goes on */
	cbnz	x1, .Lpark
	/* leave EL3/EL2 (the counter read is corrected by the CNTVOFF_EL2 the
	 * drop clears), then test again */
	cmp	x9, #(1 << ARM64_CURRENTEL_SHIFT)
	b.eq	.Lwrong_address
	bl	arm64_drop_to_el1            /* x0 = entry EL, x1 = CNTVOFF it cleared */
	add	x19, x19, x1
	mov	x21, x0
	b	.Lcheck

.Lpark:
	/* also where secondary cores released from a spin table go
	 * (boot.c): WFI with everything masked, so an emulator idles them */
	.globl	arm64_park
arm64_park:
	msr	daifset, #0xf
1:	wfi
	b	1b

.Lwrong_address:
	/* not loaded at the link address: nothing absolute can be trusted */
#if defined(CONFIG_PLAT_ARM64_SEMIHOSTING)
	adr	x1, .Lwrong_msg
	mov	x0, #0x04                    /* SYS_WRITE0 */
	hlt	#0xf000
	adr	x1, .Lexit_block
	mov	x0, #0x18                    /* SYS_EXIT, status 255 */
	hlt	#0xf000
#endif
3:	wfe
	b	3b
	.balign	8
.Lexit_block:
	.quad	0x20026, 255
.Lwrong_msg:
	.asciz	"\nUK-CRASH image loaded at the wrong address (check the board's ARM64_IMAGE_LAYOUT and the loader)\nUK-CRASH-END\n"
	.balign	4
	.ltorg
	.size	arm64_entry, . - arm64_entry
	.size	_start, arm64_entry - _start

	/*
	 * The stacks (not cleared at boot: .bss.noinit, arm64.lds), each
	 * above a guard page that boot.c unmaps, so an overflow faults
	 * instead of running into what lies below: the exception stack
	 * (SP_EL1) first, then the boot stack (SP_EL0, the one main() runs
	 * on), whose overflow the exception stack is there to report.
	 */
#define PAGE_UP(n) (((n) + 4095) & ~4095)
	.section .bss.noinit.arm64_stacks, "aw", %nobits
	.balign	4096
	.globl	arm64_exc_stack_guard, arm64_exc_stack, arm64_boot_stack_guard, arm64_boot_stack
arm64_exc_stack_guard:
	.skip	4096
arm64_exc_stack:
	.skip	PAGE_UP(CONFIG_PLAT_ARM64_EXC_STACK_SIZE)
arm64_boot_stack_guard:
	.skip	4096
arm64_boot_stack:
	.skip	CONFIG_PLAT_ARM64_STACK_SIZE
