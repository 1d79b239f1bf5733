/* SPDX-License-Identifier: BSD-3-Clause */
/* strdup, strndup: copies on the heap (malloc). */
#include <string.h>
#include <stdlib.h>

char *strndup(const char *s, size_t n)
{
	char *d;

	n = strnlen(s, n);
	d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

char *strdup(const char *s)
{
	return strndup(s, (size_t)-1);
}
