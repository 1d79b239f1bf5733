/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of uktime's timer events, tickless idle and wall clock
 * (LIBUKTIME_TESTS): events fire in deadline order and never before their
 * deadline, cancel and re-arm work (also from a callback), halting and the
 * weak sleep return no earlier than the deadline and take a handful of
 * interrupts, not a tick's worth. On linuxu (no timer interrupt) arming says
 * -ENOTSUP and halting waits on the host.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/time.h>
#include <uk/timer.h>
#include <uk/assert.h>
#include <uk/test.h>

#define MS 1000000ULL

static bool have_timer(void)
{
	return ukplat_timer_max_ns() != 0;
}

struct rec {
	struct uk_timer_event ev;
	volatile uint64_t at;           /* uk_time_now_ns() in the callback */
	volatile unsigned int order;    /* 1 + how many fired before it */
	volatile unsigned int times;
	unsigned int rearm;             /* callback re-arms itself this often */
	uint64_t period;
};

static volatile unsigned int nfired;

static void record(struct uk_timer_event *ev, void *arg)
{
	struct rec *r = arg;

	UK_ASSERT(&r->ev == ev);
	UK_ASSERT(ukplat_lcpu_irqs_disabled());
	r->at = uk_time_now_ns();
	r->order = ++nfired;
	r->times++;
	if (r->rearm) {
		r->rearm--;
		uk_timer_event_arm(ev, ev->deadline_ns + r->period, record, r);
	}
}

/* Halts until cond holds or ~2 s passed; false on the timeout. */
#define WAIT_FOR(cond) ({                                               \
	uint64_t _end = uk_time_now_ns() + 2000 * MS;                   \
	while (!(cond) && uk_time_now_ns() < _end)                      \
		uk_time_halt_until(_end);                               \
	(bool)(cond);                                                   \
})

UK_TESTCASE(uktime, events_fire_in_deadline_order)
{
	struct rec a = { 0 }, b = { 0 }, c = { 0 };
	uint64_t t0;

	if (!have_timer()) {
		UK_TEST_EXPECT_EQ(uk_timer_event_arm(&a.ev, 0, record, &a), -ENOTSUP);
		return;
	}
	nfired = 0;
	t0 = uk_time_now_ns();
	UK_TEST_ASSERT(uk_timer_event_arm(&a.ev, t0 + 30 * MS, record, &a) == 0);
	UK_TEST_ASSERT(uk_timer_event_arm(&b.ev, t0 + 10 * MS, record, &b) == 0);
	UK_TEST_ASSERT(uk_timer_event_arm(&c.ev, t0 + 20 * MS, record, &c) == 0);
	UK_TEST_EXPECT_EQ(uk_timer_events_armed(), 3);
	UK_TEST_ASSERT(WAIT_FOR(nfired == 3));
	UK_TEST_EXPECT_EQ(b.order, 1);
	UK_TEST_EXPECT_EQ(c.order, 2);
	UK_TEST_EXPECT_EQ(a.order, 3);
	UK_TEST_EXPECT(b.at >= t0 + 10 * MS);
	UK_TEST_EXPECT(c.at >= t0 + 20 * MS);
	UK_TEST_EXPECT(a.at >= t0 + 30 * MS);
	UK_TEST_EXPECT_EQ(uk_timer_events_armed(), 0);
	UK_TEST_EXPECT(!a.ev.armed && !b.ev.armed && !c.ev.armed);
}

/* Equal deadlines fire in the order they were armed; a deadline already
 * past fires at once. */
UK_TESTCASE(uktime, equal_and_past_deadlines)
{
	struct rec a = { 0 }, b = { 0 }, p = { 0 };
	uint64_t t0;

	if (!have_timer())
		return;
	nfired = 0;
	t0 = uk_time_now_ns();
	UK_TEST_ASSERT(uk_timer_event_arm(&a.ev, t0 + 5 * MS, record, &a) == 0);
	UK_TEST_ASSERT(uk_timer_event_arm(&b.ev, t0 + 5 * MS, record, &b) == 0);
	UK_TEST_ASSERT(uk_timer_event_arm(&p.ev, t0 > MS ? t0 - MS : 0, record, &p) == 0);
	UK_TEST_ASSERT(WAIT_FOR(nfired == 3));
	UK_TEST_EXPECT_EQ(p.order, 1);
	UK_TEST_EXPECT_EQ(a.order, 2);
	UK_TEST_EXPECT_EQ(b.order, 3);
	UK_TEST_EXPECT(p.at < a.at);
}

UK_TESTCASE(uktime, cancel_works)
{
	struct rec a = { 0 }, b = { 0 }, c = { 0 };
	uint64_t t0;

	if (!have_timer()) {
		uk_timer_event_cancel(&a.ev);           /* never armed: nothing */
		return;
	}
	nfired = 0;
	t0 = uk_time_now_ns();
	UK_TEST_ASSERT(uk_timer_event_arm(&a.ev, t0 + 10 * MS, record, &a) == 0);
	UK_TEST_ASSERT(uk_timer_event_arm(&b.ev, t0 + 20 * MS, record, &b) == 0);
	UK_TEST_ASSERT(uk_timer_event_arm(&c.ev, t0 + 30 * MS, record, &c) == 0);
	uk_timer_event_cancel(&a.ev);                   /* the earliest */
	uk_timer_event_cancel(&c.ev);                   /* the last */
	uk_timer_event_cancel(&c.ev);                   /* twice: nothing */
	UK_TEST_EXPECT_EQ(uk_timer_events_armed(), 1);
	uk_time_halt_until(t0 + 60 * MS);
	while (uk_time_now_ns() < t0 + 60 * MS)
		uk_time_halt_until(t0 + 60 * MS);
	UK_TEST_EXPECT_EQ(a.times, 0);
	UK_TEST_EXPECT_EQ(b.times, 1);
	UK_TEST_EXPECT_EQ(c.times, 0);
	UK_TEST_EXPECT_EQ(uk_timer_events_armed(), 0);
	/* cancel everything: the timer stops, nothing comes */
	UK_TEST_ASSERT(uk_timer_event_arm(&a.ev, uk_time_now_ns() + 5 * MS, record, &a) == 0);
	uk_timer_event_cancel(&a.ev);
	uk_sleep_until_ns(uk_time_now_ns() + 20 * MS);
	UK_TEST_EXPECT_EQ(a.times, 0);
}

