/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reports the guest-internal boot time: from the cycle counter value the arch
 * entry code saved at the image's first instruction (ukplat_boot_cycles) to
 * the call of main(). The line is machine-readable; benchmarks parse it:
 *   UK-BOOT-TIME ns=<nanoseconds> cycles=<counter ticks>
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <uk/time.h>
#include <uk/boot.h>
#include <stdio.h>

void ukboot_print_boottime(void)
{
	uint64_t now = uk_time_cycles();
	uint64_t cycles = now - ukplat_boot_cycles;

	if (!ukplat_boot_cycles) {
		printf("UK-BOOT-TIME unavailable\n");
		return;
	}
	printf("UK-BOOT-TIME ns=%llu cycles=%llu\n",
	       (unsigned long long)uk_time_cycles_to_ns(cycles),
	       (unsigned long long)cycles);
}
