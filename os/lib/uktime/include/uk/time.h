/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktime: a monotonic clock in nanoseconds over the architecture's cycle
 * counter (x86_64: TSC, arm64: the generic timer's virtual counter). The
 * counter frequency comes from a per-platform source file: the PIT on x86
 * QEMU/KVM (calibrated once, on first use), CNTFRQ_EL0 on arm64,
 * clock_gettime on linuxu.
 */
#ifndef UK_TIME_H
#define UK_TIME_H

#include <uk/essentials.h>

#define UK_NSEC_PER_SEC 1000000000ULL

/* Raw counter ticks (the same counter ukplat_boot_cycles was read from). */
uint64_t uk_time_cycles(void);
/* Counter frequency in Hz; calibrates on the first call where needed. */
uint64_t uk_time_freq(void);
uint64_t uk_time_cycles_to_ns(uint64_t cycles);
/* Nanoseconds since boot (since the image's first instruction). */
uint64_t uk_time_now_ns(void);

/* Implemented per platform (freq_*.c): measure the counter frequency. */
uint64_t uk_time_calibrate(void);

#endif
