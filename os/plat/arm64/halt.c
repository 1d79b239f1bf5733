/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukplat_halt: semihosting SYS_EXIT when PLAT_ARM64_SEMIHOSTING_EXIT (QEMU
 * exits with exactly `status`), else PSCI SYSTEM_OFF (QEMU exits with 0),
 * else wait for interrupts forever with everything masked. A fault while
 * halting (e.g. semihosting not enabled in QEMU) ends up here again and
 * skips the step that faulted.
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <arm64/cpu.h>
#include <arm64/psci.h>
#if defined(CONFIG_PLAT_ARM64_SEMIHOSTING_EXIT)
#include <arm64/semihosting.h>
#endif

void __noreturn_nosp ukplat_halt(int status)
{
	static volatile int step;

	__asm__ __volatile__("msr daifset, #0xf" : : : "memory");
#if defined(CONFIG_PLAT_ARM64_SEMIHOSTING_EXIT)
	if (step == 0) {
		step = 1;
		arm64_semihost_exit(status);
	}
#endif
	if (step <= 1) {
		step = 2;
		arm64_psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	}
	for (;;)
		arm64_wfi();
}
