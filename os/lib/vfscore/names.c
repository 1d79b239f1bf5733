/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Changing names: mkdir, mkdirat, rmdir, unlink, unlinkat, rename,
 * renameat, renameat2 (RENAME_NOREPLACE, RENAME_EXCHANGE), link, linkat,
 * symlink, symlinkat. Every check happens before the namespace changes.
 */
#include <uk/alloc.h>
#include <uk/string.h>
#include "vfs_impl.h"

/* Walks to the directory of path's last component (+ref in w->d). */
static long parent_of(int dirfd, const char *upath, struct vfs_walk *w, char **kpath)
{
	long r;

	*kpath = vfs_getname(upath, &r);
	if (!*kpath)
		return r;
	uk_vfs_lock();
	r = vfs_walk(dirfd, *kpath, WALK_PARENT, w);
	if (r) {
		uk_vfs_unlock();
		vfs_putname(*kpath);
	}
	return r;
}

static void parent_done(struct vfs_walk *w, char *kpath)
{
	vfs_dentry_put(w->d);
	uk_vfs_unlock();
	vfs_putname(kpath);
}

/* A new name of type `mode` (mkdir/symlink) under w->d. */
static long make(struct vfs_walk *w, unsigned int mode, const char *target)
{
	struct uk_dentry *dir = w->d;
	struct uk_vnode *vn;
	long r;

	if (!w->lastlen || vfs_is_dot(w->last, w->lastlen) || vfs_lookup(dir, w->last, w->lastlen))
		return -EEXIST;
	if (!dir->linked)
		return -ENOENT;
	if (!UK_S_ISDIR(mode) && w->slash)
		return -ENOENT;
	vn = vfs_vnode_alloc(dir->mnt, mode);
	if (!vn)
		return -ENOMEM;
	vn->nlink = UK_S_ISDIR(mode) ? 2 : 1;
	if (target)
		vn->size = uk_strlen(target);
	r = dir->mnt->fs->new_node ? dir->mnt->fs->new_node(dir->mnt, vn, target) : -EACCES;
	if (!r)
		r = vfs_dentry_add(dir, w->last, w->lastlen, vn, NULL);
	if (r) {
		if (vn->ops && vn->ops->release)
			vn->ops->release(vn);
		uk_free(uk_alloc_get_default(), vn);
		return r;
	}
	if (UK_S_ISDIR(mode))
		dir->vn->nlink++;
	uk_vfs_touch(dir->vn, UK_VFS_MTIME | UK_VFS_CTIME);
	return 0;
}

long uk_sys_mkdirat(int dirfd, const char *upath, unsigned int mode)
{
	struct vfs_walk w;
	char *k;
	long r = parent_of(dirfd, upath, &w, &k);

	if (r)
		return r;
	r = make(&w, UK_S_IFDIR | (mode & 07777 & ~vfs_umask()), NULL);
	parent_done(&w, k);
	return r;
}

long uk_sys_mkdir(const char *upath, unsigned int mode)
{
	return uk_sys_mkdirat(UK_AT_FDCWD, upath, mode);
}

long uk_sys_symlinkat(const char *utarget, int dirfd, const char *upath)
{
	struct vfs_walk w;
	char *k, *target;
	long r;

	target = vfs_getname(utarget, &r);
	if (!target)
		return r;
	if (!*target) {
		vfs_putname(target);
		return -ENOENT;
	}
	r = parent_of(dirfd, upath, &w, &k);
	if (!r) {
		r = make(&w, UK_S_IFLNK | 0777, target);
		parent_done(&w, k);
	}
	vfs_putname(target);
	return r;
}

long uk_sys_symlink(const char *utarget, const char *upath)
{
	return uk_sys_symlinkat(utarget, UK_AT_FDCWD, upath);
}

static bool is_mount_point(const struct uk_dentry *d)
{
	return d->mounted || (!d->parent && d->mnt->covered);
}

static long remove_dir(struct vfs_walk *w)
{
	struct uk_dentry *d;

	if (!w->lastlen)
		return -EBUSY;
	if (w->lastlen == 1 && w->last[0] == '.')
		return -EINVAL;
	if (vfs_is_dot(w->last, w->lastlen))
		return -ENOTEMPTY;
	d = vfs_lookup(w->d, w->last, w->lastlen);
	if (!d)
		return -ENOENT;
	if (!UK_S_ISDIR(d->vn->mode))
		return -ENOTDIR;
	if (d->mounted)
		return -EBUSY;
	if (!w->d->mnt->fs->new_node)
		return -EACCES;
	if (!vfs_dir_empty(d))
		return -ENOTEMPTY;
	w->d->vn->nlink--;
	d->vn->nlink = 0;
	uk_vfs_touch(w->d->vn, UK_VFS_MTIME | UK_VFS_CTIME);
	vfs_dentry_unlink(d);
	return 0;
}

