/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reader-writer locks: many readers or one writer. Writers are preferred:
 * once a writer waits, new readers wait too, so writers do not starve.
 * Not recursive. Thread context only. Masking discipline: uk/waitq.h.
 */
#ifndef UK_RWLOCK_H
#define UK_RWLOCK_H

#include <uk/essentials.h>
#include <uk/waitq.h>

struct uk_rwlock {
	unsigned int readers;
	unsigned int writers_waiting;
	int writer;
	struct uk_waitq wq;
};

#define UK_RWLOCK_INITIALIZER { 0, 0, 0, UK_WAITQ_INITIALIZER }

void uk_rwlock_init(struct uk_rwlock *l);
void uk_rwlock_rlock(struct uk_rwlock *l);
void uk_rwlock_runlock(struct uk_rwlock *l);
void uk_rwlock_wlock(struct uk_rwlock *l);
void uk_rwlock_wunlock(struct uk_rwlock *l);

#endif
