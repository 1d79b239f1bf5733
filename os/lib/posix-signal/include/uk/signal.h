/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posix-signal's kernel-side API (the syscalls are uksyscall's registry's):
 * what execve and fork need of the signal state.
 */
#ifndef UK_SIGNAL_H
#define UK_SIGNAL_H

#include <uk/essentials.h>
#include <uk/linux/signal.h>

/*
 * execve's teardown (ukelfload calls it past the point of no return), as
 * Linux's: every caught signal goes back to SIG_DFL (its flags and mask
 * cleared), an ignored one stays ignored; the calling thread's mask and
 * pending set are kept; its alternate signal stack is cleared (it lived in
 * the old program's memory).
 */
void uk_signal_exec_reset(void);

/*
 * The process's signal state, for fork's snapshot (posix-process): the
 * actions (the process's) and the calling thread's mask, pending set and
 * alternate stack. uk_signal_restore() puts a saved state back as it was.
 */
struct uk_signal_state {
	struct uk_sigaction actions[UK_NSIG + 1];
	unsigned long proc_pending;
	unsigned long blocked, pending;
	unsigned long ss_sp, ss_size, ss_autodisarm;
};

void uk_signal_save(struct uk_signal_state *s);
void uk_signal_restore(const struct uk_signal_state *s);

/*
 * Sends sig to the process from the kernel (as kill(getpid(), sig) would,
 * in the calling thread), e.g. SIGCHLD when a child ends: delivered now
 * unless blocked (then pending), the default action when there is no
 * handler. A handler runs before this returns.
 */
void uk_signal_send(int sig);

#endif
