/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of posix-thread, with a scheduler: futex wait/wake
 * between uksched threads (values, bitsets, requeue, timeouts), threads
 * made by uk_thread_clone() as musl's pthread_create makes them, joined
 * the way pthread_join does (FUTEX_WAIT on the CLONE_CHILD_CLEARTID word),
 * robust futexes of a thread that ends holding them, tids, arch_prctl.
 */
#include <uk/test.h>
#include <uk/errno.h>
#include <uk/alloc.h>
#include <uk/sched.h>
#include <uk/time.h>
#include <uk/tls.h>
#include <uk/arch.h>
#include <uk/thread.h>
#include <uk/linux/futex.h>
#include <uk/linux/sched.h>
#include <uk/user.h>
#include "../timespec.h"

#if !__has_include(<uk/syscall.h>)
long uk_sys_futex(unsigned int *uaddr, int op, unsigned int val, const struct uk_timespec *utime,
		  unsigned int *uaddr2, unsigned int val3);
long uk_sys_gettid(void);
long uk_sys_set_tid_address(int *tidptr);
long uk_sys_set_robust_list(struct uk_robust_list_head *head, unsigned long len);
long uk_sys_get_robust_list(int pid, struct uk_robust_list_head **head_ptr, unsigned long *len_ptr);
long uk_sys_clone(unsigned long flags, unsigned long newsp, int *ptid, int *ctid, unsigned long tls);
long uk_sys_arch_prctl(int option, unsigned long arg2);
#endif

#define PRIV(op) ((op) | UK_FUTEX_PRIVATE_FLAG)
#define MUSL_FLAGS (UK_CLONE_VM | UK_CLONE_FS | UK_CLONE_FILES | UK_CLONE_SIGHAND |           \
		    UK_CLONE_THREAD | UK_CLONE_SYSVSEM | UK_CLONE_SETTLS |                    \
		    UK_CLONE_PARENT_SETTID | UK_CLONE_CHILD_CLEARTID | UK_CLONE_DETACHED)

static long futex(unsigned int *w, int op, unsigned int val, const struct uk_timespec *ts,
		  unsigned int *w2, unsigned int val3)
{
	return uk_sys_futex(w, op, val, ts, w2, val3);
}

static volatile unsigned int word, word2;
static volatile int woken_rc[8];

static void *waiter(void *arg)
{
	long i = (long)arg;

	woken_rc[i] = (int)futex((unsigned int *)&word, PRIV(UK_FUTEX_WAIT), 0, NULL, NULL, 0);
	return NULL;
}

UK_TESTCASE(posix_thread, wait_returns_eagain_when_the_value_differs)
{
	word = 1;
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, UK_FUTEX_WAIT, 0, NULL, NULL, 0), -EAGAIN);
	UK_TEST_EXPECT_EQ(futex((unsigned int *)((char *)&word + 1), UK_FUTEX_WAIT, 0, NULL, NULL, 0),
			  -EINVAL);
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, UK_FUTEX_WAIT_BITSET, 1, NULL, NULL, 0), -EINVAL);
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, UK_FUTEX_WAKE | UK_FUTEX_CLOCK_REALTIME, 1,
				NULL, NULL, 0), -ENOSYS);
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, 99, 0, NULL, NULL, 0), -ENOSYS);
}

/* Four threads wait (private and shared alike); WAKE 1 wakes exactly one,
 * in arrival order; WAKE of many wakes the rest; nobody is left waiting. */
UK_TESTCASE(posix_thread, wake_wakes_exactly_n_in_order)
{
	struct uk_thread *t[4];
	long i;

	word = 0;
	for (i = 0; i < 4; i++) {
		woken_rc[i] = 1;
		UK_TEST_ASSERT(uk_thread_create(&t[i], "waiter", 0, waiter, (void *)i) == 0);
	}
	uk_sched_yield();                       /* all four now wait */
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, PRIV(UK_FUTEX_WAKE), 1, NULL, NULL, 0), 1);
	uk_sched_yield();
	UK_TEST_EXPECT_EQ(woken_rc[0], 0);
	UK_TEST_EXPECT_EQ(woken_rc[1], 1);
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, UK_FUTEX_WAKE, 100, NULL, NULL, 0), 3);
	for (i = 0; i < 4; i++) {
		uk_thread_join(t[i], NULL);
		UK_TEST_EXPECT_EQ(woken_rc[i], 0);
	}
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, UK_FUTEX_WAKE, 100, NULL, NULL, 0), 0);
}

