/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the KVM/QEMU x86 platform, shared by its own files only. */
#ifndef KVM_H
#define KVM_H

/* What the trampoline passes to kvm_entry() as `magic`. */
#define KVM_MAGIC_MULTIBOOT 0x2badb002  /* eax from a Multiboot v1 loader */
#define KVM_MAGIC_PVH       0x336ec578  /* hvm_start_info.magic */

/* Everything below 1 MiB is left alone; only the first 4 GiB are mapped. */
#define KVM_MEM_LOW_END     0x100000ULL
#define KVM_MEM_MAPPED_END  0x100000000ULL

#define KVM_BOOT_STACK_SIZE_DEFAULT (64 * 1024)

#ifndef __ASSEMBLER__
#include <uk/essentials.h>
#include <uk/plat.h>

/* setup.c: the 64-bit C entry, called by trampoline.S on the boot stack. */
void kvm_entry(uint32_t magic, uint32_t info) __noreturn;

/* console.c */
void kvm_console_init(void);

/* memory.c: build bi->mrd from the loader's RAM ranges. Call
 * kvm_mem_reserve() for every piece of boot information first, then
 * kvm_mem_add_ram() for each RAM range, then kvm_mem_finish(). */
void kvm_mem_reserve(uint64_t base, uint64_t len);
void kvm_mem_add_ram(struct ukplat_bootinfo *bi, uint64_t base, uint64_t len);
void kvm_mem_finish(struct ukplat_bootinfo *bi);

/* multiboot.c / pvh.c: fill bi from the loader's information. */
void kvm_multiboot_parse(struct ukplat_bootinfo *bi, uint32_t info);
void kvm_pvh_parse(struct ukplat_bootinfo *bi, uint32_t info);

/* Linker script symbols. */
extern char __uk_image_start[], _end[];
#endif

#endif
