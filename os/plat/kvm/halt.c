/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukplat_halt: QEMU's isa-debug-exit device (I/O port 0xf4) makes QEMU exit
 * with (value << 1) | 1, which keeps only 7 bits of the status, so for
 * status >= 128 the exact value is first printed as "UK-EXIT <status>"
 * (ARCHITECTURE.md, Exit status). Without the device the write is ignored
 * and the CPU halts for good with interrupts off.
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <x86/cpu.h>
#include "kvm.h"

#define DEBUG_EXIT_PORT 0xf4

void __noreturn_nosp ukplat_halt(int status)
{
	status &= 0xff;
	if (status >= 128) {
		char line[] = "\x1eUK-EXIT 000\n";
		bool rs = ukplat_cout_midline();     /* else no separator */

		line[9] = '0' + status / 100;
		line[10] = '0' + status / 10 % 10;
		line[11] = '0' + status % 10;
		ukplat_cout(line + !rs, sizeof(line) - 1 - !rs);
	}
	x86_outb(DEBUG_EXIT_PORT, (uint8_t)status);
	x86_halt_forever();
}
