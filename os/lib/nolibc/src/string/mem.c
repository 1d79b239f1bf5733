/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * memcpy, memmove, memset, memcmp, memchr, memrchr. The copy and fill loops
 * move a word at a time once the pointers are word-aligned, when both can be
 * (arm64 is built with -mstrict-align: never an unaligned word). library.toml builds this
 * with -fno-tree-loop-distribute-patterns: otherwise gcc turns these loops
 * into calls to memcpy/memset, i.e. into themselves.
 */
#include <string.h>
#include <stdint.h>

/*
 * With link-time optimisation, gcc may emit calls to memcpy/memset/memmove/
 * memcmp (struct copies, -mstrict-align) after LTO has already dropped them
 * as unreferenced: keep them in LTO builds.
 */
#if defined(CONFIG_OPTIMIZE_LTO)
#define LTO_KEEP __attribute__((used))
#else
#define LTO_KEEP
#endif

typedef unsigned long __attribute__((__may_alias__)) word_t;
#define WS sizeof(word_t)
#define ALIGNED(a, b) ((((uintptr_t)(a) | (uintptr_t)(b)) & (WS - 1)) == 0)

/* Forward copy; by words once both pointers are aligned, if they can be. */
static void copy_fwd(unsigned char *d, const unsigned char *s, size_t n)
{
	if ((((uintptr_t)d ^ (uintptr_t)s) & (WS - 1)) == 0) {
		for (; n && ((uintptr_t)d & (WS - 1)); n--)
			*d++ = *s++;
		for (; n >= WS; n -= WS, d += WS, s += WS)
			*(word_t *)d = *(const word_t *)s;
	}
	while (n--)
		*d++ = *s++;
}

LTO_KEEP void *memcpy(void *__restrict dst, const void *__restrict src, size_t n)
{
	copy_fwd(dst, src, n);
	return dst;
}

LTO_KEEP void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n) {
		/* forward: every write lands behind the next read */
		copy_fwd(d, s, n);
		return dst;
	}
	d += n;
	s += n;
	if (ALIGNED(d, s)) {
		for (; n >= WS; n -= WS) {
			d -= WS;
			s -= WS;
			*(word_t *)d = *(const word_t *)s;
		}
	}
	while (n--)
		*--d = *--s;
	return dst;
}

LTO_KEEP void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	for (; n && ((uintptr_t)d & (WS - 1)); n--)
		*d++ = (unsigned char)c;
	if (n >= WS) {
		word_t w = (unsigned char)c;

		w |= w << 8;
		w |= w << 16;
		w |= w << 16 << 16;     /* no-op where a word is 32 bits */
		for (; n >= WS; n -= WS, d += WS)
			*(word_t *)d = w;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

LTO_KEEP int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

void *memrchr(const void *s, int c, size_t n)
{
	const unsigned char *p = (const unsigned char *)s + n;

	while (n--)
		if (*--p == (unsigned char)c)
			return (void *)p;
	return NULL;
}
