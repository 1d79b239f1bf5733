/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of posix-signal: actions, masks and pending signals
 * (musl's raise() pattern), synchronous delivery to self and to another
 * thread, SA_RESETHAND/SA_NODEFER, the alternate stack, and SIGSEGV from a
 * real fault (a guard page) into a handler that either fixes the register
 * and lets the instruction run again, or moves the pc to a recovery path.
 * Every case puts the actions and the mask back.
 */
#include <uk/test.h>
#include <uk/errno.h>
#include <uk/alloc.h>
#include <uk/plat/paging.h>
#include <uk/sched.h>
#include <uk/linux/signal.h>
#include <uk/user.h>

#if !__has_include(<uk/syscall.h>)
long uk_sys_rt_sigaction(int sig, const struct uk_sigaction *act, struct uk_sigaction *oact,
			 unsigned long sigsetsize);
long uk_sys_rt_sigprocmask(int how, const unsigned long *nset, unsigned long *oset,
			   unsigned long sigsetsize);
long uk_sys_rt_sigpending(unsigned long *uset, unsigned long sigsetsize);
long uk_sys_sigaltstack(const struct uk_sigaltstack *uss, struct uk_sigaltstack *uoss);
long uk_sys_kill(int pid, int sig);
long uk_sys_tkill(int pid, int sig);
long uk_sys_tgkill(int tgid, int pid, int sig);
long uk_sys_gettid(void);
#endif

#define SS sizeof(unsigned long)

static volatile int got_sig, got_code, got_pid, calls;
static volatile unsigned long mask_inside;
static volatile uintptr_t where;

static unsigned long cur_mask(void)
{
	unsigned long m;

	uk_sys_rt_sigprocmask(UK_SIG_BLOCK, NULL, &m, SS);
	return m;
}

static void plain(int sig)
{
	got_sig = sig;
	calls++;
	mask_inside = cur_mask();
	where = (uintptr_t)&sig;
}

static void info_handler(int sig, void *infov, void *ucv)
{
	struct uk_siginfo *info = infov;

	(void)ucv;
	got_sig = sig;
	got_code = info->si_code;
	got_pid = info->u.kill.si_pid;
	calls++;
}

static void set(int sig, void *fn, unsigned long flags, unsigned long mask)
{
	struct uk_sigaction a = { (unsigned long)fn, flags, 0, mask };

	uk_sys_rt_sigaction(sig, &a, NULL, SS);
}

static void reset(void)
{
	unsigned long none = 0;
	int s;

	for (s = 1; s <= UK_NSIG; s++)
		if (s != UK_SIGKILL && s != UK_SIGSTOP)
			set(s, NULL, 0, 0);
	uk_sys_rt_sigprocmask(UK_SIG_SETMASK, &none, NULL, SS);
	got_sig = got_code = got_pid = calls = 0;
}

UK_TESTCASE(posix_signal, sigaction_stores_and_checks)
{
	struct uk_sigaction a = { (unsigned long)plain, UK_SA_RESTART, 0, UK_SIGBIT(UK_SIGUSR2) }, o;

	reset();
	UK_TEST_EXPECT_EQ(uk_sys_rt_sigaction(UK_SIGUSR1, &a, NULL, SS), 0);
	UK_TEST_EXPECT_EQ(uk_sys_rt_sigaction(UK_SIGUSR1, NULL, &o, SS), 0);
	UK_TEST_EXPECT(o.sa_handler == (unsigned long)plain && o.sa_flags == UK_SA_RESTART &&
		       o.sa_mask == UK_SIGBIT(UK_SIGUSR2));
	UK_TEST_EXPECT_EQ(uk_sys_rt_sigaction(UK_SIGKILL, &a, NULL, SS), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_rt_sigaction(UK_SIGKILL, NULL, &o, SS), 0);
	UK_TEST_EXPECT_EQ(uk_sys_rt_sigaction(0, NULL, &o, SS), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_rt_sigaction(65, NULL, &o, SS), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_rt_sigaction(UK_SIGUSR1, NULL, &o, 4), -EINVAL);
	reset();
}

/* kill/tgkill to self: the handler ran before the call returned, with the
 * signal blocked meanwhile; SIG_IGN and default-ignored signals do nothing. */
UK_TESTCASE(posix_signal, kill_to_self_is_synchronous)
{
	reset();
	set(UK_SIGUSR1, plain, 0, UK_SIGBIT(UK_SIGUSR2));
	UK_TEST_EXPECT_EQ(uk_sys_kill(1, UK_SIGUSR1), 0);
	UK_TEST_EXPECT_EQ(got_sig, UK_SIGUSR1);
	UK_TEST_EXPECT_EQ(mask_inside, UK_SIGBIT(UK_SIGUSR1) | UK_SIGBIT(UK_SIGUSR2));
	UK_TEST_EXPECT_EQ(cur_mask(), 0);
	set(UK_SIGUSR2, info_handler, UK_SA_SIGINFO, 0);
	UK_TEST_EXPECT_EQ(uk_sys_tgkill(1, (int)uk_sys_gettid(), UK_SIGUSR2), 0);
	UK_TEST_EXPECT_EQ(got_sig, UK_SIGUSR2);
	UK_TEST_EXPECT_EQ(got_code, UK_SI_TKILL);
	UK_TEST_EXPECT_EQ(got_pid, 1);
	calls = 0;
	set(UK_SIGUSR1, (void *)UK_SIG_IGN, 0, 0);
	UK_TEST_EXPECT_EQ(uk_sys_kill(0, UK_SIGUSR1), 0);
	UK_TEST_EXPECT_EQ(uk_sys_kill(1, UK_SIGCHLD), 0);       /* default: ignored */
	UK_TEST_EXPECT_EQ(calls, 0);
	UK_TEST_EXPECT_EQ(uk_sys_kill(1, 0), 0);
	UK_TEST_EXPECT_EQ(uk_sys_kill(2, 0), -ESRCH);
	UK_TEST_EXPECT_EQ(uk_sys_kill(1, 65), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_tgkill(1, 9999, UK_SIGUSR1), -ESRCH);
	UK_TEST_EXPECT_EQ(uk_sys_tgkill(2, 1, UK_SIGUSR1), -ESRCH);
	reset();
}

/* musl's raise(): block everything, tkill self, restore the mask: the
 * signal waits, shows in rt_sigpending, and is delivered by the unblock. */
UK_TESTCASE(posix_signal, blocked_signal_waits_for_the_unblock)
{
	unsigned long all = ~0UL, old, pend;

	reset();
	set(UK_SIGTERM, plain, 0, 0);
	UK_TEST_EXPECT_EQ(uk_sys_rt_sigprocmask(UK_SIG_BLOCK, &all, &old, SS), 0);
	UK_TEST_EXPECT_EQ(cur_mask(), ~(UK_SIGBIT(UK_SIGKILL) | UK_SIGBIT(UK_SIGSTOP)));
	UK_TEST_EXPECT_EQ(uk_sys_tkill((int)uk_sys_gettid(), UK_SIGTERM), 0);
	UK_TEST_EXPECT_EQ(calls, 0);
	UK_TEST_EXPECT_EQ(uk_sys_rt_sigpending(&pend, SS), 0);
	UK_TEST_EXPECT_EQ(pend, UK_SIGBIT(UK_SIGTERM));
	UK_TEST_EXPECT_EQ(uk_sys_rt_sigprocmask(UK_SIG_SETMASK, &old, NULL, SS), 0);
	UK_TEST_EXPECT_EQ(calls, 1);
	UK_TEST_EXPECT_EQ(got_sig, UK_SIGTERM);
	UK_TEST_EXPECT_EQ(uk_sys_rt_sigpending(&pend, SS), 0);
	UK_TEST_EXPECT_EQ(pend, 0);
	UK_TEST_EXPECT_EQ(uk_sys_rt_sigprocmask(7, &old, NULL, SS), -EINVAL);
	reset();
}

static void nested(int sig)
{
	calls++;
	if (calls < 3)
		uk_sys_kill(1, sig);            /* NODEFER: runs again at once */
}

UK_TESTCASE(posix_signal, resethand_and_nodefer)
{
	struct uk_sigaction o;

	reset();
	set(UK_SIGUSR1, plain, UK_SA_RESETHAND, 0);
	uk_sys_kill(1, UK_SIGUSR1);
	UK_TEST_EXPECT_EQ(calls, 1);
	uk_sys_rt_sigaction(UK_SIGUSR1, NULL, &o, SS);
	UK_TEST_EXPECT_EQ(o.sa_handler, UK_SIG_DFL);
	calls = 0;
	set(UK_SIGUSR2, nested, UK_SA_NODEFER, 0);
	uk_sys_kill(1, UK_SIGUSR2);
	UK_TEST_EXPECT_EQ(calls, 3);
	reset();
}

UK_TESTCASE(posix_signal, handler_runs_on_the_alternate_stack)
{
	static char alt[16384] __attribute__((aligned(16)));
	struct uk_sigaltstack ss = { alt, 0, sizeof(alt) }, o;

	reset();
	UK_TEST_EXPECT_EQ(uk_sys_sigaltstack(NULL, &o), 0);
	UK_TEST_EXPECT_EQ(o.ss_flags, UK_SS_DISABLE);
	ss.ss_size = 100;
	UK_TEST_EXPECT_EQ(uk_sys_sigaltstack(&ss, NULL), -ENOMEM);
	ss.ss_size = sizeof(alt);
	ss.ss_flags = 0x10;
	UK_TEST_EXPECT_EQ(uk_sys_sigaltstack(&ss, NULL), -EINVAL);
	ss.ss_flags = 0;
	UK_TEST_EXPECT_EQ(uk_sys_sigaltstack(&ss, NULL), 0);
	set(UK_SIGUSR1, plain, UK_SA_ONSTACK, 0);
	uk_sys_kill(1, UK_SIGUSR1);
	UK_TEST_EXPECT(where >= (uintptr_t)alt && where < (uintptr_t)alt + sizeof(alt));
	set(UK_SIGUSR1, plain, 0, 0);           /* without SA_ONSTACK: this stack */
	uk_sys_kill(1, UK_SIGUSR1);
	UK_TEST_EXPECT(!(where >= (uintptr_t)alt && where < (uintptr_t)alt + sizeof(alt)));
	ss.ss_flags = UK_SS_DISABLE;
	UK_TEST_EXPECT_EQ(uk_sys_sigaltstack(&ss, &o), 0);
	UK_TEST_EXPECT(o.ss_sp == alt && o.ss_size == sizeof(alt) && o.ss_flags == 0);
	reset();
}

/* A signal for another thread waits until that thread unblocks it, and
 * its handler then runs in that thread. */
static volatile long handler_tid;
static volatile int other_ready, other_go;

static void who(int sig)
{
	(void)sig;
	handler_tid = uk_sys_gettid();
}

static void *other(void *arg)
{
	unsigned long b = UK_SIGBIT(UK_SIGUSR1);

	(void)arg;
	uk_sys_rt_sigprocmask(UK_SIG_BLOCK, &b, NULL, SS);
	other_ready = 1;
	while (!other_go)
		uk_sched_yield();
	uk_sys_rt_sigprocmask(UK_SIG_UNBLOCK, &b, NULL, SS);    /* delivered here */
	return (void *)uk_sys_gettid();
}

UK_TESTCASE(posix_signal, tgkill_another_thread_runs_its_handler_there)
{
	struct uk_thread *t;
	void *tid;

	reset();
	set(UK_SIGUSR1, who, 0, 0);
	handler_tid = 0;
	UK_TEST_ASSERT(uk_thread_create(&t, "other", 0, other, NULL) == 0);
	while (!other_ready)
		uk_sched_yield();
	UK_TEST_EXPECT_EQ(uk_sys_tgkill(1, uk_thread_tid(t), UK_SIGUSR1), 0);
	UK_TEST_EXPECT_EQ(handler_tid, 0);
	other_go = 1;
	uk_thread_join(t, &tid);
	UK_TEST_EXPECT_EQ(handler_tid, (long)tid);
	reset();
}

/*
 * SIGSEGV from a real fault: reading a guard page (unmapped) in probe(),
 * a leaf that loads through its argument. The handler either fixes the
 * argument register and returns (the load runs again and succeeds), or
 * moves the pc to probe_recover, which returns 0x5eed to probe's caller.
 */
#if defined(__x86_64__)
__asm__(".text\n.globl probe\nprobe:\n\tmovl (%rdi), %eax\n\tret\n"
	".globl probe_recover\nprobe_recover:\n\tmovl $0x5eed, %eax\n\tret\n");
#define UC_PC(uc) ((uc)->uc_mcontext.rip)
#define UC_ARG0(uc) ((uc)->uc_mcontext.rdi)
#else
__asm__(".text\n.globl probe\nprobe:\n\tldr w0, [x0]\n\tret\n"
	".globl probe_recover\nprobe_recover:\n\tmov w0, #0x5eed\n\tret\n");
#define UC_PC(uc) ((uc)->uc_mcontext.pc)
#define UC_ARG0(uc) ((uc)->uc_mcontext.regs[0])
#endif
int probe(const volatile int *p);
void probe_recover(void);

static volatile uintptr_t fault_addr, fault_pc, fixed_addr;
static volatile int fault_code, fix_mode;
static volatile uintptr_t fault_stack;

static void segv(int sig, void *infov, void *ucv)
{
	struct uk_siginfo *info = infov;
	struct uk_ucontext *uc = ucv;

	got_sig = sig;
	fault_addr = (uintptr_t)info->u.si_addr;
	fault_code = info->si_code;
	fault_pc = UC_PC(uc);
	fault_stack = (uintptr_t)&info;
	calls++;
	if (fix_mode)
		UC_ARG0(uc) = fixed_addr;       /* the load runs again, elsewhere */
	else
		UC_PC(uc) = (uintptr_t)probe_recover;
}

UK_TESTCASE(posix_signal, sigsegv_from_a_fault_reaches_the_handler)
{
	struct uk_alloc *a = uk_alloc_get_default();
	static char alt[16384] __attribute__((aligned(16)));
	struct uk_sigaltstack ss = { alt, 0, sizeof(alt) };
	static volatile int good = 0x1234;
	char *pages = uk_palloc(a, 2);
	volatile int *bad;

	reset();
	UK_TEST_ASSERT(pages != NULL);
	UK_TEST_ASSERT(ukplat_stack_guard((uintptr_t)pages) == 0);
	bad = (volatile int *)(pages + 64);
	set(UK_SIGSEGV, segv, UK_SA_SIGINFO, 0);

	fix_mode = 0;
	UK_TEST_EXPECT_EQ(probe(bad), 0x5eed);
	UK_TEST_EXPECT_EQ(got_sig, UK_SIGSEGV);
	UK_TEST_EXPECT_EQ(fault_addr, (uintptr_t)bad);
#if defined(CONFIG_PLAT_LINUXU)
	UK_TEST_EXPECT_EQ(fault_code, UK_SEGV_ACCERR);  /* a guard is the host's PROT_NONE */
#else
	UK_TEST_EXPECT_EQ(fault_code, UK_SEGV_MAPERR);  /* a guard is unmapped */
#endif
	UK_TEST_EXPECT_EQ(fault_pc, (uintptr_t)probe);
	UK_TEST_EXPECT_EQ(cur_mask(), 0);       /* SIGSEGV unblocked again */

	fix_mode = 1;                           /* a second fault, same handler */
	fixed_addr = (uintptr_t)&good;
	UK_TEST_EXPECT_EQ(probe(bad), 0x1234);
	UK_TEST_EXPECT_EQ(calls, 2);

	UK_TEST_EXPECT_EQ(uk_sys_sigaltstack(&ss, NULL), 0);
	set(UK_SIGSEGV, segv, UK_SA_SIGINFO | UK_SA_ONSTACK, 0);
	fix_mode = 0;
	UK_TEST_EXPECT_EQ(probe(bad), 0x5eed);
	UK_TEST_EXPECT(fault_stack >= (uintptr_t)alt && fault_stack < (uintptr_t)alt + sizeof(alt));
	ss.ss_flags = UK_SS_DISABLE;
	uk_sys_sigaltstack(&ss, NULL);

	ukplat_stack_unguard((uintptr_t)pages);
	uk_pfree(a, pages, 2);
#if defined(CONFIG_LIBPOSIX_MMAP)
	/* a PROT_NONE page of a mapping: mapped, not accessible (ACCERR) */
	bad = (volatile int *)uk_sys_mmap(NULL, 4096, 0 /* PROT_NONE */, 0x22, (unsigned long)-1, 0);
	UK_TEST_ASSERT((unsigned long)bad < -4096UL);
	set(UK_SIGSEGV, segv, UK_SA_SIGINFO, 0);
	UK_TEST_EXPECT_EQ(probe(bad), 0x5eed);
	UK_TEST_EXPECT_EQ(fault_code, UK_SEGV_ACCERR);
	UK_TEST_EXPECT_EQ(fault_addr, (uintptr_t)bad);
	uk_sys_munmap((void *)bad, 4096);
#endif
	reset();
}
