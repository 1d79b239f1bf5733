/* SPDX-License-Identifier: BSD-3-Clause */
/* abs, labs, llabs, imaxabs, div, ldiv, lldiv, imaxdiv, rand, srand, rand_r. */
#include <stdlib.h>
#include <inttypes.h>

int abs(int v) { return v < 0 ? -v : v; }
long labs(long v) { return v < 0 ? -v : v; }
long long llabs(long long v) { return v < 0 ? -v : v; }
intmax_t imaxabs(intmax_t v) { return v < 0 ? -v : v; }

div_t div(int num, int den) { return (div_t){ num / den, num % den }; }
ldiv_t ldiv(long num, long den) { return (ldiv_t){ num / den, num % den }; }
lldiv_t lldiv(long long num, long long den) { return (lldiv_t){ num / den, num % den }; }
imaxdiv_t imaxdiv(intmax_t num, intmax_t den) { return (imaxdiv_t){ num / den, num % den }; }

/*
 * A 64-bit linear congruential generator (Knuth's MMIX constants); the top
 * 31 bits are the result. rand_r keeps its state in 32 bits, as its
 * signature demands, and mixes it with a 32-bit LCG and an xorshift.
 */
static unsigned long long seed = 1;

void srand(unsigned int s)
{
	seed = s;
}

int rand(void)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (int)(seed >> 33);
}

int rand_r(unsigned int *s)
{
	unsigned int x = *s = *s * 1103515245u + 12345u;

	x ^= x >> 11;
	x ^= (x << 7) & 0x9d2c5680u;
	x ^= (x << 15) & 0xefc60000u;
	x ^= x >> 18;
	return (int)(x >> 1);
}
