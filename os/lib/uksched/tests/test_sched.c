/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of uksched, uklock and the chosen scheduler (run by
 * tests/boot/test_sched.py through tests/fixtures/sched, one image per
 * scheduler and target). They run as the boot thread "main", in the init
 * table, before main().
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/test.h>
#include <uk/sched.h>
#include <uk/sched_policy.h>
#include <uk/semaphore.h>
#include <uk/mutex.h>
#include <uk/condvar.h>
#include <uk/rwlock.h>
#include <uk/waitq.h>
#include <uk/plat/irq.h>
#include <uk/time.h>
#include <uk/timer.h>
#include <uk/alloc.h>
#include <uk/plat.h>
#include <uk/print.h>

/* ---- basics --------------------------------------------------------------- */

static void *ret_arg_plus_one(void *arg)
{
	return (char *)arg + 1;
}

UK_TESTCASE(uksched, join_returns_the_value)
{
	struct uk_thread *t;
	void *ret = NULL;

	UK_TEST_ASSERT(uk_thread_create(&t, "joinee", 0, ret_arg_plus_one, (void *)41) == 0);
	UK_TEST_EXPECT_EQ(uk_thread_join(t, &ret), 0);
	UK_TEST_EXPECT_EQ((uintptr_t)ret, 42);
}

UK_TESTCASE(uksched, main_thread_is_named)
{
	UK_TEST_ASSERT(uk_thread_current() != NULL);
	UK_TEST_EXPECT(uk_thread_name(uk_thread_current())[0] == 'm');
	UK_TEST_EXPECT_EQ(uk_thread_join(uk_thread_current(), NULL), -EDEADLK);
	UK_TEST_EXPECT_EQ(uk_thread_create(NULL, "x", 0, NULL, NULL), -EINVAL);
}

static __thread int tls_var = 7;

static void *tls_thread(void *arg)
{
	int v = tls_var;            /* a fresh copy of the template */

	tls_var = (int)(uintptr_t)arg;
	uk_sched_yield();
	return (void *)(uintptr_t)(v * 1000 + tls_var);
}

UK_TESTCASE(uksched, tls_is_per_thread)
{
	struct uk_thread *t[4];
	void *ret;
	int i;

	tls_var = 99;
	for (i = 0; i < 4; i++)
		UK_TEST_ASSERT(uk_thread_create(&t[i], "tls", 0, tls_thread,
						(void *)(uintptr_t)(i + 1)) == 0);
	for (i = 0; i < 4; i++) {
		UK_TEST_EXPECT_EQ(uk_thread_join(t[i], &ret), 0);
		UK_TEST_EXPECT_EQ((uintptr_t)ret, 7000 + i + 1);
	}
	UK_TEST_EXPECT_EQ(tls_var, 99);
}

static volatile int detached_ran;

static void *detached_fn(void *arg)
{
	detached_ran++;
	return arg;
}

UK_TESTCASE(uksched, detached_threads_are_freed)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_alloc_stats before, after;
	struct uk_thread *t;
	int i;

	/* warm up: the first thread may make the heap */
	UK_TEST_ASSERT(uk_thread_create(NULL, "warm", 0, detached_fn, NULL) == 0);
	uk_sched_yield();
	uk_sched_yield();
	uk_alloc_stats(a, &before);
	detached_ran = 0;
	for (i = 0; i < 200; i++) {       /* more than the guard slots: all freed */
		UK_TEST_ASSERT(uk_thread_create(&t, "det", 8192, detached_fn, NULL) == 0);
		UK_TEST_EXPECT_EQ(uk_thread_detach(t), 0);
		uk_sched_yield();
		uk_sched_yield();
	}
	UK_TEST_EXPECT_EQ(detached_ran, 200);
	uk_alloc_stats(a, &after);
	UK_TEST_EXPECT_EQ(after.cur_bytes, before.cur_bytes);
}

/* ---- 64 threads ping-pong through semaphores ------------------------------ */

#define NPP 64
#define ROUNDS 20

static struct uk_semaphore ping[NPP / 2], pong[NPP / 2];
static volatile long ball[NPP / 2];

