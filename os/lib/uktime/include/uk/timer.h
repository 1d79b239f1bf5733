/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktime's timer events and idle: any number of one-shot events
 * multiplexed over the platform's single one-shot timer
 * (ukplat_timer_oneshot(), uk/plat/time.h), tickless halting until a
 * deadline, and the sleep that nolibc's nanosleep/sleep/usleep call.
 *
 * The events form one list sorted by deadline; the hardware is armed for
 * the earliest only. uktime holds the timer's interrupt line while at
 * least one event is armed and gives it back when none is (so a platform
 * test, or an image with no events, can use the line itself).
 */
#ifndef UK_TIMER_H
#define UK_TIMER_H

#include <uk/essentials.h>

struct uk_timer_event;
typedef void (*uk_timer_fn_t)(struct uk_timer_event *ev, void *arg);

struct uk_timer_event {
	uint64_t deadline_ns;            /* monotonic, as uk_time_now_ns() */
	/* Runs in interrupt context with interrupts masked, at or after
	 * deadline_ns (never before); may arm any event again, ev included. */
	uk_timer_fn_t fn;
	void *arg;
	struct uk_timer_event *next;     /* private to uktime */
	int armed;                       /* private to uktime */
};

/*
 * Arm (or re-arm: it moves) ev for deadline_ns. A deadline already past
 * fires at the next timer interrupt, i.e. at once. ev must stay valid until
 * it fired or was cancelled. 0; -EINVAL: fn is NULL; -ENOTSUP: the
 * platform has no timer interrupt (linuxu).
 */
int uk_timer_event_arm(struct uk_timer_event *ev, uint64_t deadline_ns,
		       uk_timer_fn_t fn, void *arg);
/* Cancel; nothing happens if ev is not armed. Safe with IRQs on or off. */
void uk_timer_event_cancel(struct uk_timer_event *ev);
/* Events armed now (tests and statistics). */
unsigned int uk_timer_events_armed(void);

/*
 * Tickless idle for a CPU with nothing to run: halts (hlt / wfi) until
 * deadline_ns or any interrupt, whichever comes first, and returns with
 * interrupts in the state they were in at the call (interrupt handlers run
 * meanwhile, whatever that state). Returns at once if deadline_ns has
 * passed. UINT64_MAX: no deadline, only an interrupt ends it. Never
 * returns before deadline_ns unless an interrupt came. On linuxu (no
 * interrupts) it waits on the host (clock_nanosleep, TIMER_ABSTIME).
 */
void uk_time_halt_until(uint64_t deadline_ns);

/*
 * Sleep the caller until deadline_ns (monotonic). WEAK here: a loop of
 * uk_time_halt_until() until the deadline passed (no scheduler: the CPU
 * halts); uksched defines the strong one (block the thread, arm an event,
 * yield). nolibc's nanosleep/sleep/usleep call this and nothing else.
 */
void uk_sleep_until_ns(uint64_t deadline_ns);

#endif
