/* SPDX-License-Identifier: BSD-3-Clause */
/* strcasecmp, strncasecmp (<strings.h>): ASCII case folding. */
#include <strings.h>
#include <ctype.h>

int strcasecmp(const char *a, const char *b)
{
	const unsigned char *p = (const void *)a, *q = (const void *)b;

	while (*p && tolower(*p) == tolower(*q))
		p++, q++;
	return tolower(*p) - tolower(*q);
}

int strncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const void *)a, *q = (const void *)b;

	if (!n)
		return 0;
	while (--n && *p && tolower(*p) == tolower(*q))
		p++, q++;
	return tolower(*p) - tolower(*q);
}
