/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SIGSEGV from a fault, arm64: the fault chain's handler at prio 50
 * (<uk/fault.h>) builds Linux's arm64 rt_sigframe on the faulting
 * thread's stack (or its alternate stack, SA_ONSTACK):
 *
 *   sp -> siginfo (si_addr) | ucontext (mcontext: fault_address, x0-x30,
 *         sp, pc, pstate; __reserved: the fpsimd record, q0-q31 and
 *         FPSR/FPCR as the exception entry saved them, then a 0 header)
 *         | frame record (x29, the faulting pc)
 *
 * and resumes into the handler (x0 = sig, x1 = &info, x2 = &uc, x29 = the
 * record, lr = uk_sig_restorer). The restorer calls uk_sig_return(), which
 * puts back the mask, FP/SIMD and the registers of the ucontext (possibly
 * changed by the handler). Not handled, as on x86_64: no handler,
 * SIGSEGV blocked, or no room for the frame.
 */
#include <uk/essentials.h>
#include <uk/arch.h>
#include <uk/fault.h>
#include <uk/thread.h>
#include <uk/user.h>
#include "signal_impl.h"

#define ARM64_REGS_FP sizeof(struct __regs)     /* the exception frame's q0 (arm64/cpu.h) */

struct rt_sigframe {
	struct uk_siginfo info;
	struct uk_ucontext uc;
	unsigned long record[2];
};

void sig_resume_fp(const struct __regs *regs, const struct uk_fpsimd_context *fp) __noreturn;

static int sigsegv_handler(struct uk_fault *f)
{
	struct uk_sigaction *a = &sig_actions[UK_SIGSEGV];
	struct sig_thread *st = sig_self();
	struct __regs *r = f->regs;
	const unsigned char *fpsave = (const unsigned char *)r + ARM64_REGS_FP;
	struct uk_fpsimd_context *fp;
	struct rt_sigframe *fr;
	unsigned long sp, handler = a->sa_handler, flags = a->sa_flags;
	bool onstack = (flags & UK_SA_ONSTACK) && st->ss_size && !sig_on_altstack(st, r->sp);
	int i;

	if (handler == UK_SIG_DFL || handler == UK_SIG_IGN || (st->blocked & UK_SIGBIT(UK_SIGSEGV)))
		return UK_FAULT_NOT_HANDLED;
	sp = onstack ? st->ss_sp + st->ss_size : r->sp;
	fr = (struct rt_sigframe *)((sp - sizeof(*fr)) & ~15UL);
	if (!uk_access_ok(fr, sizeof(*fr), true))
		return UK_FAULT_NOT_HANDLED;
	uk_rseq_fixup(r);               /* in an rseq section: to its abort_ip */
	__builtin_memset(fr, 0, sizeof(*fr));
	fr->info.si_signo = UK_SIGSEGV;
	fr->info.si_code = sig_segv_code(f->addr, f->user_present);
	fr->info.u.si_addr = (void *)f->addr;
	fr->uc.uc_stack = (struct uk_sigaltstack){ (void *)st->ss_sp,
		st->ss_size ? (onstack ? UK_SS_ONSTACK : 0) : UK_SS_DISABLE, st->ss_size };
	fr->uc.uc_mcontext.fault_address = f->addr;
	for (i = 0; i < 31; i++)
		fr->uc.uc_mcontext.regs[i] = r->x[i];
	fr->uc.uc_mcontext.sp = r->sp;
	fr->uc.uc_mcontext.pc = r->elr;
	fr->uc.uc_mcontext.pstate = r->spsr;
	fp = (struct uk_fpsimd_context *)fr->uc.uc_mcontext.__reserved;
	fp->magic = UK_FPSIMD_MAGIC;
	fp->size = sizeof(*fp);
	__builtin_memcpy(fp->vregs, fpsave, sizeof(fp->vregs));
	fp->fpsr = (unsigned int)*(const unsigned long *)(fpsave + 512);
	fp->fpcr = (unsigned int)*(const unsigned long *)(fpsave + 520);
	fr->record[0] = r->x[29];
	fr->record[1] = r->elr;
	fr->uc.uc_sigmask = sig_enter_handler(UK_SIGSEGV, a);
	if (onstack && st->ss_autodisarm)
		st->ss_size = 0;
	r->x[0] = UK_SIGSEGV;
	r->x[1] = (unsigned long)&fr->info;
	r->x[2] = (unsigned long)&fr->uc;
	r->x[29] = (unsigned long)fr->record;
	r->x[30] = (unsigned long)uk_sig_restorer;
	r->sp = (unsigned long)fr;
	r->elr = handler;
	return UK_FAULT_HANDLED;
}
UK_FAULT_HANDLER(sigsegv_handler, 50);

/* From uk_sig_restorer: frame is the rt_sigframe (sp as the handler got it). */
void uk_sig_return(void *frame)
{
	const struct rt_sigframe *fr = frame;
	const struct uk_mcontext *m = &fr->uc.uc_mcontext;
	const struct uk_fpsimd_context *fp = (const struct uk_fpsimd_context *)m->__reserved;
	struct sig_thread *st = sig_self();
	struct __regs r;
	int i;

	for (i = 0; i < 31; i++)
		r.x[i] = m->regs[i];
	r.sp = m->sp;
	r.elr = m->pc;
	r.spsr = m->pstate;
	if (st->ss_autodisarm && !st->ss_size)
		st->ss_size = fr->uc.uc_stack.ss_size;
	st->blocked = fr->uc.uc_sigmask & ~UNCATCHABLE;
	sig_resume_fp(&r, fp->magic == UK_FPSIMD_MAGIC ? fp : NULL);
}
