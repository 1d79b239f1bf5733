/* SPDX-License-Identifier: BSD-3-Clause */
/* Counter → nanoseconds; the frequency source is in freq_<platform>.c. */
#include <uk/essentials.h>
#include <uk/arch.h>
#include <uk/plat.h>
#include <uk/time.h>

static uint64_t freq_hz;

uint64_t uk_time_cycles(void)
{
	return arch_cycles();
}

uint64_t uk_time_freq(void)
{
	if (!freq_hz)
		freq_hz = uk_time_calibrate();
	return freq_hz;
}

uint64_t uk_time_cycles_to_ns(uint64_t cycles)
{
	uint64_t f = uk_time_freq();

	if (!f)
		return 0;
	/* split to avoid overflow: whole seconds, then the remainder */
	return (cycles / f) * UK_NSEC_PER_SEC + ((cycles % f) * UK_NSEC_PER_SEC) / f;
}

uint64_t uk_time_now_ns(void)
{
	return uk_time_cycles_to_ns(uk_time_cycles() - ukplat_boot_cycles);
}
