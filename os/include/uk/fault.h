/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The page-fault handler chain. Libraries register handlers with
 * UK_FAULT_HANDLER(fn, prio); the linker script collects them into one
 * table sorted by priority (.uk_faulttab_<prio>). On a page fault (x86_64
 * #PF), a data or instruction abort (arm64) or a SIGSEGV/SIGBUS (linuxu),
 * the trap code calls uk_fault_dispatch(), which calls the handlers, lowest
 * priority first, before the crash report:
 *
 *   static int demand_page(struct uk_fault *f)
 *   {
 *       if (!mine(f->addr))
 *           return UK_FAULT_NOT_HANDLED;   // the next handler, or the crash report
 *       map_a_page(f->addr);
 *       return UK_FAULT_HANDLED;           // the faulting access runs again
 *   }
 *   UK_FAULT_HANDLER(demand_page, 10);
 *
 * Contracts:
 *  - A handler returns UK_FAULT_HANDLED when it resolved the fault: the
 *    faulting context resumes from f->regs, which the handler may have
 *    changed (a signal frame, a skipped instruction). Anything else passes
 *    the fault on; when no handler claims it, the crash report is exactly
 *    what it would be without the chain (status 255, the function named,
 *    "stack overflow" for a guard page).
 *  - Handlers run in the trap's context: interrupts masked, on the
 *    exception stack (x86_64 IST2, arm64 SP_EL1, linuxu the signal stack).
 *    A fault inside a handler is not dispatched again: it is reported as a
 *    crash at once.
 *  - Priorities are two decimal digits, 10..99 (so that sorting the
 *    sections by name sorts them by number). Taken: 10 mem's demand paging
 *    (posix-mmap), 50 proc's SIGSEGV delivery (posix-signal).
 */
#ifndef UK_FAULT_H
#define UK_FAULT_H

#include <uk/essentials.h>
#include <uk/arch.h>

#define UK_FAULT_NOT_HANDLED 0
#define UK_FAULT_HANDLED     1

struct uk_fault {
	uintptr_t addr;         /* the faulting data address; for an
				 * instruction fetch, the fetched address */
	bool write;             /* a write access */
	bool exec;              /* an instruction fetch */
	bool user_present;      /* the page was mapped: a protection fault,
				 * not a missing translation */
	struct __regs *regs;    /* the faulting context; resumed if handled */
};

typedef int (*uk_fault_handler_t)(struct uk_fault *f);

#define __UK_FAULT_HANDLER(fn, prio)                                          \
	_Static_assert((prio) >= 10 && (prio) <= 99,                          \
		       "UK_FAULT_HANDLER: prio must be 10..99");              \
	static const uk_fault_handler_t __used                                \
	__section(".uk_faulttab_" UK_STRINGIFY(prio))                         \
	UK_CONCAT(__uk_faulttab_, fn) = (fn)
#define UK_FAULT_HANDLER(fn, prio) __UK_FAULT_HANDLER(fn, prio)

/* Table bounds, defined by every platform's linker script. */
extern const uk_fault_handler_t uk_faulttab_start[], uk_faulttab_end[];

/*
 * Called by the trap code of each architecture/platform: runs the handlers
 * in order until one returns UK_FAULT_HANDLED. Returns true when the fault
 * was handled (resume f->regs), false when the caller must report a crash.
 * A fault raised while the chain runs (a handler faulting) returns false.
 */
static inline bool uk_fault_dispatch(struct uk_fault *f)
{
	static volatile int active;
	const uk_fault_handler_t *h;
	bool handled = false;

	if (active)
		return false;
	active = 1;
	for (h = uk_faulttab_start; h < uk_faulttab_end && !handled; h++)
		handled = (*h)(f) == UK_FAULT_HANDLED;
	active = 0;
	return handled;
}

#endif
