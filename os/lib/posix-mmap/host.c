/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posix-mmap on linuxu: the image is a Linux process, so the calls go to
 * the host's mmap, munmap, brk, mprotect, mremap, madvise, msync and
 * mincore, after the same argument checks as on the VMs (W^X: PROT_WRITE |
 * PROT_EXEC is -EACCES). The host's errors come back as they are.
 * A private file mapping is host anonymous memory filled through vfs's
 * uk_sys_pread64 (the fd is ours, not the host's); MAP_SHARED of a file is
 * -ENODEV. The host keeps the regions: uk_mmap_walk() reads them from the
 * host's /proc/self/maps (this process's own map).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/mmap.h>
#include <uk/linux/mman.h>
#include <linuxu/syscall.h>
#include "mmap_sys.h"
#if defined(CONFIG_LIBPOSIX_FDTAB)
#include <uk/fdtab.h>
#include <uk/file.h>
#endif

#pragma weak uk_sys_pread64

#define HOST_mmap     9
#define HOST_mprotect 10
#define HOST_munmap   11
#define HOST_brk      12
#define HOST_mremap   25
#define HOST_msync    26
#define HOST_mincore  27
#define HOST_madvise  28

#define PAGE_SIZE 4096UL
#define PROT_ALL  (UK_PROT_READ | UK_PROT_WRITE | UK_PROT_EXEC)

static long host(long nr, long a, long b, long c, long d, long e, long f)
{
	return linuxu_syscall6(nr, a, b, c, d, e, f);
}

static bool wx(unsigned long prot)
{
	return (prot & UK_PROT_WRITE) && (prot & UK_PROT_EXEC);
}

long uk_sys_mmap(void *uaddr, unsigned long len, unsigned long prot,
		 unsigned long flags, unsigned long fd, unsigned long off)
{
	unsigned long addr = (unsigned long)uaddr;
	unsigned int type = flags & UK_MAP_TYPE;
	unsigned long n = (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1), i;
	long at, got;

	if (!len || (off & (PAGE_SIZE - 1)) || (prot & ~(unsigned long)PROT_ALL))
		return -EINVAL;
	if (wx(prot))
		return -EACCES;
	if (flags & UK_MAP_ANONYMOUS)
		return host(HOST_mmap, (long)addr, (long)len, (long)prot, (long)flags, -1, 0);
	if (type != UK_MAP_PRIVATE && type != UK_MAP_SHARED && type != UK_MAP_SHARED_VALIDATE)
		return -EINVAL;
	if ((long)fd < 0 || !uk_sys_pread64)
		return -EBADF;
#if defined(CONFIG_LIBPOSIX_FDTAB)
	{
		struct uk_file *f = uk_fdtab_get((int)fd);
		bool seekable = f && (f->fflags & UK_FILE_SEEKABLE);
		bool readable = f && uk_file_readable(f);
		bool writable = f && uk_file_writable(f);

		if (f)
			uk_file_put(f);
		if (!f)
			return -EBADF;
		if (!seekable)
			return -ENODEV;         /* a pipe, a device */
		if (!readable || (type != UK_MAP_PRIVATE && (prot & UK_PROT_WRITE) && !writable))
			return -EACCES;
	}
#endif
	if (type != UK_MAP_PRIVATE)
		return -ENODEV;
	if (n < len)
		return -ENOMEM;
	at = host(HOST_mmap, (long)addr, (long)n, UK_PROT_READ | UK_PROT_WRITE,
		  (long)(flags | UK_MAP_ANONYMOUS), -1, 0);
	if (at < 0)
		return at;
	for (i = 0; i < n; i += got) {
		got = uk_sys_pread64((int)fd, (char *)at + i, n - i, (long)(off + i));
		if (got < 0) {
			host(HOST_munmap, at, (long)n, 0, 0, 0, 0);
			return got == -EISDIR || got == -EINVAL || got == -ESPIPE ? -ENODEV : got;
		}
		if (!got)
			break;          /* end of file: the rest stays zero */
	}
	if (prot != (UK_PROT_READ | UK_PROT_WRITE))
		host(HOST_mprotect, at, (long)n, (long)prot, 0, 0, 0);
	return at;
}

long uk_sys_munmap(void *uaddr, unsigned long len)
{
	unsigned long addr = (unsigned long)uaddr;
	return host(HOST_munmap, (long)addr, (long)len, 0, 0, 0, 0);
}

