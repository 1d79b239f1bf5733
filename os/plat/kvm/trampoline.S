/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shared 32-bit -> 64-bit trampoline. The boot protocol entries
 * (multiboot_entry.S, pvh_entry.S) have already saved the TSC in
 * ukplat_boot_cycles and jump here in 32-bit protected mode, paging off,
 * with %esi = KVM_MAGIC_MULTIBOOT or KVM_MAGIC_PVH, %edi = boot info address.
 *
 * We identity-map the first 4 GiB (2 MiB pages; the first 2 MiB through a
 * page table of 4 KiB pages, so that the boot stack's guard page, and page 0
 * once setup.c is done with the boot information, can be left unmapped),
 * enable PAE, long mode, paging and SSE, load the GDT (os/arch/x86_64/gdt.S),
 * jump to 64-bit code, set up the boot stack and call kvm_entry(magic, info)
 * in setup.c.
 *
 * The page tables live in .bss: both loaders (QEMU's Multiboot and PVH ELF
 * loaders) zero it, so only the low dword of each entry is written.
 */
#include <x86/cpu.h>
#include "kvm.h"

#if defined(CONFIG_KVM_BOOT_STACK_KB)
#define BOOT_STACK_SIZE (CONFIG_KVM_BOOT_STACK_KB * 1024)
#else
#define BOOT_STACK_SIZE KVM_BOOT_STACK_SIZE_DEFAULT
#endif

#define PAGE 4096
#define PTE_FLAGS (X86_PTE_P | X86_PTE_RW)

	.section .text.kvm_boot32, "ax", @progbits
	.code32
	.globl kvm_boot32
	.type kvm_boot32, @function
kvm_boot32:
	/* PML4[0] -> PDPT; PDPT[0..3] -> the four page directories */
	movl $(kvm_pdpt + PTE_FLAGS), kvm_pml4
	movl $(kvm_pd + 0 * PAGE + PTE_FLAGS), kvm_pdpt + 0
	movl $(kvm_pd + 1 * PAGE + PTE_FLAGS), kvm_pdpt + 8
	movl $(kvm_pd + 2 * PAGE + PTE_FLAGS), kvm_pdpt + 16
	movl $(kvm_pd + 3 * PAGE + PTE_FLAGS), kvm_pdpt + 24

	/* 2048 x 2 MiB pages = 4 GiB */
	movl $(PTE_FLAGS | X86_PTE_PS), %eax
	xorl %ecx, %ecx
1:	movl %eax, kvm_pd(, %ecx, 8)
	addl $0x200000, %eax
	incl %ecx
	cmpl $2048, %ecx
	jb 1b
	/* ... except the first 2 MiB, which go through a page table */
	movl $(kvm_pt0 + PTE_FLAGS), kvm_pd

	/* 4 KiB pages 0..511 (setup.c unmaps page 0 once the boot
	 * information, which may live there, has been read) */
	movl $PTE_FLAGS, %eax
	xorl %ecx, %ecx
2:	movl %eax, kvm_pt0(, %ecx, 8)
	addl $PAGE, %eax
	incl %ecx
	cmpl $512, %ecx
	jb 2b
	/* unmap the stack guard page if it is in the first 2 MiB */
	movl $kvm_boot_stack_guard, %eax
	cmpl $0x200000, %eax
	jae 3f
	shrl $12, %eax
	movl $0, kvm_pt0(, %eax, 8)
3:
	/* PAE (and SSE, see x86/cpu.h), then long mode, then paging */
	movl %cr4, %eax
	orl $(X86_CR4_PAE | X86_CR4_BOOT_SET), %eax
	movl %eax, %cr4
	movl $kvm_pml4, %eax
	movl %eax, %cr3
	movl $X86_MSR_EFER, %ecx
	rdmsr
	orl $X86_EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	andl $~X86_CR0_BOOT_CLEAR, %eax
	orl $(X86_CR0_PG | X86_CR0_PE | X86_CR0_BOOT_SET), %eax
	movl %eax, %cr0
	fninit

	lgdt x86_gdt_desc
	ljmp $X86_SEL_CODE64, $kvm_boot64
	.size kvm_boot32, . - kvm_boot32

	.code64
	.type kvm_boot64, @function
kvm_boot64:
	movl $X86_SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movq $kvm_boot_stack_top, %rsp
	xorl %ebp, %ebp                 /* ends frame-pointer backtraces */
	movl %esi, %eax
	movl %edi, %esi                 /* info  (zero-extended) */
	movl %eax, %edi                 /* magic (zero-extended) */
	call kvm_entry
4:	cli
	hlt
	jmp 4b
	.size kvm_boot64, . - kvm_boot64

	.section .bss.kvm_pagetables, "aw", @nobits
	.balign PAGE
kvm_pml4:	.skip PAGE
kvm_pdpt:	.skip PAGE
kvm_pd:		.skip 4 * PAGE
	.globl kvm_pt0
kvm_pt0:	.skip PAGE

	/* the boot stack, with a guard page below it */
	.section .bss.kvm_boot_stack, "aw", @nobits
	.balign PAGE
	.globl kvm_boot_stack_guard
kvm_boot_stack_guard:
	.skip PAGE
kvm_boot_stack:
	.skip BOOT_STACK_SIZE
	.globl kvm_boot_stack_top
kvm_boot_stack_top:

	.section .note.GNU-stack, "", @progbits