static void *pinger(void *arg)
{
	unsigned int i = (unsigned int)(uintptr_t)arg;
	long sum = 0;

	for (int r = 0; r < ROUNDS; r++) {
		ball[i] = r * 2;                 /* serve */
		uk_semaphore_up(&ping[i]);
		uk_semaphore_down(&pong[i]);
		if (ball[i] != r * 2 + 1)        /* the ponger's answer */
			return (void *)-1L;
		sum += ball[i];
	}
	return (void *)sum;
}

static void *ponger(void *arg)
{
	unsigned int i = (unsigned int)(uintptr_t)arg;

	for (int r = 0; r < ROUNDS; r++) {
		uk_semaphore_down(&ping[i]);
		if (ball[i] != r * 2)
			return (void *)-1L;
		ball[i]++;
		uk_semaphore_up(&pong[i]);
	}
	return (void *)0L;
}

UK_TESTCASE(uklock, sixty_four_threads_ping_pong_semaphores)
{
	struct uk_thread *t[NPP];
	long expect = 0;
	void *ret;
	int i;

	for (int r = 0; r < ROUNDS; r++)
		expect += r * 2 + 1;
	for (i = 0; i < NPP / 2; i++) {
		uk_semaphore_init(&ping[i], 0);
		uk_semaphore_init(&pong[i], 0);
	}
	for (i = 0; i < NPP; i++)
		UK_TEST_ASSERT(uk_thread_create(&t[i], i & 1 ? "pong" : "ping", 8192,
						i & 1 ? ponger : pinger,
						(void *)(uintptr_t)(i / 2)) == 0);
	for (i = 0; i < NPP; i++) {
		UK_TEST_EXPECT_EQ(uk_thread_join(t[i], &ret), 0);
		UK_TEST_EXPECT_EQ((long)ret, i & 1 ? 0 : expect);
	}
}

/* ---- 64 threads ping-pong through condition variables ----------------- */

static struct uk_mutex cv_mutex;
static struct uk_condvar cv_turn;
static volatile unsigned int cv_token;     /* whose turn: 0..NPP-1 */
static volatile unsigned int cv_trace[NPP * ROUNDS];
static volatile unsigned int cv_pos;

static void *cv_player(void *arg)
{
	unsigned int me = (unsigned int)(uintptr_t)arg;

	for (int r = 0; r < ROUNDS; r++) {
		uk_mutex_lock(&cv_mutex);
		while (cv_token != me)
			uk_condvar_wait(&cv_turn, &cv_mutex);
		cv_trace[cv_pos++] = me;
		cv_token = (me + 1) % NPP;        /* pass the ball on */
		uk_condvar_broadcast(&cv_turn);
		uk_mutex_unlock(&cv_mutex);
	}
	return (void *)(uintptr_t)me;
}

UK_TESTCASE(uklock, sixty_four_threads_ping_pong_condvars)
{
	struct uk_thread *t[NPP];
	void *ret;
	unsigned int i;

	uk_mutex_init(&cv_mutex, false);
	uk_condvar_init(&cv_turn);
	cv_token = 0;
	cv_pos = 0;
	for (i = 0; i < NPP; i++)
		UK_TEST_ASSERT(uk_thread_create(&t[i], "cv", 8192, cv_player,
						(void *)(uintptr_t)i) == 0);
	for (i = 0; i < NPP; i++) {
		UK_TEST_EXPECT_EQ(uk_thread_join(t[i], &ret), 0);
		UK_TEST_EXPECT_EQ((uintptr_t)ret, i);
	}
	UK_TEST_EXPECT_EQ(cv_pos, NPP * ROUNDS);
	for (i = 0; i < NPP * ROUNDS; i++)
		if (cv_trace[i] != i % NPP) {
			UK_TEST_EXPECT_EQ(cv_trace[i], i % NPP);
			break;
		}
}

/* ---- producer / consumer over a bounded queue ----------------------------- */

#define QCAP 4
#define NITEMS 500
#define NPROD 3
#define NCONS 3

static struct {
	struct uk_mutex lock;
	struct uk_condvar not_full, not_empty;
	unsigned int buf[QCAP];
	unsigned int head, count, max_count;
} q;

