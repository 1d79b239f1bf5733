/* SPDX-License-Identifier: BSD-3-Clause */
/* Signals to self: a SIGSEGV handler that repairs the page with mprotect
 * and returns (the faulting store then completes), raise and kill
 * delivering synchronously, a blocked signal staying pending until
 * unblocked, SIG_IGN, sigaction's previous action, and a handler on an
 * alternate stack. */
#include "pt.h"

#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PG 4096

static char *volatile repair_page;
static volatile int repairs;

static void repair(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	repairs++;
	if ((char *)si->si_addr < repair_page || (char *)si->si_addr >= repair_page + PG || repairs > 1)
		_exit(4);
	mprotect(repair_page, PG, PROT_READ | PROT_WRITE);
}

static void sig_segv_handler_mprotects_and_returns(void)
{
	struct sigaction sa, old;
	char *p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	PT_CHECK(p != MAP_FAILED);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = repair;
	sa.sa_flags = SA_SIGINFO;
	repair_page = p;
	repairs = 0;
	PT_OK(sigaction(SIGSEGV, &sa, &old));
	((volatile char *)p)[10] = 'R';             /* faults once; the handler makes it writable */
	sigaction(SIGSEGV, &old, NULL);
	PT_CHECK(repairs == 1 && p[10] == 'R');
	PT_OK(munmap(p, PG));
}

static volatile int usr1_count, usr1_seen_signo;

static void on_usr1(int sig)
{
	usr1_count++;
	usr1_seen_signo = sig;
}

static void sig_raise_and_kill_self(void)
{
	struct sigaction sa = {0}, old;
	sa.sa_handler = on_usr1;
	usr1_count = 0;
	PT_OK(sigaction(SIGUSR1, &sa, &old));
	int r1 = raise(SIGUSR1);
	int c1 = usr1_count;                       /* delivered before raise returned */
	int r2 = kill(getpid(), SIGUSR1);
	int c2 = usr1_count;
	sigaction(SIGUSR1, &old, NULL);
	PT_CHECK(r1 == 0 && c1 == 1 && usr1_seen_signo == SIGUSR1);
	PT_CHECK(r2 == 0 && c2 == 2);
	PT_OK(kill(getpid(), 0));                  /* signal 0: only the check */
	PT_ERRNO(kill(getpid(), 99), EINVAL);
}

static void sig_blocked_stays_pending(void)
{
	struct sigaction sa = {0}, old;
	sigset_t set, prev, pend;
	sa.sa_handler = on_usr1;
	usr1_count = 0;
	PT_OK(sigaction(SIGUSR1, &sa, &old));
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	PT_OK(sigprocmask(SIG_BLOCK, &set, &prev));
	raise(SIGUSR1);
	int held = usr1_count;
	sigemptyset(&pend);
	sigpending(&pend);
	int pending = sigismember(&pend, SIGUSR1);
	sigprocmask(SIG_SETMASK, &prev, NULL);       /* delivered on unblocking */
	int after = usr1_count;
	sigaction(SIGUSR1, &old, NULL);
	PT_CHECK(held == 0 && pending == 1 && after == 1);
}

static void sig_ignore_and_old_action(void)
{
	struct sigaction ign = {0}, a = {0}, old, back;
	ign.sa_handler = SIG_IGN;
	PT_OK(sigaction(SIGUSR2, &ign, &old));
	PT_OK(raise(SIGUSR2));                      /* ignored: nothing happens */
	a.sa_handler = on_usr1;
	PT_OK(sigaction(SIGUSR2, &a, &back));
	PT_CHECK(back.sa_handler == SIG_IGN);
	PT_OK(sigaction(SIGUSR2, &old, &back));
	PT_CHECK(back.sa_handler == on_usr1);
	PT_ERRNO(sigaction(SIGKILL, &a, NULL), EINVAL);
	PT_ERRNO(sigaction(0, &a, NULL), EINVAL);
}

static char altstack[64 * 1024] __attribute__((aligned(16)));
static volatile uintptr_t handler_sp;

static void on_alt(int sig)
{
	volatile char here;
	(void)sig;
	handler_sp = (uintptr_t)&here;
}

static void sig_altstack(void)
{
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack), .ss_flags = 0}, old, cur;
	struct sigaction sa = {0}, oldsa;
	PT_OK(sigaltstack(&ss, &old));
	PT_OK(sigaltstack(NULL, &cur));
	PT_CHECK(cur.ss_sp == altstack && cur.ss_size == sizeof(altstack) && cur.ss_flags == 0);
	sa.sa_handler = on_alt;
	sa.sa_flags = SA_ONSTACK;
	handler_sp = 0;
	PT_OK(sigaction(SIGUSR1, &sa, &oldsa));
	raise(SIGUSR1);
	sigaction(SIGUSR1, &oldsa, NULL);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	PT_CHECK(handler_sp >= (uintptr_t)altstack && handler_sp < (uintptr_t)altstack + sizeof(altstack));
	stack_t tiny = {.ss_sp = altstack, .ss_size = 512, .ss_flags = 0};
	PT_ERRNO(sigaltstack(&tiny, NULL), ENOMEM);
}

const struct pt_case pt_signal_cases[] = {
	PT_CASE(sig_segv_handler_mprotects_and_returns),
	PT_CASE(sig_raise_and_kill_self),
	PT_CASE(sig_blocked_stays_pending),
	PT_CASE(sig_ignore_and_old_action),
	PT_CASE(sig_altstack),
	PT_END
};
