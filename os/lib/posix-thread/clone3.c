/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * clone3(2), as glibc 2.36's pthread_create issues it (redis's threads:
 * CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|
 * CHILD_CLEARTID, exit_signal 0, the new thread's stack as stack +
 * stack_size). The struct is checked as Linux's clone3_args_valid() does
 * (size, unknown trailing bytes, exit_signal, the stack pair, set_tid,
 * cgroup) and then it is clone(2): uk_sys_clone() with newsp = stack +
 * stack_size, so the trapped child resumes the same call with 0 on its
 * new stack, and whatever clone accepts (flags, the process-creating
 * forms) clone3 accepts alike. glibc falls back to clone when clone3 is
 * -ENOSYS, which keeps the forms clone does not take on one path.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/linux/sched.h>
#include <uk/syscall.h>
#include <uk/user.h>

#define MAX_SIZE 4096           /* Linux: one page; bytes past ours must be 0 */

long uk_sys_clone3(struct uk_clone_args *uargs, unsigned long size)
{
	struct uk_clone_args a = { 0 };
	unsigned long newsp;
	unsigned char b;

	if (size < UK_CLONE_ARGS_SIZE_VER0 || size > MAX_SIZE)
		return -EINVAL;
	if (uk_copy_from_user(&a, uargs, UK_MIN(size, sizeof(a))))
		return -EFAULT;
	for (unsigned long i = sizeof(a); i < size; i++) {
		if (uk_copy_from_user(&b, (char *)uargs + i, 1))
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	if (a.exit_signal & ~(unsigned long long)UK_CSIGNAL)
		return -EINVAL;
	if ((a.flags & (UK_CLONE_THREAD | UK_CLONE_PARENT)) && a.exit_signal)
		return -EINVAL;
	if (a.flags & (UK_CSIGNAL | UK_CLONE_DETACHED))
		return -EINVAL;         /* clone3 has exit_signal for that; DETACHED is clone's */
	if (a.flags >> 32)
		return -EINVAL;         /* CLONE_CLEAR_SIGHAND, CLONE_INTO_CGROUP: not here */
	if (!a.stack != !a.stack_size)
		return -EINVAL;
	if (a.set_tid || a.set_tid_size || a.cgroup)
		return -EINVAL;         /* choosing tids, cgroups: not in one process */
	newsp = a.stack ? (unsigned long)(a.stack + a.stack_size) : 0;
	/* arm64's clone takes (flags, newsp, ptid, tls, ctid): see clone.c */
#if defined(__aarch64__)
	return uk_sys_clone(a.flags | a.exit_signal, newsp, (int *)(unsigned long)a.parent_tid,
			    (int *)(unsigned long)a.tls, (unsigned long)a.child_tid);
#else
	return uk_sys_clone(a.flags | a.exit_signal, newsp, (int *)(unsigned long)a.parent_tid,
			    (int *)(unsigned long)a.child_tid, (unsigned long)a.tls);
#endif
}
