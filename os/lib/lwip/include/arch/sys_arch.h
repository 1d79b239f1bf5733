/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's operating-system types for uniforge (lwIP: "arch/sys_arch.h"),
 * used only with NO_SYS=0 (a scheduler is in the image): semaphores with
 * timed waits, mutexes (uklock's), bounded mailboxes and threads
 * (uksched's). sys_arch.c implements them; the masking discipline is
 * uklock's (uk/waitq.h): one CPU, shared state changed with interrupts
 * masked, so sys_sem_signal and sys_mbox_trypost_fromisr are safe from an
 * interrupt handler.
 */
#ifndef UK_LWIP_ARCH_SYS_ARCH_H
#define UK_LWIP_ARCH_SYS_ARCH_H

#include <uk/essentials.h>
#include <uk/waitq.h>
#include <uk/mutex.h>

struct uk_thread;

/* A counting semaphore; `valid` tells lwIP's sys_sem_valid(). */
struct uk_lwip_sem {
	long count;
	struct uk_waitq wq;
	int valid;
};
typedef struct uk_lwip_sem sys_sem_t;

#define sys_sem_valid(s)        ((s) != NULL && (s)->valid)
#define sys_sem_set_invalid(s)  do { if (s) (s)->valid = 0; } while (0)

/* A mutex: uklock's, recursive (the core lock may then be taken again by
 * a callback's thread without deadlock; lwIP itself never nests it). */
struct uk_lwip_mutex {
	struct uk_mutex m;
	int valid;
};
typedef struct uk_lwip_mutex sys_mutex_t;

#define sys_mutex_valid(m)       ((m) != NULL && (m)->valid)
#define sys_mutex_set_invalid(m) do { if (m) (m)->valid = 0; } while (0)

/* A bounded queue of pointers; NULL is an invalid mailbox. */
struct uk_lwip_mbox;
typedef struct uk_lwip_mbox *sys_mbox_t;

#define sys_mbox_valid(mb)       ((mb) != NULL && *(mb) != NULL)
#define sys_mbox_set_invalid(mb) do { if (mb) *(mb) = NULL; } while (0)

typedef struct uk_thread *sys_thread_t;

/* SYS_LIGHTWEIGHT_PROT: masking interrupts (one CPU). */
typedef unsigned long sys_prot_t;

#endif
