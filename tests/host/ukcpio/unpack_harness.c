/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host harness for os/lib/ukcpio/initrd.c (tests/host/test_cpio.py): the
 * unpacker compiled as it is, its uk_sys_* calls served by the host's own
 * *at() system calls under a folder standing for "/" (so the Linux
 * semantics vfscore implements are the reference), the initrd read from a
 * file. The prototypes are the registry's (<uk/syscall.h> with the
 * generated <uk/syscall_protos.h>), so these definitions must match it.
 *
 *   unpack_harness ARCHIVE ROOT     exit status: the boot's (0, or
 *                                   initrd.c's 65 for a corrupt archive,
 *                                   or 255 as ukboot for a failed init)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../../os/lib/ukcpio/initrd.c"

static char root[4096];
static struct ukplat_bootinfo bi;

/* "/x/y" -> ROOT "/x/y"; two buffers, for the calls with two paths */
static const char *at(const char *p)
{
	static char b[2][8192];
	static int k;

	k ^= 1;
	snprintf(b[k], sizeof(b[k]), "%s%s", root, p);
	return b[k];
}

static long ret(long r)
{
	return r < 0 ? -errno : r;
}

long uk_sys_write(int fd, const void *buf, unsigned long count)
{
	/* short writes, as a file system may do */
	return ret(write(fd, buf, count > 1000 ? 1000 : count));
}

long uk_sys_close(int fd) { return ret(close(fd)); }

long uk_sys_openat(int dfd, const char *f, int flags, unsigned int mode)
{
	return ret(openat(dfd, at(f), flags, mode));
}

long uk_sys_fchmodat(int dfd, const char *f, unsigned int mode)
{
	return ret(fchmodat(dfd, at(f), mode, 0));
}

/* "/mounted" stands for a mount point whose file system refuses changes
 * to its root (as devfs may for /dev). */
long uk_sys_fchownat(int dfd, const char *f, unsigned int u, unsigned int g, int flag)
{
	if (!strcmp(f, "/mounted"))
		return -EPERM;
	return ret(fchownat(dfd, at(f), u, g, flag));
}

long uk_sys_utimensat(int dfd, const char *f, const struct uk_timespec *t, int flags)
{
	if (!strcmp(f, "/mounted"))
		return -EPERM;
	return ret(utimensat(dfd, at(f), (const struct timespec *)t, flags));
}

long uk_sys_mkdirat(int dfd, const char *p, unsigned int mode)
{
	return ret(mkdirat(dfd, at(p), mode));
}

long uk_sys_unlinkat(int dfd, const char *p, int flag)
{
	return ret(unlinkat(dfd, at(p), flag));
}

long uk_sys_linkat(int od, const char *o, int nd, const char *n, int flags)
{
	const char *a = at(o), *b = at(n);

	return ret(linkat(od, a, nd, b, flags));
}

long uk_sys_symlinkat(const char *o, int nd, const char *n)
{
	return ret(symlinkat(o, nd, at(n)));
}

const struct ukplat_bootinfo *ukplat_bootinfo_get(void) { return &bi; }
void ukplat_cout(const char *buf, size_t n) { fwrite(buf, 1, n, stdout); }
void ukboot_shutdown(int status) { fflush(stdout); exit(status); }
struct uk_alloc *uk_alloc_get_default(void) { return NULL; }
void *uk_malloc(struct uk_alloc *a, size_t n) { (void)a; return malloc(n); }
void *uk_realloc(struct uk_alloc *a, void *p, size_t n) { (void)a; return realloc(p, n); }
void uk_free(struct uk_alloc *a, void *p) { (void)a; free(p); }

int main(int argc, char **argv)
{
	FILE *f;
	long len;
	void *buf;
	int rc;

	if (argc != 3)
		return 2;
	snprintf(root, sizeof(root), "%s", argv[2]);
	f = fopen(argv[1], "rb");
	if (!f)
		return 2;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len ? len : 1);
	if (len && fread(buf, 1, len, f) != (size_t)len)
		return 2;
	fclose(f);
	bi.initrd = buf;
	bi.initrd_len = len;
	umask(022);
	rc = uk_cpio_initrd_unpack();
	fflush(stdout);
	return rc < 0 ? 255 : 0;     /* ukboot: a failed init stops the boot */
}
