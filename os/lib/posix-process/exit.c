/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The end of threads and of the process, and the calls about other
 * processes, which do not exist here:
 * - exit_group(status): the process ends with status (ukboot's shutdown:
 *   the terminators, then the platform's halt; a libc's exit() has already
 *   run the atexit handlers when it gets here);
 * - exit(status): the calling thread ends (uk_thread_exit(), whose exit
 *   notification clears and wakes CLONE_CHILD_CLEARTID, posix-thread); the
 *   last thread's exit ends the process with status, as on Linux;
 * - wait4: -ECHILD (no children), after Linux's check of the options;
 * - fork, vfork, execve: -ENOSYS, logged once each (a later issue).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/print.h>
#include <uk/boot.h>
#include <uk/linux/resource.h>
#if defined(CONFIG_LIBUKSCHED)
#include <uk/sched.h>
#endif
#include <uk/user.h>

long uk_sys_exit_group(int status)
{
	ukboot_shutdown(status & 0xff);
}

long uk_sys_exit(int status)
{
#if defined(CONFIG_LIBUKSCHED)
	if (uk_thread_current() && uk_sched_nr_threads() > 1)
		uk_thread_exit((void *)(long)(status & 0xff));
#endif
	ukboot_shutdown(status & 0xff);
}

long uk_sys_wait4(int upid __unused, int *stat_addr __unused, int options,
		  struct uk_rusage *ru __unused)
{
	if ((unsigned int)options & ~(unsigned int)(UK_WNOHANG | UK_WUNTRACED | UK_WCONTINUED |
						    UK_WNOTHREAD | UK_WALL | UK_WCLONE))
		return -EINVAL;
	return -ECHILD;
}

static long no_processes(const char *call, bool *logged)
{
	if (!*logged) {
		*logged = true;
		uk_pr_warn("%s: one process only, no new ones (ENOSYS)\n", call);
	}
	return -ENOSYS;
}

long uk_sys_fork(void)
{
	static bool logged;

	return no_processes("fork", &logged);
}

long uk_sys_vfork(void)
{
	static bool logged;

	return no_processes("vfork", &logged);
}

long uk_sys_execve(const char *filename __unused, const char *const *argv __unused,
		   const char *const *envp __unused)
{
	static bool logged;

	return no_processes("execve", &logged);
}
