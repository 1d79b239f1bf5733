/* SPDX-License-Identifier: BSD-3-Clause */
/* Counter → nanoseconds over the platform's clock (uk/plat/time.h). */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <uk/time.h>

uint64_t uk_time_cycles(void)
{
	return ukplat_clock_ticks();
}

bool uk_time_calibrated(void)
{
	return ukplat_clock_freq_known();
}

uint64_t uk_time_freq(void)
{
	return ukplat_clock_freq();
}

uint64_t uk_time_cycles_to_ns(uint64_t cycles)
{
	uint64_t f = uk_time_freq();

	if (!f)
		return 0;
	/* split to avoid overflow: whole seconds, then the remainder */
	return (cycles / f) * UK_NSEC_PER_SEC + ((cycles % f) * UK_NSEC_PER_SEC) / f;
}

uint64_t uk_time_ns_to_cycles(uint64_t ns)
{
	uint64_t f = uk_time_freq();

	return (ns / UK_NSEC_PER_SEC) * f + ((ns % UK_NSEC_PER_SEC) * f) / UK_NSEC_PER_SEC;
}

uint64_t uk_time_now_ns(void)
{
	return uk_time_cycles_to_ns(uk_time_cycles() - ukplat_boot_cycles);
}
