/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's operating-system layer over uksched and uklock (NO_SYS=0):
 * semaphores with timed waits, mutexes, bounded mailboxes, threads, the
 * interrupt-masking protection and the core lock (uk/lwip.h).
 *
 * One CPU: every shared state here changes with interrupts masked
 * (ukplat_lcpu_save_irqf), and a waiter checks its condition and joins
 * its wait queue in one masked section, so a signal from an interrupt
 * handler is never lost (uklock's discipline, uk/waitq.h). Timed waits
 * use the scheduler's uk_sched_block_until_locked() and take their entry
 * back out of the queue when the deadline passes first.
 */
#include <uk/essentials.h>
#include <uk/assert.h>
#include <uk/plat/irq.h>
#include <uk/sched.h>
#include <uk/time.h>
#include <uk/lwip.h>
#include "lwip/opt.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#include "lwip/mem.h"

/* Wait on wq (interrupts masked) until woken or, deadline != 0, until
 * the clock reaches it. true: woken; false: timed out (the entry is no
 * longer in the queue either way). */
static bool wait_until_locked(struct uk_waitq *wq, uint64_t deadline)
{
	struct uk_waitq_entry e = { .thread = uk_thread_current() };
	struct uk_waitq_entry **pp;

	if (wq->tail)
		wq->tail->next = &e;
	else
		wq->head = &e;
	wq->tail = &e;
	while (!e.woken) {
		if (deadline && uk_time_now_ns() >= deadline) {
			/* unlink e; fix the tail if it was last */
			struct uk_waitq_entry *prev = NULL;

			for (pp = &wq->head; *pp; prev = *pp, pp = &(*pp)->next) {
				if (*pp == &e) {
					*pp = e.next;
					if (wq->tail == &e)
						wq->tail = prev;
					break;
				}
			}
			return false;
		}
		uk_sched_block_until_locked(deadline);
	}
	return true;
}

static uint64_t deadline_of(u32_t timeout_ms)
{
	return timeout_ms ? uk_time_now_ns() + (uint64_t)timeout_ms * 1000000ull : 0;
}

/* ---- semaphores ------------------------------------------------------ */

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
	sem->count = count;
	uk_waitq_init(&sem->wq);
	sem->valid = 1;
	return ERR_OK;
}

void sys_sem_free(sys_sem_t *sem)
{
	UK_ASSERT(uk_waitq_empty(&sem->wq));
	sem->valid = 0;
}

void sys_sem_signal(sys_sem_t *sem)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	sem->count++;
	uk_waitq_wake_one(&sem->wq);
	ukplat_lcpu_restore_irqf(flags);
}

/* lwIP's contract: the milliseconds waited, or SYS_ARCH_TIMEOUT. */
u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout)
{
	uint64_t start = uk_time_now_ns();
	uint64_t deadline = deadline_of(timeout);
	unsigned long flags = ukplat_lcpu_save_irqf();

	while (sem->count <= 0) {
		if (!wait_until_locked(&sem->wq, deadline) && sem->count <= 0) {
			ukplat_lcpu_restore_irqf(flags);
			return SYS_ARCH_TIMEOUT;
		}
	}
	sem->count--;
	ukplat_lcpu_restore_irqf(flags);
	return (u32_t)((uk_time_now_ns() - start) / 1000000ull);
}

/* ---- mutexes --------------------------------------------------------- */

err_t sys_mutex_new(sys_mutex_t *m)
{
	uk_mutex_init(&m->m, true);
	m->valid = 1;
	return ERR_OK;
}

void sys_mutex_free(sys_mutex_t *m)
{
	m->valid = 0;
}

void sys_mutex_lock(sys_mutex_t *m)
{
	uk_mutex_lock(&m->m);
}

void sys_mutex_unlock(sys_mutex_t *m)
{
	uk_mutex_unlock(&m->m);
}

/* ---- mailboxes ------------------------------------------------------- */

struct uk_lwip_mbox {
	unsigned int size, head, count;
	struct uk_waitq readers, writers;
	void *slot[];
};

err_t sys_mbox_new(sys_mbox_t *mbox, int size)
{
	struct uk_lwip_mbox *mb;

	if (size <= 0)
		size = 64;
	mb = mem_malloc((mem_size_t)(sizeof(*mb) + (size_t)size * sizeof(void *)));
	if (!mb)
		return ERR_MEM;
	mb->size = (unsigned int)size;
	mb->head = mb->count = 0;
	uk_waitq_init(&mb->readers);
	uk_waitq_init(&mb->writers);
	*mbox = mb;
	return ERR_OK;
}