/* Re-arming moves the event (it fires once, at the new deadline), and a
 * callback may re-arm its own event. */
UK_TESTCASE(uktime, rearm_works)
{
	struct rec a = { 0 }, p = { .rearm = 3, .period = 5 * MS };
	uint64_t t0;

	if (!have_timer())
		return;
	nfired = 0;
	t0 = uk_time_now_ns();
	/* the old deadline lies beyond WAIT_FOR's 2 s: only the move fires it */
	UK_TEST_ASSERT(uk_timer_event_arm(&a.ev, t0 + 10000 * MS, record, &a) == 0);
	UK_TEST_ASSERT(uk_timer_event_arm(&a.ev, t0 + 5 * MS, record, &a) == 0);
	UK_TEST_EXPECT_EQ(uk_timer_events_armed(), 1);
	UK_TEST_ASSERT(WAIT_FOR(a.times == 1));
	UK_TEST_EXPECT(a.at >= t0 + 5 * MS && a.at < t0 + 10000 * MS);
	/* later: the move also works towards a later deadline */
	t0 = uk_time_now_ns();
	UK_TEST_ASSERT(uk_timer_event_arm(&a.ev, t0 + 5 * MS, record, &a) == 0);
	UK_TEST_ASSERT(uk_timer_event_arm(&a.ev, t0 + 40 * MS, record, &a) == 0);
	UK_TEST_ASSERT(WAIT_FOR(a.times == 2));
	UK_TEST_EXPECT(a.at >= t0 + 40 * MS);
	/* periodic from its callback: 1 + 3 expiries, each a period apart */
	t0 = uk_time_now_ns();
	UK_TEST_ASSERT(uk_timer_event_arm(&p.ev, t0 + 5 * MS, record, &p) == 0);
	UK_TEST_ASSERT(WAIT_FOR(p.times == 4));
	UK_TEST_EXPECT(p.at >= t0 + 20 * MS);
	UK_TEST_EXPECT_EQ(uk_timer_events_armed(), 0);
}

/* halt_until returns no earlier than its deadline (nothing else interrupts
 * here), masked interrupts stay masked, a past deadline returns at once:
 * without halting, so without taking an interrupt (they are masked here:
 * only a halt lets one in) and without arming an event. Not a bound on
 * the time it took: a busy host may stop the vCPU for any while. */
UK_TESTCASE(uktime, halt_until_not_early)
{
	for (int i = 0; i < 5; i++) {
		uint64_t d = uk_time_now_ns() + (uint64_t)(i + 1) * 7 * MS;

		uk_time_halt_until(d);
		UK_TEST_EXPECT(uk_time_now_ns() >= d);
		UK_TEST_EXPECT(ukplat_lcpu_irqs_disabled());
	}
	uint64_t t0 = uk_time_now_ns(), irqs = ukplat_irq_count();

	UK_TEST_ASSERT(ukplat_lcpu_irqs_disabled());
	uk_time_halt_until(t0 > MS ? t0 - MS : 0);
	UK_TEST_EXPECT_EQ(ukplat_irq_count(), irqs);
	UK_TEST_EXPECT_EQ(uk_timer_events_armed(), 0);
	UK_TEST_EXPECT(uk_time_now_ns() - t0 < 2000 * MS);     /* not a hang */
}

/* The weak sleep: not early, and tickless (a 300 ms sleep takes a few
 * interrupts, not one per tick). */
UK_TESTCASE(uktime, sleep_is_tickless)
{
	uint64_t irqs = ukplat_irq_count(), d = uk_time_now_ns() + 300 * MS;

	uk_sleep_until_ns(d);
	UK_TEST_EXPECT(uk_time_now_ns() >= d);
	UK_TEST_EXPECT(ukplat_irq_count() - irqs <= 3);
}

/* Wall time moves with the monotonic clock, from a fixed boot wall time:
 * each wall read lies between the boot wall time plus the monotonic reads
 * on either side of it (no bound on how far apart those are: a busy host
 * may stop the vCPU between any two). */
UK_TESTCASE(uktime, wall_clock_follows_the_monotonic_clock)
{
	uint64_t boot = uk_time_boot_wall_ns();
	uint64_t n0 = uk_time_now_ns(), w0 = uk_time_wall_ns(), n0b = uk_time_now_ns();
	uint64_t n1, w1, n1b;

	uk_sleep_until_ns(n0b + 10 * MS);
	n1 = uk_time_now_ns();
	w1 = uk_time_wall_ns();
	n1b = uk_time_now_ns();
	UK_TEST_EXPECT(w0 >= boot + n0 && w0 <= boot + n0b);
	UK_TEST_EXPECT(w1 >= boot + n1 && w1 <= boot + n1b);
	UK_TEST_EXPECT(w1 - w0 >= 10 * MS);
	UK_TEST_EXPECT(uk_time_wall_source() != NULL);
}
