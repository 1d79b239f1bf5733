/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tickless idle (uk/timer.h): halt until a deadline or an interrupt, with a
 * timer event armed for the deadline and nothing periodic; and the weak
 * sleep the no-scheduler image uses. On a platform without a timer
 * interrupt (linuxu) the platform waits on the host instead
 * (ukplat_clock_wait()).
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <uk/time.h>
#include <uk/timer.h>
#include "uktime.h"

static void wake(struct uk_timer_event *ev __unused, void *arg __unused)
{
}

void uk_time_halt_until(uint64_t deadline_ns)
{
	struct uk_timer_event ev = { 0 };
	unsigned long flags;

	if (!ukplat_timer_max_ns()) {
		uint64_t ticks = deadline_ns == UINT64_MAX ? UINT64_MAX
				 : ukplat_boot_cycles + uk_time_ns_to_cycles(deadline_ns);

		ukplat_clock_wait(ticks);
		return;
	}
	flags = ukplat_lcpu_save_irqf();
	if (deadline_ns != UINT64_MAX) {
		if (uk_time_now_ns() >= deadline_ns ||
		    uk_timer_event_arm(&ev, deadline_ns, wake, NULL) < 0)
			goto out;
	}
	/* Halt until an interrupt that did something: one that was not the
	 * timer's, or a timer one that fired an event (ours, or another whose
	 * callback may have made work); or the deadline. */
	for (;;) {
		uint64_t irqs = ukplat_irq_count(), timer = uktime_timer_irqs;
		uint64_t fired = uktime_events_fired;

		ukplat_lcpu_halt_irq();         /* interrupts masked again after */
		if (uktime_events_fired != fired ||
		    ukplat_irq_count() - irqs != uktime_timer_irqs - timer ||
		    uk_time_now_ns() >= deadline_ns)
			break;
	}
	uk_timer_event_cancel(&ev);
out:
	ukplat_lcpu_restore_irqf(flags);
}

__weak void uk_sleep_until_ns(uint64_t deadline_ns)
{
	while (uk_time_now_ns() < deadline_ns)
		uk_time_halt_until(deadline_ns);
}
