/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rseq(2): restartable sequences, with Linux's semantics (kernel/rseq.c,
 * include/uapi/linux/rseq.h) on one CPU.
 *
 * A thread registers a struct rseq (32 bytes or more, 32-aligned) and a
 * signature; the area's CPU fields are written once, at registration
 * (cpu_id_start = cpu_id = 0, node_id = 0, mm_cid = 0: there is one CPU
 * and one node, and a thread never migrates). The restart: when a thread
 * with an area is preempted (uk_sched_preempt_notify(), called by the
 * architecture with the interrupt's frame just before the switch) and its
 * rseq_cs points to a descriptor whose [start_ip, start_ip +
 * post_commit_offset) holds the interrupted ip, the ip becomes the
 * descriptor's abort_ip and rseq_cs is cleared, as Linux does on the
 * return to user space after a preemption. Linux's checks are made on the
 * descriptor every time (version 0, no flags, no overflow, abort_ip
 * outside the section, the 4 bytes before abort_ip equal to the
 * registered signature); where Linux sends SIGSEGV (a bad descriptor,
 * an unreadable area or descriptor) this is the crash report.
 *
 * The same fixup runs when a fault's SIGSEGV is delivered to a handler
 * (posix-signal's fault_<arch>.c calls uk_rseq_fixup() before it builds
 * the frame: Linux's rseq_signal_deliver()), so the handler's context
 * and its return go to abort_ip. Other signals are delivered
 * synchronously at a syscall (posix-signal), which a critical section
 * may not contain.
 *
 * Differences from Linux, none visible to a correct program: the CPU
 * fields are never rewritten after registration (they cannot change);
 * an rseq_cs whose section does not hold the ip is left as it is (Linux
 * clears it then, an optimisation user space never relies on: here the
 * frame seen may be a syscall's, nested over user code).
 *
 * The registration is per thread, in posix-thread's words 10-11
 * (thread_data.h): a new thread (clone) starts unregistered, as on
 * Linux; it is dropped at thread exit and at execve
 * (uk_rseq_exec_reset(), from ukelfload), and posix-process's fork keeps
 * it for the child (the child runs on the forking thread, with its words;
 * the parent's come back when it resumes), as Linux's fork does.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/arch.h>
#include <uk/assert.h>
#include <uk/user.h>
#include <uk/thread.h>
#if defined(CONFIG_LIBUKSCHED)
#include <uk/sched_policy.h>
#endif
#include "thread_data.h"

/* include/uapi/linux/rseq.h's layouts */
struct uk_rseq {
	uint32_t cpu_id_start;
	uint32_t cpu_id;
	uint64_t rseq_cs;       /* struct rseq_cs *, 0: not in a section */
	uint32_t flags;
	uint32_t node_id;
	uint32_t mm_cid;
} __attribute__((aligned(32)));

struct uk_rseq_cs {
	uint32_t version;
	uint32_t flags;
	uint64_t start_ip;
	uint64_t post_commit_offset;
	uint64_t abort_ip;
};

#define RSEQ_FLAG_UNREGISTER      1
#define RSEQ_CPU_ID_UNINITIALIZED 0xffffffffU
#define ORIG_RSEQ_SIZE            32

/* Writes the CPU fields (cpu_id_start, cpu_id; node_id, mm_cid): 0 or -EFAULT. */
static int write_ids(struct uk_rseq *rs, uint32_t cpu_id)
{
	uint32_t ids[2] = { 0, cpu_id }, zero[2] = { 0, 0 };

	if (uk_copy_to_user(&rs->cpu_id_start, ids, sizeof(ids)) ||
	    uk_copy_to_user(&rs->node_id, zero, sizeof(zero)))
		return -EFAULT;
	return 0;
}

long uk_sys_rseq(struct uk_rseq *rseq, unsigned int rseq_len, int flags, unsigned int sig)
{
	void **w = pt_words();
	struct uk_rseq *cur = w[PT_RSEQ_AREA];
	unsigned long lensig = (unsigned long)w[PT_RSEQ_LENSIG];
	unsigned int cur_len = (unsigned int)(lensig >> 32), cur_sig = (unsigned int)lensig;
	int ret;

	if (flags & RSEQ_FLAG_UNREGISTER) {
		if (flags & ~RSEQ_FLAG_UNREGISTER)
			return -EINVAL;
		if (!cur || cur != rseq || rseq_len != cur_len)
			return -EINVAL;
		if (sig != cur_sig)
			return -EPERM;
		ret = write_ids(rseq, RSEQ_CPU_ID_UNINITIALIZED);
		if (ret)
			return ret;
		pt_rseq_drop(w);
		return 0;
	}
	if (flags)
		return -EINVAL;
	if (cur) {
		if (cur != rseq || rseq_len != cur_len)
			return -EINVAL;
		if (sig != cur_sig)
			return -EPERM;
		return -EBUSY;
	}
	/* the original 32 bytes at 32-alignment, or more (AT_RSEQ_FEATURE_SIZE
	 * at least) at the struct's alignment (AT_RSEQ_ALIGN): both 32 */
	if (rseq_len < ORIG_RSEQ_SIZE || ((uintptr_t)rseq & (ORIG_RSEQ_SIZE - 1)))
		return -EINVAL;
	/* Linux checks the range only and sends SIGSEGV at the first write
	 * that fails; the write is made now (the fields are in the first 32
	 * bytes, one page): -EFAULT */
	if (write_ids(rseq, 0))
		return -EFAULT;
	w[PT_RSEQ_AREA] = rseq;
	w[PT_RSEQ_LENSIG] = (void *)((unsigned long)rseq_len << 32 | sig);
	return 0;
}

/* Forgets the calling thread's area (execve: the memory is gone). */
void pt_rseq_drop(void **w)
{
	w[PT_RSEQ_AREA] = NULL;
	w[PT_RSEQ_LENSIG] = NULL;
}

void uk_rseq_exec_reset(void)
{
	pt_rseq_drop(pt_words());
}

static uintptr_t regs_ip(const struct __regs *r)
{
#if defined(__x86_64__)
	return r->rip;
#else
	return r->elr;
#endif
}

static void set_regs_ip(struct __regs *r, uintptr_t ip)
{
#if defined(__x86_64__)
	r->rip = ip;
#else
	r->elr = ip;
#endif
}

/* Linux's SIGSEGV: the program is broken, the crash report says why. */
static void __noreturn bad(const char *why, const struct __regs *regs)
{
	uk_crash(why, regs);
}

/*
 * Linux's rseq_ip_fixup(), for the calling thread, interrupted at regs.
 * The interrupted code may be any code of the thread's (user code, or a
 * syscall's in the kernel): only an ip inside the section the descriptor
 * names moves.
 */
void uk_rseq_fixup(struct __regs *regs)
{
	void **w = pt_words();
	struct uk_rseq *rs;
	struct uk_rseq_cs cs;
	uint64_t ptr, zero = 0;
	uint32_t area_flags, usig;
	uintptr_t ip = regs_ip(regs);

	rs = w[PT_RSEQ_AREA];
	if (!rs)
		return;
	if (uk_copy_from_user(&ptr, &rs->rseq_cs, sizeof(ptr)))
		bad("rseq: the thread's registered rseq area is not readable (Linux: SIGSEGV)",
		    regs);
	if (!ptr)
		return;
	if (uk_copy_from_user(&cs, (const void *)(uintptr_t)ptr, sizeof(cs)))
		bad("rseq: rseq_cs points to unreadable memory (Linux: SIGSEGV)", regs);
	if (cs.version != 0 || cs.start_ip + cs.post_commit_offset < cs.start_ip ||
	    cs.abort_ip - cs.start_ip < cs.post_commit_offset)
		bad("rseq: invalid rseq_cs descriptor (version, overflow, or abort_ip inside "
		    "the section; Linux: SIGSEGV)", regs);
	if (uk_copy_from_user(&usig, (const void *)(uintptr_t)(cs.abort_ip - sizeof(usig)),
			      sizeof(usig)) ||
	    usig != (uint32_t)(unsigned long)w[PT_RSEQ_LENSIG])
		bad("rseq: the 4 bytes before abort_ip are not the registered signature "
		    "(Linux: SIGSEGV)", regs);
	if (ip - cs.start_ip >= cs.post_commit_offset)
		return;                 /* not in the section */
	/* Linux's rseq_need_restart(): the deprecated NO_RESTART flags and
	 * unknown ones, in the descriptor or the area, are refused */
	if (cs.flags)
		bad("rseq: flags in the rseq_cs descriptor (Linux: SIGSEGV)", regs);
	if (uk_copy_from_user(&area_flags, &rs->flags, sizeof(area_flags)) || area_flags)
		bad("rseq: flags in the registered rseq area (Linux: SIGSEGV)", regs);
	if (uk_copy_to_user(&rs->rseq_cs, &zero, sizeof(zero)))
		bad("rseq: the registered rseq area is not writable (Linux: SIGSEGV)", regs);
	set_regs_ip(regs, (uintptr_t)cs.abort_ip);
}

#if defined(CONFIG_LIBUKSCHED)
/* uksched's hook: the current thread is about to be switched out */
void uk_sched_preempt_notify(struct __regs *regs)
{
	uk_rseq_fixup(regs);
}
#endif
