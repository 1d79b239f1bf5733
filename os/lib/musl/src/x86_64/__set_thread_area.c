/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replaces musl's src/thread/x86_64/__set_thread_area.s, which issues
 * `syscall` (arch_prctl) itself: the same request as a native call, so
 * the handler (lib/posix-thread) sets the FS base and records the thread
 * pointer for the scheduler, without a trap.
 */
#include "syscall.h"

#define ARCH_SET_FS 0x1002

int __set_thread_area(void *p)
{
	return __syscall(SYS_arch_prctl, ARCH_SET_FS, p);
}
