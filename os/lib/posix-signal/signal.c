/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Signals, minimal and synchronous (issue 8): one process, so a signal
 * comes from the process itself: kill/tkill/tgkill to itself (raise,
 * abort), or a fault (fault_<arch>.c). The actions (rt_sigaction) are the
 * process's, the mask, pending set and alternate stack each thread's.
 *
 * Delivery happens in the calling thread, before the call returns: the
 * handler is called as a function (on the alternate stack with
 * SA_ONSTACK), with the signal blocked meanwhile (sa_mask too). A blocked
 * signal stays pending until rt_sigprocmask unblocks it (musl's raise()
 * blocks everything around its tkill). A signal for another thread
 * (tkill/tgkill with its tid) stays pending on it and is delivered when
 * that thread next unblocks or sends a signal (no interruption of a
 * running thread).
 *
 * Default actions: SIGCHLD, SIGCONT, SIGURG, SIGWINCH and the job-control
 * stops (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU: there is no job control) are
 * ignored; every other signal ends the process with exit status 128 + the
 * signal number (how a shell reports a death by signal: SIGABRT 134,
 * SIGKILL 137, SIGSEGV 139, SIGTERM 143), after a "killed by" message.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/print.h>
#include <uk/boot.h>
#include <uk/user.h>
#include <uk/signal.h>
#include <uk/process.h>
#include "signal_impl.h"

struct uk_sigaction sig_actions[UK_NSIG + 1];
/* kill() to the process while every thread blocks it */
static unsigned long proc_pending;

#define IGNORED_BY_DEFAULT (UK_SIGBIT(UK_SIGCHLD) | UK_SIGBIT(UK_SIGCONT) | UK_SIGBIT(UK_SIGURG) | \
			    UK_SIGBIT(UK_SIGWINCH) | UK_SIGBIT(UK_SIGSTOP) | UK_SIGBIT(UK_SIGTSTP) | \
			    UK_SIGBIT(UK_SIGTTIN) | UK_SIGBIT(UK_SIGTTOU))

static const char *const names[32] = {
	"", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
	"SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
	"SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
};

long uk_sys_getuid(void);

static void __noreturn terminate(int sig)
{
	if (uk_process_in_child())      /* a fork's child dies: its parent resumes */
		uk_process_child_exit(sig);
	uk_pr_err("killed by %s (signal %d): exit status %d\n", sig < 32 ? names[sig] : "SIGRT",
		  sig, 128 + sig);
	ukboot_shutdown(128 + sig);
}

/* posix-mmap's, when it is in the image: whether a page is mapped at all. */
long uk_sys_mincore(void *start, unsigned long len, void *vec) __weak;

int sig_segv_code(unsigned long addr, bool present)
{
	unsigned char in;

	if (present)
		return UK_SEGV_ACCERR;
	/* a page of a mapping that may not be touched (PROT_NONE) is not in
	 * the page tables, yet Linux calls it an access error */
	if (uk_sys_mincore && uk_sys_mincore((void *)(addr & ~4095UL), 1, &in) == 0)
		return UK_SEGV_ACCERR;
	return UK_SEGV_MAPERR;
}

bool sig_on_altstack(const struct sig_thread *st, unsigned long sp)
{
	return st->ss_size && sp - st->ss_sp < st->ss_size;
}

unsigned long sig_enter_handler(int sig, struct uk_sigaction *a)
{
	struct sig_thread *st = sig_self();
	unsigned long old = st->blocked;

	st->blocked |= a->sa_mask;
	if (!(a->sa_flags & UK_SA_NODEFER))
		st->blocked |= UK_SIGBIT(sig);
	st->blocked &= ~UNCATCHABLE;
	if (a->sa_flags & UK_SA_RESETHAND)
		*a = (struct uk_sigaction){ 0 };
	return old;
}

/* sig_<arch>.S: fn(a0, a1, a2) on the stack ending at stack_top. */
void sig_call_on_stack(unsigned long fn, long a0, void *a1, void *a2, unsigned long stack_top);

