/* SPDX-License-Identifier: BSD-3-Clause */
/* x86_64: the thread pointer is the FS base (IA32_FS_BASE, MSR 0xc0000100). */
#include <uk/tls.h>

#define X86_MSR_FS_BASE 0xc0000100

void arch_tls_set_tp(uintptr_t tp)
{
	__asm__ __volatile__("wrmsr" : : "c"(X86_MSR_FS_BASE), "a"((uint32_t)tp),
			     "d"((uint32_t)(tp >> 32)) : "memory");
}