static void *producer(void *arg)
{
	unsigned int base = (unsigned int)(uintptr_t)arg * NITEMS;

	for (unsigned int i = 0; i < NITEMS; i++) {
		uk_mutex_lock(&q.lock);
		while (q.count == QCAP)
			uk_condvar_wait(&q.not_full, &q.lock);
		q.buf[(q.head + q.count) % QCAP] = base + i + 1;
		q.count++;
		q.max_count = UK_MAX(q.max_count, q.count);
		uk_condvar_signal(&q.not_empty);
		uk_mutex_unlock(&q.lock);
		if (i % 7 == 0)
			uk_sched_yield();
	}
	return NULL;
}

static void *consumer(void *arg)
{
	unsigned long sum = 0;
	unsigned int v;

	(void)arg;
	for (;;) {
		uk_mutex_lock(&q.lock);
		while (q.count == 0)
			uk_condvar_wait(&q.not_empty, &q.lock);
		v = q.buf[q.head];
		q.head = (q.head + 1) % QCAP;
		q.count--;
		uk_condvar_signal(&q.not_full);
		uk_mutex_unlock(&q.lock);
		if (!v)                          /* the end marker */
			return (void *)sum;
		sum += v;
	}
}

UK_TESTCASE(uklock, producer_consumer_bounded_queue)
{
	struct uk_thread *p[NPROD], *c[NCONS];
	unsigned long total = 0, n = NPROD * NITEMS;
	void *ret;
	int i;

	uk_mutex_init(&q.lock, false);
	uk_condvar_init(&q.not_full);
	uk_condvar_init(&q.not_empty);
	q.head = q.count = q.max_count = 0;
	for (i = 0; i < NCONS; i++)
		UK_TEST_ASSERT(uk_thread_create(&c[i], "consumer", 0, consumer, NULL) == 0);
	for (i = 0; i < NPROD; i++)
		UK_TEST_ASSERT(uk_thread_create(&p[i], "producer", 0, producer,
						(void *)(uintptr_t)i) == 0);
	for (i = 0; i < NPROD; i++)
		UK_TEST_EXPECT_EQ(uk_thread_join(p[i], NULL), 0);
	for (i = 0; i < NCONS; i++) {           /* one end marker each */
		uk_mutex_lock(&q.lock);
		while (q.count == QCAP)
			uk_condvar_wait(&q.not_full, &q.lock);
		q.buf[(q.head + q.count) % QCAP] = 0;
		q.count++;
		uk_condvar_signal(&q.not_empty);
		uk_mutex_unlock(&q.lock);
	}
	for (i = 0; i < NCONS; i++) {
		UK_TEST_EXPECT_EQ(uk_thread_join(c[i], &ret), 0);
		total += (unsigned long)ret;
	}
	UK_TEST_EXPECT_EQ(total, n * (n + 1) / 2);     /* every item exactly once */
	UK_TEST_EXPECT(q.max_count <= QCAP);
	UK_TEST_EXPECT_EQ(q.count, 0);
}

/* ---- mutex, rwlock -------------------------------------------------------- */

static struct uk_mutex rmutex;
static volatile unsigned long counter;

static void *mutex_worker(void *arg)
{
	for (int i = 0; i < 1000; i++) {
		uk_mutex_lock(&rmutex);
		uk_mutex_lock(&rmutex);         /* recursive */
		unsigned long c = counter;
		if (i % 3 == 0)
			uk_sched_yield();       /* holding it: others must wait */
		counter = c + 1;
		uk_mutex_unlock(&rmutex);
		uk_mutex_unlock(&rmutex);
	}
	return arg;
}

UK_TESTCASE(uklock, recursive_mutex_excludes)
{
	struct uk_thread *t[4];
	int i;

	uk_mutex_init(&rmutex, true);
	counter = 0;
	for (i = 0; i < 4; i++)
		UK_TEST_ASSERT(uk_thread_create(&t[i], "mutex", 0, mutex_worker, NULL) == 0);
	for (i = 0; i < 4; i++)
		UK_TEST_EXPECT_EQ(uk_thread_join(t[i], NULL), 0);
	UK_TEST_EXPECT_EQ(counter, 4000);
	UK_TEST_EXPECT(!uk_mutex_is_locked(&rmutex));
}

static struct uk_rwlock rw;
static volatile int readers_in, max_readers_in, writer_in, rw_bad;

