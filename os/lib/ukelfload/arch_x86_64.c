/* SPDX-License-Identifier: BSD-3-Clause */
/* x86_64's auxv words: AT_HWCAP is CPUID leaf 1's EDX, as Linux gives it
 * (arch/x86/include/asm/elf.h ELF_HWCAP); AT_HWCAP2 has no bit that
 * applies here (RING3MWAIT, FSGSBASE: the kernel has not enabled them). */
#include <uk/essentials.h>
#include "loader.h"

unsigned long elf_arch_hwcap(void)
{
	unsigned int a = 1, b, c = 0, d;

	__asm__ __volatile__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return d;
}

unsigned long elf_arch_hwcap2(void)
{
	return 0;
}
