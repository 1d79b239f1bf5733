/* SPDX-License-Identifier: BSD-3-Clause */
/* ukplat_cout / ukplat_cin over the board's UART driver (arm64_uart_*). */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <arm64/plat.h>

static bool midline;

void ukplat_cout(const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		arm64_uart_putc(buf[i]);
	if (n)
		midline = buf[n - 1] != '\n';
}

bool ukplat_cout_midline(void)
{
	return midline;
}

int ukplat_cin(char *buf, size_t n)
{
	size_t i;
	int c;

	for (i = 0; i < n; i++) {
		c = arm64_uart_getc();
		if (c < 0)
			break;
		buf[i] = (char)c;
	}
	return (int)i;
}
