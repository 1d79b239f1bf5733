/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Multiboot v1 header and entry (QEMU -M pc -kernel). QEMU refuses ELF64
 * for Multiboot, so the tool hands it an elf32-i386 copy of the image; the
 * header asks for nothing but the memory information (flags bit 1) and
 * lets the loader use the ELF program headers (no a.out kludge, bit 16).
 * Entry: 32-bit protected mode, paging off, eax = 0x2BADB002,
 * ebx = struct multiboot_info (physical address), no stack.
 */
#include "kvm.h"

#define MB_MAGIC  0x1badb002
#define MB_FLAGS  0x00000003    /* page-align modules, memory info */

	.section .multiboot, "a", @progbits
	.balign 4
kvm_multiboot_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .text.kvm_multiboot, "ax", @progbits
	.code32
	.globl _start
	.type _start, @function
_start:
	movl %eax, %esi                 /* the loader's magic */
	rdtsc                           /* boot time starts here */
	movl %eax, ukplat_boot_cycles
	movl %edx, ukplat_boot_cycles + 4
	movl %ebx, %edi
#if defined(CONFIG_KVM_BOOT_PVH)
	jmp kvm_boot32                  /* the PVH entry comes next */
#endif
	/* else falls through into kvm_boot32 (trampoline.S, next in .text:
	 * see the linker script), which saves a translation block under TCG */
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
