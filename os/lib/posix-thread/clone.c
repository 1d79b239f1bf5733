/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * clone(2) for threads, over uksched (uk_thread_create_ext(): the
 * caller's stack and TLS). What makes a thread, as musl's pthread_create
 * and glibc's (clone3) ask: CLONE_VM | CLONE_FS | CLONE_FILES |
 * CLONE_SIGHAND | CLONE_THREAD, with any of CLONE_SYSVSEM, CLONE_SETTLS,
 * CLONE_PARENT_SETTID, CLONE_CHILD_SETTID, CLONE_CHILD_CLEARTID,
 * CLONE_DETACHED. Linux's own consistency rules are -EINVAL (THREAD without
 * SIGHAND, SIGHAND without VM); a new process (no CLONE_VM or no
 * CLONE_THREAD: fork, vfork, posix_spawn's clone) is -ENOSYS, logged once;
 * any other flag (namespaces, ptrace, pidfd, ...) -EINVAL.
 *
 * Two ways in: uk_thread_clone() (uk/thread.h), the native one for a libc's
 * __clone: the child calls fn(arg) on the given stack; and the syscall
 * uk_sys_clone(), whose child must resume the caller's registers: that
 * needs the trapped entry's frame (uksyscall), see README.md.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/print.h>
#include <uk/tls.h>
#include <uk/thread.h>
#include <uk/linux/sched.h>
#include "user.h"
#include "thread_data.h"
#if defined(CONFIG_LIBUKSCHED)
#include <uk/alloc.h>
#include <uk/sched.h>
#endif

#define THREAD_FLAGS (UK_CLONE_VM | UK_CLONE_FS | UK_CLONE_FILES | UK_CLONE_SIGHAND | UK_CLONE_THREAD)
#define OPTIONAL_FLAGS (UK_CLONE_SYSVSEM | UK_CLONE_SETTLS | UK_CLONE_PARENT_SETTID |      \
			UK_CLONE_CHILD_SETTID | UK_CLONE_CHILD_CLEARTID | UK_CLONE_DETACHED)

/* 0 if flags make a thread here; -EINVAL or -ENOSYS (logged) otherwise. */
static long check_flags(unsigned long flags)
{
	static bool logged;

	if ((flags & UK_CLONE_THREAD) && !(flags & UK_CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & UK_CLONE_SIGHAND) && !(flags & UK_CLONE_VM))
		return -EINVAL;
	if ((flags & THREAD_FLAGS) != THREAD_FLAGS) {
		if (!logged) {
			logged = true;
			uk_pr_warn("clone: flags %#lx make a new process: one process only (ENOSYS)\n",
				   flags);
		}
		return -ENOSYS;
	}
	if (flags & ~(unsigned long)(THREAD_FLAGS | OPTIONAL_FLAGS))
		return -EINVAL;                 /* namespaces, ptrace, pidfd, an exit signal... */
	return 0;
}

#if defined(CONFIG_LIBUKSCHED)
struct start {
	int (*fn)(void *);
	void *arg;
	int *ctid;                      /* CLONE_CHILD_CLEARTID's word, or NULL */
};

long uk_sys_exit(int status);

/* The new thread's first code: its clear-tid word, then fn(arg), then
 * exit(fn's value). */
static void *clone_entry(void *p)
{
	struct start s = *(struct start *)p;

	uk_free(uk_alloc_get_default(), p);
	pt_words()[PT_CLEAR_CHILD_TID] = s.ctid;
	uk_sys_exit(s.fn(s.arg));
	return NULL;
}

long uk_thread_clone(int (*fn)(void *), void *stack, unsigned long flags, void *arg,
		     int *ptid, unsigned long tls, int *ctid)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_thread *t, *self = uk_thread_current();
	struct start *s;
	unsigned long irqf;
	long rc;
	int tid;

	if ((rc = check_flags(flags)) < 0)
		return rc;
	if (!fn || !stack)
		return -EINVAL;
	s = uk_malloc(a, sizeof(*s));
	if (!s)
		return -ENOMEM;
	*s = (struct start){ fn, arg, (flags & UK_CLONE_CHILD_CLEARTID) ? ctid : NULL };
	/* the child must not run before its tid is where the flags say:
	 * masked from creation to the stores (uk_thread_create_ext() may
	 * allocate: it does so before it makes the thread runnable) */
	irqf = ukplat_lcpu_save_irqf();
	rc = uk_thread_create_ext(&t, uk_thread_name(self), 0, (uintptr_t)stack & ~15UL,
				  (flags & UK_CLONE_SETTLS) ? tls : uk_thread_get_tp(self),
				  clone_entry, s);
	if (rc < 0) {
		ukplat_lcpu_restore_irqf(irqf);
		uk_free(a, s);
		return rc;
	}
	tid = uk_thread_tid(t);
	if (flags & UK_CLONE_PARENT_SETTID)
		uk_copy_to_user(ptid, &tid, sizeof(tid));
	if (flags & UK_CLONE_CHILD_SETTID)
		uk_copy_to_user(ctid, &tid, sizeof(tid));
	uk_thread_detach(t);            /* a clone is joined through its futex */
	ukplat_lcpu_restore_irqf(irqf);
	return tid;
}
#else
long uk_thread_clone(int (*fn)(void *), void *stack __unused, unsigned long flags,
		     void *arg __unused, int *ptid __unused, unsigned long tls __unused,
		     int *ctid __unused)
{
	long rc = check_flags(flags);

	if (rc < 0)
		return rc;
	return fn ? -EAGAIN : -EINVAL;          /* no scheduler: no second thread */
}
#endif

/*
 * The syscall: the child returns 0 from the same call with the caller's
 * registers on newsp. That is the trapped entry's frame, which is
 * uksyscall's; until it is there, only the checks run and a thread clone
 * is -ENOSYS (musl's __clone uses uk_thread_clone() instead).
 */
long uk_sys_clone(unsigned long flags, unsigned long newsp, int *parent_tidptr,
		  int *child_tidptr, unsigned long tls)
{
	long rc = check_flags(flags);

	(void)newsp; (void)parent_tidptr; (void)child_tidptr; (void)tls;
	if (rc < 0)
		return rc;
	return -ENOSYS;
}
