/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The boot CPU's local APIC (irq.c's default controller, with ioapic.c):
 * x2APIC mode (MSRs) when CPUID.1:ECX.x2APIC says the CPU has it, else
 * xAPIC (MMIO at the base APIC_BASE holds, 0xfee00000 on QEMU, which the
 * boot page tables map). Software-enabled with spurious vector 63; LINT0
 * masked (the PIC is not used: pic.c masks it too), LINT1 NMI, errors
 * masked, task priority 0.
 *
 * Its timer is the platform's one-shot timer (line KVM_IRQ_APIC_TIMER,
 * vector 56): in TSC-deadline mode when CPUID.1:ECX.TSC_DEADLINE says so
 * (a deadline in TSC ticks, the clock itself: nothing to calibrate, no
 * range limit worth the name), else in one-shot count mode, divide by 16,
 * its rate measured against the TSC (~5 ms at the first use).
 *
 * QEMU 7.2's TCG offers neither x2APIC nor TSC-deadline (not even with
 * -cpu max), so under TCG this is xAPIC + one-shot count, which is what
 * the tests exercise; KVM and real CPUs take the other two paths.
 */
#include <uk/essentials.h>
#include <uk/arch.h>
#include <x86/cpu.h>
#include "kvm.h"

#define APIC_ID         0x020
#define APIC_TPR        0x080
#define APIC_EOI        0x0b0
#define APIC_SVR        0x0f0
#define APIC_ESR        0x280
#define APIC_LVT_TIMER  0x320
#define APIC_LVT_LINT0  0x350
#define APIC_LVT_LINT1  0x360
#define APIC_LVT_ERROR  0x370
#define APIC_TMR_INIT   0x380
#define APIC_TMR_CUR    0x390
#define APIC_TMR_DIV    0x3e0

#define APIC_SVR_ENABLE     0x100
#define APIC_LVT_MASKED     (1U << 16)
#define APIC_DM_EXTINT      0x700
#define APIC_DM_NMI         0x400
#define APIC_TMR_ONESHOT    (0U << 17)
#define APIC_TMR_TSC_DL     (2U << 17)
#define APIC_DIV_16         0x3

#define CALIB_NS            5000000ULL
#define CALIB_SLACK         200     /* ends within 1/200 of the window */
#define CALIB_TRIES         8       /* windows, at most, to find narrow ends */
#define CALIB_TRIES_MAX     64      /* ... while the best is off by over 1 % */

static bool x2apic, tsc_deadline;
static uintptr_t mmio;
static uint64_t apic_hz;        /* one-shot count mode: counts per second */
static uint32_t lvt_masked;     /* APIC_LVT_MASKED while the timer's line is masked */

static uint32_t rd(uint32_t reg)
{
	if (x2apic)
		return (uint32_t)x86_rdmsr(X86_MSR_X2APIC_BASE + (reg >> 4));
	return *(volatile uint32_t *)(mmio + reg);
}

static void wr(uint32_t reg, uint32_t v)
{
	if (x2apic)
		x86_wrmsr(X86_MSR_X2APIC_BASE + (reg >> 4), v);
	else
		*(volatile uint32_t *)(mmio + reg) = v;
}

bool kvm_apic_present(void)
{
	uint32_t r[4];

	x86_cpuid(1, 0, r);
	return r[3] & X86_CPUID1_EDX_APIC;
}

/* The PIC fallback: the local APIC in virtual wire mode (LINT0 ExtINT,
 * LINT1 NMI, software-enabled), when there is one in xAPIC mode at its
 * reset address; x2APIC is not entered. */
void kvm_apic_virtual_wire(void)
{
	uint64_t base;

	if (!kvm_apic_present())
		return;                         /* no local APIC: the PIC is wired */
	base = x86_rdmsr(X86_MSR_APIC_BASE);
	if (!(base & X86_APIC_BASE_ENABLE) || (base & X86_APIC_BASE_X2APIC))
		return;
	mmio = base & ~0xfffUL & ((1UL << 52) - 1);
	wr(APIC_SVR, APIC_SVR_ENABLE | KVM_APIC_SPURIOUS_VEC);
	wr(APIC_LVT_LINT0, APIC_DM_EXTINT);
	wr(APIC_LVT_LINT1, APIC_DM_NMI);
}

