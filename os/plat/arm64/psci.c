/* SPDX-License-Identifier: BSD-3-Clause */
/* PSCI calls over HVC or SMC (SMC Calling Convention, Arm DEN 0028). */
#include <uk/essentials.h>
#include <arm64/psci.h>

int arm64_psci_conduit;

int64_t arm64_psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	switch (arm64_psci_conduit) {
	case ARM64_PSCI_HVC:
		__asm__ __volatile__("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
		break;
	case ARM64_PSCI_SMC:
		__asm__ __volatile__("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
		break;
	default:
		return PSCI_NOT_SUPPORTED;
	}
	return (int64_t)x0;
}
