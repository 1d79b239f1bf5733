/* SPDX-License-Identifier: BSD-3-Clause */
/* uktime's internals, shared by its own files only. */
#ifndef UKTIME_INTERNAL_H
#define UKTIME_INTERNAL_H

#include <uk/essentials.h>

/* timer.c: timer interrupts taken, and events fired, so far. idle.c tells
 * by them whether an interrupt that woke the CPU did anything: a timer
 * interrupt that fired no event (the platform timer's own re-arming, or an
 * expiry a little early by the clock) does not end uk_time_halt_until(). */
extern volatile uint64_t uktime_timer_irqs;
extern volatile uint64_t uktime_events_fired;

#endif