/* Acts on sig now, in the calling thread. */
static void act(int sig, int code)
{
	struct uk_sigaction a = sig_actions[sig];
	struct sig_thread *st = sig_self();
	struct uk_siginfo info = { .si_signo = sig, .si_code = code };
	struct uk_ucontext uc = { 0 };
	unsigned long top, sp = (unsigned long)__builtin_frame_address(0);

	if (a.sa_handler == UK_SIG_IGN)
		return;
	if (a.sa_handler == UK_SIG_DFL) {
		if (IGNORED_BY_DEFAULT & UK_SIGBIT(sig))
			return;
		terminate(sig);
	}
	info.u.kill.si_pid = 1;
	info.u.kill.si_uid = (unsigned int)uk_sys_getuid();
	uc.uc_stack = (struct uk_sigaltstack){ (void *)st->ss_sp,
		st->ss_size ? (sig_on_altstack(st, sp) ? UK_SS_ONSTACK : 0) : UK_SS_DISABLE,
		st->ss_size };
	uc.uc_sigmask = sig_enter_handler(sig, &sig_actions[sig]);
	if ((a.sa_flags & UK_SA_ONSTACK) && st->ss_size && !sig_on_altstack(st, sp)) {
		top = (st->ss_sp + st->ss_size) & ~15UL;
		if (st->ss_autodisarm)
			st->ss_size = 0;
		sig_call_on_stack(a.sa_handler, sig, &info, &uc, top);
		if (st->ss_autodisarm)
			st->ss_size = uc.uc_stack.ss_size;
	} else if (a.sa_flags & UK_SA_SIGINFO) {
		((void (*)(int, void *, void *))a.sa_handler)(sig, &info, &uc);
	} else {
		((void (*)(int))a.sa_handler)(sig);
	}
	st->blocked = uc.uc_sigmask & ~UNCATCHABLE;     /* as sigreturn would */
}

/* Delivers every pending signal the calling thread does not block,
 * lowest number first. */
static void deliver_pending(void)
{
	struct sig_thread *st = sig_self();
	unsigned long ready;
	int sig;

	while ((ready = (st->pending | proc_pending) & ~st->blocked) != 0) {
		sig = __builtin_ctzl(ready) + 1;
		st->pending &= ~UK_SIGBIT(sig);
		proc_pending &= ~UK_SIGBIT(sig);
		act(sig, UK_SI_USER);
	}
}

void sig_set_blocked(unsigned long mask)
{
	sig_self()->blocked = mask & ~UNCATCHABLE;
	deliver_pending();
}

long uk_sys_rt_sigaction(int sig, const struct uk_sigaction *act_, struct uk_sigaction *oact,
			 unsigned long sigsetsize)
{
	struct uk_sigaction n;

	if (sigsetsize != sizeof(unsigned long) || sig < 1 || sig > UK_NSIG)
		return -EINVAL;
	if (act_ && (UK_SIGBIT(sig) & UNCATCHABLE))
		return -EINVAL;
	if (act_ && uk_copy_from_user(&n, act_, sizeof(n)))
		return -EFAULT;
	if (oact && uk_copy_to_user(oact, &sig_actions[sig], sizeof(*oact)))
		return -EFAULT;
	if (act_) {
		n.sa_mask &= ~UNCATCHABLE;
		sig_actions[sig] = n;
		if (n.sa_handler == UK_SIG_IGN) /* a pending one is dropped */
			proc_pending &= ~UK_SIGBIT(sig);
	}
	return 0;
}

