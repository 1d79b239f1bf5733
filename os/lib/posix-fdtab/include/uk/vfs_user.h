/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Copies between the kernel and a syscall's caller, for the vfs libraries:
 * sys's <uk/uaccess.h> (0 or -EFAULT). Until that library is in the tree a
 * NULL-checking copy stands in (same contract, one address space).
 */
#ifndef UK_VFS_USER_H
#define UK_VFS_USER_H

#if __has_include(<uk/uaccess.h>)
#include <uk/uaccess.h>
#else
#include <uk/essentials.h>
#include <uk/errno.h>

static inline bool uk_access_ok(const void *p, size_t n, bool write __unused)
{
	return n == 0 || ((uintptr_t)p >= 4096 && (uintptr_t)p + n > (uintptr_t)p);
}

static inline int uk_copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!uk_access_ok(usrc, n, false))
		return -EFAULT;
	__builtin_memcpy(dst, usrc, n);
	return 0;
}

static inline int uk_copy_to_user(void *udst, const void *src, size_t n)
{
	if (!uk_access_ok(udst, n, true))
		return -EFAULT;
	__builtin_memcpy(udst, src, n);
	return 0;
}

static inline long uk_strncpy_from_user(char *dst, const char *usrc, size_t max)
{
	size_t i;

	if (!uk_access_ok(usrc, 1, false))
		return -EFAULT;
	for (i = 0; i < max; i++) {
		dst[i] = usrc[i];
		if (!dst[i])
			return (long)i;
	}
	return -ENAMETOOLONG;
}
#endif

#endif
