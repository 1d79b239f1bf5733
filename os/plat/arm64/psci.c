/* SPDX-License-Identifier: BSD-3-Clause */
/* PSCI calls over HVC or SMC (SMC Calling Convention, Arm DEN 0028). */
#include <uk/essentials.h>
#include <uk/fdt.h>
#include <arm64/psci.h>
#include <arm64/plat.h>

int arm64_psci_conduit = -1;

/* The conduit: the device tree's /psci "method"; without a device tree,
 * the board's when entered at EL1 (at EL2/EL3 nobody above implements
 * PSCI). */
static int conduit(void)
{
	const char *m;
	int len;

	if (arm64_psci_conduit < 0) {
		arm64_psci_conduit = ARM64_PSCI_NONE;
		if (arm64_dtb) {
			m = ukfdt_getprop(arm64_dtb, ukfdt_path(arm64_dtb, "/psci"), "method", &len);
			if (m && len == 4 && m[0] == 'h' && m[1] == 'v' && m[2] == 'c' && !m[3])
				arm64_psci_conduit = ARM64_PSCI_HVC;
			else if (m && len == 4 && m[0] == 's' && m[1] == 'm' && m[2] == 'c' && !m[3])
				arm64_psci_conduit = ARM64_PSCI_SMC;
		} else if (arm64_entry_el == 1) {
			arm64_psci_conduit = arm64_board.psci;
		}
	}
	return arm64_psci_conduit;
}

/* The call itself, out of line: its register variables must not live
 * across another call (the look-up above clobbers x0-x3). */
static int64_t __attribute__((noinline)) call(int c, uint32_t fn, uint64_t a1, uint64_t a2,
					     uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	switch (c) {
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

int64_t arm64_psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return call(conduit(), fn, a1, a2, a3);
}
