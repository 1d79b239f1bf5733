/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * prctl(2): what the survey of Debian programs saw
 * (shared/data/syscalls-debian-apps.md): PR_SET_NAME / PR_GET_NAME on the
 * calling thread (busybox, redis), PR_CAPBSET_READ (redis bisects for the
 * highest capability: 0..CAP_LAST_CAP are in the bounding set, 1; above,
 * -EINVAL). Every other option is -EINVAL, as Linux answers an unknown one.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/linux/prctl.h>
#if defined(CONFIG_LIBUKSCHED)
#include <uk/sched.h>
#endif
#include <uk/user.h>

#if !defined(CONFIG_LIBUKSCHED)
static char comm[UK_TASK_COMM_LEN] = "main";    /* the one thread's name */
#endif

static long set_name(const char *uname)
{
	char name[UK_TASK_COMM_LEN];
	size_t i;

	/* Linux copies up to 15 bytes and terminates; a fault is -EFAULT */
	for (i = 0; i < sizeof(name) - 1; i++) {
		if (uk_copy_from_user(&name[i], uname + i, 1))
			return -EFAULT;
		if (!name[i])
			break;
	}
	name[i] = '\0';
#if defined(CONFIG_LIBUKSCHED)
	uk_thread_set_name(uk_thread_current(), name);
#else
	for (i = 0; i < sizeof(name); i++)
		comm[i] = name[i];
#endif
	return 0;
}

static long get_name(char *uname)
{
	char name[UK_TASK_COMM_LEN] = { 0 };
	const char *cur;
	size_t i;

#if defined(CONFIG_LIBUKSCHED)
	cur = uk_thread_name(uk_thread_current());
#else
	cur = comm;
#endif
	for (i = 0; i < sizeof(name) - 1 && cur[i]; i++)
		name[i] = cur[i];
	return uk_copy_to_user(uname, name, sizeof(name)) ? -EFAULT : 0;
}

long uk_sys_prctl(int option, unsigned long arg2, unsigned long arg3 __unused,
		  unsigned long arg4 __unused, unsigned long arg5 __unused)
{
	switch (option) {
	case UK_PR_SET_NAME:
		return set_name((const char *)arg2);
	case UK_PR_GET_NAME:
		return get_name((char *)arg2);
	case UK_PR_CAPBSET_READ:
		return arg2 <= UK_CAP_LAST_CAP ? 1 : -EINVAL;
	default:
		return -EINVAL;
	}
}