long uk_sys_rt_sigprocmask(int how, const unsigned long *nset, unsigned long *oset,
			   unsigned long sigsetsize)
{
	struct sig_thread *st = sig_self();
	unsigned long n = 0, old = st->blocked;

	if (sigsetsize != sizeof(unsigned long))
		return -EINVAL;
	if (nset) {
		if (how != UK_SIG_BLOCK && how != UK_SIG_UNBLOCK && how != UK_SIG_SETMASK)
			return -EINVAL;
		if (uk_copy_from_user(&n, nset, sizeof(n)))
			return -EFAULT;
	}
	if (oset && uk_copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	if (nset)
		sig_set_blocked(how == UK_SIG_BLOCK ? old | n : how == UK_SIG_UNBLOCK ? old & ~n : n);
	return 0;
}

long uk_sys_rt_sigpending(unsigned long *uset, unsigned long sigsetsize)
{
	unsigned long p = (sig_self()->pending | proc_pending) & sig_self()->blocked;

	if (sigsetsize > sizeof(unsigned long))
		return -EINVAL;
	return uk_copy_to_user(uset, &p, sigsetsize) ? -EFAULT : 0;
}

long uk_sys_sigaltstack(const struct uk_sigaltstack *uss, struct uk_sigaltstack *uoss)
{
	struct sig_thread *st = sig_self();
	unsigned long sp = (unsigned long)__builtin_frame_address(0);
	struct uk_sigaltstack n, o = {
		(void *)st->ss_sp,
		st->ss_size ? (sig_on_altstack(st, sp) ? UK_SS_ONSTACK : 0) : UK_SS_DISABLE,
		st->ss_size,
	};
	int mode;

	if (uss) {
		if (uk_copy_from_user(&n, uss, sizeof(n)))
			return -EFAULT;
		mode = n.ss_flags & ~(int)UK_SS_AUTODISARM;
		if (mode != 0 && mode != UK_SS_DISABLE && mode != UK_SS_ONSTACK)
			return -EINVAL;
		if (o.ss_flags == UK_SS_ONSTACK)
			return -EPERM;
		if (mode != UK_SS_DISABLE && n.ss_size < UK_MINSIGSTKSZ)
			return -ENOMEM;
	}
	if (uoss && uk_copy_to_user(uoss, &o, sizeof(o)))
		return -EFAULT;
	if (uss) {
		if (mode == UK_SS_DISABLE) {
			st->ss_sp = st->ss_size = 0;
		} else {
			st->ss_sp = (unsigned long)n.ss_sp;
			st->ss_size = n.ss_size;
		}
		st->ss_autodisarm = !!(n.ss_flags & UK_SS_AUTODISARM);
	}
	return 0;
}

/* A signal for the thread st (the caller's when st is the caller's). */
static void send_thread(struct sig_thread *st, int sig, int code)
{
	if (st != sig_self() || (st->blocked & UK_SIGBIT(sig))) {
		if (sig_actions[sig].sa_handler != UK_SIG_IGN || (UK_SIGBIT(sig) & UNCATCHABLE))
			st->pending |= UK_SIGBIT(sig);
		if (UK_SIGBIT(sig) & UNCATCHABLE)       /* not even blocked */
			terminate(sig);
		deliver_pending();
		return;
	}
	act(sig, code);
	deliver_pending();
}

static long check_sig(int sig)
{
	return sig < 0 || sig > UK_NSIG ? -EINVAL : 0;
}

long uk_sys_kill(int pid, int sig)
{
	if (check_sig(sig))
		return -EINVAL;
	if (pid > 0 && pid != uk_process_pid())
		/* a fork's suspended parent (pending until it resumes) or an
		 * ended child */
		return uk_process_signal_other(pid, sig);
	if (pid < -1)
		return -ESRCH;
	if (!sig)
		return 0;
	if (sig_self()->blocked & UK_SIGBIT(sig) && !(UK_SIGBIT(sig) & UNCATCHABLE)) {
		if (sig_actions[sig].sa_handler != UK_SIG_IGN)
			proc_pending |= UK_SIGBIT(sig);
		return 0;
	}
	send_thread(sig_self(), sig, UK_SI_USER);
	return 0;
}

/* The thread with tid, as posix-signal sees it; NULL if none. */
static struct sig_thread *thread_of(int tid)
{
#if defined(CONFIG_LIBUKSCHED)
	struct uk_thread *t;

	if (!uk_thread_current())
		return tid == 1 ? sig_self() : NULL;
	t = uk_thread_by_tid(tid);
	return t ? (struct sig_thread *)&uk_thread_posix_data(t)[5] : NULL;
#else
	return tid == 1 ? sig_self() : NULL;
#endif
}

long uk_sys_tgkill(int tgid, int tid, int sig)
{
	struct sig_thread *st;

	if (check_sig(sig) || tid <= 0 || tgid <= 0)
		return -EINVAL;
	if (tgid != uk_process_pid())
		return -ESRCH;
	if (uk_process_in_child() && tid == uk_process_pid())
		st = sig_self();        /* a fork's child: its one thread */
	else if (!(st = thread_of(tid)))
		return -ESRCH;
	if (sig)
		send_thread(st, sig, UK_SI_TKILL);
	return 0;
}

long uk_sys_tkill(int tid, int sig)
{
	return uk_sys_tgkill(uk_process_pid(), tid, sig);
}

void uk_signal_exec_reset(void)
{
	struct sig_thread *st = sig_self();
	int sig;

	for (sig = 1; sig <= UK_NSIG; sig++)
		if (sig_actions[sig].sa_handler != UK_SIG_IGN)
			sig_actions[sig] = (struct uk_sigaction){ 0 };
	st->ss_sp = st->ss_size = st->ss_autodisarm = 0;
}

void uk_signal_save(struct uk_signal_state *s)
{
	struct sig_thread *st = sig_self();

	__builtin_memcpy(s->actions, sig_actions, sizeof(sig_actions));
	s->proc_pending = proc_pending;
	s->blocked = st->blocked;
	s->pending = st->pending;
	s->ss_sp = st->ss_sp;
	s->ss_size = st->ss_size;
	s->ss_autodisarm = st->ss_autodisarm;
}

void uk_signal_restore(const struct uk_signal_state *s)
{
	struct sig_thread *st = sig_self();

	__builtin_memcpy(sig_actions, s->actions, sizeof(sig_actions));
	proc_pending = s->proc_pending;
	st->blocked = s->blocked;
	st->pending = s->pending;
	st->ss_sp = s->ss_sp;
	st->ss_size = s->ss_size;
	st->ss_autodisarm = s->ss_autodisarm;
}

void uk_signal_send(int sig)
{
	if (sig < 1 || sig > UK_NSIG)
		return;
	uk_sys_kill(uk_process_pid(), sig);
}

/* The frames and structures are Linux's, byte for byte (what glibc's and
 * musl's ucontext_t, siginfo_t and stack_t read). */
#include <stddef.h>
_Static_assert(sizeof(struct uk_siginfo) == 128, "siginfo_t");
_Static_assert(sizeof(struct uk_sigaltstack) == 24, "stack_t");
_Static_assert(offsetof(struct uk_siginfo, u.si_addr) == 16, "si_addr");
#if defined(__x86_64__)
_Static_assert(sizeof(struct uk_mcontext) == 256, "struct sigcontext_64");
_Static_assert(offsetof(struct uk_ucontext, uc_mcontext) == 40, "uc_mcontext");
_Static_assert(offsetof(struct uk_ucontext, uc_sigmask) == 296, "uc_sigmask");
_Static_assert(offsetof(struct uk_mcontext, rip) == 16 * 8, "gregs[REG_RIP]");
#else
_Static_assert(offsetof(struct uk_ucontext, uc_sigmask) == 40, "uc_sigmask");
_Static_assert(offsetof(struct uk_ucontext, uc_mcontext) == 176, "uc_mcontext");
_Static_assert(offsetof(struct uk_mcontext, __reserved) == 288, "sigcontext.__reserved");
_Static_assert(sizeof(struct uk_fpsimd_context) == 528, "fpsimd_context");
#endif
