/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The context-switch and thread-creation benchmark in the unikernel, over
 * uk/sched.h (whichever scheduler the image was built with): the twin of
 * benchmarks/apps/linux/ctxsw_pthread.c, same output (bench_report.h).
 *
 *   ctxsw [samples] [ops per sample]
 *
 * sem:    two threads pass a token through two semaphores (uk/semaphore.h);
 *         one round trip (main -> partner -> main) is 2 context switches.
 * yield:  two threads call uk_sched_yield() in turn; a round trip (main ->
 *         partner -> main) is 2 context switches. The partner counts its
 *         turns, printed as BENCH-INFO, so the harness can check that every
 *         yield did switch.
 * create: uk_thread_create + uk_thread_join of a thread returning its argument.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <uk/sched.h>
#include <uk/semaphore.h>
#include "bench_clock.h"
#include "bench_report.h"

#define STACK_SIZE (16 * 1024)

static struct uk_semaphore ping, pong;
static volatile int stop;
static volatile unsigned long partner_rounds;

static void *sem_partner(void *arg)
{
	(void)arg;
	for (;;) {
		uk_semaphore_down(&ping);
		if (stop)
			return NULL;
		uk_semaphore_up(&pong);
	}
}

static void *yield_partner(void *arg)
{
	(void)arg;
	while (!stop) {
		partner_rounds++;
		uk_sched_yield();
	}
	return NULL;
}

static void *ret_arg(void *arg)
{
	return arg;
}

int main(int argc, char *argv[])
{
	size_t n = argc > 1 ? (size_t)atol(argv[1]) : 10000;
	unsigned ops = argc > 2 ? (unsigned)atoi(argv[2]) : 16;
	uint64_t *s = malloc(n * sizeof(*s));
	struct uk_thread *t;
	unsigned long start_rounds;

	if (!s || n == 0 || ops < 2 || ops % 2) {
		printf("BENCH-ERROR ctxsw: samples > 0 and an even ops >= 2 (or out of memory)\n");
		return 1;
	}
	if (!uk_thread_current()) {
		printf("BENCH-ERROR ctxsw: no scheduler in this image\n");
		return 1;
	}

	uk_semaphore_init(&ping, 0);
	uk_semaphore_init(&pong, 0);
	if (uk_thread_create(&t, "sem", STACK_SIZE, sem_partner, NULL) != 0) {
		printf("BENCH-ERROR ctxsw: uk_thread_create failed\n");
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = bench_now_ns();

		for (unsigned k = 0; k < ops / 2; k++) {
			uk_semaphore_up(&ping);
			uk_semaphore_down(&pong);
		}
		s[i] = bench_now_ns() - t0;
	}
	stop = 1;
	uk_semaphore_up(&ping);
	uk_thread_join(t, NULL);
	bench_report("ctxsw_sem", s, n, ops);

	stop = 0;
	if (uk_thread_create(&t, "yield", STACK_SIZE, yield_partner, NULL) != 0) {
		printf("BENCH-ERROR ctxsw: uk_thread_create failed\n");
		return 1;
	}
	uk_sched_yield();
	start_rounds = partner_rounds;
	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = bench_now_ns();

		for (unsigned k = 0; k < ops / 2; k++)
			uk_sched_yield();
		s[i] = bench_now_ns() - t0;
	}
	stop = 1;
	printf("BENCH-INFO yield_partner_rounds=%lu main_rounds=%llu\n", partner_rounds - start_rounds,
	       (unsigned long long)n * (ops / 2));
	uk_thread_join(t, NULL);
	bench_report("ctxsw_yield", s, n, ops);

	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = bench_now_ns();
		void *ret = NULL;

		if (uk_thread_create(&t, "c", STACK_SIZE, ret_arg, &s[i]) != 0 ||
		    uk_thread_join(t, &ret) != 0 || ret != &s[i]) {
			printf("BENCH-ERROR ctxsw: create/join failed at %llu\n", (unsigned long long)i);
			return 1;
		}
		s[i] = bench_now_ns() - t0;
	}
	bench_report("thread_create", s, n, 1);
	printf("BENCH-DONE\n");
	return 0;
}
