/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <uk/uaccess.h> on linuxu, which has no page tables of its own: the host
 * kernel does the copy between two ranges of this process
 * (process_vm_readv / process_vm_writev on our own pid), and reports a bad
 * range as EFAULT instead of a SIGSEGV. It honours the protections
 * (writing into a read-only mapping is EFAULT too). A host that forbids
 * these calls (ENOSYS, or EPERM from a seccomp filter) gets plain copies
 * instead: a bad pointer is then the host's SIGSEGV, a crash report.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/uaccess.h>
#include <linuxu/syscall.h>
#include "copy.h"

#define SYS_getpid            39
#define SYS_process_vm_readv  310
#define SYS_process_vm_writev 311
#define PAGE 4096UL

struct host_iovec { const void *base; size_t len; };

/* Copy n bytes from src to dst, write: dst is the checked side. 0 or -EFAULT. */
static int host_copy(void *dst, const void *src, size_t n, bool write)
{
	static long pid;
	static bool unchecked;          /* the host refuses process_vm_*: plain copies */
	struct host_iovec local, remote;
	long r;

	if (n == 0)
		return 0;
	if (!pid)
		pid = linuxu_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
	if (unchecked) {
		uksc_copy(dst, src, n);
		return 0;
	}
	while (n) {
		/* "local" is the side the kernel trusts, "remote" the checked one */
		local = (struct host_iovec){ write ? src : dst, n };
		remote = (struct host_iovec){ write ? dst : src, n };
		r = linuxu_syscall6(write ? SYS_process_vm_writev : SYS_process_vm_readv, pid,
				    (long)&local, 1, (long)&remote, 1, 0);
		if (r == -ENOSYS || r == -EPERM) {
			unchecked = true;     /* the host's numbers are Linux's: uk/errno.h */
			uksc_copy(dst, src, n);
			return 0;
		}
		if (r <= 0)
			return -EFAULT;
		/* a partial transfer stops at a bad page: the next round fails there */
		n -= (size_t)r;
		dst = (char *)dst + r;
		src = (const char *)src + r;
	}
	return 0;
}

bool uk_access_ok(const void *p, size_t n, bool write)
{
	uintptr_t a = (uintptr_t)p, end = a + n - 1;
	char byte;

	if (n == 0)
		return true;
	if (a < PAGE || end < a)
		return false;
	/* one byte of each page; a write check writes the byte back unchanged */
	for (;;) {
		if (host_copy(&byte, (const void *)a, 1, false) ||
		    (write && host_copy((void *)a, &byte, 1, true)))
			return false;
		if ((a & ~(PAGE - 1)) >= (end & ~(PAGE - 1)))
			return true;
		a = (a & ~(PAGE - 1)) + PAGE;
	}
}

int uk_copy_from_user(void *dst, const void *usrc, size_t n)
{
	if ((uintptr_t)usrc < PAGE && n)
		return -EFAULT;
	return host_copy(dst, usrc, n, false);
}

int uk_copy_to_user(void *udst, const void *src, size_t n)
{
	if ((uintptr_t)udst < PAGE && n)
		return -EFAULT;
	return host_copy(udst, src, n, true);
}

long uk_strncpy_from_user(char *dst, const char *usrc, size_t max)
{
	uintptr_t a = (uintptr_t)usrc;
	size_t i = 0;

	if (a < PAGE)
		return -EFAULT;
	while (i < max) {
		size_t chunk = PAGE - ((a + i) & (PAGE - 1)), j;

		if (chunk > max - i)
			chunk = max - i;
		if (host_copy(dst + i, usrc + i, chunk, false))
			return -EFAULT;
		for (j = 0; j < chunk; j++, i++)
			if (!dst[i])
				return (long)i;
	}
	if (max)
		dst[max - 1] = '\0';
	return -ENAMETOOLONG;
}
