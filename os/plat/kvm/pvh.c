/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PVH start info (Xen's public arch-x86/hvm/start_info.h layout) ->
 * struct ukplat_bootinfo. The memory map needs version >= 1; without it
 * the RAM size comes from the CMOS (which QEMU fills for pc and microvm).
 * The first module is the initrd.
 */
#include <uk/essentials.h>
#include <uk/string.h>
#include <uk/plat.h>
#include <uk/assert.h>
#include <x86/cpu.h>
#include "kvm.h"

#define PVH_MEMMAP_RAM 1

struct hvm_start_info {
	uint32_t magic;             /* 0x336ec578 */
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	/* version >= 1 */
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr, size, cmdline_paddr, reserved;
};

struct hvm_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

static uint8_t cmos_read(uint8_t reg)
{
	x86_outb(0x70, reg | 0x80);     /* keep NMIs masked */
	return x86_inb(0x71);
}

/* RAM from the CMOS: 1-16 MiB in KiB (0x30/0x31), above 16 MiB in
 * 64 KiB units (0x34/0x35), both below 4 GiB. */
static void cmos_ram(struct ukplat_bootinfo *bi)
{
	uint64_t ext = ((uint64_t)cmos_read(0x31) << 8 | cmos_read(0x30)) * 1024;
	uint64_t high = ((uint64_t)cmos_read(0x35) << 8 | cmos_read(0x34)) << 16;

	if (high)
		kvm_mem_add_ram(bi, KVM_MEM_LOW_END, 15ULL * 1024 * 1024 + high);
	else
		kvm_mem_add_ram(bi, KVM_MEM_LOW_END, ext);
}

void kvm_pvh_parse(struct ukplat_bootinfo *bi, uint32_t info)
{
	const struct hvm_start_info *si =
		(const struct hvm_start_info *)(uintptr_t)info;
	const char *cl = (const char *)(uintptr_t)si->cmdline_paddr;
	uint32_t i;

	bi->bootloader = "pvh";
	if (si->magic != KVM_MAGIC_PVH) {
		uk_crash("kvm: PVH start info without its magic value", NULL);
	}
	kvm_mem_reserve(info, sizeof(*si));

	/* no command line (0): reserves one byte at 0, below 1 MiB */
	bi->cmdline = cl;
	kvm_mem_reserve(si->cmdline_paddr, (cl ? uk_strlen(cl) : 0) + 1);

	if (si->nr_modules && si->modlist_paddr) {
		const struct hvm_modlist_entry *mod =
			(const struct hvm_modlist_entry *)(uintptr_t)si->modlist_paddr;

		kvm_mem_reserve(si->modlist_paddr, si->nr_modules * sizeof(*mod));
		for (i = 0; i < si->nr_modules; i++)
			kvm_mem_reserve(mod[i].paddr, mod[i].size);
		/* the first module is the initrd (QEMU -initrd FILE) */
		bi->initrd = (const void *)(uintptr_t)mod[0].paddr;
		bi->initrd_len = mod[0].size;
	}

	if (si->version >= 1 && si->memmap_paddr && si->memmap_entries) {
		const struct hvm_memmap_entry *e =
			(const struct hvm_memmap_entry *)(uintptr_t)si->memmap_paddr;

		kvm_mem_reserve(si->memmap_paddr, si->memmap_entries * sizeof(*e));
		for (i = 0; i < si->memmap_entries; i++)
			if (e[i].type == PVH_MEMMAP_RAM)
				kvm_mem_add_ram(bi, e[i].addr, e[i].size);
	} else {
		cmos_ram(bi);
	}
}
