/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The benchmark programs' one output format, shared by the unikernel apps
 * (nolibc) and their Linux twins (glibc), so benchmarks/results.py parses
 * both with one function:
 *
 *   BENCH <name> n=<samples> ops=<ops per sample> median_ns=<m> p10_ns=<a> p90_ns=<b> min_ns=<c>
 *   BENCH-DONE
 *
 * A sample is the time of `ops` operations (a batch, so that reading the
 * clock costs little next to what is measured); the cost of one operation
 * is median_ns / ops, computed by the harness. Header-only: both sides
 * build it with their own printf and qsort.
 */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

static int bench_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts samples[0..n) in place (n > 0) and prints its BENCH line. */
static void bench_report(const char *name, uint64_t *samples, size_t n, unsigned ops)
{
	qsort(samples, n, sizeof(*samples), bench_cmp_u64);
	printf("BENCH %s n=%llu ops=%u median_ns=%llu p10_ns=%llu p90_ns=%llu min_ns=%llu\n",
	       name, (unsigned long long)n, ops,
	       (unsigned long long)samples[n / 2],
	       (unsigned long long)samples[n / 10],
	       (unsigned long long)samples[n - 1 - n / 10],
	       (unsigned long long)samples[0]);
}

#endif
