/* SPDX-License-Identifier: BSD-3-Clause */
/* uksched internals shared by sched.c and thread.c. */
#ifndef UKSCHED_IMPL_H
#define UKSCHED_IMPL_H

#include <uk/sched_policy.h>

#define UK_THREAD_F_DETACHED 0x1
#define UK_THREAD_F_JOINED   0x2        /* a thread is in uk_thread_join() */
#define UK_THREAD_F_IRQS_ON  0x4        /* start with interrupts enabled */

/* See sched.c. All with interrupts masked. */
void uksched_schedule(void);
void uksched_thread_started(void);
void uksched_set_zombie(struct uk_thread *t);
bool uksched_in_sched(void);
void uksched_thread_add(struct uk_thread *t);
void uksched_thread_remove(struct uk_thread *t);
/* thread.c: unguards and frees t's stack, TLS block and structure. */
void uksched_thread_free(struct uk_thread *t);

#endif
