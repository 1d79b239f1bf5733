/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EL1 generic timer (Arm ARM D11 "The Generic Timer in AArch64 state"):
 * CNTV_* (virtual, default) or CNTP_* (physical, PLAT_ARM64_TIMER_PHYSICAL).
 * Also the platform's clock and one-shot timer (uk/plat/time.h).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat/time.h>
#include <arm64/cpu.h>
#include <arm64/board.h>
#include <arm64/timer.h>

uint64_t arm64_timer_freq(void)
{
	return arm64_sysreg_read(cntfrq_el0);
}

#if defined(CONFIG_PLAT_ARM64_TIMER_PHYSICAL)
uint64_t arm64_timer_count(void)
{
	arm64_isb();
	return arm64_sysreg_read(cntpct_el0);
}

void arm64_timer_set(uint64_t deadline)
{
	arm64_sysreg_write(cntp_cval_el0, deadline);
	arm64_sysreg_write(cntp_ctl_el0, ARM64_CNT_CTL_ENABLE);
	arm64_isb();
}

unsigned int arm64_timer_irq(void)
{
	return arm64_board.timer_irq_phys;
}
#else
uint64_t arm64_timer_count(void)
{
	arm64_isb();
	return arm64_sysreg_read(cntvct_el0);
}

void arm64_timer_set(uint64_t deadline)
{
	arm64_sysreg_write(cntv_cval_el0, deadline);
	arm64_sysreg_write(cntv_ctl_el0, ARM64_CNT_CTL_ENABLE);
	arm64_isb();
}

unsigned int arm64_timer_irq(void)
{
	return arm64_board.timer_irq_virt;
}
#endif

/* Both EL1 timers off and masked (the boot path calls this to start quiet). */
void arm64_timer_stop(void)
{
	arm64_sysreg_write(cntv_ctl_el0, ARM64_CNT_CTL_IMASK);
	arm64_sysreg_write(cntp_ctl_el0, ARM64_CNT_CTL_IMASK);
	arm64_isb();
}

/* ---- the platform API (uk/plat/time.h) --------------------------------- */

uint64_t ukplat_clock_ticks(void)
{
	return arm64_timer_count();
}

uint64_t ukplat_clock_freq(void)
{
	return arm64_timer_freq();
}

bool ukplat_clock_freq_known(void)
{
	return true;                    /* CNTFRQ_EL0 */
}

unsigned int ukplat_timer_irq(void)
{
	return arm64_timer_irq();
}

/* A 64-bit compare value: any delay whose tick count fits. */
uint64_t ukplat_timer_max_ns(void)
{
	return ~0ULL / 2;
}

int ukplat_timer_oneshot(uint64_t ns)
{
	uint64_t f = arm64_timer_freq(), ticks;

	if (ns > ukplat_timer_max_ns())
		return -ERANGE;
	/* ns * f / 1e9 without overflow: whole seconds, then the rest */
	ticks = (ns / 1000000000ULL) * f + (ns % 1000000000ULL) * f / 1000000000ULL;
	/* CVAL is a deadline: the condition is level, nothing stale survives
	 * a rewrite, and a deadline already past fires at once */
	arm64_timer_set(arm64_timer_count() + (ticks ? ticks : 1));
	return 0;
}

void ukplat_timer_stop(void)
{
	arm64_timer_stop();
}

/* The guest waits with its timer and wfi (lib/uktime), not on a host. */
int ukplat_clock_wait(uint64_t ticks __unused)
{
	return -ENOTSUP;
}
