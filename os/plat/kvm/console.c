/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The console: the 16550 UART at I/O port 0x3f8 (COM1), 115200 8N1,
 * polled, FIFOs off (set up by kvm_console_init() in kvm.h). Bytes go out
 * unchanged ("\n" stays "\n"); QEMU's -serial stdio passes them to the
 * host. Without a UART the status register reads 0xff, so output is dropped
 * rather than hanging.
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <x86/cpu.h>
#include "kvm.h"

#define COM1     KVM_COM1
#define LSR_DR   0x01   /* data ready */
#define LSR_THRE 0x20   /* transmit holding register empty */

/* Bounded wait for THRE: a FIFO drains in well under this many reads. */
#define TX_SPINS 100000

static void putc_raw(char c)
{
	unsigned int i;

	for (i = 0; i < TX_SPINS; i++)
		if (x86_inb(COM1 + UART_LSR) & LSR_THRE)
			break;
	x86_outb(COM1 + UART_THR, (uint8_t)c);
}

static bool midline;

void ukplat_cout(const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		putc_raw(buf[i]);
	if (n)
		midline = buf[n - 1] != '\n';
}

bool ukplat_cout_midline(void)
{
	return midline;
}

/* Without FIFOs the UART holds one byte; QEMU puts the next one there
 * shortly after a read. So after each byte wait up to RX_SPINS status
 * reads for another before returning what came. */
#define RX_SPINS 2000

int ukplat_cin(char *buf, size_t n)
{
	size_t i = 0;
	unsigned int spins = 0;

	while (i < n) {
		if (x86_inb(COM1 + UART_LSR) & LSR_DR) {
			buf[i++] = (char)x86_inb(COM1 + UART_THR);
			spins = 0;
		} else if (!i || ++spins > RX_SPINS) {
			break;
		}
	}
	return (int)i;
}
