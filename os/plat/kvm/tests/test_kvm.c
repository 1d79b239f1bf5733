/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of the x86 QEMU/KVM platform API (PLAT_KVM_TESTS, on with
 * LIBUKTEST_ALL): a handler registered on the one-shot timer's line runs
 * when the PIT fires, not before its time; the TSC clock agrees with the
 * PIT over that interval; the interrupt calls' error codes.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/test.h>
#include <x86/cpu.h>

static volatile unsigned int fired;
static volatile uint64_t fired_at;

static void on_timer(unsigned int irq, void *arg)
{
	fired_at = ukplat_clock_ticks();
	fired += (irq == ukplat_timer_irq()) && arg == (void *)&fired;
	ukplat_timer_stop();
}

/* Arms the one-shot for ns and waits for it, spinning with interrupts on
 * (so that a lost interrupt fails the test rather than hanging it), or in
 * ukplat_lcpu_halt_irq(); the TSC ticks elapsed between arming and the
 * handler, 0 if it did not fire within ~1 s. Interrupts masked after. */
static uint64_t wait_for_timer(uint64_t ns, bool halt)
{
	uint64_t t0, limit = ukplat_clock_freq();       /* ~1 s of TSC */

	fired = 0;
	t0 = ukplat_clock_ticks();
	if (ukplat_timer_oneshot(ns) < 0)
		return 0;
	if (!halt)
		ukplat_lcpu_enable_irq();
	while (!fired && ukplat_clock_ticks() - t0 < limit)
		if (halt)
			ukplat_lcpu_halt_irq();
	ukplat_lcpu_disable_irq();
	return fired == 1 ? fired_at - t0 : 0;
}

UK_TESTCASE(kvm, timer_interrupt_runs_the_handler)
{
	uint64_t before = ukplat_irq_count(), f = ukplat_clock_freq(), ticks;

	UK_TEST_ASSERT(f > 0);
	UK_TEST_ASSERT(ukplat_irq_register(ukplat_timer_irq(), on_timer, (void *)&fired) == 0);
	UK_TEST_EXPECT(ukplat_lcpu_irqs_disabled());
	ticks = wait_for_timer(2000000, false);                  /* 2 ms */
	UK_TEST_EXPECT(ticks > 0);
	UK_TEST_EXPECT(ukplat_lcpu_irqs_disabled());
	UK_TEST_EXPECT(ukplat_irq_count() > before);
	/* a second time, after the first expiry was acknowledged */
	UK_TEST_EXPECT(wait_for_timer(1000000, true) > 0);
	/* stopped: nothing comes */
	fired = 0;
	ukplat_timer_oneshot(1000000);
	ukplat_timer_stop();
	for (int i = 0; i < 3; i++) {
		uint64_t t0 = ukplat_clock_ticks();

		ukplat_lcpu_enable_irq();
		while (ukplat_clock_ticks() - t0 < f / 500)      /* 2 ms */
			;
		ukplat_lcpu_disable_irq();
	}
	UK_TEST_EXPECT_EQ(fired, 0);
	UK_TEST_EXPECT_EQ(ukplat_irq_unregister(ukplat_timer_irq()), 0);
}

/* The TSC, converted with the measured frequency, against the PIT: the
 * interrupt cannot come before its time, and ticks/freq is the delay. */
UK_TESTCASE(kvm, clock_agrees_with_the_timer)
{
	uint64_t f = ukplat_clock_freq(), ticks, ns;

	UK_TEST_ASSERT(ukplat_irq_register(ukplat_timer_irq(), on_timer, (void *)&fired) == 0);
	ticks = wait_for_timer(20000000, true);                  /* 20 ms */
	ukplat_irq_unregister(ukplat_timer_irq());
	UK_TEST_ASSERT(ticks > 0);
	ns = ticks * 1000000000ULL / f;
	/* not early: 1% for the calibration's own error */
	UK_TEST_EXPECT(ns >= 19800000);
	/* and not late by more than a scheduling hiccup of the host */
	UK_TEST_EXPECT(ns < 20000000 + 100000000);
}

