/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The C entry of the KVM/QEMU x86 platform: console and exception setup,
 * then the loader's information (Multiboot or PVH) normalised into one
 * struct ukplat_bootinfo, then ukplat_entry() (ukboot).
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <uk/assert.h>
#include <x86/cpu.h>
#include "kvm.h"

/* TSC at the first instruction, stored by multiboot_entry.S / pvh_entry.S. */
uint64_t ukplat_boot_cycles;

static struct ukplat_bootinfo bootinfo;

const struct ukplat_bootinfo *ukplat_bootinfo_get(void)
{
	return &bootinfo;
}

/* The page tables of the first 2 MiB and on (trampoline.S, kvm-x86_64.lds). */
extern uint64_t kvm_pt[];

/*
 * Unmaps page 0 so that NULL dereferences fault. Loaders may put boot
 * information there (QEMU's PVH option ROM on -M pc puts the memory map at
 * 0x5a8), so this runs after parsing, and not at all if the command line,
 * which ukboot reads later, is in page 0.
 */
static void unmap_page0(const struct ukplat_bootinfo *bi)
{
	uintptr_t cl = (uintptr_t)bi->cmdline;

	if (cl && cl < __PAGE_SIZE)
		return;
	kvm_pt[0] = 0;
	__asm__ __volatile__("invlpg (%0)" : : "r"(0UL) : "memory");
}

void kvm_entry(uint32_t magic, uint32_t info)
{
	struct ukplat_bootinfo *bi = &bootinfo;

	x86_traps_init();       /* first: any fault from here on is reported */
	kvm_console_init();

	kvm_mem_reserve((uintptr_t)__uk_image_start,
			(uintptr_t)_end - (uintptr_t)__uk_image_start);
	/* The PVH entry passes KVM_MAGIC_PVH (and kvm_pvh_parse() checks the
	 * start info's own magic); anything else is up to the Multiboot
	 * parser, which checks the loader's. */
#if defined(CONFIG_KVM_BOOT_PVH) && defined(CONFIG_KVM_BOOT_MULTIBOOT)
	if (magic == KVM_MAGIC_PVH)
		kvm_pvh_parse(bi, info);
	else
		kvm_multiboot_parse(bi, magic, info);
#elif defined(CONFIG_KVM_BOOT_PVH)
	kvm_pvh_parse(bi, info);
#else
	kvm_multiboot_parse(bi, magic, info);
#endif
	kvm_mem_finish(bi);
	unmap_page0(bi);
	ukplat_entry(bi);
}
