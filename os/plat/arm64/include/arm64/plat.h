/* SPDX-License-Identifier: BSD-3-Clause */
/* The arm64 platform's own state and its console driver interface. */
#ifndef ARM64_PLAT_H
#define ARM64_PLAT_H

#include <uk/essentials.h>

/* Exception level the image was entered at (1, 2 or 3). */
extern unsigned int arm64_entry_el;
/* The device tree the boot loader passed (validated), or NULL. */
extern const void *arm64_dtb;
/* What the platform handed to ukplat_entry(). */
struct ukplat_bootinfo;
extern const struct ukplat_bootinfo *const arm64_bootinfo;

/* Console UART driver (pl011.c or cdns_uart.c, chosen by the board). */
void arm64_uart_init(uintptr_t base);
void arm64_uart_putc(char c);
int arm64_uart_getc(void);                 /* -EAGAIN when nothing is waiting */

/* C entry from start.S: MMU off, .bss clear, on the boot stack. */
void arm64_boot(void *loader_arg, unsigned int el, uint64_t cycles) __noreturn;

#endif
