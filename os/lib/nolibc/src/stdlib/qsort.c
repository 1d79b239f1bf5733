/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * qsort as a heapsort: O(n log n) in the worst case, no recursion, no extra
 * memory, small code. Not stable (neither is qsort). bsearch.
 */
#include <stdlib.h>
#include <stdint.h>

static void swap(char *a, char *b, size_t size)
{
	char t;

	if ((((uintptr_t)a | (uintptr_t)b | size) & (sizeof(long) - 1)) == 0) {
		typedef long __attribute__((__may_alias__)) word_t;
		word_t w;

		for (; size; size -= sizeof(long), a += sizeof(long), b += sizeof(long)) {
			w = *(word_t *)a;
			*(word_t *)a = *(word_t *)b;
			*(word_t *)b = w;
		}
		return;
	}
	for (; size; size--, a++, b++) {
		t = *a;
		*a = *b;
		*b = t;
	}
}

/* Moves element i down the max-heap of n elements. */
static void sift(char *base, size_t i, size_t n, size_t size,
		 int (*cmp)(const void *, const void *))
{
	size_t c;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && cmp(base + c * size, base + (c + 1) * size) < 0)
			c++;
		if (cmp(base + i * size, base + c * size) >= 0)
			return;
		swap(base + i * size, base + c * size, size);
		i = c;
	}
}

void qsort(void *base, size_t nmemb, size_t size,
	   int (*cmp)(const void *, const void *))
{
	char *b = base;
	size_t i;

	if (nmemb < 2 || !size)
		return;
	for (i = nmemb / 2; i-- > 0;)
		sift(b, i, nmemb, size, cmp);
	for (i = nmemb - 1; i > 0; i--) {
		swap(b, b + i * size, size);
		sift(b, 0, i, size, cmp);
	}
}

void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
	      int (*cmp)(const void *, const void *))
{
	const char *b = base;
	size_t lo = 0, hi = nmemb, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = cmp(key, b + mid * size);
		if (r == 0)
			return (void *)(b + mid * size);
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