static volatile unsigned int isr_before, isr_after;

/* The master PIC's in-service register (OCW3 "read ISR"). */
static unsigned int pic_isr(void)
{
	x86_outb(0x20, 0x0b);
	return x86_inb(0x20);
}

static void on_timer_acking(unsigned int irq, void *arg)
{
	isr_before = pic_isr();
	ukplat_irq_ack(irq);            /* end of interrupt now, then return */
	ukplat_irq_ack(irq);            /* a second one does nothing */
	isr_after = pic_isr();
	on_timer(irq, arg);
}

/* A handler that acknowledges itself: the dispatcher does not send a
 * second end-of-interrupt (that would end another one in service), and
 * the line keeps working (a missing one would block it). */
UK_TESTCASE(kvm, handler_acknowledges_itself)
{
	UK_TEST_ASSERT(ukplat_irq_register(ukplat_timer_irq(), on_timer_acking, (void *)&fired) == 0);
	UK_TEST_EXPECT(wait_for_timer(1000000, false) > 0);
	UK_TEST_EXPECT_EQ(isr_before & 1, 1);          /* line 0 in service */
	UK_TEST_EXPECT_EQ(isr_after & 1, 0);           /* ended by the ack */
	UK_TEST_EXPECT(wait_for_timer(1000000, false) > 0);
	UK_TEST_EXPECT_EQ(ukplat_irq_unregister(ukplat_timer_irq()), 0);
	/* and the usual handler after it */
	UK_TEST_ASSERT(ukplat_irq_register(ukplat_timer_irq(), on_timer, (void *)&fired) == 0);
	UK_TEST_EXPECT(wait_for_timer(1000000, false) > 0);
	UK_TEST_EXPECT_EQ(ukplat_irq_unregister(ukplat_timer_irq()), 0);
}

/* Longer than one PIT count (~54.9 ms): the platform chains counts, and
 * the handler runs once, at the end. */
UK_TESTCASE(kvm, timer_beyond_one_pit_count)
{
	uint64_t f = ukplat_clock_freq(), ticks;

	UK_TEST_ASSERT(ukplat_irq_register(ukplat_timer_irq(), on_timer, (void *)&fired) == 0);
	ticks = wait_for_timer(130000000, true);                 /* 130 ms: 3 counts */
	ukplat_irq_unregister(ukplat_timer_irq());
	UK_TEST_ASSERT(ticks > 0);
	UK_TEST_EXPECT(ticks * 1000000000ULL / f >= 128700000);  /* not early (1 %) */
}

static void nop_handler(unsigned int irq, void *arg)
{
}

UK_TESTCASE(kvm, irq_error_codes)
{
	UK_TEST_EXPECT_EQ(ukplat_irq_register(16, nop_handler, NULL), -EINVAL);
	UK_TEST_EXPECT_EQ(ukplat_irq_register(3, NULL, NULL), -EINVAL);
	UK_TEST_EXPECT_EQ(ukplat_irq_register(2, nop_handler, NULL), -EINVAL);  /* cascade */
	UK_TEST_EXPECT_EQ(ukplat_irq_register(5, nop_handler, NULL), 0);
	UK_TEST_EXPECT_EQ(ukplat_irq_register(5, nop_handler, NULL), -EBUSY);
	UK_TEST_EXPECT_EQ(ukplat_irq_mask(5), 0);
	UK_TEST_EXPECT_EQ(ukplat_irq_unmask(5), 0);
	UK_TEST_EXPECT_EQ(ukplat_irq_mask(99), -EINVAL);
	UK_TEST_EXPECT_EQ(ukplat_irq_unregister(5), 0);
	UK_TEST_EXPECT_EQ(ukplat_irq_unregister(5), -ENOENT);
	UK_TEST_EXPECT_EQ(ukplat_timer_oneshot(ukplat_timer_max_ns() + 1), -ERANGE);
	UK_TEST_EXPECT(ukplat_timer_max_ns() >= 3600ULL * 1000000000ULL);
}
