/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The platform API: what every platform library (os/plat/<name>) provides to
 * the libraries above it. The boot code of a platform fills one
 * struct ukplat_bootinfo and calls ukplat_entry() (implemented by ukboot);
 * nothing above this line knows which boot protocol or machine it runs on.
 *
 * One header per concept, all included from here:
 *   uk/plat/bootinfo.h  the boot information (memory map, command line, initrd)
 *   uk/plat/irq.h       interrupts: register, mask/unmask, acknowledge; CPU mask
 *   uk/plat/time.h      the monotonic clock and its frequency, a one-shot timer
 * This file: entry, console, halt.
 */
#ifndef UK_PLAT_H
#define UK_PLAT_H

#include <uk/essentials.h>
#include <uk/plat/bootinfo.h>
#include <uk/plat/irq.h>
#include <uk/plat/time.h>
#include <uk/plat/paging.h>     /* map, unmap, protect; stack guards */

/* Implemented by ukboot: runs the init tables, main(), then ukplat_halt(). */
void ukplat_entry(struct ukplat_bootinfo *bi) __noreturn;

/* Console: write n bytes; never fails (drops output if no console). */
void ukplat_cout(const char *buf, size_t n);
/*
 * True when the last byte ukplat_cout() wrote was not "\n" (the program's
 * output stopped mid-line). A console protocol line (ARCHITECTURE.md,
 * "Console protocol") printed then starts with UKPLAT_COUT_RS, which the
 * host takes as the start of a line without adding a line break to the
 * program's output.
 */
bool ukplat_cout_midline(void);
#define UKPLAT_COUT_RS '\x1e'  /* ASCII record separator */
/*
 * Console input: up to n bytes; returns the count, 0 when nothing is
 * waiting, or -1 at the end of input (only where the platform can tell:
 * linuxu's stdin at EOF; a UART cannot). Never blocks.
 */
int ukplat_cin(char *buf, size_t n);

/*
 * Terminate the VM (or process) so that the host sees `status` (0-255) as
 * the exit status. Never returns.
 */
void ukplat_halt(int status) __noreturn;

/* The raw cycle counter value read at the image's first instruction
 * (arch entry code stores it; 0 where the platform cannot).
 */
extern uint64_t ukplat_boot_cycles;

#endif
