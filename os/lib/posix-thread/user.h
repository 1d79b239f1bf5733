/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The syscall glue of this library: the registry's prototypes
 * (<uk/syscall.h>: the compiler checks each handler against them) and the
 * copy helpers of <uk/uaccess.h>, from uksyscall when it is in the image.
 * Without it the handlers are only called by kernel code with kernel
 * pointers, and the copies are plain copies.
 */
#ifndef POSIX_THREAD_USER_H
#define POSIX_THREAD_USER_H

#include <uk/essentials.h>
#include <uk/errno.h>
#if __has_include(<uk/syscall.h>)
#include <uk/syscall.h>
#endif
#if __has_include(<uk/uaccess.h>)
#include <uk/uaccess.h>
#else
static inline int uk_copy_to_user(void *udst, const void *src, size_t n)
{
	__builtin_memcpy(udst, src, n);
	return 0;
}

static inline int uk_copy_from_user(void *dst, const void *usrc, size_t n)
{
	__builtin_memcpy(dst, usrc, n);
	return 0;
}

static inline bool uk_access_ok(const void *p __unused, size_t n __unused, bool write __unused)
{
	return true;
}
#endif

#endif
