/* SPDX-License-Identifier: BSD-3-Clause */
/* arm64: the generic timer reports its own frequency in CNTFRQ_EL0. */
#include <uk/essentials.h>
#include <uk/time.h>

uint64_t uk_time_calibrate(void)
{
	uint64_t f;

	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(f));
	return f;
}