/* The local APIC enabled, in x2APIC mode where there is one, LINT0
 * masked. Returns the local APIC ID. */
uint32_t kvm_apic_init(void)
{
	uint64_t base = x86_rdmsr(X86_MSR_APIC_BASE);
	uint32_t r[4];

	x86_cpuid(1, 0, r);
	x2apic = r[2] & X86_CPUID1_ECX_X2APIC;
	tsc_deadline = r[2] & X86_CPUID1_ECX_TSC_DEADLINE;
	/* disabled -> x2APIC directly is an invalid transition (#GP): enable
	 * xAPIC first, then switch (SDM "x2APIC State Transitions") */
	base |= X86_APIC_BASE_ENABLE;
	x86_wrmsr(X86_MSR_APIC_BASE, base);
	if (x2apic) {
		base |= X86_APIC_BASE_X2APIC;
		x86_wrmsr(X86_MSR_APIC_BASE, base);
	}
	mmio = base & ~0xfffUL & ((1UL << 52) - 1);
	wr(APIC_TPR, 0);
	wr(APIC_SVR, APIC_SVR_ENABLE | KVM_APIC_SPURIOUS_VEC);
	wr(APIC_LVT_LINT0, APIC_LVT_MASKED);
	wr(APIC_LVT_LINT1, APIC_DM_NMI);
	wr(APIC_LVT_ERROR, APIC_LVT_MASKED);
	lvt_masked = APIC_LVT_MASKED;
	wr(APIC_LVT_TIMER, APIC_LVT_MASKED | KVM_APIC_TIMER_VEC);
	wr(APIC_TMR_INIT, 0);
	wr(APIC_ESR, 0);
	/* x2APIC: the whole 32-bit ID; xAPIC: bits 24-31 */
	return x2apic ? rd(APIC_ID) : rd(APIC_ID) >> 24;
}

void kvm_apic_eoi(void)
{
	wr(APIC_EOI, 0);
}

const char *kvm_apic_mode(void)
{
	return x2apic ? (tsc_deadline ? "x2apic tsc-deadline" : "x2apic oneshot")
		      : (tsc_deadline ? "xapic tsc-deadline" : "xapic oneshot");
}

/* ---- the timer ----------------------------------------------------------- */


/*
 * Counts per second in one-shot mode, divide by 16, against the TSC
 * (whose rate timer.c measured against the PIT). Interrupts masked inside.
 *
 * Each end of the window (the count's load, its read) is taken between
 * two TSC reads, and the window is timed between their midpoints. A host
 * that stops the vCPU between an APIC access and its TSC read would
 * otherwise skew the rate (0.7 ms away in the 5 ms window = 14 %, and
 * every one-shot delay as much too short); a window whose ends are wider
 * than 1/CALIB_SLACK of it is measured again (the rate is then off by
 * at most half that), and after CALIB_TRIES the one with the narrowest
 * ends is kept -- once those ends put it within 1 %; on a loaded host
 * eight windows in a row can all have wider ones, and measuring goes on
 * then, up to CALIB_TRIES_MAX.
 */
