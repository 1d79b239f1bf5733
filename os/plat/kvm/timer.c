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

static uint64_t tsc_hz;
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

/* TSC ticks across ~10 ms of PIT ticks (mode 2, free running), interrupts
 * masked; channel 0 is left quiet. */
static uint64_t calibrate(void)
{
	unsigned long flags = x86_save_flags_cli();
	uint64_t t0, t1, ticks = 0;
	uint16_t prev, now;

	x86_outb(PIT_CMD, PIT_CH0_MODE2);
	x86_outb(PIT_CH0, 0);
	x86_outb(PIT_CH0, 0);                   /* reload 65536 */
	prev = pit_count();
	t0 = arch_cycles();
	while (ticks < CALIB_TICKS) {
		now = pit_count();
		ticks += (uint16_t)(prev - now);    /* wraps correctly at reload */
		prev = now;
	}
	t1 = arch_cycles();
	kvm_timer_quiet();
	x86_restore_flags(flags);
	return (t1 - t0) * PIT_HZ / ticks;
}

uint64_t ukplat_clock_ticks(void)
{
	return arch_cycles();
}

/* Measured once, at the first call (not at boot: ~10 ms). */
uint64_t ukplat_clock_freq(void)
{
	if (!tsc_hz)
		tsc_hz = calibrate();
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
 * The first call measures the TSC (calibrate() runs channel 0 in another
 * mode) so that a later ukplat_clock_freq() cannot disturb an armed timer.
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
