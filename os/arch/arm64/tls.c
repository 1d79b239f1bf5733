/* SPDX-License-Identifier: BSD-3-Clause */
/* arm64: the thread pointer is TPIDR_EL0 (read by compiled TLS accesses). */
#include <uk/tls.h>

void arch_tls_set_tp(uintptr_t tp)
{
	__asm__ __volatile__("msr tpidr_el0, %0" : : "r"(tp) : "memory");
}