void sys_mbox_free(sys_mbox_t *mbox)
{
	struct uk_lwip_mbox *mb = *mbox;

	UK_ASSERT(uk_waitq_empty(&mb->readers) && uk_waitq_empty(&mb->writers));
	mem_free(mb);
	*mbox = NULL;
}

/* Interrupts masked, room checked. */
static void put_locked(struct uk_lwip_mbox *mb, void *msg)
{
	mb->slot[(mb->head + mb->count) % mb->size] = msg;
	mb->count++;
	uk_waitq_wake_one(&mb->readers);
}

static void *take_locked(struct uk_lwip_mbox *mb)
{
	void *msg = mb->slot[mb->head];

	mb->head = (mb->head + 1) % mb->size;
	mb->count--;
	uk_waitq_wake_one(&mb->writers);
	return msg;
}

void sys_mbox_post(sys_mbox_t *mbox, void *msg)
{
	struct uk_lwip_mbox *mb = *mbox;
	unsigned long flags = ukplat_lcpu_save_irqf();

	while (mb->count == mb->size)
		wait_until_locked(&mb->writers, 0);
	put_locked(mb, msg);
	ukplat_lcpu_restore_irqf(flags);
}

err_t sys_mbox_trypost(sys_mbox_t *mbox, void *msg)
{
	struct uk_lwip_mbox *mb = *mbox;
	unsigned long flags = ukplat_lcpu_save_irqf();
	err_t r = ERR_MEM;

	if (mb->count < mb->size) {
		put_locked(mb, msg);
		r = ERR_OK;
	}
	ukplat_lcpu_restore_irqf(flags);
	return r;
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t *mbox, void *msg)
{
	return sys_mbox_trypost(mbox, msg);
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mbox, void **msg, u32_t timeout)
{
	struct uk_lwip_mbox *mb = *mbox;
	uint64_t start = uk_time_now_ns();
	uint64_t deadline = deadline_of(timeout);
	unsigned long flags = ukplat_lcpu_save_irqf();
	void *m;

	while (mb->count == 0) {
		if (!wait_until_locked(&mb->readers, deadline) && mb->count == 0) {
			ukplat_lcpu_restore_irqf(flags);
			return SYS_ARCH_TIMEOUT;
		}
	}
	m = take_locked(mb);
	ukplat_lcpu_restore_irqf(flags);
	if (msg)
		*msg = m;
	return (u32_t)((uk_time_now_ns() - start) / 1000000ull);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mbox, void **msg)
{
	struct uk_lwip_mbox *mb = *mbox;
	unsigned long flags = ukplat_lcpu_save_irqf();
	void *m;

	if (mb->count == 0) {
		ukplat_lcpu_restore_irqf(flags);
		return SYS_MBOX_EMPTY;
	}
	m = take_locked(mb);
	ukplat_lcpu_restore_irqf(flags);
	if (msg)
		*msg = m;
	return 0;
}

/* ---- threads --------------------------------------------------------- */

struct thread_start {
	lwip_thread_fn fn;
	void *arg;
};

static void *thread_main(void *p)
{
	struct thread_start s = *(struct thread_start *)p;

	mem_free(p);
	s.fn(s.arg);
	return NULL;
}

/* lwIP gives no way to report a failure: one is a crash (boot-time only:
 * lwIP creates its tcpip thread, we create the input thread). */
sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg,
			    int stacksize, int prio __unused)
{
	struct thread_start *s = mem_malloc(sizeof(*s));
	struct uk_thread *t;
	int r;

	if (!s)
		UK_CRASH("lwip: no memory for thread %s", name);
	s->fn = fn;
	s->arg = arg;
	r = uk_thread_create(&t, name, stacksize > 0 ? (size_t)stacksize : 0, thread_main, s);
	if (r)
		UK_CRASH("lwip: cannot create thread %s: %d", name, r);
	uk_thread_detach(t);
	return t;
}

/* ---- time, protection, init ------------------------------------------ */

u32_t sys_now(void)
{
	return (u32_t)(uk_time_now_ns() / 1000000ull);
}

sys_prot_t sys_arch_protect(void)
{
	return ukplat_lcpu_save_irqf();
}

void sys_arch_unprotect(sys_prot_t pval)
{
	ukplat_lcpu_restore_irqf(pval);
}

void sys_init(void)
{
}

/* ---- the core lock (uk/lwip.h) --------------------------------------- */

void uk_lwip_lock(void)
{
	sys_mutex_lock(&lock_tcpip_core);
}

void uk_lwip_unlock(void)
{
	sys_mutex_unlock(&lock_tcpip_core);
}

bool uk_lwip_locked(void)
{
	return lock_tcpip_core.m.owner == uk_thread_current();
}

void uk_lwip_assert_core_locked(void)
{
	UK_ASSERT(!lock_tcpip_core.valid || uk_lwip_locked());
}