static void *rw_reader(void *arg)
{
	for (int i = 0; i < 50; i++) {
		uk_rwlock_rlock(&rw);
		readers_in++;
		max_readers_in = UK_MAX(max_readers_in, readers_in);
		if (writer_in)
			rw_bad = 1;
		uk_sched_yield();
		readers_in--;
		uk_rwlock_runlock(&rw);
		uk_sched_yield();
	}
	return arg;
}

static void *rw_writer(void *arg)
{
	for (int i = 0; i < 20; i++) {
		uk_rwlock_wlock(&rw);
		writer_in = 1;
		if (readers_in)
			rw_bad = 1;
		uk_sched_yield();
		writer_in = 0;
		uk_rwlock_wunlock(&rw);
		uk_sched_yield();
	}
	return arg;
}

UK_TESTCASE(uklock, rwlock_readers_share_writers_exclude)
{
	struct uk_thread *t[6];
	int i;

	uk_rwlock_init(&rw);
	rw_bad = readers_in = max_readers_in = writer_in = 0;
	for (i = 0; i < 6; i++)
		UK_TEST_ASSERT(uk_thread_create(&t[i], i < 4 ? "reader" : "writer", 0,
						i < 4 ? rw_reader : rw_writer, NULL) == 0);
	for (i = 0; i < 6; i++)
		UK_TEST_EXPECT_EQ(uk_thread_join(t[i], NULL), 0);
	UK_TEST_EXPECT_EQ(rw_bad, 0);
	UK_TEST_EXPECT(max_readers_in > 1);
}

/* ---- sleep ---------------------------------------------------------------- */

static void *sleeper(void *arg)
{
	uint64_t d = (uint64_t)(uintptr_t)arg;
	uint64_t deadline = uk_time_now_ns() + d;

	uk_sched_sleep_until(deadline);
	return (void *)(uintptr_t)(uk_time_now_ns() - deadline + 1);   /* >= 1: not early */
}

UK_TESTCASE(uksched, sleeps_wake_no_earlier_than_the_deadline)
{
	static const uint64_t ms[] = { 1, 2, 5, 10, 3, 7, 20, 1 };
	struct uk_thread *t[UK_ARRAY_SIZE(ms)];
	uint64_t late[UK_ARRAY_SIZE(ms)], min = UINT64_MAX, max = 0, sum = 0;
	void *ret;
	unsigned int i;

	for (i = 0; i < UK_ARRAY_SIZE(ms); i++)
		UK_TEST_ASSERT(uk_thread_create(&t[i], "sleeper", 0, sleeper,
						(void *)(uintptr_t)(ms[i] * 1000000)) == 0);
	for (i = 0; i < UK_ARRAY_SIZE(ms); i++) {
		UK_TEST_EXPECT_EQ(uk_thread_join(t[i], &ret), 0);
		UK_TEST_EXPECT((uintptr_t)ret >= 1);   /* never before the deadline */
		late[i] = (uintptr_t)ret - 1;
		min = UK_MIN(min, late[i]);
		max = UK_MAX(max, late[i]);
		sum += late[i];
	}
	/* the distribution, for the host to report */
	uk_pr_crit("UK-SCHED-SLEEP n=%u min_ns=%llu max_ns=%llu mean_ns=%llu\n",
		   (unsigned int)UK_ARRAY_SIZE(ms), (unsigned long long)min,
		   (unsigned long long)max, (unsigned long long)(sum / UK_ARRAY_SIZE(ms)));
}

/* ---- the policies ----------------------------------------------------------- */

#if defined(CONFIG_UKSCHED_COOP)
#define NRR 5
#define RR_ROUNDS 4
static volatile unsigned int rr_trace[NRR * RR_ROUNDS];
static volatile unsigned int rr_pos;

static void *rr_thread(void *arg)
{
	for (int r = 0; r < RR_ROUNDS; r++) {
		rr_trace[rr_pos++] = (unsigned int)(uintptr_t)arg;
		uk_sched_yield();
	}
	return NULL;
}