static long remove_file(struct vfs_walk *w)
{
	struct uk_dentry *d;

	if (!w->lastlen || vfs_is_dot(w->last, w->lastlen))
		return -EISDIR;
	d = vfs_lookup(w->d, w->last, w->lastlen);
	if (!d)
		return -ENOENT;
	if (UK_S_ISDIR(d->vn->mode))
		return -EISDIR;
	if (w->slash)
		return -ENOTDIR;
	if (!w->d->mnt->fs->new_node)
		return -EACCES;
	d->vn->nlink--;
	uk_vfs_touch(d->vn, UK_VFS_CTIME);
	uk_vfs_touch(w->d->vn, UK_VFS_MTIME | UK_VFS_CTIME);
	vfs_dentry_unlink(d);
	return 0;
}

long uk_sys_unlinkat(int dirfd, const char *upath, int flags)
{
	struct vfs_walk w;
	char *k;
	long r;

	if (flags & ~UK_AT_REMOVEDIR)
		return -EINVAL;
	r = parent_of(dirfd, upath, &w, &k);
	if (r)
		return r;
	r = (flags & UK_AT_REMOVEDIR) ? remove_dir(&w) : remove_file(&w);
	parent_done(&w, k);
	return r;
}

long uk_sys_unlink(const char *upath)
{
	return uk_sys_unlinkat(UK_AT_FDCWD, upath, 0);
}

long uk_sys_rmdir(const char *upath)
{
	return uk_sys_unlinkat(UK_AT_FDCWD, upath, UK_AT_REMOVEDIR);
}

/* d is dir or one of its ancestors (crossing mounts). */
static bool is_ancestor(const struct uk_dentry *d, const struct uk_dentry *dir)
{
	for (;;) {
		if (dir == d)
			return true;
		while (!dir->parent && dir->mnt->covered)
			dir = dir->mnt->covered;
		if (!dir->parent)
			return false;
		dir = dir->parent;
	}
}

/* RENAME_EXCHANGE: the two names trade places (files keep their
 * children, descriptors stay with their files); a directory moving to
 * another parent moves one link count with it. */
static long exchange(struct uk_dentry *a, struct uk_dentry *b)
{
	bool ad = UK_S_ISDIR(a->vn->mode), bd = UK_S_ISDIR(b->vn->mode);
	struct uk_dentry *pa = a->parent, *pb = b->parent;
	long r;

	if (is_mount_point(a) || is_mount_point(b))
		return -EBUSY;
	if ((ad && is_ancestor(a, pb)) || (bd && is_ancestor(b, pa)))
		return -EINVAL;
	r = vfs_dentry_exchange(a, b);
	if (r)
		return r;
	if (ad != bd) {
		pa->vn->nlink += ad ? -1 : 1;
		pb->vn->nlink += bd ? -1 : 1;
	}
	uk_vfs_touch(a->vn, UK_VFS_CTIME);
	uk_vfs_touch(b->vn, UK_VFS_CTIME);
	uk_vfs_touch(pa->vn, UK_VFS_MTIME | UK_VFS_CTIME);
	uk_vfs_touch(pb->vn, UK_VFS_MTIME | UK_VFS_CTIME);
	return 0;
}

static long do_rename(struct vfs_walk *o, struct vfs_walk *n, unsigned int flags)
{
	struct uk_dentry *src, *dst, *odir = o->d, *ndir = n->d;
	bool sdir;

	if (!o->lastlen || vfs_is_dot(o->last, o->lastlen) ||
	    !n->lastlen || vfs_is_dot(n->last, n->lastlen))
		return -EBUSY;
	src = vfs_lookup(odir, o->last, o->lastlen);
	if (!src)
		return -ENOENT;
	if (odir->mnt != ndir->mnt)
		return -EXDEV;
	if (!odir->mnt->fs->new_node)
		return -EACCES;
	if (!ndir->linked)
		return -ENOENT;
	sdir = UK_S_ISDIR(src->vn->mode);
	dst = vfs_lookup(ndir, n->last, n->lastlen);
	if (flags & UK_RENAME_EXCHANGE) {
		if (!dst)
			return -ENOENT;
		return src == dst ? 0 : exchange(src, dst);
	}
	if ((o->slash || n->slash) && !sdir)
		return -ENOTDIR;
	if (dst && (flags & UK_RENAME_NOREPLACE))
		return -EEXIST;
	if (src == dst || (dst && dst->vn == src->vn))
		return 0;               /* the same file: nothing to do (POSIX) */
	if (is_mount_point(src) || (dst && is_mount_point(dst)))
		return -EBUSY;
	if (sdir && is_ancestor(src, ndir))
		return -EINVAL;
	if (dst) {
		bool ddir = UK_S_ISDIR(dst->vn->mode);

		if (sdir && !ddir)
			return -ENOTDIR;
		if (!sdir && ddir)
			return -EISDIR;
		if (ddir && !vfs_dir_empty(dst))
			return -ENOTEMPTY;
		if (ddir) {
			ndir->vn->nlink--;
			dst->vn->nlink = 0;
		} else {
			dst->vn->nlink--;
		}
		uk_vfs_touch(dst->vn, UK_VFS_CTIME);
		vfs_dentry_unlink(dst);
	}
	if (vfs_dentry_move(src, ndir, n->last, n->lastlen))
		return -ENOMEM;
	if (sdir && odir != ndir) {
		odir->vn->nlink--;
		ndir->vn->nlink++;
	}
	uk_vfs_touch(src->vn, UK_VFS_CTIME);
	uk_vfs_touch(odir->vn, UK_VFS_MTIME | UK_VFS_CTIME);
	uk_vfs_touch(ndir->vn, UK_VFS_MTIME | UK_VFS_CTIME);
	return 0;
}

