/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Time on x86 QEMU/KVM (uk/plat/time.h): the TSC as the monotonic clock,
 * its frequency measured against the 8254 PIT, and the one-shot timer:
 * the local APIC timer (apic.c; line KVM_IRQ_APIC_TIMER) with the APIC
 * controller, the default, or in the PIC fallback (irq.c) PIT channel 0,
 * line 0 of the PIC.
 *
 * Why the TSC against the PIT rather than CPUID leaves 0x15/0x16: QEMU's
 * CPUs do not have them (qemu64's and max's highest basic leaf is 0xd),
 * and where a CPU does, 0x16 is a nominal MHz figure, not a measurement.
 *
 * The PIT fallback is kept (a CPU without a local APIC; KVM_IRQ_PIC,
 * which the tests build to keep it working): a count holds at most 65536
 * PIT ticks (~54.9 ms); a longer delay is run as a chain of counts, and
 * only the last expiry reaches the handler.
 *
 * Channel 0 because it exists on both pc and microvm (microvm has no port
 * 0x61 gate for channel 2). Mode 0 ("interrupt on terminal count"): OUT
 * drops when a count is loaded and rises when it runs out; the PIC takes
 * the rising edge. A PIT cannot be stopped (QEMU does not even cancel a
 * pending expiry when the mode is rewritten), so the timer is "armed" in
 * software: an edge reaches the handler only while armed and once OUT,
 * read back, is high (kvm_timer_deliver()). Anything else -- an expiry
 * after ukplat_timer_stop(), the firmware's 18.2 Hz tick, the
 * calibration's -- is dropped.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/arch.h>
#include <uk/plat/irq.h>
#include <uk/plat/time.h>
#include <x86/cpu.h>
#include "kvm.h"

#define PIT_HZ        1193182ULL
#define PIT_CH0       0x40
#define PIT_CMD       0x43
#define PIT_CH0_MODE0 0x30      /* channel 0, lo/hi byte, mode 0, binary */
#define PIT_CH0_MODE2 0x34      /* channel 0, lo/hi byte, mode 2 (rate generator) */
#define PIT_READBACK_STATUS0 0xe2   /* read-back: status (not count) of channel 0 */
#define PIT_STATUS_OUT 0x80
#define PIT_MAX_COUNT 65536ULL  /* a count of 0 means 65536 */
#define CALIB_TICKS   11932     /* ~10 ms */
#define CALIB_SLACK   200       /* ends within 1/200 of the window */
#define CALIB_TRIES   8         /* windows, at most, to find narrow ends */
#define CALIB_TRIES_MAX 64      /* ... and to find one that can be trusted */
#define CALIB_SHORT   (1ULL << 20)  /* TSC ticks: a step this short (<= 1 ms at
				     * >= 1 GHz) cannot hide a count wrap */

static uint64_t tsc_hz;
void (*kvm_calib_hook)(void);
static bool armed;
static uint64_t pending;        /* PIT ticks still to run after this count */
static uint64_t deadline;       /* APIC timer: the armed expiry, TSC ticks */

/* Latch and read channel 0's 16-bit down-counter. */
static uint16_t pit_count(void)
{
	uint8_t lo, hi;

	x86_outb(PIT_CMD, 0x00);
	lo = x86_inb(PIT_CH0);
	hi = x86_inb(PIT_CH0);
	return (uint16_t)(lo | (hi << 8));
}

/*
 * TSC ticks across ~10 ms of PIT ticks (mode 2, free running), interrupts
 * masked; channel 0 is left quiet.
 *
 * Every count read is taken between two TSC reads, and the window is
 * timed between the midpoints of its first and last, so a host that stops
 * the vCPU between a read and its TSC read cannot skew the rate. A window
 * is measured again when its ends are wider than 1/CALIB_SLACK of it; and
 * when its longest step, at the rate of the window's short steps (those
 * of at most CALIB_SHORT TSC ticks), was half the 16-bit count's wrap
 * (27 ms) or more, or the short steps are too few to say: a vCPU away for
 * a wrap (54.9 ms) loses 65536 ticks unseen, while a shorter absence (a
 * busy host's time slice) costs nothing. (The rate of all the rest of the
 * window once let two lost wraps through: each made the other's ticks
 * look few.) After
 * CALIB_TRIES the window with the narrowest ends is kept, among those
 * that lost no wrap, once its ends put the rate within 1 %. Until one
 * does, windows are measured again, up to CALIB_TRIES_MAX: on a loaded
 * host eight in a row can have a long step or wide ends (the first of
 * them, once kept, put the rate 44 % low: a stall inside its last read's
 * ends counted as window). Only then is the best there is kept, a window
 * that may have lost a wrap last.
 */
