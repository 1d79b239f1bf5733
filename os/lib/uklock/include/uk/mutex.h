/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mutexes: a sleeping lock owned by one thread. A recursive mutex may be
 * locked again by its owner (unlocked as many times); locking a plain one
 * twice from the same thread, or unlocking one the caller does not own, is
 * a bug (assertion). Thread context only (never an interrupt handler).
 * Masking discipline: uk/waitq.h.
 */
#ifndef UK_MUTEX_H
#define UK_MUTEX_H

#include <uk/essentials.h>
#include <uk/waitq.h>

struct uk_mutex {
	struct uk_thread *owner;
	unsigned int depth;
	int recursive;
	struct uk_waitq wq;
};

#define UK_MUTEX_INITIALIZER { NULL, 0, 0, UK_WAITQ_INITIALIZER }
#define UK_MUTEX_RECURSIVE_INITIALIZER { NULL, 0, 1, UK_WAITQ_INITIALIZER }

void uk_mutex_init(struct uk_mutex *m, bool recursive);
void uk_mutex_lock(struct uk_mutex *m);
/* true if the caller now holds m. */
bool uk_mutex_trylock(struct uk_mutex *m);
void uk_mutex_unlock(struct uk_mutex *m);
bool uk_mutex_is_locked(const struct uk_mutex *m);

#endif
