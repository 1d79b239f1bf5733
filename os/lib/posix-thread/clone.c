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
#include <uk/arch.h>
#include <uk/plat/irq.h>
#include <uk/tls.h>
#include <uk/thread.h>
#include <uk/linux/sched.h>
#include <uk/user.h>
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
	bool irqs_on;                   /* the caller's interrupt state */
};

long uk_sys_exit(int status);

/* The new thread's first code: its clear-tid word, then fn(arg), then
 * exit(fn's value). */
static void *clone_entry(void *p)
{
	struct start s = *(struct start *)p;

	uk_free(uk_alloc_get_default(), p);
	pt_words()[PT_CLEAR_CHILD_TID] = s.ctid;
	/* uksched started it masked (it was made inside the caller's masked
	 * section): the caller's state, or a preemptive scheduler could
	 * never take the CPU from it */
	if (s.irqs_on)
		ukplat_lcpu_enable_irq();
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
	*s = (struct start){ fn, arg, (flags & UK_CLONE_CHILD_CLEARTID) ? ctid : NULL,
			     !ukplat_lcpu_irqs_disabled() };
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

#if defined(CONFIG_LIBUKSCHED)
/* The child's first code, on its new stack below newsp: the frame copy
 * and CLONE_CHILD_CLEARTID's word are just above this function's frame. */
#define CHILD_ROOM 1024     /* stack the child's first code needs below the copy */

struct trap_start {
	struct __regs regs;
	int *ctid;
};

static void *clone_regs_entry(void *p)
{
	struct trap_start *s = p;

	pt_words()[PT_CLEAR_CHILD_TID] = s->ctid;
	uk_regs_resume(&s->regs);
}

long uk_thread_clone_regs(unsigned long flags, unsigned long newsp, int *ptid, int *ctid,
			  unsigned long tls, const struct __regs *parent)
{
	struct uk_thread *t, *self = uk_thread_current();
	struct trap_start *s;
	unsigned long irqf;
	long rc;
	int tid;

	if ((rc = check_flags(flags)) < 0)
		return rc;
	if (!newsp || !parent)
		return -EINVAL;
	/* below newsp: a red zone's worth of room (the caller may have put
	 * data just under it), then the frame copy, then the first context */
	s = (struct trap_start *)(((newsp - 128) & ~15UL) - UK_ALIGN_UP(sizeof(*s), 16));
	if (!uk_access_ok((char *)s - CHILD_ROOM, CHILD_ROOM + sizeof(*s), true))
		return -EFAULT;
	s->regs = *parent;
#if defined(__x86_64__)
	s->regs.rax = 0;
	s->regs.rsp = newsp;
#else
	s->regs.x[0] = 0;
	s->regs.sp = newsp;
#endif
	s->ctid = (flags & UK_CLONE_CHILD_CLEARTID) ? ctid : NULL;
	irqf = ukplat_lcpu_save_irqf();
	rc = uk_thread_create_ext(&t, uk_thread_name(self), 0, (uintptr_t)s,
				  (flags & UK_CLONE_SETTLS) ? tls : uk_thread_get_tp(self),
				  clone_regs_entry, s);
	if (rc < 0) {
		ukplat_lcpu_restore_irqf(irqf);
		return rc;
	}
	tid = uk_thread_tid(t);
	if (flags & UK_CLONE_PARENT_SETTID)
		uk_copy_to_user(ptid, &tid, sizeof(tid));
	if (flags & UK_CLONE_CHILD_SETTID)
		uk_copy_to_user(ctid, &tid, sizeof(tid));
	uk_thread_detach(t);
	ukplat_lcpu_restore_irqf(irqf);
	return tid;
}
#else
long uk_thread_clone_regs(unsigned long flags, unsigned long newsp, int *ptid __unused,
			  int *ctid __unused, unsigned long tls __unused,
			  const struct __regs *parent)
{
	long rc = check_flags(flags);

	if (rc < 0)
		return rc;
	return newsp && parent ? -EAGAIN : -EINVAL;     /* no scheduler: one thread */
}
#endif

/* uksyscall's trapped entry's frame (NULL on the native path; weak: an
 * image without the trapped entries has none). */
struct __regs *uk_syscall_regs(void) __weak;

/*
 * The syscall: the child returns 0 from the same trapped call, with the
 * caller's registers on newsp. Reached natively (no trap frame), a thread
 * clone is -ENOSYS: a libc's __clone calls uk_thread_clone() instead.
 */
/* posix-process's fork (a new process: no CLONE_THREAD), when it is in the image */
long uk_process_clone(unsigned long flags, unsigned long newsp, int *ptid, int *ctid,
		      unsigned long tls) __weak;

long uk_sys_clone(unsigned long flags, unsigned long newsp, int *parent_tidptr,
		  int *child_tidptr, unsigned long tls)
{
	struct __regs *regs = uk_syscall_regs ? uk_syscall_regs() : NULL;
	long rc;

	if (!(flags & UK_CLONE_THREAD) && !(flags & UK_CLONE_SIGHAND) && uk_process_clone)
#if defined(__aarch64__)
		return uk_process_clone(flags, newsp, parent_tidptr, (int *)tls,
					(unsigned long)child_tidptr);
#else
		return uk_process_clone(flags, newsp, parent_tidptr, child_tidptr, tls);
#endif
	rc = check_flags(flags);

	if (rc < 0)
		return rc;
	if (!regs)
		return -ENOSYS;
#if defined(__aarch64__)
	/* arm64 is CONFIG_CLONE_BACKWARDS: (flags, newsp, ptid, tls, ctid);
	 * the registry's names follow x86_64's (flags, newsp, ptid, ctid, tls) */
	return uk_thread_clone_regs(flags, newsp, parent_tidptr, (int *)tls,
				    (unsigned long)child_tidptr, regs);
#else
	return uk_thread_clone_regs(flags, newsp, parent_tidptr, child_tidptr, tls, regs);
#endif
}
