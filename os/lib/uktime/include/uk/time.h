/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktime: a monotonic clock in nanoseconds over the platform's clock
 * (uk/plat/time.h: x86 the TSC measured against the PIT, arm64 the generic
 * timer's counter and CNTFRQ, linuxu the TSC measured against the host's
 * CLOCK_MONOTONIC). The platform owns the hardware; this library only
 * converts.
 */
#ifndef UK_TIME_H
#define UK_TIME_H

#include <uk/essentials.h>

#define UK_NSEC_PER_SEC 1000000000ULL

/* Raw counter ticks (the same counter ukplat_boot_cycles was read from). */
uint64_t uk_time_cycles(void);
/* Counter frequency in Hz (the platform measures it on the first call). */
uint64_t uk_time_freq(void);
uint64_t uk_time_cycles_to_ns(uint64_t cycles);
/* Nanoseconds since boot (since the image's first instruction). */
uint64_t uk_time_now_ns(void);

#endif
