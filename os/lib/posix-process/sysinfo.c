/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sysinfo(2) and getrusage(2). Uptime from the platform clock; RAM from
 * the default allocator (total = free + in use, free = what it can still
 * hand out); no swap, no load average (0); procs = threads alive. One
 * process that owns the CPU: getrusage's user time is the time since
 * boot, its system time 0.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/init.h>
#include <uk/plat/time.h>
#include <uk/linux/resource.h>
#if defined(CONFIG_LIBUKALLOC)
#include <uk/alloc.h>
#endif
#if defined(CONFIG_LIBUKSCHED)
#include <uk/sched.h>
#endif
#include <uk/user.h>

/* The platform clock when this library's init ran (boot: class 0), the
 * start of the uptime: the clock itself may count from before the guest
 * (linuxu: the host's TSC). */
static uint64_t boot_ticks;

static int uptime_init(void)
{
	boot_ticks = ukplat_clock_ticks();
	return 0;
}
uk_initcall(uptime_init, 0, 0);

static uint64_t uptime_ns(void)
{
	uint64_t t = ukplat_clock_ticks() - boot_ticks, f = ukplat_clock_freq();

	return f ? (t / f) * 1000000000ULL + (t % f) * 1000000000ULL / f : 0;
}

long uk_sys_sysinfo(struct uk_sysinfo *info)
{
	struct uk_sysinfo si = { 0 };
#if defined(CONFIG_LIBUKALLOC)
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_alloc_stats st;

	if (a) {
		uk_alloc_stats(a, &st);
		si.freeram = uk_alloc_availmem(a);
		si.totalram = si.freeram + st.cur_bytes;
	}
#endif
	si.uptime = (long)(uptime_ns() / 1000000000ULL);
	si.procs = 1;
#if defined(CONFIG_LIBUKSCHED)
	si.procs = (unsigned short)uk_sched_nr_threads();
#endif
	si.mem_unit = 1;
	return uk_copy_to_user(info, &si, sizeof(si)) ? -EFAULT : 0;
}

long uk_sys_getrusage(int who, struct uk_rusage *ru)
{
	struct uk_rusage r = { 0 };
	uint64_t ns;

	if (who != UK_RUSAGE_SELF && who != UK_RUSAGE_CHILDREN && who != UK_RUSAGE_THREAD)
		return -EINVAL;
	if (who != UK_RUSAGE_CHILDREN) {
		ns = uptime_ns();
		r.ru_utime.tv_sec = (long)(ns / 1000000000ULL);
		r.ru_utime.tv_usec = (long)(ns % 1000000000ULL / 1000);
	}
	return uk_copy_to_user(ru, &r, sizeof(r)) ? -EFAULT : 0;
}
