/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The boot information a platform hands to ukboot (ukplat_entry(), in
 * uk/plat.h): the command line, the memory map, the device tree, and the
 * initrd. Every boot protocol (Multiboot, PVH, device tree, ATAGS, a Linux
 * process) is normalised into this one structure.
 */
#ifndef UK_PLAT_BOOTINFO_H
#define UK_PLAT_BOOTINFO_H

#include <uk/essentials.h>

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
	/* Words the VMM appended after uniforge's "---" terminator (QEMU
	 * microvm: virtio_mmio.device=...), set by ukboot before any init
	 * function runs; never passed to main(). See "The command-line rule"
	 * in ARCHITECTURE.md. */
	int vmm_argc;
	char **vmm_argv;
	/*
	 * The initial ramdisk the loader passed (QEMU -initrd: a Multiboot
	 * module on pc, the first PVH module on microvm, /chosen
	 * linux,initrd-start/end on arm64 virt, ATAG_INITRD2 on raspi3b and
	 * zcu102; the file named by UK_INITRD on
	 * linuxu), mapped and readable; initrd_len == 0 when there is none.
	 * Its pages are never in a UKPLAT_MEMR_FREE region.
	 */
	const void *initrd;
	size_t initrd_len;
	/* Random bytes the loader gave (linuxu: the host kernel's 16
	 * AT_RANDOM bytes), for ukrandom's seed; loader_random_len == 0
	 * when there are none. */
	const void *loader_random;
	size_t loader_random_len;
	unsigned int nr_mrd;
	struct ukplat_memregion mrd[UKPLAT_MEMR_MAX];
};

/* The boot information the platform gave ukplat_entry() (implemented by
 * each platform; it lives as long as the image). */
const struct ukplat_bootinfo *ukplat_bootinfo_get(void);

#endif
