/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Copying from and to the caller's memory in syscall handlers: a pointer
 * into unmapped memory, or a write into a read-only page, is -EFAULT
 * instead of a kernel crash.
 *
 *   struct uk_timespec ts;
 *   if (uk_copy_from_user(&ts, uts, sizeof(ts)))
 *           return -EFAULT;
 *
 * There is one address space: a kernel caller may pass kernel pointers.
 * How the check is made: on the VM platforms through the page tables
 * (ukplat_page_prot: every page of the range mapped, writable for a copy
 * to the caller); on linuxu by the host kernel itself (process_vm_readv /
 * process_vm_writev on the process's own memory, which fail with EFAULT and
 * never fault). Not a guard against another thread unmapping the memory
 * during the copy (one CPU, no preemption inside the copy).
 */
#ifndef UK_UACCESS_H
#define UK_UACCESS_H

#include <uk/essentials.h>

/* Whether [p, p + n) is mapped, readable and (with write) writable; a
 * range that wraps, or the NULL page, is not. n == 0 is always ok. */
bool uk_access_ok(const void *p, size_t n, bool write);

/* Copy n bytes from the caller's usrc: 0, or -EFAULT (dst then unspecified). */
int uk_copy_from_user(void *dst, const void *usrc, size_t n);

/* Copy n bytes to the caller's udst: 0, or -EFAULT (the bytes before the
 * first bad page may have been written, as in Linux). */
int uk_copy_to_user(void *udst, const void *src, size_t n);

/*
 * Copy the NUL-terminated string usrc into dst (max bytes, max >= 1).
 * Returns its length (without the NUL, < max; dst is terminated), -EFAULT
 * when usrc is not readable up to its NUL, or -ENAMETOOLONG when no NUL is
 * within max bytes.
 */
long uk_strncpy_from_user(char *dst, const char *usrc, size_t max);

#endif