UK_TESTCASE(ukschedcoop, order_is_exactly_round_robin)
{
	struct uk_thread *t[NRR];
	unsigned int i;

	rr_pos = 0;
	for (i = 0; i < NRR; i++)
		UK_TEST_ASSERT(uk_thread_create(&t[i], "rr", 0, rr_thread,
						(void *)(uintptr_t)i) == 0);
	/* nothing ran yet: creating does not switch */
	UK_TEST_EXPECT_EQ(rr_pos, 0);
	for (i = 0; i < NRR; i++)
		UK_TEST_EXPECT_EQ(uk_thread_join(t[i], NULL), 0);
	UK_TEST_EXPECT_EQ(rr_pos, NRR * RR_ROUNDS);
	for (i = 0; i < NRR * RR_ROUNDS; i++)
		UK_TEST_EXPECT_EQ(rr_trace[i], i % NRR);
}

static volatile int spun;

static void *spin_until_flag(void *arg)
{
	while (!spun)
		;
	return arg;
}

static void *set_flag(void *arg)
{
	spun = 1;
	return arg;
}

UK_TESTCASE(ukschedcoop, a_thread_runs_until_it_yields)
{
	struct uk_thread *a, *b;

	/* b is not run while a spins without yielding... unless a is
	 * started after b ran: run b first, then a returns at once */
	spun = 0;
	UK_TEST_ASSERT(uk_thread_create(&b, "flag", 0, set_flag, NULL) == 0);
	UK_TEST_ASSERT(uk_thread_create(&a, "spin", 0, spin_until_flag, NULL) == 0);
	UK_TEST_EXPECT_EQ(uk_thread_join(a, NULL), 0);
	UK_TEST_EXPECT_EQ(uk_thread_join(b, NULL), 0);
	UK_TEST_EXPECT_EQ(spun, 1);
}
#endif

#if defined(CONFIG_UKSCHED_PREEMPT) && !defined(CONFIG_PLAT_LINUXU)   /* linuxu: no timer interrupt */
static volatile int stop_spinning;
static volatile unsigned long progress[3];

static void *spinner(void *arg)
{
	while (!stop_spinning)
		;                              /* never yields */
	return arg;
}

static void *worker(void *arg)
{
	unsigned int i = (unsigned int)(uintptr_t)arg;

	for (int n = 0; n < 5; n++) {
		uint64_t until = uk_time_now_ns() + 3 * CONFIG_LIBUKSCHEDPREEMPT_QUANTUM_US * 1000ULL;

		while (uk_time_now_ns() < until)   /* busy too: no yield at all */
			progress[i]++;
	}
	return arg;
}

UK_TESTCASE(ukschedpreempt, a_spinning_thread_does_not_starve_others)
{
	struct uk_thread *s, *w[3];
	int i;

	stop_spinning = 0;
	UK_TEST_ASSERT(uk_thread_create(&s, "spinner", 0, spinner, NULL) == 0);
	for (i = 0; i < 3; i++)
		UK_TEST_ASSERT(uk_thread_create(&w[i], "worker", 0, worker,
						(void *)(uintptr_t)i) == 0);
	/* main blocks in join: the spinner runs first and never yields; only
	 * time slices let the workers (and then main) run */
	for (i = 0; i < 3; i++)
		UK_TEST_EXPECT_EQ(uk_thread_join(w[i], NULL), 0);
	for (i = 0; i < 3; i++)
		UK_TEST_EXPECT(progress[i] > 0);
	stop_spinning = 1;
	UK_TEST_EXPECT_EQ(uk_thread_join(s, NULL), 0);
}
#endif

/* ---- a wake during a sleep ----------------------------------------------- */

static void *early_woken(void *arg)
{
	uint64_t deadline = uk_time_now_ns() + 3000000;

	uk_sched_sleep_until(deadline);
	return (void *)(uintptr_t)(uk_time_now_ns() >= deadline);
}

UK_TESTCASE(uksched, a_wake_does_not_end_a_sleep_early)
{
	struct uk_thread *t;
	void *ret;

	UK_TEST_ASSERT(uk_thread_create(&t, "woken", 0, early_woken, NULL) == 0);
	uk_sched_yield();               /* it runs and sleeps */
	uk_thread_wake(t);              /* ... and is woken at once */
	uk_thread_wake(t);
	UK_TEST_EXPECT_EQ(uk_thread_join(t, &ret), 0);
	UK_TEST_EXPECT_EQ((uintptr_t)ret, 1);
	/* it was freed: later sleeps must not find it on the sleepers list */
	uk_sched_sleep_until(uk_time_now_ns() + 1000000);
}

