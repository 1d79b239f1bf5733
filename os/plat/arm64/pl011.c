/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Console on an Arm PL011 UART (PrimeCell UART, Arm DDI 0183), polled.
 * QEMU virt: 0x09000000; BCM2837 (raspi3b): 0x3f201000. The boot loader
 * or firmware owns the baud rate (the UART clock is board specific); if the
 * UART is still disabled it is enabled as 8N1, its FIFOs left as they are
 * (off after reset). Bytes go out unchanged; the transmit wait is bounded,
 * so a dead UART drops output instead of hanging.
 *
 * Why not turn the FIFOs on: changing LCR_H.FEN empties the receive FIFO
 * (and QEMU 7.2 empties it without setting RXFE, so the next read returns
 * a stale byte while a new one overwrites the first), and the host's
 * piped stdin may already be arriving when the guest starts: its first
 * byte was lost now and then. With FIFOs off QEMU holds further input
 * back until the one held byte is read, so nothing is lost; a polled
 * console gains nothing from the depth.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <arm64/cpu.h>
#include <arm64/plat.h>

#define PL011_DR    0x00
#define PL011_FR    0x18
#define PL011_LCR_H 0x2c
#define PL011_CR    0x30
#define PL011_IMSC  0x38

#define FR_RXFE     (1U << 4)
#define FR_TXFF     (1U << 5)
#define LCR_H_FEN   (1U << 4)
#define LCR_H_WLEN8 (3U << 5)
#define CR_UARTEN   (1U << 0)
#define CR_TXE      (1U << 8)
#define CR_RXE      (1U << 9)

#define TX_SPINS    100000

static uintptr_t base;

void arm64_uart_init(uintptr_t b)
{
	base = b;
	if (!(arm64_read32(base + PL011_CR) & CR_UARTEN)) {
		arm64_write32(base + PL011_IMSC, 0);
		arm64_write32(base + PL011_LCR_H, LCR_H_WLEN8 |
			      (arm64_read32(base + PL011_LCR_H) & LCR_H_FEN));
		arm64_write32(base + PL011_CR, CR_UARTEN | CR_TXE | CR_RXE);
	}
}

void arm64_uart_putc(char c)
{
	unsigned int i;

	for (i = 0; i < TX_SPINS; i++)
		if (!(arm64_read32(base + PL011_FR) & FR_TXFF))
			break;
	arm64_write32(base + PL011_DR, (uint8_t)c);
}

int arm64_uart_getc(void)
{
	if (arm64_read32(base + PL011_FR) & FR_RXFE)
		return -EAGAIN;
	return (int)(arm64_read32(base + PL011_DR) & 0xff);
}
