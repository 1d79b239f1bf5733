/* SPDX-License-Identifier: BSD-3-Clause */
/* ukboot internals shared between boot.c, heap.c and boottime.c. */
#ifndef UK_BOOT_H
#define UK_BOOT_H

#include <uk/plat.h>

/* Run the terminators in reverse and halt the platform with status. */
void ukboot_shutdown(int status) __noreturn;
/* Install the default allocator, built on first use from the platform's
 * free memory regions (heap.c). */
void ukboot_heap_init(struct ukplat_bootinfo *bi);
void ukboot_print_boottime(void);

#endif
