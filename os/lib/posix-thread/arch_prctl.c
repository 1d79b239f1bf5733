/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arch_prctl(2), x86_64 only: ARCH_SET_FS makes the calling thread's
 * thread pointer (the FS base) addr, kept across switches (musl's and
 * glibc's TLS set-up); ARCH_GET_FS reads it. The GS base is not the
 * application's here (-EINVAL), nor are the other codes.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/tls.h>
#include <uk/linux/sched.h>
#if defined(CONFIG_LIBUKSCHED)
#include <uk/sched.h>
#endif
#include <uk/user.h>

#define USER_TOP (1UL << 47)            /* canonical lower half */

long uk_sys_arch_prctl(int option, unsigned long addr)
{
	unsigned long tp;

	switch (option) {
	case UK_ARCH_SET_FS:
		if (addr >= USER_TOP)
			return -EPERM;
#if defined(CONFIG_LIBUKSCHED)
		uk_thread_set_tp(addr);
#else
		arch_tls_set_tp(addr);
#endif
		return 0;
	case UK_ARCH_GET_FS:
#if defined(CONFIG_LIBUKSCHED)
		tp = uk_thread_current() ? uk_thread_get_tp(uk_thread_current()) : arch_tls_get_tp();
#else
		tp = arch_tls_get_tp();
#endif
		return uk_copy_to_user((void *)addr, &tp, sizeof(tp)) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}
