/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Spinlocks: the interface an SMP kernel needs (an atomic exchange, acquire
 * and release ordering), used today on one CPU. There, a spinlock is only
 * ever taken with interrupts masked (uk_spin_lock_irqsave), so nothing can
 * run on the CPU until it is released: it can never be found held, and
 * finding it held is a deadlock (the same thread took it twice, or an
 * interrupt handler took one its thread holds): an assertion.
 *
 *   unsigned long f = uk_spin_lock_irqsave(&lock);
 *   ...   // no blocking, no yield
 *   uk_spin_unlock_irqrestore(&lock, f);
 */
#ifndef UK_SPINLOCK_H
#define UK_SPINLOCK_H

#include <uk/essentials.h>
#include <uk/assert.h>
#include <uk/plat/irq.h>

struct uk_spinlock {
	volatile int locked;
};

#define UK_SPINLOCK_INITIALIZER { 0 }

static inline void uk_spin_init(struct uk_spinlock *l)
{
	l->locked = 0;
}

/* Atomic exchange with acquire ordering. arm64: an exclusive pair written
 * out, since GCC's __atomic builtins there call libgcc's outline atomics,
 * which need the Linux auxiliary vector (__getauxval). */
static inline int uk_spin_xchg_acquire(volatile int *p, int v)
{
#if defined(__aarch64__)
	int old;
	unsigned int fail;

	__asm__ __volatile__("1: ldaxr %w0, [%2]\n"
			     "   stxr %w1, %w3, [%2]\n"
			     "   cbnz %w1, 1b"
			     : "=&r"(old), "=&r"(fail) : "r"(p), "r"(v) : "memory");
	return old;
#else
	return __atomic_exchange_n(p, v, __ATOMIC_ACQUIRE);
#endif
}

static inline bool uk_spin_trylock(struct uk_spinlock *l)
{
	return !uk_spin_xchg_acquire(&l->locked, 1);
}

/* Interrupts must be masked (one CPU: see above). */
static inline void uk_spin_lock(struct uk_spinlock *l)
{
	bool got = uk_spin_trylock(l);

	UK_ASSERT(got);                 /* one CPU: held means deadlock */
	(void)got;
}

static inline void uk_spin_unlock(struct uk_spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline unsigned long uk_spin_lock_irqsave(struct uk_spinlock *l)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	uk_spin_lock(l);
	return flags;
}

static inline void uk_spin_unlock_irqrestore(struct uk_spinlock *l, unsigned long flags)
{
	uk_spin_unlock(l);
	ukplat_lcpu_restore_irqf(flags);
}

#endif
