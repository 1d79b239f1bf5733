/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu crash path: SIGSEGV/SIGBUS/SIGILL/SIGFPE are caught and turned into
 * the same uk_crash() report (registers, backtrace) a VM guest prints, so
 * the host tool symbolises them the same way. The handler runs on an
 * alternate signal stack (sigaltstack), so that a stack overflow, which
 * leaves no room on the process stack, is reported too: a SIGSEGV at an
 * address just below the stack pointer, under the stack's top, is one
 * (the kernel grows the stack on such accesses until RLIMIT_STACK; past
 * it, or in its guard gap, they fault), reported as "stack overflow", and
 * so is a fault in a guard page of ukplat_stack_guard() (uk/plat/paging.h:
 * here a page made PROT_NONE with mprotect; the rest of that header, the
 * page-table operations, is not provided on linuxu).
 *
 * A SIGSEGV or SIGBUS goes first to the fault handler chain (uk/fault.h:
 * e.g. SIGSEGV delivery to the app's handler); when a handler resolves it,
 * the (possibly changed) registers go back into the signal's ucontext and
 * the host's sigreturn resumes them.
 */
#include <uk/essentials.h>
#include <uk/arch.h>
#include <uk/assert.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/fault.h>
#include <linuxu/syscall.h>

#define SIGILL  4
#define SIGBUS  7
#define SIGFPE  8
#define SIGSEGV 11
#define SA_SIGINFO  0x4
#define SA_ONSTACK  0x08000000
#define SA_RESTORER 0x04000000
#define ALT_STACK_SIZE (32 * 1024)
/* how far below the stack pointer a stack access may land (a frame's
 * locals are addressed after the stack pointer moved past them, pushes
 * and calls at sp - 8) */
#define OVERFLOW_REACH (64 * 1024)

struct k_sigaction {
	void (*handler)(int, void *, void *);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

/* Page-fault error code bits (the x86 #PF error code in the ucontext). */
#define PF_PRESENT (1 << 0)
#define PF_WRITE   (1 << 1)
#define PF_INSN    (1 << 4)

/* Offsets of mcontext gregs in the kernel's x86_64 ucontext. */
enum { R8, R9, R10, R11, R12, R13, R14, R15, RDI, RSI, RBP, RBX, RDX, RAX,
       RCX, RSP, RIP, EFL, CSGSFS, ERR, TRAPNO, OLDMASK, CR2 };

void linuxu_sigreturn(void);

static uint8_t alt_stack[ALT_STACK_SIZE] __align(16);
static uintptr_t stack_top;
static uintptr_t guards[UKPLAT_STACK_GUARDS];
static unsigned int nr_guards;

/* uk/plat/paging.h: a guard page here is a page of ours made PROT_NONE. */
int ukplat_stack_guard(uintptr_t page)
{
	long rc;

	if (page & (UKPLAT_PAGE_SIZE - 1))
		return -EINVAL;
	if (nr_guards >= UKPLAT_STACK_GUARDS)
		return -ENOMEM;
	rc = linuxu_syscall6(LINUXU_SYS_mprotect, (long)page, UKPLAT_PAGE_SIZE, 0, 0, 0, 0);
	if (rc)
		return (int)rc;         /* the host's -E value (-ENOMEM: not mapped) */
	guards[nr_guards++] = page;
	return 0;
}

int ukplat_stack_unguard(uintptr_t page)
{
	unsigned int i;
	long rc;

	if (page & (UKPLAT_PAGE_SIZE - 1))
		return -EINVAL;
	for (i = 0; i < nr_guards && guards[i] != page; i++)
		;
	if (i == nr_guards)
		return -ENOENT;
	rc = linuxu_syscall6(LINUXU_SYS_mprotect, (long)page, UKPLAT_PAGE_SIZE,
			     0x1 | 0x2 /* PROT_READ | PROT_WRITE */, 0, 0, 0);
	if (rc)
		return (int)rc;
	guards[i] = guards[--nr_guards];
	return 0;
}

bool ukplat_stack_guard_hit(uintptr_t addr)
{
	unsigned int i;

	for (i = 0; i < nr_guards; i++)
		if (addr - guards[i] < UKPLAT_PAGE_SIZE)
			return true;
	return false;
}

static bool stack_overflow(int sig, uintptr_t addr, uintptr_t sp)
{
	return sig == SIGSEGV && ((addr < stack_top && addr < sp + 4096 &&
				   addr + OVERFLOW_REACH >= sp) || ukplat_stack_guard_hit(addr));
}

static void on_signal(int sig, void *info, void *ucv)
{
	uint64_t *g = (uint64_t *)((char *)ucv + 40);
	struct __regs r = {
		.r15 = g[R15], .r14 = g[R14], .r13 = g[R13], .r12 = g[R12],
		.r11 = g[R11], .r10 = g[R10], .r9 = g[R9], .r8 = g[R8],
		.rbp = g[RBP], .rdi = g[RDI], .rsi = g[RSI], .rdx = g[RDX],
		.rcx = g[RCX], .rbx = g[RBX], .rax = g[RAX],
		.vector = g[TRAPNO], .error_code = g[ERR],
		.rip = g[RIP], .rflags = g[EFL], .rsp = g[RSP],
	};
	/* siginfo: si_signo, si_errno, si_code, padding, then si_addr */
	uintptr_t addr = *(const uintptr_t *)((const char *)info + 16);
	const char *why;

	if (sig == SIGSEGV || sig == SIGBUS) {
		struct uk_fault f = {
			.addr = addr,
			.write = g[ERR] & PF_WRITE,
			.exec = g[ERR] & PF_INSN,
			.user_present = g[ERR] & PF_PRESENT,
			.regs = &r,
		};

		if (uk_fault_dispatch(&f)) {
			g[R15] = r.r15; g[R14] = r.r14; g[R13] = r.r13; g[R12] = r.r12;
			g[R11] = r.r11; g[R10] = r.r10; g[R9] = r.r9; g[R8] = r.r8;
			g[RBP] = r.rbp; g[RDI] = r.rdi; g[RSI] = r.rsi; g[RDX] = r.rdx;
			g[RCX] = r.rcx; g[RBX] = r.rbx; g[RAX] = r.rax;
			g[RIP] = r.rip; g[EFL] = r.rflags; g[RSP] = r.rsp;
			return;         /* sigreturn resumes them */
		}
	}
	why = stack_overflow(sig, addr, r.rsp) ?
				  "stack overflow: segmentation fault (SIGSEGV) in a stack guard" :
			  sig == SIGSEGV ? "segmentation fault (SIGSEGV)" :
			  sig == SIGBUS ? "bus error (SIGBUS)" :
			  sig == SIGILL ? "illegal instruction (SIGILL)" :
					  "arithmetic exception (SIGFPE)";
	uk_crash(why, &r);
}

/* sp: the stack pointer the process started with (the stack's top). */
void linuxu_install_crash_handlers(uintptr_t sp)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
	struct {
		void *sp;
		int flags;
		size_t size;
	} ss = { alt_stack, 0, sizeof(alt_stack) };
	struct k_sigaction sa = {
		.handler = on_signal,
		.flags = SA_SIGINFO | SA_ONSTACK | SA_RESTORER,
		.restorer = linuxu_sigreturn,
		.mask = 0,
	};
	unsigned int i;

	stack_top = sp;
	linuxu_syscall6(LINUXU_SYS_sigaltstack, (long)&ss, 0, 0, 0, 0, 0);
	for (i = 0; i < UK_ARRAY_SIZE(sigs); i++)
		linuxu_syscall6(LINUXU_SYS_rt_sigaction, sigs[i], (long)&sa, 0, 8, 0, 0);
}
