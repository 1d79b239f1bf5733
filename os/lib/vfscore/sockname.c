/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Socket names: the file-system half of AF_UNIX bind and connect
 * (posix-socket's unix_name.c holds which socket is bound to which node).
 * bind() makes a node of type S_IFSOCK, as Linux's mknod does for it;
 * connect() and sendto() resolve a path to that node. The node is only a
 * name: opening it is -ENXIO (open.c), unlink removes it as any file, and
 * the socket layer keeps a reference to the vnode it bound, so a name
 * unlinked and made again is a different node.
 */
#include <uk/alloc.h>
#include "vfs_impl.h"

int uk_vfs_mksock(const char *kpath, unsigned int perm, struct uk_vnode **out)
{
	struct uk_dentry *dir, *d = NULL;
	struct uk_vnode *vn;
	struct vfs_walk w;
	long r;

	uk_vfs_lock();
	r = vfs_walk(UK_AT_FDCWD, kpath, WALK_PARENT, &w);
	if (r)
		goto out;
	dir = w.d;
	if (!w.lastlen || vfs_is_dot(w.last, w.lastlen) || vfs_lookup(dir, w.last, w.lastlen)) {
		r = -EADDRINUSE;        /* Linux: any existing name, even a directory */
		goto put;
	}
	if (!dir->linked || w.slash) {
		r = -ENOENT;
		goto put;
	}
	vn = vfs_vnode_alloc(dir->mnt, UK_S_IFSOCK | (perm & 07777 & ~vfs_umask()));
	if (!vn) {
		r = -ENOMEM;
		goto put;
	}
	vn->nlink = 1;
	r = dir->mnt->fs->new_node ? dir->mnt->fs->new_node(dir->mnt, vn, NULL) : -EACCES;
	if (!r)
		r = vfs_dentry_add(dir, w.last, w.lastlen, vn, &d);
	if (r) {
		if (vn->ops && vn->ops->release)
			vn->ops->release(vn);
		uk_free(uk_alloc_get_default(), vn);
		goto put;
	}
	vfs_vnode_get(vn);              /* the caller's */
	*out = vn;
	uk_vfs_touch(dir->vn, UK_VFS_MTIME | UK_VFS_CTIME);
put:
	vfs_dentry_put(dir);
out:
	uk_vfs_unlock();
	return (int)r;
}

int uk_vfs_findsock(const char *kpath, struct uk_vnode **out)
{
	struct vfs_walk w;
	long r;

	uk_vfs_lock();
	r = vfs_walk(UK_AT_FDCWD, kpath, WALK_FOLLOW, &w);
	if (!r) {
		if (UK_S_ISSOCK(w.d->vn->mode)) {
			vfs_vnode_get(w.d->vn);
			*out = w.d->vn;
		} else {
			r = -ECONNREFUSED;
		}
		vfs_dentry_put(w.d);
	}
	uk_vfs_unlock();
	return (int)r;
}

void uk_vfs_rmsock(const char *kpath, struct uk_vnode *vn)
{
	struct uk_dentry *d;
	struct vfs_walk w;

	uk_vfs_lock();
	if (!vfs_walk(UK_AT_FDCWD, kpath, WALK_PARENT, &w)) {
		d = vfs_lookup(w.d, w.last, w.lastlen);
		if (d && d->vn == vn) {
			vn->nlink--;
			uk_vfs_touch(w.d->vn, UK_VFS_MTIME | UK_VFS_CTIME);
			vfs_dentry_unlink(d);
		}
		vfs_dentry_put(w.d);
	}
	uk_vfs_unlock();
}

void uk_vfs_vnode_put(struct uk_vnode *vn)
{
	uk_vfs_lock();
	vfs_vnode_put(vn);
	uk_vfs_unlock();
}