/* ---- an interrupt wakes threads --------------------------------------- */

#if !defined(CONFIG_PLAT_LINUXU)                /* linuxu: no interrupts */
static struct uk_semaphore irq_sem;
static struct uk_timer_event irq_ev;
static volatile int irq_fired;

/* Interrupt context: up the semaphore, three times 1 ms apart. */
static void irq_up(struct uk_timer_event *ev, void *arg __unused)
{
	irq_fired++;
	uk_semaphore_up(&irq_sem);
	if (irq_fired < 3)
		uk_timer_event_arm(ev, uk_time_now_ns() + 1000000, irq_up, NULL);
}

static void *irq_waiter(void *arg)
{
	uk_semaphore_down(&irq_sem);            /* only the interrupt ups it */
	return arg;
}

UK_TESTCASE(uklock, an_interrupt_wakes_waiting_threads)
{
	struct uk_thread *t[2];
	int i;

	uk_semaphore_init(&irq_sem, 0);
	irq_fired = 0;
	for (i = 0; i < 2; i++)
		UK_TEST_ASSERT(uk_thread_create(&t[i], "irqwait", 0, irq_waiter, NULL) == 0);
	UK_TEST_ASSERT(uk_timer_event_arm(&irq_ev, uk_time_now_ns() + 1000000, irq_up, NULL) == 0);
	uk_semaphore_down(&irq_sem);
	for (i = 0; i < 2; i++)
		UK_TEST_EXPECT_EQ(uk_thread_join(t[i], NULL), 0);
	UK_TEST_EXPECT_EQ(irq_fired, 3);
	UK_TEST_EXPECT_EQ(irq_sem.count, 0);
}
#endif

/* ---- timed waits on a wait queue -------------------------------------- */

static struct uk_waitq tw_q = UK_WAITQ_INITIALIZER;
static volatile int tw_rc[2];

static void *tw_waiter(void *arg)
{
	unsigned long flags = ukplat_lcpu_save_irqf();
	long i = (long)arg;

	/* waiter 0: 60 s deadline (woken by main long before, however slow
	 * the host); waiter 1: 5 ms (times out) */
	tw_rc[i] = uk_waitq_wait_until_locked(&tw_q, uk_time_now_ns() +
					      (i ? 5000000ULL : 60000000000ULL));
	ukplat_lcpu_restore_irqf(flags);
	return NULL;
}

UK_TESTCASE(uklock, a_timed_wait_times_out_and_leaves_the_queue)
{
	unsigned long flags;
	uint64_t t0 = uk_time_now_ns(), t1;
	struct uk_thread *t[2];
	long i;
	int r;

	/* alone: -ETIMEDOUT no earlier than the deadline */
	flags = ukplat_lcpu_save_irqf();
	r = uk_waitq_wait_until_locked(&tw_q, t0 + 2000000);
	ukplat_lcpu_restore_irqf(flags);
	t1 = uk_time_now_ns();
	UK_TEST_EXPECT_EQ(r, -ETIMEDOUT);
	UK_TEST_ASSERT(t1 >= t0 + 2000000);
	UK_TEST_ASSERT(uk_waitq_empty(&tw_q));

	/* two waiters: the short one times out and leaves; a wake then
	 * picks the other (not the departed entry). Main waits for the
	 * time-out itself (up to 10 s), not a fixed 20 ms: the host may stop
	 * the vCPU before waiter 1 even read the clock for its deadline. */
	tw_rc[0] = tw_rc[1] = 1;
	for (i = 0; i < 2; i++)
		UK_TEST_ASSERT(uk_thread_create(&t[i], "timedwait", 0, tw_waiter, (void *)i) == 0);
	t0 = uk_time_now_ns();
	do
		uk_sched_sleep_until(uk_time_now_ns() + 1000000);
	while (tw_rc[1] == 1 && uk_time_now_ns() - t0 < 10000000000ULL);
	UK_TEST_EXPECT_EQ(tw_rc[1], -ETIMEDOUT);
	UK_TEST_EXPECT_EQ(tw_rc[0], 1);         /* still waiting */
	UK_TEST_ASSERT(uk_waitq_wake_one(&tw_q));
	for (i = 0; i < 2; i++)
		UK_TEST_EXPECT_EQ(uk_thread_join(t[i], NULL), 0);
	UK_TEST_EXPECT_EQ(tw_rc[0], 0);
	UK_TEST_ASSERT(uk_waitq_empty(&tw_q));
}

