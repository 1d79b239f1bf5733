/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The platform API: what every platform library (os/plat/<name>) provides to
 * the libraries above it. The boot code of a platform fills one
 * struct ukplat_bootinfo and calls ukplat_entry() (implemented by ukboot);
 * nothing above this line knows which boot protocol or machine it runs on.
 */
#ifndef UK_PLAT_H
#define UK_PLAT_H

#include <uk/essentials.h>
#include <uk/plat/paging.h>     /* map, unmap, protect; stack guards */

#define UKPLAT_MEMR_MAX 16

/* Memory region kinds. */
#define UKPLAT_MEMR_FREE    1   /* usable RAM, not holding the image */
#define UKPLAT_MEMR_KERNEL  2   /* the loaded image (text, data, bss) */
#define UKPLAT_MEMR_RESERVED 3  /* firmware, boot info, device memory */

struct ukplat_memregion {
	uintptr_t base;
	size_t len;
	int type;
};

struct ukplat_bootinfo {
	const char *bootloader;   /* "multiboot", "pvh", "linuxu", "dtb", ... */
	const char *cmdline;      /* "kernel args -- app args"; may be NULL */
	int argc;                 /* linuxu: the process's own argv instead */
	char **argv;              /*   of cmdline (argc == 0 when unused)    */
	void *dtb;                /* arm64: the flattened device tree, or NULL */
	unsigned int nr_mrd;
	struct ukplat_memregion mrd[UKPLAT_MEMR_MAX];
};

/* Implemented by ukboot: runs the init tables, main(), then ukplat_halt(). */
void ukplat_entry(struct ukplat_bootinfo *bi) __noreturn;

/* Console: write n bytes; never fails (drops output if no console). */
void ukplat_cout(const char *buf, size_t n);
/* Console input: up to n bytes, returns count (0 = nothing), never blocks. */
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
