/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reading metadata by name: stat, lstat, newfstatat, statx, access,
 * faccessat, faccessat2, readlink, readlinkat; and getdents64.
 */
#include <uk/alloc.h>
#include <uk/linux/statfs.h>
#include "vfs_impl.h"

void vfs_fill_stat(const struct uk_vnode *vn, struct uk_stat *st)
{
	__builtin_memset(st, 0, sizeof(*st));
	st->st_dev = vn->mnt ? vn->mnt->dev : 0;
	st->st_ino = vn->ino;
	st->st_nlink = vn->nlink;
	st->st_mode = vn->mode;
	st->st_uid = vn->uid;
	st->st_gid = vn->gid;
	st->st_rdev = vn->rdev;
	st->st_size = (long)vn->size;
	st->st_blksize = 4096;
	st->st_blocks = (long)(UK_ALIGN_UP(vn->size, 4096) / 512);
	int64_t a = uk_vfs_time_ns(vn->atime), m = uk_vfs_time_ns(vn->mtime);
	int64_t c = uk_vfs_time_ns(vn->ctime);

	st->st_atime = a / 1000000000;
	st->st_atime_nsec = (unsigned long)(a % 1000000000);
	st->st_mtime = m / 1000000000;
	st->st_mtime_nsec = (unsigned long)(m % 1000000000);
	st->st_ctime = c / 1000000000;
	st->st_ctime_nsec = (unsigned long)(c % 1000000000);
}

/*
 * The stat of what (dirfd, path) names into *st (kernel). AT_EMPTY_PATH
 * with "" is dirfd's own file (any kind: a pipe too).
 */