uint64_t kvm_tsc_measure(int *tries)
{
	unsigned long flags = x86_save_flags_cli();
	uint64_t best_hz = 0, best_slack = ~0ULL, best_span = 0;
	uint64_t suspect_hz = 0, suspect_slack = ~0ULL;    /* a window that may have lost a wrap */

	x86_outb(PIT_CMD, PIT_CH0_MODE2);
	x86_outb(PIT_CH0, 0);
	x86_outb(PIT_CH0, 0);                   /* reload 65536 */
	for (*tries = 1; ; ++*tries) {
		uint64_t a0, b0, a, b, last, span, slack, ticks = 0;
		uint64_t step = 0;                  /* the longest step, TSC ticks */
		uint64_t short_tsc = 0, short_ticks = 0;    /* the short steps' sums */
		uint16_t prev, now;

		a0 = arch_cycles();
		kvm_calib_point();
		prev = pit_count();
		b0 = arch_cycles();
		a = a0;
		b = last = b0;
		while (ticks < CALIB_TICKS) {
			a = arch_cycles();
			kvm_calib_point();
			now = pit_count();
			b = arch_cycles();
			if (b - last > step)
				step = b - last;
			if (b - last <= CALIB_SHORT) {
				short_tsc += b - last;
				short_ticks += (uint16_t)(prev - now);
			}
			last = b;
			ticks += (uint16_t)(prev - now);    /* wraps correctly at reload */
			prev = now;
		}
		span = (a + b - a0 - b0) / 2;
		slack = (b0 - a0) + (b - a);
		if (span <= step || short_ticks < CALIB_TICKS / 4 ||
		    step * short_ticks >= (PIT_MAX_COUNT / 2) * short_tsc) {
			if (slack < suspect_slack) {
				suspect_slack = slack;
				suspect_hz = span * PIT_HZ / ticks;
			}
		} else if (slack < best_slack) {
			best_slack = slack;
			best_span = span;
			best_hz = span * PIT_HZ / ticks;
		}
		/* narrow ends; or, after CALIB_TRIES, ends that put the rate
		 * within 1 % (half the ends' width over the window) */
		if (best_hz && (best_slack <= best_span / CALIB_SLACK ||
				(*tries >= CALIB_TRIES && best_slack <= best_span / 50)))
			break;
		if (*tries == CALIB_TRIES_MAX)
			break;
	}
	kvm_timer_quiet();
	x86_restore_flags(flags);
	return best_hz ? best_hz : suspect_hz;
}

uint64_t ukplat_clock_ticks(void)
{
	return arch_cycles();
}

/* Measured once, at the first call (not at boot: ~10 ms). */
uint64_t ukplat_clock_freq(void)
{
	int tries;

	if (!tsc_hz)
		tsc_hz = kvm_tsc_measure(&tries);
	return tsc_hz;
}

bool ukplat_clock_freq_known(void)
{
	return tsc_hz != 0;
}

/* Starts a count of n (1..65536) PIT ticks in mode 0. */
static void load(uint64_t n)
{
	x86_outb(PIT_CMD, PIT_CH0_MODE0);
	x86_outb(PIT_CH0, n & 0xff);
	x86_outb(PIT_CH0, (n >> 8) & 0xff);     /* 65536 is written as 0 */
}

/* One last edge, at once, and none after it (mode 0 does not reload). */
void kvm_timer_quiet(void)
{
	armed = false;
	x86_outb(PIT_CMD, PIT_CH0_MODE0);
	x86_outb(PIT_CH0, 1);
	x86_outb(PIT_CH0, 0);
}

bool kvm_timer_deliver(void)
{
	if (!armed)
		return false;
	if (kvm_irq_apic()) {
		/* an expiry of an earlier arming that was still pending */
		if (!kvm_apic_timer_expired(deadline))
			return false;
		armed = false;
		return true;
	}
	x86_outb(PIT_CMD, PIT_READBACK_STATUS0);
	if (!(x86_inb(PIT_CH0) & PIT_STATUS_OUT))
		return false;           /* an edge from before the count was loaded */
	if (pending) {                  /* a link of a long delay's chain */
		uint64_t n = UK_MIN(pending, PIT_MAX_COUNT);

		pending -= n;
		load(n);
		return false;
	}
	armed = false;
	return true;
}

unsigned int ukplat_timer_irq(void)
{
	return kvm_irq_apic() ? KVM_IRQ_APIC_TIMER : KVM_TIMER_IRQ;
}

/* APIC: 2^32 counts at the measured rate (~68 s on QEMU), or ~31 years
 * with TSC-deadline; PIT: ns * PIT_HZ must fit in 64 bits, ~4.3 hours. */
uint64_t ukplat_timer_max_ns(void)
{
	if (kvm_irq_apic()) {
		kvm_irq_setup();
		return kvm_apic_timer_max_ns(ukplat_clock_freq());
	}
	return ~0ULL / PIT_HZ;
}

/*
 * The first call measures the TSC (kvm_tsc_measure() runs channel 0 in
 * another mode) so that a later ukplat_clock_freq() cannot disturb an armed timer.
 */
int ukplat_timer_oneshot(uint64_t ns)
{
	uint64_t n;

	if (ns > ukplat_timer_max_ns())
		return -ERANGE;
	ukplat_clock_freq();
	if (kvm_irq_apic()) {
		armed = true;
		deadline = kvm_apic_timer_arm(ns, tsc_hz);
		return 0;
	}
	n = ns * PIT_HZ / 1000000000ULL + 1;    /* rounded up, at least one */
	pending = n - UK_MIN(n, PIT_MAX_COUNT);
	load(UK_MIN(n, PIT_MAX_COUNT));
	armed = true;
	return 0;
}

void ukplat_timer_stop(void)
{
	armed = false;
	if (kvm_irq_apic() && tsc_hz)
		kvm_apic_timer_stop();
}

/* The guest waits with its timer and hlt (lib/uktime), not on a host. */
int ukplat_clock_wait(uint64_t ticks __unused)
{
	return -ENOTSUP;
}