/* ---- the allocator from several threads ------------------------------- */

#define ALLOC_THREADS 4
#define ALLOC_SLOTS 16

/* Allocates, marks, checks and frees blocks of varied sizes for 200 ms of
 * guest time (20 time slices under preempt; the loop is mostly
 * allocator code, so preemptions land inside it). Returns the number of
 * corrupted blocks seen, ~0 if an allocation failed. */
static void *alloc_worker(void *arg)
{
	struct uk_alloc *a = uk_alloc_get_default();
	unsigned char *slot[ALLOC_SLOTS] = { 0 };
	size_t len[ALLOC_SLOTS] = { 0 };
	unsigned int seed = (unsigned int)(uintptr_t)arg * 2654435761u + 1, bad = 0;
	unsigned char tag = (unsigned char)(uintptr_t)arg;
	uint64_t until = uk_time_now_ns() + 200000000ULL;
	unsigned long rounds = 0;

	while (uk_time_now_ns() < until || rounds < 500) {
		unsigned int i = (seed = seed * 1103515245u + 12345u) >> 16 & (ALLOC_SLOTS - 1);

		if (slot[i]) {
			bad += slot[i][0] != tag || slot[i][len[i] - 1] != tag ||
			       slot[i][len[i] / 2] != (unsigned char)~tag;
			uk_free(a, slot[i]);
			slot[i] = NULL;
		} else {
			len[i] = 16 + (seed >> 4) % 512;
			slot[i] = uk_malloc(a, len[i]);
			if (!slot[i])
				return (void *)(uintptr_t)~0u;
			slot[i][0] = slot[i][len[i] - 1] = tag;   /* the ends and the */
			slot[i][len[i] / 2] = (unsigned char)~tag; /* middle: cheap */
		}
		rounds++;
	}
	for (unsigned int i = 0; i < ALLOC_SLOTS; i++)
		uk_free(a, slot[i]);
	return (void *)(uintptr_t)bad;
}

UK_TESTCASE(ukalloc_threads, concurrent_malloc_free_keeps_blocks_intact)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_alloc_stats before, after;
	struct uk_thread *t[ALLOC_THREADS];
	void *ret;
	int i;

	uk_alloc_stats(a, &before);
	for (i = 0; i < ALLOC_THREADS; i++)
		UK_TEST_ASSERT(uk_thread_create(&t[i], "alloc", 0, alloc_worker,
						(void *)(uintptr_t)(i + 1)) == 0);
	for (i = 0; i < ALLOC_THREADS; i++) {
		UK_TEST_EXPECT_EQ(uk_thread_join(t[i], &ret), 0);
		UK_TEST_EXPECT_EQ((uintptr_t)ret, 0);
	}
	uk_alloc_stats(a, &after);
	UK_TEST_EXPECT_EQ(after.cur_bytes, before.cur_bytes);
	UK_TEST_EXPECT_EQ(after.nb_allocs - before.nb_allocs, after.nb_frees - before.nb_frees);
}

/* ---- block / wake another thread ------------------------------------- */

static volatile unsigned long ticks;
static volatile int ticker_stop;

static void *ticker(void *arg)
{
	while (!ticker_stop) {
		ticks++;
		uk_sched_yield();
	}
	return arg;
}

UK_TESTCASE(uksched, block_and_wake_another_thread)
{
	struct uk_thread *t;
	unsigned long seen;
	int i;

	ticks = 0;
	ticker_stop = 0;
	UK_TEST_ASSERT(uk_thread_create(&t, "ticker", 0, ticker, NULL) == 0);
	for (i = 0; i < 5; i++)
		uk_sched_yield();
	UK_TEST_EXPECT(ticks > 0);
	uk_thread_block(t);                     /* queued: dropped from the queue */
	uk_sched_yield();
	seen = ticks;
	for (i = 0; i < 5; i++)
		uk_sched_yield();
	UK_TEST_EXPECT_EQ(ticks, seen);         /* it did not run */
	uk_thread_wake(t);
	for (i = 0; i < 5; i++)
		uk_sched_yield();
	UK_TEST_EXPECT(ticks > seen);
	UK_TEST_EXPECT_EQ(uk_thread_detach(t), 0);
	UK_TEST_EXPECT_EQ(uk_thread_join(t, NULL), -EINVAL);   /* detached */
	UK_TEST_EXPECT_EQ(uk_thread_detach(t), -EINVAL);
	ticker_stop = 1;                        /* t may be freed from here on */
	uk_sched_yield();
}

