/* SPDX-License-Identifier: BSD-3-Clause */
/* pthreads: create and join with return values, a mutex under
 * contention, a condition variable between a producer and a consumer,
 * __thread variables per thread (initialised from the TLS image), many
 * threads at once, thread-specific keys with destructors, pthread_once,
 * errno per thread, semaphores and a detached thread, a read blocking on
 * a pipe until another thread writes. Threads only block through the
 * library (never spin), so a cooperative scheduler runs them too. */
#include "pt.h"

#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

static void *twice(void *arg)
{
	return (void *)((uintptr_t)arg * 2);
}

static void *exits_early(void *arg)
{
	pthread_exit((void *)((uintptr_t)arg + 1000));
	return NULL;
}

static void thr_create_join_values(void)
{
	pthread_t t[4];
	void *r;
	for (uintptr_t i = 0; i < 4; i++)
		PT_CHECK(pthread_create(&t[i], NULL, i % 2 ? twice : exits_early, (void *)i) == 0);
	for (uintptr_t i = 0; i < 4; i++) {
		PT_CHECK(pthread_join(t[i], &r) == 0);
		PT_CHECK((uintptr_t)r == (i % 2 ? i * 2 : i + 1000));
	}
}

static void *self_of(void *arg)
{
	*(pthread_t *)arg = pthread_self();
	return NULL;
}

static void thr_self_and_tid(void)
{
	pthread_t t, seen;
	PT_CHECK(pthread_create(&t, NULL, self_of, &seen) == 0);
	PT_CHECK(pthread_join(t, NULL) == 0);
	PT_CHECK(pthread_equal(t, seen) && !pthread_equal(t, pthread_self()));
}

static pid_t child_tid, child_pid;

static void *tids(void *arg)
{
	(void)arg;
	child_tid = gettid();
	child_pid = getpid();
	return NULL;
}

static void thr_gettid(void)
{
	pthread_t t;
	PT_CHECK(gettid() == getpid());            /* the main thread's tid is the pid */
	PT_CHECK(pthread_create(&t, NULL, tids, NULL) == 0);
	PT_CHECK(pthread_join(t, NULL) == 0);
	PT_CHECK(child_pid == getpid() && child_tid > 0 && child_tid != gettid());
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *add(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&lock);
		long v = counter;
		if (i % 1000 == 0)
			sched_yield();                       /* let the others contend */
		counter = v + 1;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void thr_mutex(void)
{
	pthread_t t[6];
	counter = 0;
	for (int i = 0; i < 6; i++)
		PT_CHECK(pthread_create(&t[i], NULL, add, NULL) == 0);
	for (int i = 0; i < 6; i++)
		PT_CHECK(pthread_join(t[i], NULL) == 0);
	PT_CHECK(counter == 6 * 20000);
	PT_CHECK(pthread_mutex_trylock(&lock) == 0);
	PT_CHECK(pthread_mutex_trylock(&lock) == EBUSY);
	PT_CHECK(pthread_mutex_unlock(&lock) == 0);
	pthread_mutexattr_t a;
	pthread_mutex_t ec;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	PT_CHECK(pthread_mutex_init(&ec, &a) == 0);
	PT_CHECK(pthread_mutex_lock(&ec) == 0 && pthread_mutex_lock(&ec) == EDEADLK);
	PT_CHECK(pthread_mutex_unlock(&ec) == 0 && pthread_mutex_unlock(&ec) == EPERM);
}

enum { QN = 8, ITEMS = 500 };
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;
static int queue[QN], qhead, qlen;

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&qlock);
		while (qlen == QN)
			pthread_cond_wait(&not_full, &qlock);
		queue[(qhead + qlen++) % QN] = i;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&qlock);
	}
	return NULL;
}

static void thr_cond_producer_consumer(void)
{
	pthread_t t;
	long sum = 0;
	int order_ok = 1;
	qhead = qlen = 0;
	PT_CHECK(pthread_create(&t, NULL, producer, NULL) == 0);
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&qlock);
		while (qlen == 0)
			pthread_cond_wait(&not_empty, &qlock);
		int v = queue[qhead];
		qhead = (qhead + 1) % QN;
		qlen--;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&qlock);
		order_ok &= v == i;
		sum += v;
	}
	PT_CHECK(pthread_join(t, NULL) == 0);
	PT_CHECK(order_ok && sum == (long)ITEMS * (ITEMS + 1) / 2);
	/* a timed wait that nobody signals times out, not early */
	struct timespec dl, now;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_nsec += 10000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&qlock);
	int r = pthread_cond_timedwait(&not_empty, &qlock, &dl);
	pthread_mutex_unlock(&qlock);
	clock_gettime(CLOCK_REALTIME, &now);
	PT_CHECK(r == ETIMEDOUT);
	PT_CHECK(now.tv_sec > dl.tv_sec || (now.tv_sec == dl.tv_sec && now.tv_nsec >= dl.tv_nsec));
}

static __thread int tls_init = 42;
static __thread char tls_zero[3000];
static pthread_barrier_t tls_barrier;

static void *tls_worker(void *arg)
{
	uintptr_t id = (uintptr_t)arg, bad = 0;
	bad |= tls_init != 42;
	for (size_t i = 0; i < sizeof(tls_zero); i++)
		bad |= tls_zero[i] != 0;
	tls_init = (int)id;
	memset(tls_zero, (int)id, sizeof(tls_zero));
	pthread_barrier_wait(&tls_barrier);         /* every thread has written its own */
	bad |= tls_init != (int)id || tls_zero[2999] != (char)id;
	return (void *)bad;
}

