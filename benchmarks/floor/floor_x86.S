/* VMM floor guest, x86: print one line on the 16550 at 0x3f8, then leave
 * through isa-debug-exit (port 0xf4).  QEMU exits with status (v << 1) | 1,
 * so writing 0 gives exit status 1.
 *
 * Both boot protocols enter in 32-bit protected mode, flat segments, paging
 * off, at the ELF's physical load address (1 MiB, see floor_x86.lds):
 *   -DMULTIBOOT : a multiboot v1 header; QEMU's `-M pc -kernel` loads ELF32
 *                 multiboot images itself (multiboot option ROM).
 *   -DPVH       : a PVH ELF note ("Xen", type 18 XEN_ELFNOTE_PHYS32_ENTRY);
 *                 what `-M microvm -kernel` (and pc) boot straight into.
 * QEMU tries multiboot before PVH, so the two are built as separate images.
 */
	.code32

#ifdef MULTIBOOT
	.section .multiboot, "a"
	.balign 4
	.long 0x1BADB002			/* magic */
	.long 0					/* flags: ELF image, nothing asked */
	.long -(0x1BADB002 + 0)			/* checksum */
#endif

#ifdef PVH
	.section .note.Xen, "a", @note
	.balign 4
	.long 4					/* namesz */
	.long 4					/* descsz */
	.long 18				/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.long _start
	.balign 4
#endif

	.text
	.globl _start
_start:
	mov	$msg, %esi
1:	mov	$0x3fd, %dx			/* LSR */
2:	inb	%dx, %al
	test	$0x20, %al			/* THR empty? */
	jz	2b
	lodsb
	test	%al, %al
	jz	3f
	mov	$0x3f8, %dx			/* THR */
	outb	%al, %dx
	jmp	1b
3:	mov	$0xf4, %dx			/* isa-debug-exit */
	xor	%eax, %eax
	outl	%eax, %dx
4:	cli
	hlt
	jmp	4b

	.section .rodata
msg:	.asciz "FLOOR-HELLO\r\n"