long uk_sys_renameat2(int olddirfd, const char *uold, int newdirfd, const char *unew,
		      unsigned int flags)
{
	struct vfs_walk o, n;
	char *ko, *kn;
	long r;

	if (flags & ~(UK_RENAME_NOREPLACE | UK_RENAME_EXCHANGE))
		return -EINVAL;
	if ((flags & UK_RENAME_NOREPLACE) && (flags & UK_RENAME_EXCHANGE))
		return -EINVAL;
	ko = vfs_getname(uold, &r);
	if (!ko)
		return r;
	kn = vfs_getname(unew, &r);
	if (!kn) {
		vfs_putname(ko);
		return r;
	}
	uk_vfs_lock();
	r = vfs_walk(olddirfd, ko, WALK_PARENT, &o);
	if (!r) {
		r = vfs_walk(newdirfd, kn, WALK_PARENT, &n);
		if (!r) {
			r = do_rename(&o, &n, flags);
			vfs_dentry_put(n.d);
		}
		vfs_dentry_put(o.d);
	}
	uk_vfs_unlock();
	vfs_putname(kn);
	vfs_putname(ko);
	return r;
}

long uk_sys_renameat(int olddirfd, const char *uold, int newdirfd, const char *unew)
{
	return uk_sys_renameat2(olddirfd, uold, newdirfd, unew, 0);
}

long uk_sys_rename(const char *uold, const char *unew)
{
	return uk_sys_renameat2(UK_AT_FDCWD, uold, UK_AT_FDCWD, unew, 0);
}

long uk_sys_linkat(int olddirfd, const char *uold, int newdirfd, const char *unew, int flags)
{
	struct uk_dentry *src = NULL;
	struct vfs_walk o, n;
	char *ko, *kn;
	long r;

	if (flags & ~(UK_AT_SYMLINK_FOLLOW | UK_AT_EMPTY_PATH))
		return -EINVAL;
	ko = vfs_getname(uold, &r);
	if (!ko)
		return r;
	kn = vfs_getname(unew, &r);
	if (!kn) {
		vfs_putname(ko);
		return r;
	}
	uk_vfs_lock();
	if (!*ko && (flags & UK_AT_EMPTY_PATH)) {
		src = vfs_fd_dentry(olddirfd, &r);
		if (!src && r == -ENOTDIR)
			r = -ENOENT;    /* a pipe has no name to link to */
	} else {
		r = vfs_walk(olddirfd, ko, (flags & UK_AT_SYMLINK_FOLLOW) ? WALK_FOLLOW : 0, &o);
		src = r ? NULL : o.d;
	}
	if (src) {
		r = vfs_walk(newdirfd, kn, WALK_PARENT, &n);
		if (!r) {
			if (UK_S_ISDIR(src->vn->mode))
				r = -EPERM;
			else if (!n.lastlen || vfs_is_dot(n.last, n.lastlen) ||
				 vfs_lookup(n.d, n.last, n.lastlen))
				r = -EEXIST;
			else if (n.slash)
				r = -ENOENT;
			else if (src->vn->mnt != n.d->mnt)
				r = -EXDEV;
			else if (!n.d->mnt->fs->new_node)
				r = -EACCES;
			else if (!n.d->linked || (!src->linked && src->vn->nlink == 0))
				r = -ENOENT;
			else
				r = vfs_dentry_add(n.d, n.last, n.lastlen, src->vn, NULL);
			if (!r) {
				src->vn->nlink++;
				uk_vfs_touch(src->vn, UK_VFS_CTIME);
				uk_vfs_touch(n.d->vn, UK_VFS_MTIME | UK_VFS_CTIME);
			}
			vfs_dentry_put(n.d);
		}
		vfs_dentry_put(src);
	}
	uk_vfs_unlock();
	vfs_putname(kn);
	vfs_putname(ko);
	return r;
}

long uk_sys_link(const char *uold, const char *unew)
{
	return uk_sys_linkat(UK_AT_FDCWD, uold, UK_AT_FDCWD, unew, 0);
}
