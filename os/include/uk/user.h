/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The syscall glue of a library whose handlers also serve kernel callers:
 * the registry's prototypes (<uk/syscall.h>: the compiler checks each
 * handler against them) and the copy helpers of <uk/uaccess.h>, from
 * uksyscall when it is in the image. Without uksyscall the handlers are
 * only called by kernel code with kernel pointers, so the copies are
 * plain copies and every pointer is accessible.
 */
#ifndef UK_USER_H
#define UK_USER_H

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
