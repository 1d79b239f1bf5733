/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The GDT: null, 64-bit ring-0 code, data, and a 64-bit TSS descriptor whose
 * base idt.c fills in at run time (x86_traps_init). The platform
 * trampoline loads it with `lgdt x86_gdt_desc` while still in 32-bit mode,
 * so the descriptor's base is a 32-bit physical address (identity map).
 */
#include <x86/cpu.h>

	.section .data.x86_gdt, "aw", @progbits
	.balign 16
	.globl x86_gdt
x86_gdt:
	.quad 0                         /* 0x00 null */
	.quad 0x00af9a000000ffff        /* 0x08 code: P, DPL0, L=1, execute/read */
	.quad 0x00cf92000000ffff        /* 0x10 data: P, DPL0, read/write, 4 GiB */
	.quad 0                         /* 0x18 TSS (low), set by x86_traps_init */
	.quad 0                         /* 0x20 TSS (high) */
x86_gdt_end:

	.balign 8
	.globl x86_gdt_desc
x86_gdt_desc:
	.word x86_gdt_end - x86_gdt - 1
	.quad x86_gdt

	.section .note.GNU-stack, "", @progbits
