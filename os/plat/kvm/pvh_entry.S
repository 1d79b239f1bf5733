/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PVH entry (QEMU -M microvm -kernel via qboot, Firecracker, Xen PVH).
 * The loader finds the 32-bit entry address in an ELF note (name "Xen",
 * type XEN_ELFNOTE_PHYS32_ENTRY = 18) that must sit in a PT_NOTE program
 * header: the linker script places .note.kvm_pvh first in the image.
 * QEMU reads the descriptor of an ELF64 note as 8 bytes, hence .quad.
 * Entry: 32-bit protected mode, paging off, ebx = struct hvm_start_info.
 */
#include "kvm.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18

	.section .note.kvm_pvh, "a", @note
	.balign 4
	.long 2f - 1f                   /* namesz */
	.long 4f - 3f                   /* descsz */
	.long XEN_ELFNOTE_PHYS32_ENTRY
1:	.asciz "Xen"
2:	.balign 4
3:	.quad kvm_pvh_start
4:	.balign 4

	.section .text.kvm_pvh, "ax", @progbits
	.code32
	.globl kvm_pvh_start
	.type kvm_pvh_start, @function
kvm_pvh_start:
	rdtsc                           /* boot time starts here */
	movl %eax, ukplat_boot_cycles
	movl %edx, ukplat_boot_cycles + 4
	movl $KVM_MAGIC_PVH, %esi
	movl %ebx, %edi
	/* falls through into kvm_boot32 (trampoline.S, next in .text: see the
	 * linker script), which saves a translation block under TCG */
	.size kvm_pvh_start, . - kvm_pvh_start

#if !defined(CONFIG_KVM_BOOT_MULTIBOOT)
	/* the ELF entry point too, when this is the only protocol */
	.globl _start
	.set _start, kvm_pvh_start
#endif

	.section .note.GNU-stack, "", @progbits
