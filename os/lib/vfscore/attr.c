/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Changing metadata: chmod, fchmodat, chown, lchown, fchownat, utimensat,
 * truncate; and the file ops behind posix-fdtab's fchmod and fchown
 * (uk_vfs_file_chmod/chown). The caller is root: no permission checks.
 */
#include "vfs_impl.h"

/* utimensat's times: two struct timespec (x86_64 and arm64: two longs). */
struct uk_timespec;
struct vfs_ts {
	long tv_sec;
	long tv_nsec;
};

/* What (dirfd, path) names, with a reference: AT_EMPTY_PATH and "" (or a
 * NULL path, utimensat's futimens form) name dirfd's file. A descriptor
 * without a name (a pipe) gives NULL and *err 0: nothing to change. */
static struct uk_dentry *target(int dirfd, const char *upath, int flags, bool empty_ok,
				long *err)
{
	struct vfs_walk w;
	char *k;
	long r;

	*err = 0;
	if (!upath && empty_ok)
		goto by_fd;
	k = vfs_getname(upath, err);
	if (!k)
		return NULL;
	if (!*k && (flags & UK_AT_EMPTY_PATH)) {
		vfs_putname(k);
		goto by_fd;
	}
	r = vfs_walk(dirfd, k, (flags & UK_AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW, &w);
	vfs_putname(k);
	*err = r;
	return r ? NULL : w.d;
by_fd:
	if (dirfd == UK_AT_FDCWD)
		return vfs_cwd();
	{
		struct uk_dentry *d = vfs_fd_dentry(dirfd, err);

		if (!d && *err == -ENOTDIR)
			*err = 0;
		return d;
	}
}

static long set_mode(struct uk_dentry *d, unsigned int mode)
{
	d->vn->mode = (d->vn->mode & UK_S_IFMT) | (mode & 07777);
	uk_vfs_touch(d->vn, UK_VFS_CTIME);
	return 0;
}

long uk_sys_fchmodat(int dirfd, const char *upath, unsigned int mode)
{
	struct uk_dentry *d;
	long r;

	uk_vfs_lock();
	d = target(dirfd, upath, 0, false, &r);
	if (d) {
		r = set_mode(d, mode);
		vfs_dentry_put(d);
	}
	uk_vfs_unlock();
	return r;
}

long uk_sys_chmod(const char *upath, unsigned int mode)
{
	return uk_sys_fchmodat(UK_AT_FDCWD, upath, mode);
}

/* The dentry behind a descriptor for the f* calls: -EBADF for a closed fd
 * or an O_PATH one; NULL and 0 for a nameless file (a pipe). */
static struct uk_dentry *fd_target(int fd, long *err)
{
	struct uk_file *f = uk_fdtab_get(fd);
	struct uk_dentry *d;

	*err = 0;
	if (!f || (f->flags & UK_O_PATH)) {
		if (f)
			uk_file_put(f);
		*err = -EBADF;
		return NULL;
	}
	d = f->node;
	if (d)
		vfs_dentry_get(d);
	uk_file_put(f);
	return d;
}

static long set_owner(struct uk_dentry *d, unsigned int uid, unsigned int gid)
{
	if (uid != (unsigned int)-1)
		d->vn->uid = uid;
	if (gid != (unsigned int)-1)
		d->vn->gid = gid;
	uk_vfs_touch(d->vn, UK_VFS_CTIME);
	return 0;
}

long uk_sys_fchownat(int dirfd, const char *upath, unsigned int uid, unsigned int gid,
		     int flags)
{
	struct uk_dentry *d;
	long r;

	if (flags & ~(UK_AT_SYMLINK_NOFOLLOW | UK_AT_EMPTY_PATH))
		return -EINVAL;
	uk_vfs_lock();
	d = target(dirfd, upath, flags, false, &r);
	if (d) {
		r = set_owner(d, uid, gid);
		vfs_dentry_put(d);
	}
	uk_vfs_unlock();
	return r;
}

long uk_sys_chown(const char *upath, unsigned int uid, unsigned int gid)
{
	return uk_sys_fchownat(UK_AT_FDCWD, upath, uid, gid, 0);
}

long uk_sys_lchown(const char *upath, unsigned int uid, unsigned int gid)
{
	return uk_sys_fchownat(UK_AT_FDCWD, upath, uid, gid, UK_AT_SYMLINK_NOFOLLOW);
}

static bool ts_valid(const struct vfs_ts *t)
{
	return t->tv_nsec == UK_UTIME_NOW || t->tv_nsec == UK_UTIME_OMIT ||
	       (t->tv_nsec >= 0 && t->tv_nsec < 1000000000L);
}

static void ts_apply(int64_t *stamp, const struct vfs_ts *t, int64_t now)
{
	if (t->tv_nsec == UK_UTIME_OMIT)
		return;
	*stamp = t->tv_nsec == UK_UTIME_NOW ? now : t->tv_sec * 1000000000L + t->tv_nsec;
}

long uk_sys_utimensat(int dirfd, const char *upath, const struct uk_timespec *utimes,
		      int flags)
{
	struct vfs_ts ts[2] = { { 0, UK_UTIME_NOW }, { 0, UK_UTIME_NOW } };
	struct uk_dentry *d;
	int64_t now;
	long r;

	if (flags & ~(UK_AT_SYMLINK_NOFOLLOW | UK_AT_EMPTY_PATH))
		return -EINVAL;
	if (utimes && uk_copy_from_user(ts, utimes, sizeof(ts)))
		return -EFAULT;
	if (!ts_valid(&ts[0]) || !ts_valid(&ts[1]))
		return -EINVAL;
	if (!upath && dirfd != UK_AT_FDCWD && (flags & UK_AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	uk_vfs_lock();
	d = upath ? target(dirfd, upath, flags, false, &r) : fd_target(dirfd, &r);
	if (d) {
		now = uk_vfs_now();
		ts_apply(&d->vn->atime, &ts[0], now);
		ts_apply(&d->vn->mtime, &ts[1], now);
		if (ts[0].tv_nsec != UK_UTIME_OMIT || ts[1].tv_nsec != UK_UTIME_OMIT)
			d->vn->ctime = now;
		vfs_dentry_put(d);
	}
	uk_vfs_unlock();
	return r;
}

static long set_size(struct uk_vnode *vn, long length)
{
	long r;

	if (UK_S_ISDIR(vn->mode))
		return -EISDIR;
	if (!UK_S_ISREG(vn->mode))
		return -EINVAL;
	r = vn->ops && vn->ops->setsize ? vn->ops->setsize(vn, (uint64_t)length) : -EINVAL;
	if (!r)
		uk_vfs_touch(vn, UK_VFS_MTIME | UK_VFS_CTIME);
	return r;
}

long uk_sys_truncate(const char *upath, long length)
{
	struct uk_dentry *d;
	long r;

	if (length < 0)
		return -EINVAL;
	uk_vfs_lock();
	d = target(UK_AT_FDCWD, upath, 0, false, &r);
	if (d) {
		r = set_size(d->vn, length);
		vfs_dentry_put(d);
	}
	uk_vfs_unlock();
	return r;
}

int uk_vfs_file_chmod(struct uk_file *f, unsigned int mode)
{
	uk_vfs_lock();
	set_mode(f->node, mode);
	uk_vfs_unlock();
	return 0;
}

int uk_vfs_file_chown(struct uk_file *f, unsigned int uid, unsigned int gid)
{
	uk_vfs_lock();
	set_owner(f->node, uid, gid);
	uk_vfs_unlock();
	return 0;
}
