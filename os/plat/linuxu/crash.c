/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu crash path: SIGSEGV/SIGBUS/SIGILL/SIGFPE are caught and turned into
 * the same uk_crash() report (registers, backtrace) a VM guest prints, so
 * the host tool symbolises them the same way. The handler runs on an
 * alternate stack is not needed: a stack overflow still kills the process.
 */
#include <uk/essentials.h>
#include <uk/arch.h>
#include <uk/assert.h>
#include <linuxu/syscall.h>

#define SIGILL  4
#define SIGBUS  7
#define SIGFPE  8
#define SIGSEGV 11
#define SA_SIGINFO  0x4
#define SA_RESTORER 0x04000000

struct k_sigaction {
	void (*handler)(int, void *, void *);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

/* Offsets of mcontext gregs in the kernel's x86_64 ucontext. */
enum { R8, R9, R10, R11, R12, R13, R14, R15, RDI, RSI, RBP, RBX, RDX, RAX,
       RCX, RSP, RIP, EFL, CSGSFS, ERR, TRAPNO, OLDMASK, CR2 };

void linuxu_sigreturn(void);

static void on_signal(int sig, void *info, void *ucv)
{
	const uint64_t *g = (const uint64_t *)((const char *)ucv + 40);
	struct __regs r = {
		.r15 = g[R15], .r14 = g[R14], .r13 = g[R13], .r12 = g[R12],
		.r11 = g[R11], .r10 = g[R10], .r9 = g[R9], .r8 = g[R8],
		.rbp = g[RBP], .rdi = g[RDI], .rsi = g[RSI], .rdx = g[RDX],
		.rcx = g[RCX], .rbx = g[RBX], .rax = g[RAX],
		.vector = g[TRAPNO], .error_code = g[ERR],
		.rip = g[RIP], .rflags = g[EFL], .rsp = g[RSP],
	};
	const char *why = sig == SIGSEGV ? "segmentation fault (SIGSEGV)" :
			  sig == SIGBUS ? "bus error (SIGBUS)" :
			  sig == SIGILL ? "illegal instruction (SIGILL)" :
					  "arithmetic exception (SIGFPE)";
	uk_crash(why, &r);
}

void linuxu_install_crash_handlers(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
	struct k_sigaction sa = {
		.handler = on_signal,
		.flags = SA_SIGINFO | SA_RESTORER,
		.restorer = linuxu_sigreturn,
		.mask = 0,
	};
	unsigned int i;

	for (i = 0; i < UK_ARRAY_SIZE(sigs); i++)
		linuxu_syscall6(LINUXU_SYS_rt_sigaction, sigs[i], (long)&sa, 0, 8, 0, 0);
}
