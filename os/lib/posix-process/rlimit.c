/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Resource limits: getrlimit, setrlimit, prlimit64. The values are
 * stored (a later getrlimit sees what setrlimit set) and start as Linux
 * gives a shell's process, except where this system knows better:
 * RLIMIT_NOFILE is CONFIG_LIBPOSIX_PROCESS_NOFILE (soft and hard). Nothing
 * enforces them: they are what a program reads to size itself (glibc reads
 * RLIMIT_STACK at start-up; redis and nginx read RLIMIT_NOFILE).
 * Raising a hard limit needs an effective uid of 0 (-EPERM otherwise).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/linux/resource.h>
#include <uk/user.h>

#define INF UK_RLIM_INFINITY
#define NR_OPEN 1048576                 /* Linux's fs.nr_open: NOFILE's ceiling */

static struct uk_rlimit limits[UK_RLIM_NLIMITS] = {
	[UK_RLIMIT_CPU]        = { INF, INF },
	[UK_RLIMIT_FSIZE]      = { INF, INF },
	[UK_RLIMIT_DATA]       = { INF, INF },
	[UK_RLIMIT_STACK]      = { 8UL << 20, INF },
	[UK_RLIMIT_CORE]       = { 0, INF },
	[UK_RLIMIT_RSS]        = { INF, INF },
	[UK_RLIMIT_NPROC]      = { INF, INF },
	[UK_RLIMIT_NOFILE]     = { CONFIG_LIBPOSIX_PROCESS_NOFILE, CONFIG_LIBPOSIX_PROCESS_NOFILE },
	[UK_RLIMIT_MEMLOCK]    = { 8UL << 20, 8UL << 20 },
	[UK_RLIMIT_AS]         = { INF, INF },
	[UK_RLIMIT_LOCKS]      = { INF, INF },
	[UK_RLIMIT_SIGPENDING] = { 0, 0 },      /* no queued signals: delivery is synchronous */
	[UK_RLIMIT_MSGQUEUE]   = { 819200, 819200 },
	[UK_RLIMIT_NICE]       = { 0, 0 },
	[UK_RLIMIT_RTPRIO]     = { 0, 0 },
	[UK_RLIMIT_RTTIME]     = { INF, INF },
};

long uk_sys_geteuid(void);

/* 0 if lim may replace resource's limit; -EINVAL or -EPERM. */
static long check(unsigned int resource, const struct uk_rlimit *lim)
{
	if (lim->rlim_cur > lim->rlim_max)
		return -EINVAL;
	if (resource == UK_RLIMIT_NOFILE && lim->rlim_max > NR_OPEN)
		return -EPERM;
	if (lim->rlim_max > limits[resource].rlim_max && uk_sys_geteuid() != 0)
		return -EPERM;
	return 0;
}

long uk_sys_prlimit64(int pid, unsigned int resource, const struct uk_rlimit *new_rlim,
		      struct uk_rlimit *old_rlim)
{
	struct uk_rlimit n, old;
	long rc;

	if (resource >= UK_RLIM_NLIMITS)
		return -EINVAL;
	if (pid != 0 && pid != 1)
		return -ESRCH;
	if (new_rlim) {
		if (uk_copy_from_user(&n, new_rlim, sizeof(n)))
			return -EFAULT;
		if ((rc = check(resource, &n)) < 0)
			return rc;
	}
	old = limits[resource];
	if (old_rlim && uk_copy_to_user(old_rlim, &old, sizeof(old)))
		return -EFAULT;
	if (new_rlim)
		limits[resource] = n;
	return 0;
}

long uk_sys_getrlimit(unsigned int resource, struct uk_rlimit *rlim)
{
	return uk_sys_prlimit64(0, resource, NULL, rlim);
}

long uk_sys_setrlimit(unsigned int resource, const struct uk_rlimit *rlim)
{
	return uk_sys_prlimit64(0, resource, rlim, NULL);
}
