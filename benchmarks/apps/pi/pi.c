/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pi to N digits with a spigot (Rabinowitz-Wagon in base 10000, as in
 * Dik Winter's classic), the CPU-bound benchmark: the same file is the
 * unikernel app and, built with -DBENCH_ON_LINUX, the Linux process
 * (on the host and as /init of a Linux VM). No allocation: the state is
 * a static array sized for PI_MAX_DIGITS.
 *
 *   pi [digits] [reps] [pause_ms]     (digits rounded down to a multiple of 4)
 *
 * Prints, per repetition,  BENCH-PI rep=R digits=N ns=T hash=H head=3141...
 * (T: the time inside the guest; H: FNV-1a of the digit string, so every
 * run can be checked against the others and against a reference), then
 * BENCH-DONE. With pause_ms > 0, each repetition is framed by
 * BENCH-PI-START rep=R and its result line, each followed by a pause_ms
 * sleep: the harness reads QEMU's (or the process's) CPU time at both
 * lines while the program sleeps, which a loaded host cannot blur.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <time.h>
#include "bench_clock.h"

#define PI_MAX_DIGITS 20000
#define PI_MAX_TERMS (PI_MAX_DIGITS / 4 * 14)

static uint32_t f[PI_MAX_TERMS + 1];
static uint32_t chunk[PI_MAX_DIGITS / 4 + 1];
static char digits[PI_MAX_DIGITS + 1];

/* Fills digits[0..n) with the first n digits of pi ("3141..."); n % 4 == 0. */
static void pi_digits(unsigned n)
{
	unsigned c = n / 4 * 14, k = 0;
	uint64_t d = 0, e = 0;

	for (unsigned b = 0; b < c; b++)
		f[b] = 2000;                    /* 10000 / 5 */
	for (; c > 0; c -= 14) {
		uint64_t g = 2 * (uint64_t)c;

		d = 0;
		for (unsigned b = c; ; ) {
			d += (uint64_t)f[b] * 10000;
			f[b] = (uint32_t)(d % --g);
			d /= g--;
			if (--b == 0)
				break;
			d *= b;
		}
		chunk[k++] = (uint32_t)(e + d / 10000);  /* may be 10000+: a carry */
		e = d % 10000;
	}
	for (unsigned i = k; i-- > 1; ) {        /* propagate carries backwards */
		chunk[i - 1] += chunk[i] / 10000;
		chunk[i] %= 10000;
	}
	for (unsigned i = 0; i < k; i++)
		for (int j = 3; j >= 0; j--) {
			digits[4 * i + (unsigned)j] = (char)('0' + chunk[i] % 10);
			chunk[i] /= 10;
		}
	digits[n] = '\0';
}

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

/* Flush the line out (a pipe on the host buffers it), then sleep ms. */
static void pause_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	fflush(stdout);
	if (ms)
		nanosleep(&ts, NULL);
}

int main(int argc, char *argv[])
{
	unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 10000;
	unsigned reps = argc > 2 ? (unsigned)atoi(argv[2]) : 1;
	unsigned pause = argc > 3 ? (unsigned)atoi(argv[3]) : 0;

	n -= n % 4;
	if (n == 0 || n > PI_MAX_DIGITS) {
		printf("BENCH-ERROR pi: digits must be in [4, %d]\n", PI_MAX_DIGITS);
		return bench_finish(1);
	}
	for (unsigned r = 0; r < reps; r++) {
		if (pause) {
			printf("BENCH-PI-START rep=%u\n", r);
			pause_ms(pause);
		}
		uint64_t t0 = bench_now_ns();

		pi_digits(n);
		uint64_t t1 = bench_now_ns();

		printf("BENCH-PI rep=%u digits=%u ns=%llu hash=%08x head=%.20s\n", r, n,
		       (unsigned long long)(t1 - t0), (unsigned)fnv1a(digits), digits);
		pause_ms(pause);
	}
	printf("BENCH-DONE\n");
	return bench_finish(0);
}
