/* SPDX-License-Identifier: BSD-3-Clause */
/* The working directory and the file mode creation mask: getcwd, chdir,
 * fchdir, umask. */
#include <uk/alloc.h>
#include "vfs_impl.h"

static struct uk_dentry *cwd;        /* NULL: the root */
static unsigned int cur_umask = 022;

struct uk_dentry *vfs_cwd(void)
{
	struct uk_dentry *d = cwd ? cwd : vfs_root();

	vfs_dentry_get(d);
	return d;
}

unsigned int vfs_umask(void)
{
	return cur_umask;
}

long uk_sys_umask(int mask)
{
	unsigned int old = cur_umask;

	cur_umask = (unsigned int)mask & 0777;
	return old;
}

static void set_cwd(struct uk_dentry *d)
{
	struct uk_dentry *old = cwd;

	cwd = d;                /* the caller's reference becomes the cwd's */
	if (old)
		vfs_dentry_put(old);
}

long uk_sys_chdir(const char *upath)
{
	struct vfs_walk w;
	char *k;
	long r;

	k = vfs_getname(upath, &r);
	if (!k)
		return r;
	uk_vfs_lock();
	r = vfs_walk(UK_AT_FDCWD, k, WALK_FOLLOW, &w);
	if (!r) {
		if (UK_S_ISDIR(w.d->vn->mode))
			set_cwd(w.d);
		else {
			vfs_dentry_put(w.d);
			r = -ENOTDIR;
		}
	}
	uk_vfs_unlock();
	vfs_putname(k);
	return r;
}

long uk_sys_fchdir(int fd)
{
	struct uk_dentry *d;
	long r = 0;

	uk_vfs_lock();
	d = vfs_fd_dentry(fd, &r);
	if (d) {
		if (UK_S_ISDIR(d->vn->mode))
			set_cwd(d);
		else {
			vfs_dentry_put(d);
			r = -ENOTDIR;
		}
	}
	uk_vfs_unlock();
	return r;
}

/* d's absolute path, built from the end of k (UK_PATH_MAX bytes; vfs
 * lock held): its offset in k, or -ENOENT if d (or a directory above it)
 * was removed, -ENAMETOOLONG. */
static long dentry_path(struct uk_dentry *d, char *k)
{
	size_t pos = UK_PATH_MAX - 1;

	k[pos] = 0;
	for (;;) {
		while (!d->parent && d->mnt->covered)
			d = d->mnt->covered;
		if (!d->parent)
			break;
		if (!d->linked)
			return -ENOENT;
		if ((size_t)d->namelen + 1 > pos)
			return -ENAMETOOLONG;
		pos -= d->namelen;
		__builtin_memcpy(k + pos, d->name, d->namelen);
		k[--pos] = '/';
		d = d->parent;
	}
	if (pos == UK_PATH_MAX - 1)
		k[--pos] = '/';
	return (long)pos;
}

/* The cwd's absolute path; -ENOENT if the cwd was removed. */
long uk_sys_getcwd(char *ubuf, unsigned long size)
{
	char *k = uk_malloc(uk_alloc_get_default(), UK_PATH_MAX);
	size_t len;
	long r;

	if (!k)
		return -ENOMEM;
	uk_vfs_lock();
	r = dentry_path(cwd ? cwd : vfs_root(), k);
	uk_vfs_unlock();
	if (r >= 0) {
		len = UK_PATH_MAX - (size_t)r;          /* with the NUL */
		if (size < len)
			r = -ERANGE;
		else
			r = uk_copy_to_user(ubuf, k + r, len) ? -EFAULT : (long)len;
	}
	uk_free(uk_alloc_get_default(), k);
	return r;
}

long uk_vfs_fd_path(int fd, char *buf, size_t n, bool *isdir)
{
	char *k = uk_malloc(uk_alloc_get_default(), UK_PATH_MAX);
	struct uk_file *f;
	size_t len;
	long r;

	if (!k)
		return -ENOMEM;
	f = uk_fdtab_get(fd);
	if (!f) {
		uk_free(uk_alloc_get_default(), k);
		return -EBADF;
	}
	uk_vfs_lock();
	if (f->node) {          /* a vfscore file: its dentry */
		struct uk_dentry *d = f->node;

		*isdir = UK_S_ISDIR(d->vn->mode);
		r = dentry_path(d, k);
	} else {
		r = -ENOTDIR;           /* a pipe, a socket: no name */
	}
	uk_vfs_unlock();
	uk_file_put(f);
	if (r >= 0) {
		len = UK_PATH_MAX - 1 - (size_t)r;
		if (len + 1 > n)
			r = -ENAMETOOLONG;
		else {
			__builtin_memcpy(buf, k + r, len + 1);
			r = (long)len;
		}
	}
	uk_free(uk_alloc_get_default(), k);
	return r;
}
