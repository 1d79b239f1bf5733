/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Time, platform side (ukplat_clock_*, ukplat_timer_*): the monotonic
 * clock, its frequency, and a one-shot timer interrupt. uktime builds its
 * nanosecond clock on these.
 *
 *   clock: x86 the TSC (frequency measured once against the PIT, on first
 *          use); arm64 the generic timer's counter (CNTVCT, or CNTPCT with
 *          PLAT_ARM64_TIMER_PHYSICAL; CNTFRQ); linuxu the TSC (measured
 *          against the host's CLOCK_MONOTONIC).
 *   timer: x86 the local APIC timer (TSC-deadline mode where CPUID has
 *          it, else one-shot count mode; line 24), or in the PIC fallback
 *          PIT channel 0 in one-shot mode (line 0; delays beyond one
 *          count, ~54.9 ms, chained inside the platform); arm64 the EL1
 *          generic timer (its PPI / BCM2836 source); linuxu none (it
 *          waits on the host: ukplat_clock_wait()).
 *   wall:  ukplat_wall_clock(): x86 the CMOS RTC (when one answers), arm64
 *          a PL031 in the device tree, linuxu the host's CLOCK_REALTIME.
 */
#ifndef UK_PLAT_TIME_H
#define UK_PLAT_TIME_H

#include <uk/essentials.h>

/* The monotonic counter (the one ukplat_boot_cycles was read from). */
uint64_t ukplat_clock_ticks(void);
/* Its frequency in Hz (> 0); measured on the first call where needed. */
uint64_t ukplat_clock_freq(void);
/* Whether ukplat_clock_freq() answers at once: true once it was measured
 * (x86's TSC against the PIT: ~10 ms, linuxu's against the host clock)
 * or where the hardware states it (arm64's CNTFRQ). */
bool ukplat_clock_freq_known(void);

/* The interrupt line the one-shot timer raises (uk/plat/irq.h). */
unsigned int ukplat_timer_irq(void);
/* The longest delay ukplat_timer_oneshot() accepts. */
uint64_t ukplat_timer_max_ns(void);
/*
 * Raise ukplat_timer_irq() once, ns nanoseconds from now (at least one
 * timer tick; replaces a pending one). The handler registered on that
 * line must call ukplat_timer_stop() or arm the timer again before it
 * returns (arm64's timer interrupt is level-triggered). A timer interrupt
 * that was pending from before this call is not delivered.
 * 0; -ERANGE: ns > ukplat_timer_max_ns(); -ENOTSUP: no timer.
 */
int ukplat_timer_oneshot(uint64_t ns);
/* Cancel a pending expiry, and quiet a raised one. */
void ukplat_timer_stop(void);

/*
 * For a platform without a timer interrupt (ukplat_timer_max_ns() == 0:
 * linuxu): block on the host until ukplat_clock_ticks() reaches ticks
 * (UINT64_MAX: until a signal). 0, or -EINTR; -ENOTSUP on the platforms
 * that wait with their timer and ukplat_lcpu_halt_irq() instead.
 */
int ukplat_clock_wait(uint64_t ticks);

/*
 * The wall clock hardware: sets *ns to the time now in nanoseconds since
 * the Unix epoch (UTC) and returns the clock's name ("cmos-rtc", "pl031",
 * "host"); NULL when the platform has none (then the time comes from the
 * runner's uktime.wall parameter, lib/uktime). May take a while (an RTC's
 * update cycle): uktime reads it once.
 */
const char *ukplat_wall_clock(uint64_t *ns);

#endif
