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
 * call_floor: a call to an empty function, for scale.
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

/* The floor: a call to a function that returns at once, through the same
 * loop (what any function call costs on this machine and accelerator). */
static __attribute__((noipa)) long empty(long nr)
{
	return nr;
}

static uint64_t *samples;
static unsigned long n, ops;

/* Time n samples of ops calls `expr` (the call written out, not through a
 * function pointer: nothing but the syscall in the loop); each result must
 * satisfy `ok(r)`. Sets err after a BENCH-ERROR line. */
#define MEASURE(name, expr, ok) do {                                        \
	unsigned long i_, j_;                                               \
	long bad_ = 0;                                                      \
	for (i_ = 0; i_ < n; i_++) {                                        \
		uint64_t t0_ = bench_now_ns();                              \
		for (j_ = 0; j_ < ops; j_++) {                              \
			long r = (expr);                                    \
			bad_ |= !(ok);                                      \
		}                                                           \
		samples[i_] = bench_now_ns() - t0_;                         \
	}                                                                   \
	if (bad_) {                                                         \
		printf("BENCH-ERROR %s: unexpected result\n", name);        \
		err = 1;                                                    \
	} else {                                                            \
		bench_report(name, samples, n, (unsigned)ops);              \
	}                                                                   \
} while (0)

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
	MEASURE("call_floor", empty(NR_NONE), r == NR_NONE);
	MEASURE("trap_enosys", trap(NR_NONE), r == -38);
#if HAVE_GETPPID
	MEASURE("trap_getppid", trap(NR_GETPPID), r >= 0);
#endif
#ifndef BENCH_ON_LINUX
	MEASURE("native_enosys", uk_syscall(NR_NONE, 0, 0, 0, 0, 0, 0), r == -38);
#if HAVE_GETPPID
	MEASURE("native_getppid", uk_syscall(NR_GETPPID, 0, 0, 0, 0, 0, 0), r >= 0);
#endif
#endif
	printf("BENCH-DONE\n");
	return bench_finish(err ? 1 : 0);
}
