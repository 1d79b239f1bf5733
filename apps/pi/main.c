/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pi to N decimals, an ordinary C program for musl (it builds unchanged
 * with any libc on Linux): a spigot (Rabinowitz-Wagon in base 10000, as in
 * Dik Winter's classic) over arrays sized for N with malloc, printed the
 * way a person reads it:
 *
 *   pi [N]          (N in [1, 100000], default 1000)
 *
 *   3.
 *   14159 26535 89793 23846 26433 83279 50288 41971 69399 37510
 *   ...
 *   pi: 1000 decimals
 *
 * Lines of 50 decimals in groups of five; an error (a bad N, no memory)
 * is one line on stderr and status 1.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DECIMALS 100000

/* The first n digits of pi ("3141..."), n a multiple of 4, in a new
 * string; NULL when memory runs out. */
static char *pi_digits(unsigned n)
{
	unsigned terms = n / 4 * 14, k = 0;
	uint32_t *f = malloc((terms + 1) * sizeof(*f));
	uint32_t *chunk = malloc((n / 4 + 1) * sizeof(*chunk));
	char *digits = malloc(n + 1);
	uint64_t d, e = 0;

	if (!f || !chunk || !digits) {
		free(f), free(chunk), free(digits);
		return NULL;
	}
	for (unsigned b = 0; b < terms; b++)
		f[b] = 2000;                    /* 10000 / 5 */
	for (unsigned c = terms; c > 0; c -= 14) {
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
	free(f);
	free(chunk);
	return digits;
}

int main(int argc, char *argv[])
{
	unsigned long n = 1000;
	char *end, *digits;

	if (argc > 1) {
		errno = 0;
		n = strtoul(argv[1], &end, 10);
		if (errno || *end || end == argv[1] || n < 1 || n > MAX_DECIMALS) {
			fprintf(stderr, "pi: '%s' is not a number of decimals in [1, %d]\n",
				argv[1], MAX_DECIMALS);
			return 1;
		}
	}
	/* one digit before the point, n after, and at least 8 guard digits
	 * (a run of 9s near the end is then settled), a multiple of 4 */
	digits = pi_digits((unsigned)((n + 1 + 8 + 3) / 4 * 4));
	if (!digits) {
		fprintf(stderr, "pi: out of memory for %lu decimals: %s\n", n, strerror(ENOMEM));
		return 1;
	}
	printf("%c.\n", digits[0]);
	for (unsigned long i = 0; i < n; i++) {
		putchar(digits[1 + i]);
		if (i + 1 == n || (i + 1) % 50 == 0)
			putchar('\n');
		else if ((i + 1) % 5 == 0)
			putchar(' ');
	}
	printf("pi: %lu decimals\n", n);
	free(digits);
	return 0;
}