static void thr_tls(void)
{
	pthread_t t[4];
	void *bad;
	tls_init = 7;
	PT_CHECK(pthread_barrier_init(&tls_barrier, NULL, 4) == 0);
	for (uintptr_t i = 0; i < 4; i++)
		PT_CHECK(pthread_create(&t[i], NULL, tls_worker, (void *)(i + 1)) == 0);
	for (int i = 0; i < 4; i++) {
		PT_CHECK(pthread_join(t[i], &bad) == 0);
		PT_CHECK(bad == NULL);
	}
	PT_CHECK(tls_init == 7 && tls_zero[0] == 0);   /* main's own copies untouched */
	pthread_barrier_destroy(&tls_barrier);
}

static void *errno_worker(void *arg)
{
	(void)arg;
	errno = ENOENT;
	sched_yield();
	return (void *)(uintptr_t)(errno == ENOENT);
}

static void thr_errno_per_thread(void)
{
	pthread_t t;
	void *r;
	errno = EPERM;
	PT_CHECK(pthread_create(&t, NULL, errno_worker, NULL) == 0);
	sched_yield();
	int mine = errno;
	PT_CHECK(pthread_join(t, &r) == 0);
	PT_CHECK(mine == EPERM && r == (void *)1);
}

static void *slot_writer(void *arg)
{
	*(volatile int *)arg = 1;
	return arg;
}

static void thr_many(void)
{
	enum { N = 64 };
	static pthread_t t[N];
	static int slot[N];
	void *r;
	memset(slot, 0, sizeof(slot));
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i++)
			PT_CHECK(pthread_create(&t[i], NULL, slot_writer, &slot[i]) == 0);
		for (int i = 0; i < N; i++) {
			PT_CHECK(pthread_join(t[i], &r) == 0);
			PT_CHECK(r == &slot[i] && slot[i] == 1);
			slot[i] = 0;
		}
	}
}

static pthread_key_t key;
static volatile int destructed;

static void destroy(void *v)
{
	if (v == (void *)&key)
		destructed++;
}

static void *key_user(void *arg)
{
	(void)arg;
	int was_null = pthread_getspecific(key) == NULL;
	pthread_setspecific(key, &key);
	return (void *)(uintptr_t)(was_null && pthread_getspecific(key) == &key);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static volatile int once_runs;

static void once_fn(void)
{
	once_runs++;
}

static void *once_user(void *arg)
{
	(void)arg;
	pthread_once(&once, once_fn);
	return NULL;
}

static void thr_keys_and_once(void)
{
	pthread_t t[3];
	void *r;
	destructed = 0;
	PT_CHECK(pthread_key_create(&key, destroy) == 0);
	for (int i = 0; i < 3; i++)
		PT_CHECK(pthread_create(&t[i], NULL, key_user, NULL) == 0);
	for (int i = 0; i < 3; i++) {
		PT_CHECK(pthread_join(t[i], &r) == 0);
		PT_CHECK(r == (void *)1);
	}
	PT_CHECK(destructed == 3 && pthread_getspecific(key) == NULL);
	PT_CHECK(pthread_key_delete(key) == 0);
	for (int i = 0; i < 3; i++)
		PT_CHECK(pthread_create(&t[i], NULL, once_user, NULL) == 0);
	for (int i = 0; i < 3; i++)
		PT_CHECK(pthread_join(t[i], NULL) == 0);
	pthread_once(&once, once_fn);
	PT_CHECK(once_runs == 1);
}

static sem_t sem;

static void *poster(void *arg)
{
	(void)arg;
	for (int i = 0; i < 5; i++)
		sem_post(&sem);
	return NULL;
}

static void thr_detached_and_semaphore(void)
{
	pthread_t t;
	pthread_attr_t a;
	PT_CHECK(sem_init(&sem, 0, 0) == 0);
	PT_CHECK(pthread_attr_init(&a) == 0);
	PT_CHECK(pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED) == 0);
	PT_CHECK(pthread_attr_setstacksize(&a, 256 * 1024) == 0);
	PT_CHECK(pthread_create(&t, &a, poster, NULL) == 0);
	for (int i = 0; i < 5; i++)
		PT_OK(sem_wait(&sem));
	PT_ERRNO(sem_trywait(&sem), EAGAIN);
	pthread_attr_destroy(&a);
}

static int pipefd[2];

static void *pipe_writer(void *arg)
{
	(void)arg;
	sched_yield();
	write(pipefd[1], "wake", 4);
	return NULL;
}

static void thr_pipe_blocking_read(void)
{
	pthread_t t;
	char buf[8] = {0};
	PT_OK(pipe(pipefd));
	PT_CHECK(pthread_create(&t, NULL, pipe_writer, NULL) == 0);
	ssize_t n = read(pipefd[0], buf, sizeof(buf));   /* blocks until the thread writes */
	PT_CHECK(pthread_join(t, NULL) == 0);
	PT_CHECK(n == 4 && !strcmp(buf, "wake"));
	PT_OK(close(pipefd[0]));
	PT_OK(close(pipefd[1]));
}

const struct pt_case pt_thread_cases[] = {
	PT_CASE(thr_create_join_values),
	PT_CASE(thr_self_and_tid),
	PT_CASE(thr_gettid),
	PT_CASE(thr_mutex),
	PT_CASE(thr_cond_producer_consumer),
	PT_CASE(thr_tls),
	PT_CASE(thr_errno_per_thread),
	PT_CASE(thr_many),
	PT_CASE(thr_keys_and_once),
	PT_CASE(thr_detached_and_semaphore),
	PT_CASE(thr_pipe_blocking_read),
	PT_END
};
