/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sched_yield, the CPU affinity calls and getcpu. One CPU: the mask is
 * CPU 0 alone, in one unsigned long (what Linux returns for nr_cpu_ids
 * <= 64), and getcpu says CPU 0, node 0.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#if defined(CONFIG_LIBUKSCHED)
#include <uk/sched.h>
#endif
#include <uk/user.h>

long uk_sys_sched_yield(void)
{
#if defined(CONFIG_LIBUKSCHED)
	uk_sched_yield();
#endif
	return 0;
}

/* pid names this process or one of its threads (0: the caller). */
static bool known(int pid)
{
#if defined(CONFIG_LIBUKSCHED)
	if (pid > 0 && uk_thread_by_tid(pid))
		return true;
#endif
	return pid == 0 || pid == 1;
}

long uk_sys_sched_getaffinity(int pid, unsigned int len, unsigned long *mask)
{
	unsigned long m = 1;

	if (len < sizeof(m) || (len & (sizeof(m) - 1)))
		return -EINVAL;
	if (!known(pid))
		return -ESRCH;
	if (uk_copy_to_user(mask, &m, sizeof(m)))
		return -EFAULT;
	return sizeof(m);
}

/* Any mask with CPU 0 in it is the mask there is; one without is -EINVAL. */
long uk_sys_sched_setaffinity(int pid, unsigned int len, const unsigned long *mask)
{
	unsigned long m = 0;

	if (uk_copy_from_user(&m, mask, UK_MIN(len, sizeof(m))))
		return -EFAULT;
	if (!known(pid))
		return -ESRCH;
	return (m & 1) ? 0 : -EINVAL;
}

/* getcpu(2): always CPU 0 of node 0 (either pointer may be NULL). glibc's
 * sched_getcpu() comes here (or to the vDSO's __vdso_getcpu) when it
 * has no rseq area (posix-thread's rseq.c gives it cpu_id 0 too). */
long uk_sys_getcpu(unsigned int *cpu, unsigned int *node, void *unused __unused)
{
	unsigned int zero = 0;

	if (cpu && uk_copy_to_user(cpu, &zero, sizeof(zero)))
		return -EFAULT;
	if (node && uk_copy_to_user(node, &zero, sizeof(zero)))
		return -EFAULT;
	return 0;
}
