/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cost of one syscall (benchmarks/bench_syscall.py), the same source
 * for the unikernel (nolibc + uksyscall) and, built with -DBENCH_ON_LINUX,
 * for Linux (a VM's /init, and a process on the host).
 *
 *   syscall [samples] [ops per sample]
 *
 * enosys:  a number no Linux syscall has (x86_64 400, arm64 250, in the
 *          arch-specific hole): the whole way in and out, and the table
 *          lookup, with no handler work. Both kernels answer -ENOSYS.
 * getppid: the classic cheapest real syscall (a handler returning a
 *          number); in our image only with posix-process.
 * trap_*:  the instruction (x86_64 `syscall`, arm64 `svc #0`), as a
 *          prebuilt binary issues it; native_*: uk_syscall() (ours only),
 *          what musl's wrappers call: a function call, no trap.
 * Output: bench_report.h's BENCH lines, then BENCH-DONE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include "bench_clock.h"
#include "bench_report.h"

#ifdef BENCH_ON_LINUX
#include <sys/syscall.h>
#define NR_GETPPID SYS_getppid
#define HAVE_GETPPID 1
#else
#include <uk/syscall.h>
#define NR_GETPPID UK_NR_getppid
#if defined(CONFIG_LIBPOSIX_PROCESS)
#define HAVE_GETPPID 1
#else
#define HAVE_GETPPID 0
#endif
#endif

#if defined(__x86_64__)
#define NR_NONE 400
static inline long trap(long nr)
{
	long r;

	__asm__ __volatile__("syscall" : "=a"(r) : "a"(nr) : "rcx", "r11", "memory");
	return r;
}
#elif defined(__aarch64__)
#define NR_NONE 250
static inline long trap(long nr)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0");

	__asm__ __volatile__("svc #0" : "=r"(x0) : "r"(x8) : "memory");
	return x0;
}
#endif

#ifndef BENCH_ON_LINUX
static long native(long nr)
{
	return uk_syscall(nr, 0, 0, 0, 0, 0, 0);
}
#endif

static uint64_t *samples;
static unsigned long n, ops;

/* Time n samples of ops calls of fn(nr); every result must be `want`
 * (want_nonneg: any result >= 0). Returns 0, or -1 after a BENCH-ERROR. */
static int measure(const char *name, long (*fn)(long), long nr, long want, int want_nonneg)
{
	unsigned long i, j;

	for (i = 0; i < n; i++) {
		uint64_t t0 = bench_now_ns();
		long bad = 0;

		for (j = 0; j < ops; j++) {
			long r = fn(nr);

			bad |= want_nonneg ? (r < 0) : (r != want);
		}
		samples[i] = bench_now_ns() - t0;
		if (bad) {
			printf("BENCH-ERROR %s: unexpected result\n", name);
			return -1;
		}
	}
	bench_report(name, samples, n, (unsigned)ops);
	return 0;
}

int main(int argc, char *argv[])
{
	int err = 0;

	n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
	ops = argc > 2 ? strtoul(argv[2], NULL, 10) : 100;
	samples = malloc(n * sizeof(*samples));
	if (!samples || !n || !ops) {
		printf("BENCH-ERROR bad arguments or no memory\n");
		return bench_finish(1);
	}
	trap(NR_NONE);          /* our first ENOSYS prints its log line: not in a sample */
	err |= measure("trap_enosys", trap, NR_NONE, -38, 0);
#if HAVE_GETPPID
	err |= measure("trap_getppid", trap, NR_GETPPID, 0, 1);
#endif
#ifndef BENCH_ON_LINUX
	err |= measure("native_enosys", native, NR_NONE, -38, 0);
#if HAVE_GETPPID
	err |= measure("native_getppid", native, NR_GETPPID, 0, 1);
#endif
#endif
	printf("BENCH-DONE\n");
	return bench_finish(err ? 1 : 0);
}
