/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EL1 generic timer (Arm ARM D11 "The Generic Timer in AArch64 state"):
 * CNTV_* (virtual, default) or CNTP_* (physical, PLAT_ARM64_TIMER_PHYSICAL).
 */
#include <uk/essentials.h>
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