uint64_t kvm_apic_timer_measure(uint64_t tsc_hz, int *tries)
{
	uint64_t want = tsc_hz * CALIB_NS / 1000000000ULL;
	uint64_t best_hz = 0, best_slack = ~0ULL;
	unsigned long flags = x86_save_flags_cli();

	wr(APIC_TMR_DIV, APIC_DIV_16);
	wr(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_TMR_ONESHOT | KVM_APIC_TIMER_VEC);

	*tries = 0;
	while (best_slack > want / CALIB_SLACK &&
	       (*tries < CALIB_TRIES || (best_slack > want / 50 && *tries < CALIB_TRIES_MAX))) {
		uint64_t a0, b0, a1, b1;
		uint32_t c;

		++*tries;
		a0 = arch_cycles();
		kvm_calib_point();
		wr(APIC_TMR_INIT, 0xffffffffU);
		b0 = arch_cycles();
		while (arch_cycles() - b0 < want)
			;
		a1 = arch_cycles();
		kvm_calib_point();
		c = rd(APIC_TMR_CUR);
		b1 = arch_cycles();
		if ((b0 - a0) + (b1 - a1) < best_slack) {
			best_slack = (b0 - a0) + (b1 - a1);
			best_hz = (uint64_t)(0xffffffffU - c) * tsc_hz * 2 /
				  ((a1 + b1) - (a0 + b0));
		}
	}
	wr(APIC_TMR_INIT, 0);
	wr(APIC_LVT_TIMER, lvt_masked | APIC_TMR_ONESHOT | KVM_APIC_TIMER_VEC);
	x86_restore_flags(flags);
	return best_hz;
}

/* Longest delay, with the TSC's rate (Hz) known. */
uint64_t kvm_apic_timer_max_ns(uint64_t tsc_hz)
{
	if (tsc_deadline)
		return 1000000000ULL * 1000000000ULL;   /* ~31 years: ns * Hz fits */
	int tries;

	if (!apic_hz)
		apic_hz = kvm_apic_timer_measure(tsc_hz, &tries);
	return 0xffffffffULL * 1000000000ULL / apic_hz;
}

static uint64_t ns_to(uint64_t ns, uint64_t hz)
{
	return (ns / 1000000000ULL) * hz + ((ns % 1000000000ULL) * hz + 999999999ULL) / 1000000000ULL;
}

/* Arms the timer ns from now; returns the TSC deadline it stands for. */
uint64_t kvm_apic_timer_arm(uint64_t ns, uint64_t tsc_hz)
{
	uint64_t now = arch_cycles(), dl = now + ns_to(ns, tsc_hz);

	if (tsc_deadline) {
		wr(APIC_LVT_TIMER, lvt_masked | APIC_TMR_TSC_DL | KVM_APIC_TIMER_VEC);
		/* the LVT's (MMIO) mode before the MSR write (SDM 10.5.4.1) */
		__asm__ __volatile__("mfence" : : : "memory");
		x86_wrmsr(X86_MSR_TSC_DEADLINE, dl > now ? dl : now + 1);
	} else {
		uint64_t n = ns_to(ns, apic_hz);

		wr(APIC_TMR_DIV, APIC_DIV_16);
		wr(APIC_LVT_TIMER, lvt_masked | APIC_TMR_ONESHOT | KVM_APIC_TIMER_VEC);
		wr(APIC_TMR_INIT, (uint32_t)UK_MAX(1ULL, UK_MIN(n, 0xffffffffULL)));
	}
	return dl;
}

void kvm_apic_timer_stop(void)
{
	if (tsc_deadline)
		x86_wrmsr(X86_MSR_TSC_DEADLINE, 0);
	else
		wr(APIC_TMR_INIT, 0);
}

/* The timer's line masked at the LVT (an expiry meanwhile stays pending). */
void kvm_apic_timer_mask(bool masked)
{
	uint32_t v = rd(APIC_LVT_TIMER);

	lvt_masked = masked ? APIC_LVT_MASKED : 0;
	wr(APIC_LVT_TIMER, (v & ~APIC_LVT_MASKED) | lvt_masked);
}

/* Has the armed count run out (one-shot mode), or the deadline passed? */
bool kvm_apic_timer_expired(uint64_t deadline)
{
	if (tsc_deadline)
		return arch_cycles() >= deadline;
	return rd(APIC_TMR_CUR) == 0;
}

/* Is vector in service at the local APIC (ISR)? For tests. */
bool kvm_apic_in_service(unsigned int vector)
{
	return rd(0x100 + 0x10 * (vector / 32)) & (1U << (vector % 32));
}
