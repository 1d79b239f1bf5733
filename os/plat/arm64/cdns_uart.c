/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Console on a Cadence UART (Xilinx Zynq / ZynqMP "UART" in the Zynq
 * UltraScale+ TRM, UG1087 register reference), polled. ZynqMP UART0:
 * 0xff000000. The transmitter and receiver are enabled, 8N1; the baud rate
 * generator is left as the firmware set it. Bounded transmit wait.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <arm64/cpu.h>
#include <arm64/plat.h>

#define CDNS_CR    0x00
#define CDNS_MR    0x04
#define CDNS_IDR   0x0c
#define CDNS_SR    0x2c
#define CDNS_FIFO  0x30

#define CR_RX_EN   (1U << 2)
#define CR_TX_EN   (1U << 4)
#define MR_NOPAR   (4U << 3)      /* PAR = 1xx: no parity; CHRL 0x: 8 bits */
#define SR_RXEMPTY (1U << 1)
#define SR_TXFULL  (1U << 4)

#define TX_SPINS   100000

static uintptr_t base;

void arm64_uart_init(uintptr_t b)
{
	base = b;
	arm64_write32(base + CDNS_IDR, 0x1fff);      /* no interrupts */
	arm64_write32(base + CDNS_MR, MR_NOPAR);
	arm64_write32(base + CDNS_CR, CR_TX_EN | CR_RX_EN);
}

void arm64_uart_putc(char c)
{
	unsigned int i;

	for (i = 0; i < TX_SPINS; i++)
		if (!(arm64_read32(base + CDNS_SR) & SR_TXFULL))
			break;
	arm64_write32(base + CDNS_FIFO, (uint8_t)c);
}

int arm64_uart_getc(void)
{
	if (arm64_read32(base + CDNS_SR) & SR_RXEMPTY)
		return -EAGAIN;
	return (int)(arm64_read32(base + CDNS_FIFO) & 0xff);
}