static volatile long bitset_rc[2];

static void *bitset_waiter(void *arg)
{
	long i = (long)arg;

	bitset_rc[i] = futex((unsigned int *)&word, PRIV(UK_FUTEX_WAIT_BITSET), 0, NULL, NULL,
			     1u << i);
	return NULL;
}

UK_TESTCASE(posix_thread, wake_bitset_wakes_only_matching_waiters)
{
	struct uk_thread *t[2];
	long i;

	word = 0;
	for (i = 0; i < 2; i++) {
		bitset_rc[i] = 1;
		UK_TEST_ASSERT(uk_thread_create(&t[i], "bitset", 0, bitset_waiter, (void *)i) == 0);
	}
	uk_sched_yield();
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, PRIV(UK_FUTEX_WAKE_BITSET), 10, NULL, NULL, 2), 1);
	uk_sched_yield();
	UK_TEST_EXPECT_EQ(bitset_rc[1], 0);
	UK_TEST_EXPECT_EQ(bitset_rc[0], 1);
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, PRIV(UK_FUTEX_WAKE_BITSET), 10, NULL, NULL,
				UK_FUTEX_BITSET_MATCH_ANY), 1);
	for (i = 0; i < 2; i++)
		uk_thread_join(t[i], NULL);
	UK_TEST_EXPECT_EQ(bitset_rc[0], 0);
}

/* CMP_REQUEUE: wake 1, move 2 to word2 (where a WAKE then finds them);
 * with the wrong expected value, -EAGAIN and nothing moves. */
UK_TESTCASE(posix_thread, cmp_requeue_moves_waiters)
{
	struct uk_thread *t[4];
	long i;

	word = 0;
	for (i = 0; i < 4; i++) {
		woken_rc[i] = 1;
		UK_TEST_ASSERT(uk_thread_create(&t[i], "requeue", 0, waiter, (void *)i) == 0);
	}
	uk_sched_yield();
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, PRIV(UK_FUTEX_CMP_REQUEUE), 1,
				(const struct uk_timespec *)2UL, (unsigned int *)&word2, 7), -EAGAIN);
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, PRIV(UK_FUTEX_CMP_REQUEUE), 1,
				(const struct uk_timespec *)2UL, (unsigned int *)&word2, 0), 3);
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word2, PRIV(UK_FUTEX_WAKE), 10, NULL, NULL, 0), 2);
	/* plain REQUEUE of the last one, then wake it at word2 */
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, PRIV(UK_FUTEX_REQUEUE), 0,
				(const struct uk_timespec *)5UL, (unsigned int *)&word2, 0), 1);
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, PRIV(UK_FUTEX_WAKE), 10, NULL, NULL, 0), 0);
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word2, PRIV(UK_FUTEX_WAKE), 10, NULL, NULL, 0), 1);
	for (i = 0; i < 4; i++) {
		uk_thread_join(t[i], NULL);
		UK_TEST_EXPECT_EQ(woken_rc[i], 0);
	}
}

/* Relative WAIT and absolute WAIT_BITSET (monotonic and realtime) time
 * out, never early. */
UK_TESTCASE(posix_thread, timeouts_are_never_early)
{
	struct uk_timespec ts = { 0, 20000000 };        /* 20 ms */
	uint64_t t0, ns;

	word = 0;
	t0 = uk_time_now_ns();
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, UK_FUTEX_WAIT, 0, &ts, NULL, 0), -ETIMEDOUT);
	UK_TEST_EXPECT(uk_time_now_ns() - t0 >= 20000000);

	t0 = uk_time_now_ns();
	ns = t0 + 20000000;
	ts = (struct uk_timespec){ (long)(ns / 1000000000), (long)(ns % 1000000000) };
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, UK_FUTEX_WAIT_BITSET, 0, &ts, NULL,
				UK_FUTEX_BITSET_MATCH_ANY), -ETIMEDOUT);
	UK_TEST_EXPECT(uk_time_now_ns() >= ns);

	t0 = uk_time_now_ns();
	ns = uk_time_wall_ns() + 20000000;
	ts = (struct uk_timespec){ (long)(ns / 1000000000), (long)(ns % 1000000000) };
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, UK_FUTEX_WAIT_BITSET | UK_FUTEX_CLOCK_REALTIME,
				0, &ts, NULL, UK_FUTEX_BITSET_MATCH_ANY), -ETIMEDOUT);
	UK_TEST_EXPECT(uk_time_now_ns() - t0 >= 20000000);

	ts = (struct uk_timespec){ 0, 1000000000 };
	UK_TEST_EXPECT_EQ(futex((unsigned int *)&word, UK_FUTEX_WAIT, 0, &ts, NULL, 0), -EINVAL);
}

