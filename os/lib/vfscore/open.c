/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * open, openat, creat; the files vfscore opens itself (directories with
 * getdents64, O_PATH descriptors) and the helpers every vnode-backed file
 * shares (fstat from the vnode, release of the name).
 */
#include <uk/alloc.h>
#include <uk/linux/dirent.h>
#include "vfs_impl.h"

struct uk_vnode *uk_vfs_file_vnode(struct uk_file *f)
{
	return ((struct uk_dentry *)f->node)->vn;
}

int uk_vfs_file_fstat(struct uk_file *f, struct uk_stat *st)
{
	uk_vfs_lock();
	vfs_fill_stat(uk_vfs_file_vnode(f), st);
	uk_vfs_unlock();
	return 0;
}

void uk_vfs_file_release(struct uk_file *f)
{
	struct uk_dentry *d = f->node;
	struct uk_vnode *vn = d->vn;

	uk_vfs_lock();
	vfs_vnode_put(vn);
	vfs_dentry_put(d);
	uk_vfs_unlock();
}

/* getdents64: "." and ".." (cookies 0, 1), then the children from the
 * cookie on; each child's cookie is its seq, so unlinking entries while
 * reading never skips or repeats the others. */
static long dir_getdents(struct uk_file *f, void *ubuf, size_t n)
{
	struct uk_dentry *d = f->node, *c;
	char rec[sizeof(struct uk_linux_dirent64) + UK_NAME_MAX + 8];
	struct uk_linux_dirent64 *de = (void *)rec;
	size_t done = 0;
	long r = 0;

	uk_vfs_lock();
	for (;;) {
		const char *name;
		size_t len, reclen;
		uint64_t ino, next;
		unsigned int type;

		if (f->pos == 0) {
			name = ".";
			ino = d->vn->ino;
			type = UK_DT_DIR;
			next = 1;
		} else if (f->pos == 1) {
			struct uk_dentry *up = d;

			while (!up->parent && up->mnt->covered)
				up = up->mnt->covered;
			up = up->parent ? up->parent : up;
			name = "..";
			ino = up->vn->ino;
			type = UK_DT_DIR;
			next = 2;
		} else {
			for (c = d->first; c && c->seq < f->pos; c = c->next)
				;
			if (!c)
				break;
			name = c->name;
			ino = c->vn->ino;
			type = UK_IFTODT(vfs_follow_mounts(c)->vn->mode);
			next = c->seq + 1;
		}
		len = __builtin_strlen(name);
		reclen = UK_ALIGN_UP(sizeof(*de) + len + 1, 8);
		if (done + reclen > n) {
			if (!done)
				r = -EINVAL;
			break;
		}
		__builtin_memset(rec, 0, reclen);
		de->d_ino = ino;
		de->d_off = (int64_t)next;
		de->d_reclen = (unsigned short)reclen;
		de->d_type = (unsigned char)type;
		__builtin_memcpy(de->d_name, name, len);
		if (uk_copy_to_user((char *)ubuf + done, rec, reclen)) {
			r = -EFAULT;
			break;
		}
		done += reclen;
		f->pos = next;
	}
	uk_vfs_unlock();
	return done ? (long)done : r;
}

static const struct uk_file_ops dir_ops = {
	UK_VFS_FILE_OPS,
	.getdents = dir_getdents,
	.release = uk_vfs_file_release,
};

static const struct uk_file_ops path_ops = {
	UK_VFS_FILE_OPS,
	.release = uk_vfs_file_release,
};

/* Opens the file d names (vfs lock held). 0 and *out; -EISDIR, -ENOTDIR,
 * -ELOOP (O_NOFOLLOW on a symlink), -ENXIO (no open op), -ENOMEM. */
long vfs_open_dentry(struct uk_dentry *d, unsigned int flags, struct uk_file **out)
{
	struct uk_vnode *vn = d->vn;
	struct uk_file *f;
	bool dir = UK_S_ISDIR(vn->mode);
	unsigned int acc = flags & UK_O_ACCMODE;
	long r;

	if ((flags & UK_O_DIRECTORY) && !dir)
		return -ENOTDIR;
	if (flags & UK_O_PATH) {
		f = uk_file_alloc(&path_ops, NULL, flags & (UK_O_PATH | UK_O_ACCMODE), 0);
		if (!f)
			return -ENOMEM;
		f->flags = UK_O_PATH;
		goto named;
	}
	if (UK_S_ISLNK(vn->mode))
		return -ELOOP;
	if (UK_S_ISSOCK(vn->mode))
		return -ENXIO;          /* a socket's name: connect to it instead */
	if (dir && (acc != UK_O_RDONLY || (flags & (UK_O_TRUNC | UK_O_CREAT))))
		return -EISDIR;
	if (acc == 3)
		return -EINVAL;
	if ((flags & UK_O_TRUNC) && UK_S_ISREG(vn->mode) && acc != UK_O_RDONLY && vn->size) {
		r = vn->ops && vn->ops->setsize ? vn->ops->setsize(vn, 0) : -EINVAL;
		if (r)
			return r;
		uk_vfs_touch(vn, UK_VFS_MTIME | UK_VFS_CTIME);
	}
	f = uk_file_alloc(dir ? &dir_ops : NULL, NULL, flags,
			  dir ? UK_FILE_SEEKABLE : 0);
	if (!f)
		return -ENOMEM;
	if (!dir) {
		r = vn->ops && vn->ops->open ? vn->ops->open(vn, f) : -ENXIO;
		if (r) {
			uk_free(uk_alloc_get_default(), f);
			return r;
		}
	}
named:
	f->node = d;
	vfs_dentry_get(d);
	vfs_vnode_get(vn);
	*out = f;
	return 0;
}

