/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shared 32-bit -> 64-bit trampoline. The boot protocol entries
 * (multiboot_entry.S, pvh_entry.S) have already saved the TSC in
 * ukplat_boot_cycles and arrive here (falling through: the linker script
 * puts this section right after theirs) in 32-bit protected mode, paging
 * off, with %esi = KVM_MAGIC_MULTIBOOT or KVM_MAGIC_PVH, %edi = boot info
 * address.
 *
 * We identity-map the first 4 GiB (2 MiB pages; the first kvm_pt_tables
 * × 2 MiB, from 0 to past the image's text, rodata and boot stack guard,
 * through page tables of 4 KiB pages, so that the boot stack's guard page,
 * and page 0 once setup.c is done with the boot information, can be left
 * unmapped), W^X: every page not executable (NX, with EFER.NXE) but the
 * image's text pages, which are read-only like its rodata pages (CR0.WP:
 * for ring 0 too); the linker script keeps text, rodata and data on pages
 * of their own and sizes kvm_pt (kvm_pt_tables pages at the end of .bss)
 * to cover them. Then we load the GDT (os/arch/x86_64/gdt.S) and SS, enable PAE, long mode, paging
 * and SSE, jump to 64-bit code, set up the boot stack and call
 * kvm_entry(magic, info) in setup.c.
 *
 * The page tables live in .bss: both loaders (QEMU's Multiboot and PVH ELF
 * loaders) zero it, so only the low dword of each entry is written. Entries
 * are created accessed (and leaf entries dirty), as the CPU would mark them
 * on first use anyway.
 *
 * Boot time: under TCG, code that runs for the first time is translated,
 * which costs far more than running it, per instruction and per translation
 * block; each control register write, far jump, and load of DS, ES or SS
 * ends a block. So: one fill loop for all the tables, no branch for the
 * guard page (the linker script finds its entry), SS loaded right before
 * the CR4 write (whose block a SS load ends anyway), and DS and ES not
 * loaded at all (64-bit mode ignores them; the loader left flat data
 * segments there).
 */
#include <x86/cpu.h>
#include "kvm.h"

#if defined(CONFIG_KVM_BOOT_STACK_KB)
#define BOOT_STACK_SIZE (CONFIG_KVM_BOOT_STACK_KB * 1024)
#else
#define BOOT_STACK_SIZE KVM_BOOT_STACK_SIZE_DEFAULT
#endif

#define PAGE 4096
#define GIB 0x40000000
#define PTE_TABLE (X86_PTE_P | X86_PTE_RW | X86_PTE_A)     /* -> next level */
#define PTE_PAGE  (PTE_TABLE | X86_PTE_D)                   /* -> a page */

	.section .text.kvm_boot32, "ax", @progbits
	.code32
	.globl kvm_boot32
	.type kvm_boot32, @function
kvm_boot32:
	/* PML4[0] -> PDPT; PDPT[0..3] -> the four page directories */
	movl $(kvm_pdpt + PTE_TABLE), kvm_pml4
	movl $(kvm_pd + 0 * PAGE + PTE_TABLE), kvm_pdpt + 0
	movl $(kvm_pd + 1 * PAGE + PTE_TABLE), kvm_pdpt + 8
	movl $(kvm_pd + 2 * PAGE + PTE_TABLE), kvm_pdpt + 16
	movl $(kvm_pd + 3 * PAGE + PTE_TABLE), kvm_pdpt + 24

	/* i = 0..511: the 2 MiB pages i of each GiB */
	movl $(PTE_PAGE | X86_PTE_PS), %eax
	xorl %ecx, %ecx
	movl $X86_PTE_NX_HI, %ebp       /* high dwords: not executable */
