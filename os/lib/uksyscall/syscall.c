/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The native entry of the syscall layer: uk_syscall(nr, a0..a5) looks the
 * number up in the generated table and calls the handler's wrapper, a
 * plain function call (no trap). The trapped entries (x86_64 `syscall`,
 * arm64 `svc #0`) land here too.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/syscall.h>
#include "strace.h"
#include "syscall_table.h"

static inline __attribute__((always_inline)) long dispatch(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	uk_syscall_fn fn;

	if (unlikely(uksc_strace_on))
		return uksc_strace_call(nr, a0, a1, a2, a3, a4, a5);
	if (unlikely((unsigned long)nr >= uk_syscall_table_len))
		return uksc_enosys(nr);
	fn = uk_syscall_fns[nr];
	if (unlikely(!fn))
		return uksc_enosys(nr);
	return fn(a0, a1, a2, a3, a4, a5);
}

long uk_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return dispatch(nr, a0, a1, a2, a3, a4, a5);
}

static __thread struct __regs *trap_regs;

long uk_syscall_trapped(struct __regs *regs, long nr, long a0, long a1, long a2, long a3,
			long a4, long a5)
{
	struct __regs *outer = trap_regs;   /* a trapped call inside a handler */
	long r;

	trap_regs = regs;
	r = dispatch(nr, a0, a1, a2, a3, a4, a5);
	trap_regs = outer;
	return r;
}

struct __regs *uk_syscall_regs(void)
{
	return trap_regs;
}

const char *uk_syscall_name(long nr)
{
	if ((unsigned long)nr >= uk_syscall_table_len)
		return NULL;
	return uksc_name((unsigned long)nr);
}
