/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_now_ns(): a monotonic clock in ns for the benchmark programs. The
 * unikernel side reads lib/uktime (uk_time_now_ns: the TSC / generic timer,
 * converted); the Linux side (built with -DBENCH_ON_LINUX) calls
 * clock_gettime(CLOCK_MONOTONIC), which Linux serves from the vDSO.
 * bench_finish(): ends a Linux program that runs as /init by powering the
 * VM off (a process on the host just returns).
 */
#ifndef BENCH_CLOCK_H
#define BENCH_CLOCK_H

#include <stdint.h>

#ifdef BENCH_ON_LINUX
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/reboot.h>

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline int bench_finish(int status)
{
	fflush(stdout);
	if (getpid() == 1) {            /* /init of the Linux VM: power off */
		sync();
		reboot(RB_POWER_OFF);
		for (;;)
			pause();
	}
	return status;
}
#else
#include <uk/time.h>

static inline uint64_t bench_now_ns(void)
{
	return uk_time_now_ns();
}

static inline int bench_finish(int status)
{
	return status;
}
#endif

#endif
