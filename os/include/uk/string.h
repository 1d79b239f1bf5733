/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * String helpers for kernel code (uk_ prefix): the few the boot path, the
 * crash path and the device tree reader need.
 *
 * Why here and not <string.h>: a kernel library must build whichever libc
 * the image selects (nolibc today, musl next, or none), and must not call
 * into it: the libc may not be initialised yet (crash and boot paths), may
 * be built with other flags, or be absent (LIBC_NONE). Why not the compiler
 * builtins: with -ffreestanding, __builtin_strlen() on a string not known at
 * compile time is a call to strlen, i.e. back into the libc. So these are
 * small static inline loops; a compile unit pays only for what it uses, and
 * none of them is recognised by GCC as a libc idiom.
 */
#ifndef UK_STRING_H
#define UK_STRING_H

#include <uk/essentials.h>

/* Length of the NUL-terminated string s. */
static inline size_t uk_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* Length of s, at most max: max means "no NUL in the first max bytes",
 * and nothing at or past s[max] is read. */
static inline size_t uk_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Are the NUL-terminated strings a and b equal? */
static inline bool uk_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* strncmp's contract: <0, 0, >0 as the first n bytes (or up to a NUL)
 * compare, as unsigned char. */
static inline int uk_strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	return 0;
}

/* Is the n-byte word s (not NUL-terminated) equal to the string z? */
static inline bool uk_strneq_word(const char *s, size_t n, const char *z)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!z[i] || s[i] != z[i])
			return false;
	return !z[n];
}

#endif
