/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu: the TSC runs in user space too; its frequency is measured against
 * the host's CLOCK_MONOTONIC (raw clock_gettime syscalls, no host libc).
 */
#include <uk/essentials.h>
#include <uk/arch.h>
#include <uk/time.h>
#include <linuxu/syscall.h>

static uint64_t mono_ns(void)
{
	struct { long sec, nsec; } ts;

	linuxu_syscall2(LINUXU_SYS_clock_gettime, 1 /* CLOCK_MONOTONIC */, (long)&ts);
	return (uint64_t)ts.sec * UK_NSEC_PER_SEC + (uint64_t)ts.nsec;
}

uint64_t uk_time_calibrate(void)
{
	uint64_t n0 = mono_ns(), c0 = arch_cycles(), n1, c1;

	do {
		n1 = mono_ns();
	} while (n1 - n0 < 2000000);          /* 2 ms */
	c1 = arch_cycles();
	return (c1 - c0) * UK_NSEC_PER_SEC / (n1 - n0);
}
