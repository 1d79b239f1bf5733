/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64's auxv words, computed from the ID registers as Linux does
 * (arch/arm64/kernel/cpufeature.c, arm64_elf_hwcaps): a field's value
 * (signed for FP/AdvSIMD, where 0xf means absent) against the minimum
 * each capability needs. HWCAP_CPUID is set: here the program runs at EL1,
 * where reading the ID registers works without the kernel's emulation.
 */
#include <uk/essentials.h>
#include "loader.h"

#define FIELD(r, s) (((r) >> (s)) & 0xf)

unsigned long elf_arch_hwcap(void)
{
	unsigned long isar0, pfr0, h = 0;

	__asm__ __volatile__("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	__asm__ __volatile__("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
	if (FIELD(pfr0, 16) != 0xf)
		h |= 1UL << 0;                          /* FP */
	if (FIELD(pfr0, 20) != 0xf)
		h |= 1UL << 1;                          /* ASIMD */
	if (FIELD(isar0, 4) >= 1)
		h |= 1UL << 3;                          /* AES */
	if (FIELD(isar0, 4) >= 2)
		h |= 1UL << 4;                          /* PMULL */
	if (FIELD(isar0, 8) >= 1)
		h |= 1UL << 5;                          /* SHA1 */
	if (FIELD(isar0, 12) >= 1)
		h |= 1UL << 6;                          /* SHA2 */
	if (FIELD(isar0, 16) >= 1)
		h |= 1UL << 7;                          /* CRC32 */
	if (FIELD(isar0, 20) >= 2)
		h |= 1UL << 8;                          /* ATOMICS */
	if (FIELD(pfr0, 16) == 1)
		h |= 1UL << 9;                          /* FPHP */
	if (FIELD(pfr0, 20) == 1)
		h |= 1UL << 10;                         /* ASIMDHP */
	h |= 1UL << 11;                                 /* CPUID */
	if (FIELD(isar0, 28) >= 1)
		h |= 1UL << 12;                         /* ASIMDRDM */
	if (FIELD(isar0, 32) >= 1)
		h |= 1UL << 17;                         /* SHA3 */
	if (FIELD(isar0, 36) >= 1)
		h |= 1UL << 18;                         /* SM3 */
	if (FIELD(isar0, 40) >= 1)
		h |= 1UL << 19;                         /* SM4 */
	if (FIELD(isar0, 44) >= 1)
		h |= 1UL << 20;                         /* ASIMDDP */
	if (FIELD(isar0, 12) >= 2)
		h |= 1UL << 21;                         /* SHA512 */
	return h;
}

unsigned long elf_arch_hwcap2(void)
{
	unsigned long isar0;

	__asm__ __volatile__("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	return FIELD(isar0, 60) >= 1 ? 1UL << 16 : 0;   /* RNG (RNDR) */
}