long uk_sys_brk(unsigned long brk)
{
	return host(HOST_brk, (long)brk, 0, 0, 0, 0, 0);
}

long uk_sys_mprotect(void *start, unsigned long len, unsigned long prot)
{
	unsigned long addr = (unsigned long)start;
	if ((addr & (PAGE_SIZE - 1)) || (prot & ~(unsigned long)PROT_ALL))
		return -EINVAL;
	if (wx(prot))
		return -EACCES;
	return host(HOST_mprotect, (long)addr, (long)len, (long)prot, 0, 0, 0);
}

long uk_sys_mremap(void *uaddr, unsigned long old_len, unsigned long new_len,
		   unsigned long flags, void *unew_addr)
{
	unsigned long addr = (unsigned long)uaddr, new_addr = (unsigned long)unew_addr;
	return host(HOST_mremap, (long)addr, (long)old_len, (long)new_len, (long)flags,
		    (long)new_addr, 0);
}

long uk_sys_madvise(void *start, unsigned long len, int advice)
{
	unsigned long addr = (unsigned long)start;
	return host(HOST_madvise, (long)addr, (long)len, advice, 0, 0, 0);
}

long uk_sys_msync(void *start, unsigned long len, int flags)
{
	unsigned long addr = (unsigned long)start;
	return host(HOST_msync, (long)addr, (long)len, flags, 0, 0, 0);
}

long uk_sys_mincore(void *start, unsigned long len, void *vec)
{
	unsigned long addr = (unsigned long)start;
	return host(HOST_mincore, (long)addr, (long)len, (long)vec, 0, 0, 0);
}

bool uk_mmap_fault_in(uintptr_t addr __unused, bool write __unused)
{
	return false;
}

void uk_mmap_stats(struct uk_mmap_stats *out)
{
	*out = (struct uk_mmap_stats){ 0 };
}

/* "hex" at *pp: its value, *pp past it (and past one separator). */
static unsigned long hex_field(const char **pp)
{
	const char *p = *pp;
	unsigned long v = 0;

	for (;; p++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned int)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned int)(*p - 'a' + 10);
		else
			break;
		v = v * 16 + d;
	}
	*pp = *p ? p + 1 : p;
	return v;
}

/* One line of the host's maps ("start-end perms offset dev inode [name]")
 * as a region; 0, or fn's nonzero value. */
static int walk_line(const char *l, int (*fn)(const struct uk_mmap_region *r, void *arg),
		     void *arg)
{
	struct uk_mmap_region r = { .name = NULL };
	const char *p = l;
	int i;

	r.start = hex_field(&p);
	r.end = hex_field(&p);
	if (!p[0] || !p[1] || !p[2] || !p[3])
		return 0;
	r.prot = (p[0] == 'r' ? UK_PROT_READ : 0) | (p[1] == 'w' ? UK_PROT_WRITE : 0) |
		 (p[2] == 'x' ? UK_PROT_EXEC : 0);
	r.flags = p[3] == 's' ? UK_MAP_SHARED : UK_MAP_PRIVATE;
	p += 5;
	r.offset = hex_field(&p);
	for (i = 0; i < 2 && *p; i++)           /* dev, inode */
		while (*p && *p++ != ' ')
			;
	while (*p == ' ')
		p++;
	if (*p)
		r.name = p;
	else if (!r.offset)
		r.flags |= UK_MAP_ANONYMOUS;
	return r.end > r.start ? fn(&r, arg) : 0;
}

int uk_mmap_walk(int (*fn)(const struct uk_mmap_region *r, void *arg), void *arg)
{
	static const char path[] = "/proc/self/maps";
	char buf[1024], line[512];
	size_t len = 0;
	long fd, n, i;
	int rc = 0;

	fd = host(LINUXU_SYS_open, (long)path, 0 /* O_RDONLY */, 0, 0, 0, 0);
	if (fd < 0)
		return 0;
	while (!rc && (n = host(LINUXU_SYS_read, fd, (long)buf, sizeof(buf), 0, 0, 0)) > 0) {
		for (i = 0; i < n && !rc; i++) {
			if (buf[i] != '\n') {
				if (len < sizeof(line) - 1)
					line[len++] = buf[i];   /* a longer name is cut */
				continue;
			}
			line[len] = '\0';
			rc = walk_line(line, fn, arg);
			len = 0;
		}
	}
	host(LINUXU_SYS_close, fd, 0, 0, 0, 0, 0);
	return rc;
}