/* ---- a wake from an interrupt --------------------------------------------- */

static struct uk_thread *lone_thread;
static volatile int lone_woken;

static void wake_lone_thread(struct uk_timer_event *ev __unused, void *arg __unused)
{
	lone_woken = 1;
	uk_thread_wake(lone_thread);
}

/* The only thread blocks; a timer interrupt wakes it while the scheduler
 * idles with it still current. It must run again (it once stayed off the
 * run queue: the guest halted for good). */
UK_TESTCASE(uksched, interrupt_wakes_the_only_thread_while_idle)
{
	static struct uk_timer_event ev;
	unsigned long flags;
	int rc;

	lone_thread = uk_thread_current();
	lone_woken = 0;
	flags = ukplat_lcpu_save_irqf();
	rc = uk_timer_event_arm(&ev, uk_time_now_ns() + 2000000, wake_lone_thread, NULL);
	if (rc == -ENOTSUP) {                   /* linuxu: no timer interrupt */
		ukplat_lcpu_restore_irqf(flags);
		UK_TEST_EXPECT_EQ(rc, -ENOTSUP);
		return;
	}
	UK_TEST_ASSERT(rc == 0);
	while (!lone_woken) {
		uk_thread_block_locked(lone_thread);
		uk_sched_yield_locked();
	}
	ukplat_lcpu_restore_irqf(flags);
	UK_TEST_EXPECT(lone_woken);
}

/* One interrupt wakes the current thread (blocked, the scheduler idling
 * with it still current) and another blocked thread. The scheduler runs
 * the other one first; the woken current thread must still be queued and
 * run again (it was marked running but never queued: lost for good, and
 * the guest halted once the other thread ended). */
static struct uk_thread *other_thread;
static volatile int other_go, other_ran;

static void *blocked_other(void *arg __unused)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	while (!other_go) {
		uk_thread_block_locked(uk_thread_current());
		uk_sched_yield_locked();
	}
	ukplat_lcpu_restore_irqf(flags);
	other_ran = 1;
	return NULL;
}

static void wake_both(struct uk_timer_event *ev __unused, void *arg __unused)
{
	lone_woken = 1;
	other_go = 1;
	uk_thread_wake(lone_thread);            /* current: marked running */
	uk_thread_wake(other_thread);           /* queued */
}

UK_TESTCASE(uksched, interrupt_wakes_the_idle_current_thread_and_another)
{
	static struct uk_timer_event ev;
	unsigned long flags;
	int rc;

	lone_thread = uk_thread_current();
	lone_woken = other_go = other_ran = 0;
	UK_TEST_ASSERT(uk_thread_create(&other_thread, "blocked-other", 0, blocked_other, NULL) == 0);
	uk_sched_yield();                       /* it blocks */
	flags = ukplat_lcpu_save_irqf();
	rc = uk_timer_event_arm(&ev, uk_time_now_ns() + 5000000, wake_both, NULL);
	if (rc == -ENOTSUP) {                   /* linuxu: no timer interrupt */
		other_go = 1;
		uk_thread_wake_locked(other_thread);
		ukplat_lcpu_restore_irqf(flags);
		UK_TEST_EXPECT_EQ(uk_thread_join(other_thread, NULL), 0);
		return;
	}
	UK_TEST_ASSERT(rc == 0);
	while (!lone_woken) {
		uk_thread_block_locked(lone_thread);
		uk_sched_yield_locked();
	}
	ukplat_lcpu_restore_irqf(flags);
	UK_TEST_EXPECT_EQ(uk_thread_join(other_thread, NULL), 0);
	UK_TEST_EXPECT(other_ran);
}
