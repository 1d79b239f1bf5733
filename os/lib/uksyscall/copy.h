/* SPDX-License-Identifier: BSD-3-Clause */
/* uksyscall's private memory copy (no libc in the kernel): words when both
 * pointers are aligned alike, bytes otherwise. */
#ifndef UKSYSCALL_COPY_H
#define UKSYSCALL_COPY_H

#include <uk/essentials.h>

static inline void uksc_copy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		while (n && ((uintptr_t)d & 7)) {
			*d++ = *s++;
			n--;
		}
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
	}
	while (n--)
		*d++ = *s++;
}

#endif
