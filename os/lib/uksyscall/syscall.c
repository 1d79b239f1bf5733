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
#if defined(CONFIG_LIBPOSIX_MMAP) && !defined(CONFIG_PLAT_LINUXU)
#include <uk/plat.h>
#include <uk/mmap.h>
#endif

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

/*
 * The trap frame of the current thread's syscall, for uk_syscall_regs().
 * Not a __thread variable: a foreign program (ukelfload) owns the thread
 * pointer while it runs, and the trapped entry leaves it as it is, so a
 * kernel TLS slot would be a word of the program's own TLS block. With a
 * scheduler it is a word of the thread's POSIX data (word 2, see
 * posix-thread's thread_data.h); without one, one thread: a global.
 */
#if defined(CONFIG_LIBUKSCHED)
#include <uk/sched.h>
#define TRAP_REGS_WORD 2

static struct __regs *one_thread_regs;

static struct __regs **trap_regs_slot(void)
{
	struct uk_thread *t = uk_thread_current();

	return t ? (struct __regs **)&uk_thread_posix_data(t)[TRAP_REGS_WORD] :
		   &one_thread_regs;
}
#else
static struct __regs *one_thread_regs;

static inline struct __regs **trap_regs_slot(void)
{
	return &one_thread_regs;
}
#endif

#if defined(CONFIG_LIBPOSIX_MMAP) && !defined(CONFIG_PLAT_LINUXU)
/*
 * A trapped syscall runs on the caller's stack, and a program's stack is a
 * posix-mmap mapping paged on demand. A handler that touched a fresh stack
 * page while holding the allocator's lock (an mmap that allocates) would
 * fault into demand paging, which allocates the page under that same lock:
 * a deadlock (the spinlock's assertion). So the pages a handler may use
 * below the entry frame are made present first, when the stack is in the
 * mmap area (kernel stacks are identity-mapped and always present). A
 * page no mapping allows (a thread stack's guard) is left alone: the
 * handler will not get that deep.
 */
#define STACK_PREFAULT_PAGES 6          /* 24 KiB below the entry frame */

static void stack_prefault(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0) & ~(uintptr_t)(UKPLAT_PAGE_SIZE - 1);
	unsigned int i;

	if (sp < UK_MMAP_AREA_START)
		return;
	for (i = 1; i <= STACK_PREFAULT_PAGES; i++) {
		uintptr_t a = sp - i * UKPLAT_PAGE_SIZE;

		if (ukplat_page_prot(a) < 0 && !uk_mmap_fault_in(a, true))
			break;
	}
}
#else
static inline void stack_prefault(void)
{
}
#endif

long uk_syscall_trapped(struct __regs *regs, long nr, long a0, long a1, long a2, long a3,
			long a4, long a5)
{
	struct __regs **slot = trap_regs_slot();
	struct __regs *outer = *slot;       /* a trapped call inside a handler */
	long r;

	stack_prefault();
	*slot = regs;
	r = dispatch(nr, a0, a1, a2, a3, a4, a5);
	/* the same thread's slot: a thread never moves between slots */
	*slot = outer;
	return r;
}

struct __regs *uk_syscall_regs(void)
{
	return *trap_regs_slot();
}

const char *uk_syscall_name(long nr)
{
	if ((unsigned long)nr >= uk_syscall_table_len)
		return NULL;
	return uksc_name((unsigned long)nr);
}
