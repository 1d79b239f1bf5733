/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Multiboot v1 information -> struct ukplat_bootinfo. The memory map
 * (flags bit 6) is preferred; mem_upper (bit 0, KiB above 1 MiB) is the
 * fallback. The loader's command line starts with the kernel's file name
 * (QEMU and GRUB both do that); the first word is skipped. The first
 * module is the initrd.
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <uk/assert.h>
#include "kvm.h"

#define MBI_MEMORY   (1 << 0)
#define MBI_CMDLINE  (1 << 2)
#define MBI_MODS     (1 << 3)
#define MBI_MMAP     (1 << 6)

#define MB_MMAP_RAM  1
#define MB_INFO_SIZE 128     /* the whole v1 structure, with unused fields */

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;      /* KiB */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	/* drives, config table, boot loader name, APM, VBE: unused */
} __packed;

struct mb_mmap_entry {
	uint32_t size;                      /* of the rest of the entry */
	uint64_t addr, len;
	uint32_t type;
} __packed;

struct mb_module {
	uint32_t start, end, cmdline, pad;
} __packed;

void kvm_multiboot_parse(struct ukplat_bootinfo *bi, uint32_t magic, uint32_t info)
{
	const struct mb_info *mbi = (const struct mb_info *)(uintptr_t)info;
	uint32_t i;

	if (magic != KVM_MAGIC_MULTIBOOT)
		uk_crash("kvm: entered without a Multiboot or PVH boot "
			 "information (wrong protocol for this image?)", NULL);
	bi->bootloader = "multiboot";
	kvm_mem_reserve(info, MB_INFO_SIZE);

	if (mbi->flags & MBI_CMDLINE) {
		const char *cl = (const char *)(uintptr_t)mbi->cmdline;
		const char *args = NULL;
		size_t n;

		/* one pass: the length, and what follows the first word */
		for (n = 0; cl[n]; n++)
			if (cl[n] == ' ' && !args)
				args = cl + n + 1;
		kvm_mem_reserve(mbi->cmdline, n + 1);
		bi->cmdline = args ? args : cl + n;
	}
	if (mbi->flags & MBI_MODS) {
		const struct mb_module *mod =
			(const struct mb_module *)(uintptr_t)mbi->mods_addr;

		kvm_mem_reserve(mbi->mods_addr, mbi->mods_count * sizeof(*mod));
		for (i = 0; i < mbi->mods_count; i++)
			kvm_mem_reserve(mod[i].start, mod[i].end - mod[i].start);
		if (mbi->mods_count && mod[0].end > mod[0].start) {
			/* the first module is the initrd (QEMU -initrd FILE) */
			bi->initrd = (const void *)(uintptr_t)mod[0].start;
			bi->initrd_len = mod[0].end - mod[0].start;
		}
	}

	if (mbi->flags & MBI_MMAP) {
		uintptr_t p = mbi->mmap_addr, end = p + mbi->mmap_length;

		kvm_mem_reserve(mbi->mmap_addr, mbi->mmap_length);
		while (p + sizeof(struct mb_mmap_entry) <= end) {
			const struct mb_mmap_entry *e =
				(const struct mb_mmap_entry *)p;

			if (e->type == MB_MMAP_RAM)
				kvm_mem_add_ram(bi, e->addr, e->len);
			p += e->size + sizeof(e->size);
		}
	} else if (mbi->flags & MBI_MEMORY) {
		kvm_mem_add_ram(bi, KVM_MEM_LOW_END,
				(uint64_t)mbi->mem_upper * 1024);
	}
}
