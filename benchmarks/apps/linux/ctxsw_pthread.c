/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The context-switch and thread-creation benchmark written with pthreads:
 * the Linux twin of benchmarks/apps/ctxsw (built static with -DBENCH_ON_LINUX,
 * run on the host and as /init of a Linux VM). Everything runs on one CPU
 * (the process pins itself to its first allowed CPU; the VM has one), as a
 * single-core unikernel does.
 *
 *   ctxsw_pthread [samples] [ops per sample]
 *
 * sem:    two threads pass a token through two POSIX semaphores; one round
 *         trip (main -> partner -> main) is 2 context switches.
 * yield:  two threads call sched_yield() in turn; one round trip is 2 switches.
 * create: pthread_create + pthread_join of a thread that returns its argument.
 * Output: bench_report.h's BENCH lines (ops = switches, or threads, per sample).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include "bench_clock.h"
#include "bench_report.h"

static sem_t ping, pong;
static volatile int stop;
static unsigned long partner_rounds;

static void *sem_partner(void *arg)
{
	(void)arg;
	for (;;) {
		sem_wait(&ping);
		if (stop)
			return NULL;
		sem_post(&pong);
	}
}

static void *yield_partner(void *arg)
{
	(void)arg;
	while (!stop) {
		partner_rounds++;
		sched_yield();
	}
	return NULL;
}

static void *ret_arg(void *arg)
{
	return arg;
}

static void pin_one_cpu(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return;
	for (int i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &set)) {
			CPU_ZERO(&set);
			CPU_SET(i, &set);
			sched_setaffinity(0, sizeof(set), &set);
			return;
		}
}

int main(int argc, char *argv[])
{
	size_t n = argc > 1 ? (size_t)atol(argv[1]) : 10000;
	unsigned ops = argc > 2 ? (unsigned)atoi(argv[2]) : 16;
	uint64_t *s = malloc(n * sizeof(*s));
	pthread_t t;

	if (!s || n == 0 || ops < 2 || ops % 2) {
		printf("BENCH-ERROR ctxsw: samples > 0 and an even ops >= 2\n");
		return bench_finish(1);
	}
	pin_one_cpu();

	sem_init(&ping, 0, 0);
	sem_init(&pong, 0, 0);
	pthread_create(&t, NULL, sem_partner, NULL);
	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = bench_now_ns();

		for (unsigned k = 0; k < ops / 2; k++) {
			sem_post(&ping);
			sem_wait(&pong);
		}
		s[i] = bench_now_ns() - t0;
	}
	stop = 1;
	sem_post(&ping);
	pthread_join(t, NULL);
	bench_report("ctxsw_sem", s, n, ops);

	stop = 0;
	pthread_create(&t, NULL, yield_partner, NULL);
	sched_yield();
	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = bench_now_ns();

		for (unsigned k = 0; k < ops / 2; k++)
			sched_yield();
		s[i] = bench_now_ns() - t0;
	}
	stop = 1;
	pthread_join(t, NULL);
	bench_report("ctxsw_yield", s, n, ops);
	printf("BENCH-INFO yield_partner_rounds=%lu main_rounds=%llu\n", partner_rounds,
	       (unsigned long long)n * (ops / 2));

	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = bench_now_ns();
		void *ret = NULL;

		if (pthread_create(&t, NULL, ret_arg, &s[i]) != 0 ||
		    pthread_join(t, &ret) != 0 || ret != &s[i]) {
			printf("BENCH-ERROR ctxsw: pthread_create/join failed at %zu\n", i);
			return bench_finish(1);
		}
		s[i] = bench_now_ns() - t0;
	}
	bench_report("thread_create", s, n, 1);
	printf("BENCH-DONE\n");
	return bench_finish(0);
}
