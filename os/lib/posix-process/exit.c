/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The end of threads and of the process:
 * - exit_group(status): the process ends with status (ukboot's shutdown:
 *   the terminators, then the platform's halt; a libc's exit() has already
 *   run the atexit handlers when it gets here);
 * - exit(status): the calling thread ends (uk_thread_exit(), whose exit
 *   notification clears and wakes CLONE_CHILD_CLEARTID, posix-thread); the
 *   last thread's exit ends the process with status, as on Linux.
 * In a fork's child (fork.c) either ends the child instead: its parent
 * resumes, with the status for wait4.
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
#include <uk/process.h>

long uk_sys_exit_group(int status)
{
	if (uk_process_in_child())
		uk_process_child_exit((status & 0xff) << 8);
	ukboot_shutdown(status & 0xff);
}

long uk_sys_exit(int status)
{
	if (uk_process_in_child())      /* a child has one thread: its exit is the child's */
		uk_process_child_exit((status & 0xff) << 8);
#if defined(CONFIG_LIBUKSCHED)
	if (uk_thread_current() && uk_sched_nr_threads() > 1)
		uk_thread_exit((void *)(long)(status & 0xff));
#endif
	ukboot_shutdown(status & 0xff);
}