/* musl's pthread_create, by hand: a stack and a TLS block of our own,
 * the tid stored before the child runs, the child's exit clearing it and
 * waking the joiner's FUTEX_WAIT. */
static volatile int child_tid_seen, child_ran;
static uintptr_t child_tp_seen;

static int child(void *arg)
{
	child_ran = (int)(long)arg;
	child_tid_seen = (int)uk_sys_gettid();
	child_tp_seen = arch_tls_get_tp();
	return 0;
}

UK_TESTCASE(posix_thread, clone_like_pthread_create_and_join)
{
	struct uk_alloc *a = uk_alloc_get_default();
	size_t stack_size = 16384;
	char *stack = uk_malloc(a, stack_size);
	void *tls = uk_malloc(a, uk_tls_size());
	volatile int ctid = -1;
	int ptid = 0;
	unsigned int v;
	uintptr_t tp;
	long tid;

	UK_TEST_ASSERT(stack && tls);
	tp = uk_tls_init(tls);
	child_ran = 0;
	tid = uk_thread_clone(child, stack + stack_size, MUSL_FLAGS, (void *)7L, &ptid, tp,
			      (int *)&ctid);
	UK_TEST_ASSERT(tid > 1);
	UK_TEST_EXPECT_EQ(ptid, tid);
	ctid = (int)tid;                        /* musl stores it the same way */
	while ((v = (unsigned int)ctid) != 0)   /* pthread_join */
		futex((unsigned int *)&ctid, PRIV(UK_FUTEX_WAIT), v, NULL, NULL, 0);
	UK_TEST_EXPECT_EQ(child_ran, 7);
	UK_TEST_EXPECT_EQ(child_tid_seen, tid);
	UK_TEST_EXPECT_EQ(child_tp_seen, tp);
	UK_TEST_EXPECT(uk_thread_by_tid((int)tid) == NULL);
	uk_sched_yield();                       /* the detached child is reaped */
	uk_free(a, tls);
	uk_free(a, stack);
}

UK_TESTCASE(posix_thread, clone_rejects_what_is_not_a_thread)
{
	char stack[64];

	UK_TEST_EXPECT_EQ(uk_thread_clone(child, stack + 64, UK_CLONE_CHILD_CLEARTID | 17, NULL,
					  NULL, 0, NULL), -ENOSYS);       /* busybox's fork */
	UK_TEST_EXPECT_EQ(uk_thread_clone(child, stack + 64, UK_CLONE_THREAD | UK_CLONE_VM, NULL,
					  NULL, 0, NULL), -EINVAL);       /* no SIGHAND */
	UK_TEST_EXPECT_EQ(uk_thread_clone(child, stack + 64, UK_CLONE_SIGHAND, NULL, NULL, 0, NULL),
			  -EINVAL);                                        /* no VM */
	UK_TEST_EXPECT_EQ(uk_thread_clone(child, stack + 64, MUSL_FLAGS | UK_CLONE_NEWNS, NULL,
					  NULL, 0, NULL), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_clone(UK_CLONE_VFORK | UK_CLONE_VM | 17, 0, NULL, NULL, 0), -ENOSYS);
	/* a thread clone called natively: no trap frame to resume */
	UK_TEST_EXPECT_EQ(uk_sys_clone(MUSL_FLAGS, (unsigned long)stack + 64, NULL, NULL, 0), -ENOSYS);
}

UK_TESTCASE(posix_thread, tids_and_set_tid_address)
{
	int dummy;

	UK_TEST_EXPECT_EQ(uk_sys_gettid(), uk_thread_tid(uk_thread_current()));
	UK_TEST_EXPECT_EQ(uk_sys_set_tid_address(&dummy), uk_sys_gettid());
	UK_TEST_EXPECT_EQ(uk_sys_set_tid_address(NULL), uk_sys_gettid());
}

