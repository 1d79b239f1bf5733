/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SIGSEGV from a fault, x86_64: the fault chain's handler at prio 50
 * (<uk/fault.h>, after mem's demand paging) builds Linux's rt_sigframe
 * on the faulting thread's stack (or its alternate stack, SA_ONSTACK):
 *
 *   rsp -> pretcode (uk_sig_restorer) | ucontext (mcontext = the faulting
 *          registers, fpstate -> the fxsave area) | siginfo (si_addr)
 *          ... 512-byte fxsave area, 64-aligned, above
 *
 * and resumes into the handler (rdi = sig, rsi = &info, rdx = &uc). When
 * the handler returns, the restorer calls uk_sig_return(), which puts
 * back the mask and the context of the ucontext (possibly changed by the
 * handler): the faulting instruction runs again. A handler that
 * siglongjmps out simply never returns there.
 *
 * Not handled (the crash report, as before): no handler (SIG_DFL or
 * SIG_IGN: a fault cannot be ignored), SIGSEGV blocked, or a frame that
 * does not fit (the stack overflowed and there is no alternate stack).
 * The FP/SSE state is saved here, after the trap entry (which does not
 * save it) and the handlers before this one ran: what the kernel C code
 * there left in the registers is what the frame gets.
 */
#include <uk/essentials.h>
#include <uk/arch.h>
#include <uk/fault.h>
#include <uk/thread.h>
#include <uk/user.h>
#include "signal_impl.h"

#define RED_ZONE 128
#define FXSAVE_SIZE 512
#define RFLAGS_DF 0x400

struct rt_sigframe {
	unsigned long pretcode;
	struct uk_ucontext uc;
	struct uk_siginfo info;
};

void sig_resume_fp(const struct __regs *regs, const void *fxsave) __noreturn;

static int sigsegv_handler(struct uk_fault *f)
{
	struct uk_sigaction *a = &sig_actions[UK_SIGSEGV];
	struct sig_thread *st = sig_self();
	struct __regs *r = f->regs;
	struct rt_sigframe *fr;
	unsigned long sp, fx, handler = a->sa_handler, flags = a->sa_flags;
	bool onstack = (flags & UK_SA_ONSTACK) && st->ss_size && !sig_on_altstack(st, r->rsp);

	if (handler == UK_SIG_DFL || handler == UK_SIG_IGN || (st->blocked & UK_SIGBIT(UK_SIGSEGV)))
		return UK_FAULT_NOT_HANDLED;
	sp = onstack ? st->ss_sp + st->ss_size : r->rsp - RED_ZONE;
	fx = (sp - FXSAVE_SIZE) & ~63UL;
	fr = (struct rt_sigframe *)(((fx - sizeof(*fr)) & ~15UL) - 8);
	if (!uk_access_ok(fr, sp - (unsigned long)fr, true))
		return UK_FAULT_NOT_HANDLED;    /* no room: report the crash */
	uk_rseq_fixup(r);               /* in an rseq section: to its abort_ip */
#if !defined(CONFIG_PLAT_LINUXU)
	__asm__ __volatile__("fxsave64 (%0)" : : "r"(fx) : "memory");
#else
	fx = 0;                         /* the host's handler has a fresh FP state */
#endif
	*fr = (struct rt_sigframe){
		.pretcode = (unsigned long)uk_sig_restorer,
		.uc = {
			.uc_stack = { (void *)st->ss_sp,
				      st->ss_size ? (onstack ? UK_SS_ONSTACK : 0) : UK_SS_DISABLE,
				      st->ss_size },
			.uc_mcontext = {
				.r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11,
				.r12 = r->r12, .r13 = r->r13, .r14 = r->r14, .r15 = r->r15,
				.rdi = r->rdi, .rsi = r->rsi, .rbp = r->rbp, .rbx = r->rbx,
				.rdx = r->rdx, .rax = r->rax, .rcx = r->rcx, .rsp = r->rsp,
				.rip = r->rip, .eflags = r->rflags,
				.err = r->error_code, .trapno = r->vector, .cr2 = f->addr,
				.fpstate = (void *)fx,
			},
		},
		.info = {
			.si_signo = UK_SIGSEGV,
			.si_code = sig_segv_code(f->addr, f->user_present),
			.u.si_addr = (void *)f->addr,
		},
	};
	fr->uc.uc_sigmask = sig_enter_handler(UK_SIGSEGV, a);
	if (onstack && st->ss_autodisarm)
		st->ss_size = 0;
	r->rdi = UK_SIGSEGV;
	r->rsi = (unsigned long)&fr->info;
	r->rdx = (unsigned long)&fr->uc;
	r->rax = 0;
	r->rsp = (unsigned long)fr;
	r->rip = handler;
	r->rflags &= ~RFLAGS_DF;
	return UK_FAULT_HANDLED;
}
UK_FAULT_HANDLER(sigsegv_handler, 50);

/* From uk_sig_restorer: uc is the frame's ucontext. */
void uk_sig_return(void *ucv)
{
	const struct uk_ucontext *uc = ucv;
	const struct uk_mcontext *m = &uc->uc_mcontext;
	struct sig_thread *st = sig_self();
	struct __regs r = {
		.r8 = m->r8, .r9 = m->r9, .r10 = m->r10, .r11 = m->r11,
		.r12 = m->r12, .r13 = m->r13, .r14 = m->r14, .r15 = m->r15,
		.rdi = m->rdi, .rsi = m->rsi, .rbp = m->rbp, .rbx = m->rbx,
		.rdx = m->rdx, .rax = m->rax, .rcx = m->rcx, .rsp = m->rsp,
		.rip = m->rip, .rflags = m->eflags,
	};

	if (st->ss_autodisarm && !st->ss_size)
		st->ss_size = uc->uc_stack.ss_size;
	st->blocked = uc->uc_sigmask & ~UNCATCHABLE;
	sig_resume_fp(&r, m->fpstate);
}
