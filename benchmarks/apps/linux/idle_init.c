/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /init of the idle Linux VM (the idle-cost baseline): says it is up, then
 * sleeps in 1 s nanosleep steps, as benchmarks/apps/idle does in the
 * unikernel, for [seconds] (default: 600) and powers off. Built static with
 * -DBENCH_ON_LINUX.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "bench_clock.h"

int main(int argc, char *argv[])
{
	int secs = argc > 1 ? atoi(argv[1]) : 600;
	struct timespec one = { 1, 0 };

	printf("BENCH-IDLE-READY\n");
	fflush(stdout);
	for (int i = 0; i < secs; i++)
		nanosleep(&one, NULL);
	printf("BENCH-DONE\n");
	return bench_finish(0);
}