/* A thread that ends holding a robust mutex: the word gets OWNER_DIED,
 * its tid is gone, and a waiter is woken. */
static struct {
	struct uk_robust_list_head head;
	struct {
		struct uk_robust_list link;
		unsigned int word;
	} m;
} robust;

static void *robust_owner(void *arg __unused)
{
	robust.head.list.next = &robust.m.link;
	robust.m.link.next = &robust.head.list;
	robust.head.futex_offset = (long)((char *)&robust.m.word - (char *)&robust.m.link);
	robust.m.word = (unsigned int)uk_sys_gettid() | UK_FUTEX_WAITERS;
	uk_sys_set_robust_list(&robust.head, sizeof(robust.head));
	return NULL;                            /* ends holding it */
}

static void *robust_waiter(void *arg __unused)
{
	unsigned int v;

	while (!((v = robust.m.word) & UK_FUTEX_OWNER_DIED))
		futex(&robust.m.word, UK_FUTEX_WAIT, v, NULL, NULL, 0);
	return (void *)(unsigned long)v;
}

UK_TESTCASE(posix_thread, robust_futex_of_a_dead_owner)
{
	struct uk_robust_list_head *h;
	unsigned long len;
	struct uk_thread *o, *w;
	void *v;

	UK_TEST_EXPECT_EQ(uk_sys_set_robust_list(NULL, 3), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_get_robust_list(0, &h, &len), 0);
	UK_TEST_EXPECT_EQ(len, sizeof(*h));
	UK_TEST_EXPECT_EQ(uk_sys_get_robust_list(9999, &h, &len), -ESRCH);
	robust.m.word = 0;
	UK_TEST_ASSERT(uk_thread_create(&o, "owner", 0, robust_owner, NULL) == 0);
	UK_TEST_ASSERT(uk_thread_create(&w, "waiter", 0, robust_waiter, NULL) == 0);
	uk_thread_join(o, NULL);
	uk_thread_join(w, &v);
	UK_TEST_EXPECT_EQ((unsigned long)v, UK_FUTEX_OWNER_DIED | UK_FUTEX_WAITERS);
}

#if defined(__x86_64__)
UK_TESTCASE(posix_thread, arch_prctl_sets_and_gets_fs)
{
	unsigned long fs = 0, old = arch_tls_get_tp();

	UK_TEST_EXPECT_EQ(uk_sys_arch_prctl(UK_ARCH_GET_FS, (unsigned long)&fs), 0);
	UK_TEST_EXPECT_EQ(fs, old);
	UK_TEST_EXPECT_EQ(uk_sys_arch_prctl(UK_ARCH_SET_FS, old), 0);
	uk_sched_yield();                       /* kept across a switch */
	UK_TEST_EXPECT_EQ(arch_tls_get_tp(), old);
	UK_TEST_EXPECT_EQ(uk_sys_arch_prctl(UK_ARCH_SET_FS, 1UL << 63), -EPERM);
	UK_TEST_EXPECT_EQ(uk_sys_arch_prctl(UK_ARCH_SET_GS, 0), -EINVAL);
}
#endif

/*
 * The trapped clone's child, without a trap: a frame made by hand as the
 * syscall entry would have saved it, resumed by the child with the result
 * register 0, the new stack and TLS. x86_64: an assembly landing passes
 * rax on as the first argument; arm64: x0 is the first argument.
 */
long uk_thread_clone_regs(unsigned long flags, unsigned long newsp, int *ptid, int *ctid,
			  unsigned long tls, const struct __regs *parent);
static volatile long landed_result = -1, landed_arg;
static volatile uintptr_t landed_sp, landed_tp;
static volatile long landed_tid;

__attribute__((used)) void __noreturn landing_c(long result, long arg)
{
	landed_result = result;
	landed_arg = arg;
	landed_sp = (uintptr_t)__builtin_frame_address(0);
	landed_tp = arch_tls_get_tp();
	landed_tid = uk_sys_gettid();
	uk_thread_exit(NULL);
}

#if defined(__x86_64__)
__asm__(".text\n.globl landing\nlanding:\n\tmovq %rax, %rdi\n\tjmp landing_c\n");
#else
__asm__(".text\n.globl landing\nlanding:\n\tb landing_c\n");
#endif
void landing(void);

