/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mounts and kernel-side node creation (uk/vfs.h): the root mount, a file
 * system over a directory, special nodes (devices, procfs files).
 */
#include <uk/alloc.h>
#include <uk/string.h>
#include "vfs_impl.h"

struct uk_dentry *vfs_root_dentry_new(struct uk_mount *m, struct uk_vnode *vn);

static struct uk_dentry *root;
static unsigned long next_dev = 1;

struct uk_dentry *vfs_root(void)
{
	return root;
}

int uk_vfs_mount(const char *path, const struct uk_fs_type *fs, void *priv,
		 struct uk_mount **out)
{
	struct uk_dentry *at = NULL;
	struct uk_mount *m;
	struct uk_vnode *vn;
	struct vfs_walk w;
	int r = 0;

	uk_vfs_lock();
	if (!root) {
		if (!uk_streq(path, "/")) {
			r = -ENOENT;
			goto out;
		}
	} else {
		r = vfs_walk(UK_AT_FDCWD, path, WALK_FOLLOW, &w);
		if (r)
			goto out;
		at = w.d;
		if (!UK_S_ISDIR(at->vn->mode)) {
			r = -ENOTDIR;
			goto out;
		}
		if (at->mounted) {
			r = -EBUSY;
			goto out;
		}
	}
	m = uk_calloc(uk_alloc_get_default(), 1, sizeof(*m));
	vn = m ? vfs_vnode_alloc(m, UK_S_IFDIR | 0755) : NULL;
	if (!vn) {
		uk_free(uk_alloc_get_default(), m);
		r = -ENOMEM;
		goto out;
	}
	vn->nlink = 2;
	m->fs = fs;
	m->priv = priv;
	m->dev = next_dev++;
	m->covered = at;
	m->root = vfs_root_dentry_new(m, vn);
	if (!m->root) {
		uk_free(uk_alloc_get_default(), vn);
		uk_free(uk_alloc_get_default(), m);
		r = -ENOMEM;
		goto out;
	}
	if (at) {
		at->mounted = m;
		vfs_dentry_get(at);     /* the mount keeps its mountpoint */
	} else {
		root = m->root;
	}
	if (out)
		*out = m;
out:
	if (at)
		vfs_dentry_put(at);
	uk_vfs_unlock();
	return r;
}

int uk_vfs_mknode(const char *path, unsigned int mode, unsigned long rdev,
		  const struct uk_vnode_ops *ops, void *priv)
{
	struct uk_dentry *dir;
	struct uk_vnode *vn;
	struct vfs_walk w;
	int r;

	uk_vfs_lock();
	r = vfs_walk(UK_AT_FDCWD, path, WALK_PARENT, &w);
	if (r)
		goto out;
	dir = vfs_follow_mounts(w.d);
	if (!w.lastlen || vfs_is_dot(w.last, w.lastlen) || vfs_lookup(dir, w.last, w.lastlen)) {
		r = -EEXIST;
		goto put;
	}
	vn = vfs_vnode_alloc(dir->mnt, mode);
	if (!vn) {
		r = -ENOMEM;
		goto put;
	}
	vn->ops = ops;
	vn->priv = priv;
	vn->rdev = rdev;
	vn->nlink = UK_S_ISDIR(mode) ? 2 : 1;
	r = vfs_dentry_add(dir, w.last, w.lastlen, vn, NULL);
	if (r)
		uk_free(uk_alloc_get_default(), vn);
	else if (UK_S_ISDIR(mode))
		dir->vn->nlink++;
put:
	vfs_dentry_put(w.d);
out:
	uk_vfs_unlock();
	return r;
}
