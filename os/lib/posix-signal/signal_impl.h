/* SPDX-License-Identifier: BSD-3-Clause */
/* posix-signal internals shared by signal.c (state, syscalls, synchronous
 * delivery) and fault_<arch>.c (SIGSEGV frames from the fault chain). */
#ifndef POSIX_SIGNAL_IMPL_H
#define POSIX_SIGNAL_IMPL_H

#include <uk/essentials.h>
#include <uk/linux/signal.h>
#if defined(CONFIG_LIBUKSCHED)
#include <uk/sched.h>
#endif

/* The signals no one may catch, block or ignore. */
#define UNCATCHABLE (UK_SIGBIT(UK_SIGKILL) | UK_SIGBIT(UK_SIGSTOP))

/* Per thread, in uksched's POSIX words 5-9 (0-4 are posix-thread's), or
 * static without a scheduler. */
struct sig_thread {
	unsigned long blocked;
	unsigned long pending;          /* tkill/tgkill to this thread, blocked */
	unsigned long ss_sp;            /* sigaltstack; ss_size 0: disabled */
	unsigned long ss_size;
	unsigned long ss_autodisarm;
};

static inline struct sig_thread *sig_self(void)
{
#if defined(CONFIG_LIBUKSCHED)
	struct uk_thread *t = uk_thread_current();

	if (t)
		return (struct sig_thread *)&uk_thread_posix_data(t)[5];
#endif
	static struct sig_thread one_thread;

	return &one_thread;
}

_Static_assert(sizeof(struct sig_thread) == 5 * sizeof(void *), "POSIX words 5-9");

/* signal.c */
extern struct uk_sigaction sig_actions[UK_NSIG + 1];
bool sig_on_altstack(const struct sig_thread *st, unsigned long sp);
/* SEGV_ACCERR when addr is mapped (present in the page tables, or in a
 * mapping posix-mmap knows: PROT_NONE), else SEGV_MAPERR. */
int sig_segv_code(unsigned long addr, bool present);
/* The mask while a handler of sig runs (sa_mask, sig itself unless
 * SA_NODEFER); applies SA_RESETHAND. */
unsigned long sig_enter_handler(int sig, struct uk_sigaction *a);
/* Sets the calling thread's mask (never KILL/STOP) and delivers what it
 * unblocked. */
void sig_set_blocked(unsigned long mask);

/* The restorer a handler returns to (sig_<arch>.S), and what it calls
 * (fault_<arch>.c): back to the context saved in the frame. */
void uk_sig_restorer(void);
void uk_sig_return(void *frame) __noreturn;

#endif
