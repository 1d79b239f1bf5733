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
long uk_sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
		 unsigned long flags, unsigned long fd, unsigned long off);
long uk_sys_munmap(unsigned long addr, unsigned long len);
long uk_sys_brk(unsigned long brk);
long uk_sys_mprotect(unsigned long addr, unsigned long len, unsigned long prot);
long uk_sys_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len,
		   unsigned long flags, unsigned long new_addr);
long uk_sys_madvise(unsigned long addr, unsigned long len, int advice);
long uk_sys_msync(unsigned long addr, unsigned long len, int flags);
long uk_sys_mincore(unsigned long addr, unsigned long len, unsigned char *vec);
long uk_sys_pread64(unsigned int fd, char *buf, unsigned long count, long pos);
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
