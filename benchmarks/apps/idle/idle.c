/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The idle guest of the idle-cost benchmark (benchmarks/bench_idle.py):
 * says it is up, then sleeps [seconds] (default 60) in 1 s steps with
 * nanosleep, as its Linux twin (benchmarks/apps/linux/idle_init.c) does,
 * and exits. With no scheduler, nanosleep halts the CPU until the deadline
 * (tickless idle); with one, the idle thread does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char *argv[])
{
	int secs = argc > 1 ? atoi(argv[1]) : 60;
	struct timespec one = { 1, 0 };

	printf("BENCH-IDLE-READY\n");
	for (int i = 0; i < secs; i++)
		if (nanosleep(&one, NULL) != 0) {
			printf("BENCH-ERROR idle: nanosleep failed\n");
			return 1;
		}
	printf("BENCH-DONE\n");
	return 0;
}
