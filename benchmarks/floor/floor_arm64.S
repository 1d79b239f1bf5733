/* VMM floor guest, arm64 `-M virt`: print one line on the PL011 at
 * 0x09000000, then ask QEMU to exit through semihosting SYS_EXIT
 * (needs `-semihosting-config enable=on,target=native`).
 *
 * QEMU loads this ELF and starts it at _start in EL1, MMU off, no firmware.
 * QEMU's PL011 transmits without being set up, so no init is needed; we
 * still wait for TXFF (transmit FIFO full) to clear.
 */
	.text
	.globl _start
_start:
	ldr	x2, =0x09000000			/* PL011 base */
	adr	x3, msg
1:	ldrb	w4, [x3], #1
	cbz	w4, 3f
2:	ldr	w5, [x2, #0x18]			/* UARTFR */
	tbnz	w5, #5, 2b			/* TXFF */
	str	w4, [x2]			/* UARTDR */
	b	1b
3:	mov	w0, #0x18			/* SYS_EXIT */
	adr	x1, exit_block
	hlt	#0xf000				/* AArch64 semihosting trap */
4:	wfi
	b	4b

	.balign 8
exit_block:
	.quad 0x20026				/* ADP_Stopped_ApplicationExit */
	.quad 0					/* exit status */
msg:	.asciz "FLOOR-HELLO\r\n"
