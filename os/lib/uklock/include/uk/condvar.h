/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Condition variables over uk/mutex.h. wait() releases the mutex and
 * sleeps as one step (no signal can fall between them), and holds the
 * mutex again when it returns; wake-ups may be spurious, so wait in a loop
 * on the predicate. signal/broadcast may be called from an interrupt
 * handler. Masking discipline: uk/waitq.h.
 */
#ifndef UK_CONDVAR_H
#define UK_CONDVAR_H

#include <uk/essentials.h>
#include <uk/mutex.h>
#include <uk/waitq.h>

struct uk_condvar {
	struct uk_waitq wq;
};

#define UK_CONDVAR_INITIALIZER { UK_WAITQ_INITIALIZER }

void uk_condvar_init(struct uk_condvar *cv);
/* m must be held once by the caller (a recursive one at depth 1). */
void uk_condvar_wait(struct uk_condvar *cv, struct uk_mutex *m);
void uk_condvar_signal(struct uk_condvar *cv);
void uk_condvar_broadcast(struct uk_condvar *cv);

#endif
