/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of the x86 QEMU/KVM platform API (PLAT_KVM_TESTS, on with
 * LIBUKTEST_ALL), with whichever controller the platform chose (the local
 * APIC + IOAPIC; the PIC + PIT with CONFIG_KVM_IRQ_PIC, which
 * tests/boot/test_platform.py runs too): a handler registered on the
 * one-shot timer's line runs when the timer fires, not before its time;
 * the TSC clock agrees with the timer over that interval; an ISA device's
 * interrupt (COM1, line 4) arrives through the controller; the interrupt
 * calls' error codes; the controller and timer mode match CPUID; the
 * clock's and the APIC timer's calibrations measure around a stalled vCPU.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/string.h>
#include <uk/test.h>
#include <x86/cpu.h>
#include "../kvm.h"

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
 * handler, 0 if it did not fire within ~5 s (far beyond any expiry here,
 * and any time a busy host stops the vCPU). Interrupts masked after. */
static uint64_t wait_for_timer(uint64_t ns, bool halt)
{
	uint64_t t0, limit = 5 * ukplat_clock_freq();   /* ~5 s of TSC */

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

/* save/restore pairs nest: an inner pair (saved masked) leaves interrupts
 * masked, the outer one (saved enabled) enables them again. */
UK_TESTCASE(kvm, irqf_pairs_nest)
{
	unsigned long outer, inner;

	ukplat_lcpu_enable_irq();
	outer = ukplat_lcpu_save_irqf();
	UK_TEST_EXPECT(ukplat_lcpu_irqs_disabled());
	inner = ukplat_lcpu_save_irqf();
	UK_TEST_EXPECT(ukplat_lcpu_irqs_disabled());
	ukplat_lcpu_restore_irqf(inner);
	UK_TEST_EXPECT(ukplat_lcpu_irqs_disabled());
	ukplat_lcpu_restore_irqf(outer);
	UK_TEST_EXPECT(!ukplat_lcpu_irqs_disabled());
	ukplat_lcpu_disable_irq();
	outer = ukplat_lcpu_save_irqf();
	ukplat_lcpu_restore_irqf(outer);
	UK_TEST_EXPECT(ukplat_lcpu_irqs_disabled());
}

/* The TSC, converted with the measured frequency, against the timer: the
 * interrupt cannot come before its time, and ticks/freq is the delay. A
 * busy host that stops the vCPU between the expiry and the handler makes
 * the delay longer by that while (never shorter): a delay over 100 ms late
 * is measured again, up to 5 times; a clock or a timer whose rate is off
 * is late (or early) every time. */
UK_TESTCASE(kvm, clock_agrees_with_the_timer)
{
	uint64_t f = ukplat_clock_freq(), ticks, ns = 0;

	UK_TEST_ASSERT(ukplat_irq_register(ukplat_timer_irq(), on_timer, (void *)&fired) == 0);
	for (int i = 0; i < 5; i++) {
		ticks = wait_for_timer(20000000, true);          /* 20 ms */
		if (!ticks)
			break;
		ns = ticks * 1000000000ULL / f;
		/* never early: 1% for the calibration's own error */
		UK_TEST_EXPECT(ns >= 19800000);
		if (ns < 20000000 + 100000000)
			break;
	}
	ukplat_irq_unregister(ukplat_timer_irq());
	UK_TEST_ASSERT(ticks > 0);
	UK_TEST_EXPECT(ns < 20000000 + 100000000);
}

static volatile unsigned int isr_before, isr_after;

/* The timer's interrupt in service: at the local APIC (its vector), or at
 * the master PIC (OCW3 "read ISR", line 0). */
static unsigned int timer_in_service(void)
{
	if (kvm_irq_apic())
		return kvm_apic_in_service(KVM_APIC_TIMER_VEC);
	x86_outb(0x20, 0x0b);
	return x86_inb(0x20) & 1;
}

static void on_timer_acking(unsigned int irq, void *arg)
{
	isr_before = timer_in_service();
	ukplat_irq_ack(irq);            /* end of interrupt now, then return */
	ukplat_irq_ack(irq);            /* a second one does nothing */
	isr_after = timer_in_service();
	on_timer(irq, arg);
}

/* A handler that acknowledges itself: the dispatcher does not send a
 * second end-of-interrupt (that would end another one in service), and
 * the line keeps working (a missing one would block it). */
UK_TESTCASE(kvm, handler_acknowledges_itself)
{
	UK_TEST_ASSERT(ukplat_irq_register(ukplat_timer_irq(), on_timer_acking, (void *)&fired) == 0);
	UK_TEST_EXPECT(wait_for_timer(1000000, false) > 0);
	UK_TEST_EXPECT_EQ(isr_before, 1);              /* the timer in service */
	UK_TEST_EXPECT_EQ(isr_after, 0);               /* ended by the ack */
	UK_TEST_EXPECT(wait_for_timer(1000000, false) > 0);
	UK_TEST_EXPECT_EQ(ukplat_irq_unregister(ukplat_timer_irq()), 0);
	/* and the usual handler after it */
	UK_TEST_ASSERT(ukplat_irq_register(ukplat_timer_irq(), on_timer, (void *)&fired) == 0);
	UK_TEST_EXPECT(wait_for_timer(1000000, false) > 0);
	UK_TEST_EXPECT_EQ(ukplat_irq_unregister(ukplat_timer_irq()), 0);
}

/* Longer than one PIT count (~54.9 ms): with the PIT the platform chains
 * counts, and the handler runs once, at the end (the APIC timer counts it
 * in one go). */
UK_TESTCASE(kvm, timer_beyond_one_pit_count)
{
	uint64_t f = ukplat_clock_freq(), ticks;

	UK_TEST_ASSERT(ukplat_irq_register(ukplat_timer_irq(), on_timer, (void *)&fired) == 0);
	ticks = wait_for_timer(130000000, true);                 /* 130 ms: 3 counts */
	ukplat_irq_unregister(ukplat_timer_irq());
	UK_TEST_ASSERT(ticks > 0);
	UK_TEST_EXPECT(ticks * 1000000000ULL / f >= 128700000);  /* not early (1 %) */
}

/* v is ref within 1/per of it */
static bool within(uint64_t v, uint64_t ref, uint64_t per)
{
	return v * per >= ref * (per - 1) && v * per <= ref * (per + 1);
}

static void nop_handler(unsigned int irq, void *arg)
{
}

UK_TESTCASE(kvm, irq_error_codes)
{
	if (kvm_irq_apic()) {
		UK_TEST_EXPECT_EQ(ukplat_irq_register(25, nop_handler, NULL), -EINVAL);
		UK_TEST_EXPECT_EQ(ukplat_irq_register(23, nop_handler, NULL), 0);
		UK_TEST_EXPECT_EQ(ukplat_irq_unregister(23), 0);
		UK_TEST_EXPECT_EQ(ukplat_timer_irq(), KVM_IRQ_APIC_TIMER);
		/* the APIC timer counts 2^32 at its rate: QEMU's (and KVM's)
		 * APIC bus runs at 1 GHz, divided by 16: 68.72 s (1 %) */
		UK_TEST_EXPECT(within(ukplat_timer_max_ns(), 68719476736ULL, 100));
	} else {
		UK_TEST_EXPECT_EQ(ukplat_irq_register(16, nop_handler, NULL), -EINVAL);
		UK_TEST_EXPECT_EQ(ukplat_irq_register(2, nop_handler, NULL), -EINVAL);  /* cascade */
		UK_TEST_EXPECT_EQ(ukplat_timer_irq(), KVM_TIMER_IRQ);
		UK_TEST_EXPECT(ukplat_timer_max_ns() >= 3600ULL * 1000000000ULL);
	}
	UK_TEST_EXPECT_EQ(ukplat_irq_register(3, NULL, NULL), -EINVAL);
	UK_TEST_EXPECT_EQ(ukplat_irq_register(5, nop_handler, NULL), 0);
	UK_TEST_EXPECT_EQ(ukplat_irq_register(5, nop_handler, NULL), -EBUSY);
	UK_TEST_EXPECT_EQ(ukplat_irq_mask(5), 0);
	UK_TEST_EXPECT_EQ(ukplat_irq_unmask(5), 0);
	UK_TEST_EXPECT_EQ(ukplat_irq_mask(99), -EINVAL);
	UK_TEST_EXPECT_EQ(ukplat_irq_unregister(5), 0);
	UK_TEST_EXPECT_EQ(ukplat_irq_unregister(5), -ENOENT);
	UK_TEST_EXPECT_EQ(ukplat_timer_oneshot(ukplat_timer_max_ns() + 1), -ERANGE);
}

/* The controller and the timer mode are the ones CPUID offers: x2APIC and
 * TSC-deadline exactly when CPUID.1:ECX says so (QEMU 7.2's TCG: neither). */
UK_TESTCASE(kvm, controller_matches_cpuid)
{
	const char *m;
	uint32_t r[4];
	bool x2, dl, has_x2 = false, has_dl = false;

	ukplat_irq_register(5, nop_handler, NULL);      /* sets the controller up */
	ukplat_irq_unregister(5);
	ukplat_timer_max_ns();
	m = kvm_irq_controller();
	uk_pr_info("kvm: interrupt controller: %s\n", m);
#if defined(CONFIG_KVM_IRQ_PIC)
	UK_TEST_EXPECT(!kvm_irq_apic());
#else
	UK_TEST_EXPECT_EQ(kvm_irq_apic(), kvm_apic_present());
#endif
	if (!kvm_irq_apic()) {
		UK_TEST_EXPECT(uk_streq(m, "8259 pic + pit"));
		return;
	}
	x86_cpuid(1, 0, r);
	x2 = r[2] & X86_CPUID1_ECX_X2APIC;
	dl = r[2] & X86_CPUID1_ECX_TSC_DEADLINE;
	for (const char *p = m; *p; p++) {
		has_x2 |= uk_strncmp(p, "x2apic", 6) == 0;
		has_dl |= uk_strncmp(p, "tsc-deadline", 12) == 0;
	}
	UK_TEST_EXPECT_EQ(has_x2, x2);
	UK_TEST_EXPECT_EQ(has_dl, dl);
	/* and the mode register agrees: APIC_BASE.EXTD set only for x2APIC */
	UK_TEST_EXPECT_EQ(!!(x86_rdmsr(X86_MSR_APIC_BASE) & X86_APIC_BASE_X2APIC), x2);
	UK_TEST_EXPECT(x86_rdmsr(X86_MSR_APIC_BASE) & X86_APIC_BASE_ENABLE);
}

/* COM1's "transmitter empty" interrupt, ISA IRQ 4: through the IOAPIC's
 * input 4 (or the PIC's line 4), to the handler of line 4, once per
 * enable (the handler turns it off). */
#define COM1_IER 0x3f9
#define COM1_IIR 0x3fa
#define COM1_MCR 0x3fc

static volatile unsigned int uart_irqs;

static void on_uart(unsigned int irq, void *arg __unused)
{
	x86_outb(COM1_IER, 0);          /* quiet the source */
	(void)x86_inb(COM1_IIR);
	uart_irqs += irq == 4;
}

UK_TESTCASE(kvm, isa_interrupt_through_the_controller)
{
	uint64_t t0, f = ukplat_clock_freq();

	uart_irqs = 0;
	UK_TEST_ASSERT(ukplat_irq_register(4, on_uart, NULL) == 0);
	x86_outb(COM1_MCR, 0x0b);       /* DTR, RTS, OUT2 (the IRQ gate) */
	for (unsigned int i = 1; i <= 3; i++) {
		x86_outb(COM1_IER, 0x02);       /* THR empty: raises IRQ 4 at once */
		t0 = ukplat_clock_ticks();
		ukplat_lcpu_enable_irq();
		while (uart_irqs < i && ukplat_clock_ticks() - t0 < 5 * f)   /* ~5 s at most */
			;
		ukplat_lcpu_disable_irq();
		UK_TEST_EXPECT_EQ(uart_irqs, i);
	}
	x86_outb(COM1_IER, 0);
	x86_outb(COM1_MCR, 0x03);
	UK_TEST_EXPECT_EQ(ukplat_irq_unregister(4), 0);
}

/* Where kvm_calib_hook stalls: a busy wait of `ticks` at calls `at` and
 * `at2`, and at every `every`-th call up to call `until` (0s: none). */
struct stalls {
	unsigned int at, at2, every, until;
	uint64_t ticks;
};

static struct stalls plan;
static unsigned int calls;

static void stall(void)
{
	uint64_t t0 = ukplat_clock_ticks();

	++calls;
	if (calls == plan.at || calls == plan.at2 ||
	    (plan.every && calls <= plan.until && calls % plan.every == 0))
		while (ukplat_clock_ticks() - t0 < plan.ticks)
			;
}

/* One calibration (the APIC timer's, or the TSC's) with the stalls of p. */
static uint64_t measure_stalled(bool apic, struct stalls p, int *tries)
{
	uint64_t hz;

	calls = 0;
	plan = p;
	kvm_calib_hook = stall;
	hz = apic ? kvm_apic_timer_measure(ukplat_clock_freq(), tries) : kvm_tsc_measure(tries);
	kvm_calib_hook = NULL;
	return hz;
}

/*
 * A host that stops the vCPU inside one end's reads of a calibration
 * window (the hook stands for it: a busy wait there) is measured around:
 * that window is measured again, and the rate comes out as without the
 * stall, within 1 % (a 2 ms stall in the 10 ms window, unbracketed, put
 * it 20 % off; a 1 ms one in the APIC's 5 ms window, 20 %). A stall in
 * the middle of the PIT window longer than its count's wrap (54.9 ms)
 * would lose 65536 ticks; that window is measured again too.
 */
UK_TESTCASE(kvm, calibration_measures_around_a_stalled_vcpu)
{
	uint64_t f = ukplat_clock_freq(), ref, hz;
	int tries;

	ref = kvm_tsc_measure(&tries);
	UK_TEST_EXPECT(within(ref, f, 100));
	hz = measure_stalled(false, (struct stalls){ .at = 1, .ticks = f / 500 }, &tries);  /* 2 ms at the start */
	UK_TEST_EXPECT(tries >= 2);
	UK_TEST_EXPECT(within(hz, ref, 100));
	hz = measure_stalled(false, (struct stalls){ .at = 100, .ticks = f * 60 / 1000 }, &tries); /* 60 ms inside */
	UK_TEST_EXPECT(calls >= 100);
	UK_TEST_EXPECT(within(hz, ref, 100));
	if (!kvm_irq_apic())
		return;
	ukplat_timer_max_ns();                                          /* sets the APIC up */
	ref = kvm_apic_timer_measure(f, &tries);
	hz = measure_stalled(true, (struct stalls){ .at = 1, .ticks = f / 1000 }, &tries);  /* 1 ms at the load */
	UK_TEST_EXPECT(tries >= 2);
	UK_TEST_EXPECT(within(hz, ref, 100));
	hz = measure_stalled(true, (struct stalls){ .at = 2, .ticks = f / 1000 }, &tries);  /* 1 ms at the read */
	UK_TEST_EXPECT(tries >= 2);
	UK_TEST_EXPECT(within(hz, ref, 100));
}

/*
 * A host loaded for long stops the vCPU in window after window: a 40 ms
 * stall every 20th count read, for the first 200 reads, ends each of the
 * first ~10 windows inside its last read's ends (the window then counts
 * half the stall too few TSC ticks: ~50 % low, as a loaded CI once
 * measured at boot, 1.46 GHz for 2.6). None of those is kept: measuring
 * goes on past CALIB_TRIES to a window without a stall, and the rate is
 * the undisturbed one within 1 % (it kept the first suspect window after
 * 8 tries). Stalls through all CALIB_TRIES_MAX windows would end with
 * the best suspect one: not tested (a few seconds of stalls).
 */
UK_TESTCASE(kvm, calibration_outlasts_a_run_of_stalled_windows)
{
	uint64_t f = ukplat_clock_freq(), ref, hz;
	int tries;

	/* the injected stalls make every run the same; a busy host's own
	 * may still spoil one now and then: 3 runs, one must be right */
	for (int i = 0; i < 3; i++) {
		ref = kvm_tsc_measure(&tries);
		UK_TEST_ASSERT(within(ref, f, 100));
		hz = measure_stalled(false, (struct stalls){ .every = 20, .until = 200,
							     .ticks = f * 40 / 1000 }, &tries);
		uk_pr_info("kvm: %u reads stalled: %d windows, %lu Hz (undisturbed %lu)\n", calls,
			   tries, (unsigned long)hz, (unsigned long)ref);
		if (tries > 8 && within(hz, ref, 100))
			break;
	}
	UK_TEST_EXPECT(tries > 8);
	UK_TEST_EXPECT(within(hz, ref, 100));
}

/*
 * Two absences of just over a count's wrap (56 ms: 65536 ticks lost
 * unseen each, ~1 ms counted) in the middle of one window, which then
 * ends undisturbed: judged by the rate of the rest of the window (the
 * other absence in it, ~1 ms of ticks over 56 ms, looks slow) neither
 * looked long enough to hide a wrap, and the rate came out ~12 times too
 * high. Judged by the window's short steps, both do: measured again.
 */
UK_TESTCASE(kvm, calibration_sees_two_lost_wraps_in_one_window)
{
	uint64_t f = ukplat_clock_freq(), ref, hz;
	int tries;

	for (int i = 0; i < 3; i++) {       /* as above: 3 runs, one right */
		ref = kvm_tsc_measure(&tries);
		UK_TEST_ASSERT(within(ref, f, 100));
		hz = measure_stalled(false, (struct stalls){ .at = 10, .at2 = 20,
							     .ticks = f * 56 / 1000 }, &tries);
		if (tries >= 2 && within(hz, ref, 100))
			break;
	}
	UK_TEST_EXPECT(tries >= 2);
	UK_TEST_EXPECT(within(hz, ref, 100));
}
