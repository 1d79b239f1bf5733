/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu time (uk/plat/time.h): the TSC runs in user space too and is the
 * clock; its frequency is measured once, on first use, against the host's
 * CLOCK_MONOTONIC (raw clock_gettime syscalls, no host libc). A Linux
 * process has no interrupts of its own here: no one-shot timer
 * (-ENOTSUP; signals would be the way, when something needs it); waiting
 * is the host's clock_nanosleep, the wall clock its CLOCK_REALTIME.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/arch.h>
#include <uk/plat/time.h>
#include <linuxu/syscall.h>

#define NSEC_PER_SEC 1000000000ULL

static uint64_t tsc_hz;

static uint64_t mono_ns(void)
{
	struct { long sec, nsec; } ts;

	linuxu_syscall2(LINUXU_SYS_clock_gettime, 1 /* CLOCK_MONOTONIC */, (long)&ts);
	return (uint64_t)ts.sec * NSEC_PER_SEC + (uint64_t)ts.nsec;
}

/* TSC ticks across 2 ms of host time. */
static uint64_t calibrate(void)
{
	uint64_t n0 = mono_ns(), c0 = arch_cycles(), n1, c1;

	do {
		n1 = mono_ns();
	} while (n1 - n0 < 2000000);
	c1 = arch_cycles();
	return (c1 - c0) * NSEC_PER_SEC / (n1 - n0);
}

uint64_t ukplat_clock_ticks(void)
{
	return arch_cycles();
}

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

unsigned int ukplat_timer_irq(void)
{
	return 0;
}

uint64_t ukplat_timer_max_ns(void)
{
	return 0;
}

int ukplat_timer_oneshot(uint64_t ns __unused)
{
	return -ENOTSUP;
}

void ukplat_timer_stop(void)
{
}

/* Host clocks: CLOCK_REALTIME 0, CLOCK_MONOTONIC 1; clock_nanosleep flag. */
#define HOST_CLOCK_REALTIME 0
#define HOST_TIMER_ABSTIME  1

/*
 * Wait on the host until our clock reaches ticks (UINT64_MAX: until a
 * signal). The deadline is mapped onto the host's CLOCK_MONOTONIC with the
 * measured frequency; as that measure may be a little high (the process
 * can be descheduled inside the calibration), the wait goes on until our
 * own clock has reached ticks: never early.
 */
int ukplat_clock_wait(uint64_t ticks)
{
	uint64_t now, f = ukplat_clock_freq(), d, host;
	struct { long sec, nsec; } ts;
	long rc;

	for (;;) {
		now = arch_cycles();
		if (ticks != UINT64_MAX && ticks <= now)
			return 0;
		if (ticks == UINT64_MAX) {
			host = ~0ULL >> 1;              /* until a signal */
		} else {
			d = ticks - now;
			host = mono_ns() + (d / f) * NSEC_PER_SEC + (d % f) * NSEC_PER_SEC / f + 1;
		}
		ts.sec = (long)(host / NSEC_PER_SEC);
		ts.nsec = (long)(host % NSEC_PER_SEC);
		rc = linuxu_syscall6(LINUXU_SYS_clock_nanosleep, 1 /* CLOCK_MONOTONIC */,
				     HOST_TIMER_ABSTIME, (long)&ts, 0, 0, 0);
		if (ticks == UINT64_MAX || (rc < 0 && rc != -EINTR))
			return rc < 0 ? (int)rc : 0;
	}
}

const char *ukplat_wall_clock(uint64_t *ns)
{
	struct { long sec, nsec; } ts;

	linuxu_syscall2(LINUXU_SYS_clock_gettime, HOST_CLOCK_REALTIME, (long)&ts);
	*ns = (uint64_t)ts.sec * NSEC_PER_SEC + (uint64_t)ts.nsec;
	return "host";
}
