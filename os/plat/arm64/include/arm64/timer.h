/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EL1 generic timer (os/plat/arm64/timer.c): the virtual timer (default,
 * compares against CNTVCT, the counter uktime reads) or the physical one
 * (PLAT_ARM64_TIMER_PHYSICAL). One-shot deadlines in counter ticks.
 */
#ifndef ARM64_TIMER_H
#define ARM64_TIMER_H

#include <uk/essentials.h>

uint64_t arm64_timer_freq(void);           /* CNTFRQ_EL0, Hz */
uint64_t arm64_timer_count(void);          /* the counter the timer compares */
/* Fire the timer interrupt when the counter reaches deadline. */
void arm64_timer_set(uint64_t deadline);
/* Disable and mask it (also acknowledges a pending level interrupt). */
void arm64_timer_stop(void);
/* Its interrupt number on the board's controller. */
unsigned int arm64_timer_irq(void);

#endif