1:	movl %eax, kvm_pd + 0 * PAGE(, %ecx, 8)
	movl %ebp, kvm_pd + 0 * PAGE + 4(, %ecx, 8)
	leal 1 * GIB(%eax), %edx
	movl %edx, kvm_pd + 1 * PAGE(, %ecx, 8)
	movl %ebp, kvm_pd + 1 * PAGE + 4(, %ecx, 8)
	leal 2 * GIB(%eax), %edx
	movl %edx, kvm_pd + 2 * PAGE(, %ecx, 8)
	movl %ebp, kvm_pd + 2 * PAGE + 4(, %ecx, 8)
	leal 3 * GIB(%eax), %edx
	movl %edx, kvm_pd + 3 * PAGE(, %ecx, 8)
	movl %ebp, kvm_pd + 3 * PAGE + 4(, %ecx, 8)
	addl $0x200000, %eax
	incl %ecx
	cmpl $512, %ecx
	jb 1b
	/* i = 0..kvm_pt_entries-1: the 4 KiB page i (the image's first
	 * kvm_pt_tables × 2 MiB; the linker script sizes them) */
	movl $PTE_PAGE, %ebx
	xorl %ecx, %ecx
5:	movl %ebx, kvm_pt(, %ecx, 8)
	movl %ebp, kvm_pt + 4(, %ecx, 8)
	addl $PAGE, %ebx
	incl %ecx
	cmpl $kvm_pt_entries, %ecx
	jb 5b
	/* W^X in the image (the linker script gives the entries of its first
	 * text, rodata and data pages, all in kvm_pt): text pages read-only
	 * and executable, then rodata pages read-only */
	movl $kvm_pte_text, %ecx
2:	movl $0, 4(%ecx)
	andl $~X86_PTE_RW, (%ecx)
	addl $8, %ecx
	cmpl $kvm_pte_rodata, %ecx
	jb 2b
3:	andl $~X86_PTE_RW, (%ecx)
	addl $8, %ecx
	cmpl $kvm_pte_data, %ecx
	jb 3b
	/* the first kvm_pt_tables × 2 MiB go through the page tables (setup.c
	 * unmaps page 0 once the boot information, which may live there, has
	 * been read); NX at a table entry would cover it all: high dword 0 */
	movl $(kvm_pt + PTE_TABLE), %eax
	xorl %ecx, %ecx
6:	movl %eax, kvm_pd(, %ecx, 8)
	movl $0, kvm_pd + 4(, %ecx, 8)
	addl $PAGE, %eax
	incl %ecx
	cmpl $kvm_pt_tables, %ecx
	jb 6b
	/* unmap the stack guard page (the linker script picks the entry) */
	movl $0, kvm_boot_stack_guard_pte

	/* our GDT, and SS from it (iretq reloads SS: it must be ours) */
	lgdt x86_gdt_desc
	movl %cr4, %eax
	orl $(X86_CR4_PAE | X86_CR4_BOOT_SET), %eax
	movl $X86_SEL_DATA, %edx
	movl %edx, %ss
	/* PAE (and SSE, see x86/cpu.h), then long mode, then paging */
	movl %eax, %cr4
	movl $kvm_pml4, %eax
	movl %eax, %cr3
	movl $X86_MSR_EFER, %ecx
	rdmsr
	orl $(X86_EFER_LME | X86_EFER_NXE), %eax
	wrmsr
	movl %cr0, %eax
	andl $~X86_CR0_BOOT_CLEAR, %eax
	orl $(X86_CR0_PG | X86_CR0_PE | X86_CR0_WP | X86_CR0_BOOT_SET), %eax
	movl %eax, %cr0
	fninit
	ljmp $X86_SEL_CODE64, $kvm_boot64
	.size kvm_boot32, . - kvm_boot32

	.code64
	.type kvm_boot64, @function
kvm_boot64:
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movq $kvm_boot_stack_top, %rsp
	xorl %ebp, %ebp                 /* ends frame-pointer backtraces */
#if defined(CONFIG_STACK_PROTECTOR)
	/* the canary, before any protected function runs (ukdebug) */
	movl %esi, %ebx                 /* magic, info: callee-saved */
	movl %edi, %r12d
	movl %edi, %edi                 /* seed: the boot information's address */
	call uk_stack_chk_init
	movl %ebx, %esi
	movl %r12d, %edi
#endif
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
	.globl kvm_pml4
kvm_pml4:	.skip PAGE
kvm_pdpt:	.skip PAGE
kvm_pd:		.skip 4 * PAGE
	/* kvm_pt, the 4 KiB page tables, is placed and sized by the linker
	 * script (kvm_pt_tables pages) */

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
