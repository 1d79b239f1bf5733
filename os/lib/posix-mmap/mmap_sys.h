/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The syscall handlers posix-mmap defines, and the copy-out helper, from
 * the registry's <uk/syscall.h> and sys's <uk/uaccess.h> (uksyscall);
 * the prototypes are repeated here only for a tree without them yet.
 */
#ifndef POSIX_MMAP_SYS_H
#define POSIX_MMAP_SYS_H

#include <uk/essentials.h>

#if __has_include(<uk/syscall.h>)
#include <uk/syscall.h>
#else
long uk_sys_mmap(void *addr, unsigned long len, unsigned long prot,
		 unsigned long flags, unsigned long fd, unsigned long off);
long uk_sys_munmap(void *addr, unsigned long len);
long uk_sys_brk(unsigned long brk);
long uk_sys_mprotect(void *start, unsigned long len, unsigned long prot);
long uk_sys_mremap(void *addr, unsigned long old_len, unsigned long new_len,
		   unsigned long flags, void *new_addr);
long uk_sys_madvise(void *start, unsigned long len, int behavior);
long uk_sys_msync(void *start, unsigned long len, int flags);
long uk_sys_mincore(void *start, unsigned long len, void *vec);
long uk_sys_pread64(int fd, void *buf, unsigned long count, long pos);
#endif

#if __has_include(<uk/uaccess.h>)
#include <uk/uaccess.h>
#define mmap_copy_out(dst, src, n) uk_copy_to_user(dst, src, n)
#else
static inline int mmap_copy_out(void *dst, const void *src, size_t n)
{
	__builtin_memcpy(dst, src, n);
	return 0;
}
#endif

#endif
