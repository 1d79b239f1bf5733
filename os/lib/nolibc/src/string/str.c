/* SPDX-License-Identifier: BSD-3-Clause */
/* The str* functions of <string.h> that need no allocation. */
#include <string.h>

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

char *stpcpy(char *__restrict dst, const char *__restrict src)
{
	while ((*dst = *src++))
		dst++;
	return dst;
}

char *strcpy(char *__restrict dst, const char *__restrict src)
{
	stpcpy(dst, src);
	return dst;
}

char *strncpy(char *__restrict dst, const char *__restrict src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

char *strcat(char *__restrict dst, const char *__restrict src)
{
	stpcpy(dst + strlen(dst), src);
	return dst;
}

char *strncat(char *__restrict dst, const char *__restrict src, size_t n)
{
	char *d = dst + strlen(dst);

	while (n-- && *src)
		*d++ = *src++;
	*d = '\0';
	return dst;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	if (!n)
		return 0;
	while (--n && *a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

/* Only the "C" locale exists. */
int strcoll(const char *a, const char *b)
{
	return strcmp(a, b);
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (!n)
		return (char *)hay;
	for (; (hay = strchr(hay, *needle)); hay++)
		if (!strncmp(hay, needle, n))
			return (char *)hay;
	return NULL;
}

/* Bit set of the bytes in set; byte 0 is never a member. */
static void byteset(unsigned long bits[256 / (8 * sizeof(long))], const char *set)
{
	const unsigned int lb = 8 * sizeof(long);

	memset(bits, 0, 256 / 8);
	for (; *set; set++)
		bits[(unsigned char)*set / lb] |= 1UL << ((unsigned char)*set % lb);
}

static size_t span(const char *s, const char *set, int in)
{
	const unsigned int lb = 8 * sizeof(long);
	unsigned long bits[256 / (8 * sizeof(long))];
	const unsigned char *p = (const unsigned char *)s;

	byteset(bits, set);
	for (; *p; p++)
		if (!!(bits[*p / lb] & (1UL << (*p % lb))) != in)
			break;
	return (const char *)p - s;
}

size_t strspn(const char *s, const char *accept)
{
	return span(s, accept, 1);
}

size_t strcspn(const char *s, const char *reject)
{
	return span(s, reject, 0);
}

char *strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s ? (char *)s : NULL;
}

char *strsep(char **sp, const char *delim)
{
	char *s = *sp, *e;

	if (!s)
		return NULL;
	e = s + strcspn(s, delim);
	if (*e)
		*e++ = '\0';
	else
		e = NULL;
	*sp = e;
	return s;
}

char *strtok_r(char *__restrict s, const char *__restrict delim, char **__restrict save)
{
	if (!s && !(s = *save))
		return NULL;
	s += strspn(s, delim);
	if (!*s) {
		*save = NULL;
		return NULL;
	}
	*save = s + strcspn(s, delim);
	if (**save)
		*(*save)++ = '\0';
	else
		*save = NULL;
	return s;
}

char *strtok(char *__restrict s, const char *__restrict delim)
{
	static char *save;

	return strtok_r(s, delim, &save);
}