static long stat_at(int dirfd, const char *upath, int flags, struct uk_stat *st)
{
	struct vfs_walk w;
	char *path;
	long r;

	if (flags & ~(UK_AT_SYMLINK_NOFOLLOW | UK_AT_EMPTY_PATH | UK_AT_NO_AUTOMOUNT |
		      UK_AT_STATX_SYNC_TYPE))
		return -EINVAL;
	path = vfs_getname(upath, &r);
	if (!path)
		return r;
	if (!*path && (flags & UK_AT_EMPTY_PATH)) {
		struct uk_file *f;

		vfs_putname(path);
		if (dirfd == UK_AT_FDCWD) {
			struct uk_dentry *c;

			uk_vfs_lock();
			c = vfs_cwd();
			vfs_fill_stat(c->vn, st);
			vfs_dentry_put(c);
			uk_vfs_unlock();
			return 0;
		}
		f = uk_fdtab_get(dirfd);
		if (!f)
			return -EBADF;
		__builtin_memset(st, 0, sizeof(*st));
		r = f->ops->fstat(f, st);
		uk_file_put(f);
		return r;
	}
	uk_vfs_lock();
	r = vfs_walk(dirfd, path, (flags & UK_AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW, &w);
	if (!r) {
		vfs_fill_stat(w.d->vn, st);
		vfs_dentry_put(w.d);
	}
	uk_vfs_unlock();
	vfs_putname(path);
	return r;
}

long uk_sys_newfstatat(int dirfd, const char *upath, struct uk_stat *ust, int flags)
{
	struct uk_stat st;
	long r;

	r = stat_at(dirfd, upath, flags, &st);
	return r ? r : uk_copy_to_user(ust, &st, sizeof(st));
}

long uk_sys_stat(const char *upath, struct uk_stat *ust)
{
	return uk_sys_newfstatat(UK_AT_FDCWD, upath, ust, 0);
}

long uk_sys_lstat(const char *upath, struct uk_stat *ust)
{
	return uk_sys_newfstatat(UK_AT_FDCWD, upath, ust, UK_AT_SYMLINK_NOFOLLOW);
}

static void stamp(struct uk_statx_timestamp *t, unsigned long sec, unsigned long nsec)
{
	t->tv_sec = (int64_t)sec;
	t->tv_nsec = (uint32_t)nsec;
}

long uk_sys_statx(int dirfd, const char *upath, unsigned int flags, unsigned int mask,
		  struct uk_statx *ubuf)
{
	struct uk_statx sx;
	struct uk_stat st;
	long r;

	if (mask & UK_STATX__RESERVED)
		return -EINVAL;
	if ((flags & UK_AT_STATX_SYNC_TYPE) == UK_AT_STATX_SYNC_TYPE)
		return -EINVAL;
	r = stat_at(dirfd, upath, (int)flags, &st);
	if (r)
		return r;
	__builtin_memset(&sx, 0, sizeof(sx));
	sx.stx_mask = UK_STATX_BASIC_STATS;
	sx.stx_blksize = (uint32_t)st.st_blksize;
	sx.stx_nlink = (uint32_t)st.st_nlink;
	sx.stx_uid = st.st_uid;
	sx.stx_gid = st.st_gid;
	sx.stx_mode = (uint16_t)st.st_mode;
	sx.stx_ino = st.st_ino;
	sx.stx_size = (uint64_t)st.st_size;
	sx.stx_blocks = (uint64_t)st.st_blocks;
	stamp(&sx.stx_atime, (unsigned long)st.st_atime, st.st_atime_nsec);
	stamp(&sx.stx_mtime, (unsigned long)st.st_mtime, st.st_mtime_nsec);
	stamp(&sx.stx_ctime, (unsigned long)st.st_ctime, st.st_ctime_nsec);
	sx.stx_rdev_major = (uint32_t)((st.st_rdev >> 8) & 0xfff);
	sx.stx_rdev_minor = (uint32_t)((st.st_rdev & 0xff) | ((st.st_rdev >> 12) & ~0xffUL));
	sx.stx_dev_major = 0;
	sx.stx_dev_minor = (uint32_t)st.st_dev;
	return uk_copy_to_user(ubuf, &sx, sizeof(sx));
}

/* root passes every permission check but execute, which needs an x bit
 * (or a directory), as on Linux. */
long uk_sys_faccessat2(int dirfd, const char *upath, int mode, int flags)
{
	struct uk_stat st;
	long r;

	if (mode & ~(UK_R_OK | UK_W_OK | UK_X_OK))
		return -EINVAL;
	if (flags & ~(UK_AT_EACCESS | UK_AT_SYMLINK_NOFOLLOW | UK_AT_EMPTY_PATH))
		return -EINVAL;
	r = stat_at(dirfd, upath, flags & ~UK_AT_EACCESS, &st);
	if (r)
		return r;
	if ((mode & UK_X_OK) && !UK_S_ISDIR(st.st_mode) && !(st.st_mode & 0111))
		return -EACCES;
	return 0;
}

long uk_sys_faccessat(int dirfd, const char *upath, int mode)
{
	return uk_sys_faccessat2(dirfd, upath, mode, 0);
}

long uk_sys_access(const char *upath, int mode)
{
	return uk_sys_faccessat2(UK_AT_FDCWD, upath, mode, 0);
}

long uk_sys_readlinkat(int dirfd, const char *upath, char *ubuf, int bufsiz)
{
	struct vfs_walk w;
	char *path, *k;
	long r;

	if (bufsiz <= 0)
		return -EINVAL;
	path = vfs_getname(upath, &r);
	if (!path)
		return r;
	k = uk_malloc(uk_alloc_get_default(), UK_PATH_MAX);
	if (!k) {
		vfs_putname(path);
		return -ENOMEM;
	}
	uk_vfs_lock();
	r = vfs_walk(dirfd, path, 0, &w);
	if (!r) {
		struct uk_vnode *vn = w.d->vn;

		if (!UK_S_ISLNK(vn->mode) || !vn->ops || !vn->ops->readlink)
			r = -EINVAL;
		else
			r = vn->ops->readlink(vn, k, UK_PATH_MAX);
		if (r >= 0)
			uk_vfs_touch(vn, UK_VFS_ATIME);
		vfs_dentry_put(w.d);
	}
	uk_vfs_unlock();
	if (r >= 0) {
		r = UK_MIN(r, (long)bufsiz);
		if (uk_copy_to_user(ubuf, k, (size_t)r))
			r = -EFAULT;
	}
	uk_free(uk_alloc_get_default(), k);
	vfs_putname(path);
	return r;
}

long uk_sys_readlink(const char *upath, char *ubuf, int bufsiz)
{
	return uk_sys_readlinkat(UK_AT_FDCWD, upath, ubuf, bufsiz);
}

/* statfs: the file system's type; sizes from the heap (all of ramfs's
 * memory), files unlimited as far as anyone can tell. */
static long fill_statfs(struct uk_vnode *vn, struct uk_statfs *uf)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_alloc_stats s;
	struct uk_statfs k;
	size_t avail = uk_alloc_availmem(a);

	uk_alloc_stats(a, &s);
	__builtin_memset(&k, 0, sizeof(k));
	k.f_type = (long)vn->mnt->fs->magic;
	k.f_bsize = 4096;
	k.f_frsize = 4096;
	k.f_blocks = (s.cur_bytes + avail) / 4096;
	k.f_bfree = k.f_bavail = avail / 4096;
	k.f_files = k.f_ffree = 1UL << 20;
	k.f_fsid[0] = (int)vn->mnt->dev;
	k.f_namelen = UK_NAME_MAX;
	return uk_copy_to_user(uf, &k, sizeof(k));
}

long uk_sys_statfs(const char *upath, struct uk_statfs *ubuf)
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
		r = fill_statfs(w.d->vn, ubuf);
		vfs_dentry_put(w.d);
	}
	uk_vfs_unlock();
	vfs_putname(k);
	return r;
}

long uk_sys_fstatfs(int fd, struct uk_statfs *ubuf)
{
	struct uk_file *f = uk_fdtab_get(fd);
	long r;

	if (!f)
		return -EBADF;
	if (f->node) {
		uk_vfs_lock();
		r = fill_statfs(uk_vfs_file_vnode(f), ubuf);
		uk_vfs_unlock();
	} else {
		struct uk_statfs k;     /* pipefs */

		__builtin_memset(&k, 0, sizeof(k));
		k.f_type = 0x50495045;
		k.f_bsize = 4096;
		k.f_namelen = UK_NAME_MAX;
		r = uk_copy_to_user(ubuf, &k, sizeof(k));
	}
	uk_file_put(f);
	return r;
}
