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
/* The inverse, without overflow; rounded down. */
uint64_t uk_time_ns_to_cycles(uint64_t ns);
/* Nanoseconds since boot (since the image's first instruction). */
uint64_t uk_time_now_ns(void);

/*
 * Wall clock: nanoseconds since the Unix epoch (UTC), the boot's wall time
 * plus uk_time_now_ns(). The boot's wall time is read once, at the first
 * call: from the platform's clock hardware when it has one
 * (ukplat_wall_clock(): the CMOS RTC on pc, PL031 on arm64 virt, the
 * host's CLOCK_REALTIME on linuxu), else from the kernel parameter
 * uktime.wall=<ns or s since the epoch> that uniforge's runner sets to the
 * host's time when it starts the VMM; with neither it counts from the
 * epoch (1970-01-01 + uptime).
 */
uint64_t uk_time_wall_ns(void);
/* Whether reading the clock costs nothing more than a read: false on x86
 * until the TSC's frequency has been measured (~10 ms of PIT, at the first
 * conversion to ns). Code that wants a time stamp at boot without paying
 * that (vfscore) can ask first. */
bool uk_time_calibrated(void);
/* The boot's wall time (uk_time_wall_ns() at uk_time_now_ns() == 0). */
uint64_t uk_time_boot_wall_ns(void);
/* Where that time came from: the platform's clock name ("cmos-rtc",
 * "pl031", "host"), "uktime.wall", or "none". */
const char *uk_time_wall_source(void);

#endif