/* Creates a regular file `name` in dir (vfs lock held). */
static long create(struct uk_dentry *dir, const char *name, size_t len, unsigned int mode,
		   struct uk_dentry **out)
{
	struct uk_vnode *vn;
	long r;

	if (!dir->linked)
		return -ENOENT;         /* the directory was removed */
	vn = vfs_vnode_alloc(dir->mnt, UK_S_IFREG | (mode & 07777 & ~vfs_umask()));
	if (!vn)
		return -ENOMEM;
	vn->nlink = 1;
	r = dir->mnt->fs->new_node ? dir->mnt->fs->new_node(dir->mnt, vn, NULL) : -EACCES;
	if (!r)
		r = vfs_dentry_add(dir, name, len, vn, out);
	if (r) {
		if (vn->ops && vn->ops->release)
			vn->ops->release(vn);
		uk_free(uk_alloc_get_default(), vn);
		return r;
	}
	uk_vfs_touch(dir->vn, UK_VFS_MTIME | UK_VFS_CTIME);
	return 0;
}

static long do_open(int dirfd, const char *path, unsigned int flags, unsigned int mode,
		    struct uk_file **out)
{
	struct uk_dentry *d = NULL, *dir;
	struct vfs_walk w;
	long r;

	if ((flags & UK_O_TMPFILE) == UK_O_TMPFILE)
		return -EOPNOTSUPP;
	if ((flags & UK_O_CREAT) && !(flags & UK_O_PATH)) {
		if (flags & UK_O_DIRECTORY)
			return -EINVAL;
		r = vfs_walk(dirfd, path, WALK_PARENT, &w);
		if (r)
			return r;
		dir = w.d;
		if (!w.lastlen || vfs_is_dot(w.last, w.lastlen)) {
			vfs_dentry_put(dir);
			return -EISDIR;
		}
		d = vfs_lookup(dir, w.last, w.lastlen);
		if (d && (flags & UK_O_EXCL)) {
			vfs_dentry_put(dir);
			return -EEXIST;
		}
		if (!d) {
			if (w.slash) {
				vfs_dentry_put(dir);
				return -EISDIR;
			}
			r = create(dir, w.last, w.lastlen, mode, &d);
			vfs_dentry_put(dir);
			if (r)
				return r;
			vfs_dentry_get(d);
			flags &= ~UK_O_TRUNC;
			goto open;
		}
		d = vfs_follow_mounts(d);
		if (!UK_S_ISLNK(d->vn->mode) || (flags & UK_O_NOFOLLOW)) {
			vfs_dentry_get(d);
			vfs_dentry_put(dir);
			if (w.slash && !UK_S_ISDIR(d->vn->mode)) {
				vfs_dentry_put(d);
				return -ENOTDIR;
			}
			goto open;
		}
		vfs_dentry_put(dir);
		/* an existing symlink: open what it names */
	}
	r = vfs_walk(dirfd, path, (flags & UK_O_NOFOLLOW) ? 0 : WALK_FOLLOW, &w);
	if (r)
		return r;
	d = w.d;
open:
	r = vfs_open_dentry(d, flags, out);
	vfs_dentry_put(d);
	return r;
}

long uk_sys_openat(int dirfd, const char *upath, int flags, unsigned int mode)
{
	struct uk_file *f = NULL;
	char *path;
	long r;

	path = vfs_getname(upath, &r);
	if (!path)
		return r;
	uk_vfs_lock();
	r = do_open(dirfd, path, (unsigned int)flags, mode, &f);
	uk_vfs_unlock();
	vfs_putname(path);
	if (r)
		return r;
	r = uk_fdtab_install(f, 0, (unsigned int)flags & UK_O_CLOEXEC);
	uk_file_put(f);
	return r;
}

long uk_sys_open(const char *upath, int flags, unsigned int mode)
{
	return uk_sys_openat(UK_AT_FDCWD, upath, flags, mode);
}

long uk_sys_creat(const char *upath, unsigned int mode)
{
	return uk_sys_openat(UK_AT_FDCWD, upath, UK_O_CREAT | UK_O_WRONLY | UK_O_TRUNC, mode);
}
