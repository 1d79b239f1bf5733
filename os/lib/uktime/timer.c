/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timer events (uk/timer.h): a list sorted by deadline over the platform's
 * one-shot timer, armed for the earliest event. The interrupt handler fires
 * every event that is due by the clock (never one whose deadline the clock
 * has not reached: a platform timer that expires a little early by the
 * clock is simply armed again for the rest), then arms the timer for the
 * next one, or stops it and gives the line back when none is left.
 *
 * Everything that touches the list runs with interrupts masked (one CPU).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/time.h>
#include <uk/timer.h>
#include "uktime.h"

volatile uint64_t uktime_timer_irqs;
volatile uint64_t uktime_events_fired;

static struct uk_timer_event *head;
static bool holding_line;       /* our handler is on ukplat_timer_irq() */

static void on_timer(unsigned int irq, void *arg);

/* Arms the platform timer for the earliest event, or stops it (and frees
 * the line) when there is none. Interrupts masked. */
static void program(void)
{
	uint64_t now, d;

	if (!head) {
		ukplat_timer_stop();
		if (holding_line) {
			ukplat_irq_unregister(ukplat_timer_irq());
			holding_line = false;
		}
		return;
	}
	now = uk_time_now_ns();
	d = head->deadline_ns > now ? head->deadline_ns - now : 0;
	/* farther than the platform can count: wake at its limit, re-arm */
	if (d > ukplat_timer_max_ns())
		d = ukplat_timer_max_ns();
	ukplat_timer_oneshot(d);
}

static void unlink_event(struct uk_timer_event *ev)
{
	struct uk_timer_event **p;

	for (p = &head; *p; p = &(*p)->next)
		if (*p == ev) {
			*p = ev->next;
			break;
		}
	ev->next = NULL;
	ev->armed = 0;
}

/* Sorted insert; an event with the same deadline goes after those already
 * there (first armed, first fired). */
static void insert_event(struct uk_timer_event *ev)
{
	struct uk_timer_event **p = &head;

	while (*p && (*p)->deadline_ns <= ev->deadline_ns)
		p = &(*p)->next;
	ev->next = *p;
	*p = ev;
	ev->armed = 1;
}

static void on_timer(unsigned int irq __unused, void *arg __unused)
{
	struct uk_timer_event *ev;

	uktime_timer_irqs++;
	/* The hardware is armed for what is left before each callback: a
	 * callback may switch to another thread (a scheduler's wake-up, after
	 * ukplat_irq_ack()) and return only much later. */
	while (head && head->deadline_ns <= uk_time_now_ns()) {
		ev = head;
		head = ev->next;
		ev->next = NULL;
		ev->armed = 0;
		uktime_events_fired++;
		program();
		ev->fn(ev, ev->arg);    /* may arm events, this one too */
	}
	program();
}

int uk_timer_event_arm(struct uk_timer_event *ev, uint64_t deadline_ns,
		       uk_timer_fn_t fn, void *arg)
{
	unsigned long flags;
	int rc = 0;

	if (!fn)
		return -EINVAL;
	if (!ukplat_timer_max_ns())
		return -ENOTSUP;                /* no timer: linuxu */
	flags = ukplat_lcpu_save_irqf();
	if (!holding_line) {
		rc = ukplat_irq_register(ukplat_timer_irq(), on_timer, NULL);
		holding_line = rc == 0;
	}
	if (rc == 0) {
		if (ev->armed)
			unlink_event(ev);
		ev->deadline_ns = deadline_ns;
		ev->fn = fn;
		ev->arg = arg;
		insert_event(ev);
		if (head == ev)
			program();
	}
	ukplat_lcpu_restore_irqf(flags);
	return rc;
}

void uk_timer_event_cancel(struct uk_timer_event *ev)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	if (ev->armed) {
		bool was_first = head == ev;

		unlink_event(ev);
		if (was_first)
			program();
	}
	ukplat_lcpu_restore_irqf(flags);
}

unsigned int uk_timer_events_armed(void)
{
	unsigned long flags = ukplat_lcpu_save_irqf();
	unsigned int n = 0;

	for (struct uk_timer_event *ev = head; ev; ev = ev->next)
		n++;
	ukplat_lcpu_restore_irqf(flags);
	return n;
}
