/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /dev/null, /dev/zero, /dev/urandom and /dev/random (ukrandom's ChaCha20
 * generator: never blocks, as on Linux since 5.6), and the mount of devfs
 * at /dev with fds 0, 1 and 2 on the console (console.c).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/init.h>
#include <uk/ramfs.h>
#include <uk/fdtab.h>
#include <uk/linux/statfs.h>
#include <uk/uaccess.h>
#ifdef CONFIG_LIBUKRANDOM
#include <uk/random.h>
#endif
#include <uk/syscall.h>
#include "devfs.h"

static long null_read(struct uk_file *f __unused, void *buf __unused, size_t n __unused,
		      uint64_t *off __unused)
{
	return 0;
}

static long sink_write(struct uk_file *f __unused, const void *buf __unused, size_t n,
		       uint64_t *off __unused, bool append __unused)
{
	return (long)n;
}

/* Copies n bytes made by fill() to the user, a kernel chunk at a time. */
static long fill_user(void *ubuf, size_t n, void (*fill)(void *buf, size_t n))
{
	char chunk[256];
	size_t done = 0;

	while (done < n) {
		size_t c = UK_MIN(n - done, sizeof(chunk));

		fill(chunk, c);
		if (uk_copy_to_user((char *)ubuf + done, chunk, c))
			return done ? (long)done : -EFAULT;
		done += c;
	}
	return (long)done;
}

static void zero_fill(void *buf, size_t n)
{
	__builtin_memset(buf, 0, n);
}

static long zero_read(struct uk_file *f __unused, void *ubuf, size_t n, uint64_t *off __unused)
{
	return fill_user(ubuf, n, zero_fill);
}

static const struct uk_file_ops null_ops = {
	.read = null_read,
	.write = sink_write,
	UK_VFS_FILE_OPS,
	.release = uk_vfs_file_release,
};

static const struct uk_file_ops zero_ops = {
	.read = zero_read,
	.write = sink_write,
	UK_VFS_FILE_OPS,
	.release = uk_vfs_file_release,
};

#ifdef CONFIG_LIBUKRANDOM
static long random_read(struct uk_file *f __unused, void *ubuf, size_t n, uint64_t *off __unused)
{
	return fill_user(ubuf, n, uk_random_fill);
}

/* Writing to /dev/urandom mixes the bytes in (never credited, as Linux). */
static long random_write(struct uk_file *f __unused, const void *ubuf, size_t n,
			 uint64_t *off __unused, bool append __unused)
{
	char chunk[256];
	size_t done = 0;

	while (done < n) {
		size_t c = UK_MIN(n - done, sizeof(chunk));

		if (uk_copy_from_user(chunk, (const char *)ubuf + done, c))
			return done ? (long)done : -EFAULT;
		uk_random_mix(chunk, c);
		done += c;
	}
	return (long)done;
}

/* Linux's random driver knows only its RND* requests (entropy counts,
 * root's reseeding), none of which apply here: every other request,
 * TCGETS included (redis's isatty() on its /dev/urandom fd), is -EINVAL,
 * not -ENOTTY. FIONBIO/FIOCLEX never get here (posix-fdtab). */
static long random_ioctl(struct uk_file *f __unused, unsigned int cmd __unused,
			 unsigned long arg __unused)
{
	return -EINVAL;
}

static const struct uk_file_ops random_ops = {
	.read = random_read,
	.write = random_write,
	.ioctl = random_ioctl,
	UK_VFS_FILE_OPS,
	.release = uk_vfs_file_release,
};
#endif

/* A device vnode's priv is its file ops. null/zero/random seek (to
 * nowhere: position 0 stays 0 as far as they care), as on Linux. */
static int dev_open(struct uk_vnode *vn, struct uk_file *f)
{
	f->ops = vn->priv;
	if (f->ops != &devfs_console_ops)
		f->fflags |= UK_FILE_SEEKABLE;
	else
		f->fflags |= UK_FILE_POLLED;    /* input: no interrupt, polled (console.c) */
	return 0;
}

static const struct uk_vnode_ops dev_vops = {
	.open = dev_open,
};

static int add(const char *path, unsigned int major, unsigned int minor,
	       const struct uk_file_ops *ops, unsigned int perm)
{
	return uk_vfs_mknode(path, UK_S_IFCHR | perm, uk_makedev(major, minor), &dev_vops,
			     (void *)ops);
}

static const struct uk_fs_type devfs_fs = {
	.name = "devfs",
	.magic = UK_TMPFS_MAGIC,            /* Linux's devtmpfs */
	.new_node = uk_ramfs_new_node,      /* files made under /dev are ramfs files */
};

/*
 * After the root mount (prio 8); before the initrd is unpacked (class 4)
 * and anything that prints through fd 1.
 */
static int devfs_init(void)
{
	int r, fd;

	r = (int)uk_sys_mkdirat(UK_AT_FDCWD, "/dev", 0755);
	if (r && r != -EEXIST)
		return r;
	r = uk_vfs_mount("/dev", &devfs_fs, NULL, NULL);
	if (!r)
		r = add("/dev/null", 1, 3, &null_ops, 0666);
	if (!r)
		r = add("/dev/zero", 1, 5, &zero_ops, 0666);
#ifdef CONFIG_LIBUKRANDOM
	if (!r)
		r = add("/dev/random", 1, 8, &random_ops, 0666);
	if (!r)
		r = add("/dev/urandom", 1, 9, &random_ops, 0666);
#endif
	if (!r)
		r = add("/dev/tty", 5, 0, &devfs_console_ops, 0666);
	if (!r)
		r = add("/dev/console", 5, 1, &devfs_console_ops, 0600);
	if (r)
		return r;
	/* stdin, stdout, stderr: one description of the console, as init has */
	fd = (int)uk_sys_openat(UK_AT_FDCWD, "/dev/console", UK_O_RDWR, 0);
	if (fd != 0)
		return fd < 0 ? fd : -EBUSY;
	{
		struct uk_file *f = uk_fdtab_get(0);

		uk_fdtab_install_at(f, 1, 0);
		uk_fdtab_install_at(f, 2, 0);
		uk_file_put(f);
	}
	return 0;
}
uk_initcall(devfs_init, UK_INIT_CLASS_LIB, 9);