UK_TESTCASE(posix_thread, trapped_clone_child_resumes_the_frame)
{
	struct uk_alloc *a = uk_alloc_get_default();
	size_t stack_size = 16384;
	char *stack = uk_malloc(a, stack_size);
	void *tls = uk_malloc(a, uk_tls_size());
	uintptr_t top, tp;
	struct __regs r = { 0 };
	volatile int ctid = -1;
	int ptid = 0;
	unsigned int v;
	long tid;

	UK_TEST_ASSERT(stack && tls);
	tp = uk_tls_init(tls);
	top = ((uintptr_t)stack + stack_size) & ~15UL;
#if defined(__x86_64__)
	unsigned long fl;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(fl));
	r.rip = (uintptr_t)landing;
	r.rax = 77;                             /* must come out as 0 */
	r.rsi = 0x5a5a;
	r.rflags = fl;
	top -= 8;                               /* as after a call */
#else
	unsigned long daif, spsel;

	__asm__ __volatile__("mrs %0, daif; mrs %1, spsel" : "=r"(daif), "=r"(spsel));
	r.elr = (uintptr_t)landing;
	r.x[0] = 77;
	r.x[1] = 0x5a5a;
	r.spsr = daif | (spsel ? 5 : 4);        /* EL1h or EL1t, as running now */
#endif
	UK_TEST_EXPECT_EQ(uk_thread_clone_regs(MUSL_FLAGS, 0, &ptid, (int *)&ctid, tp, &r), -EINVAL);
	tid = uk_thread_clone_regs(MUSL_FLAGS, top, &ptid, (int *)&ctid, tp, &r);
	UK_TEST_ASSERT(tid > 1);
	UK_TEST_EXPECT_EQ(ptid, tid);
	ctid = (int)tid;
	while ((v = (unsigned int)ctid) != 0)
		futex((unsigned int *)&ctid, PRIV(UK_FUTEX_WAIT), v, NULL, NULL, 0);
	UK_TEST_EXPECT_EQ(landed_result, 0);
	UK_TEST_EXPECT_EQ(landed_arg, 0x5a5a);
	UK_TEST_EXPECT_EQ(landed_tp, tp);
	UK_TEST_EXPECT_EQ(landed_tid, tid);
	UK_TEST_EXPECT(landed_sp < top && landed_sp > top - 256);
	uk_sched_yield();
	uk_free(a, tls);
	uk_free(a, stack);
}

#if __has_include(<uk/uaccess.h>) && defined(CONFIG_LIBPOSIX_MMAP)
/* musl's detached-thread exit: the thread unmaps its own (mmap'ed) stack
 * and exits; the unmap waits until the thread is off that stack, and the
 * mapping is gone afterwards. */
static volatile int unmapper_ran;
static void *unmap_base;
#define UNMAP_SIZE (64 * 1024UL)

static int unmapper(void *arg)
{
	(void)arg;
	unmapper_ran = 1;
	uk_thread_unmapself(unmap_base, UNMAP_SIZE);
}

UK_TESTCASE(posix_thread, unmapself_unmaps_the_stack_after_the_thread_left_it)
{
	void *tls = uk_malloc(uk_alloc_get_default(), uk_tls_size());
	volatile int ctid = -1;
	unsigned int v;
	long tid;

	UK_TEST_ASSERT(tls != NULL);
	unmap_base = (void *)uk_sys_mmap(NULL, UNMAP_SIZE, 3 /* RW */, 0x22 /* PRIVATE|ANON */,
					 (unsigned long)-1, 0);
	UK_TEST_ASSERT((unsigned long)unmap_base < -4096UL);
	tid = uk_thread_clone(unmapper, (char *)unmap_base + UNMAP_SIZE, MUSL_FLAGS, NULL,
			      NULL, uk_tls_init(tls), (int *)&ctid);
	UK_TEST_ASSERT(tid > 1);
	ctid = (int)tid;
	while ((v = (unsigned int)ctid) != 0)
		futex((unsigned int *)&ctid, PRIV(UK_FUTEX_WAIT), v, NULL, NULL, 0);
	uk_sched_yield();                       /* the detached thread is reaped */
	UK_TEST_EXPECT_EQ(unmapper_ran, 1);
	UK_TEST_EXPECT(!uk_access_ok(unmap_base, 4096, false));
	uk_free(uk_alloc_get_default(), tls);
}
#endif
