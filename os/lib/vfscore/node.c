/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vnodes and dentries (vfs_impl.h): allocation, reference counts, the
 * per-directory child lists (creation order, for getdents cookies that
 * survive unlinks) and one global hash of (parent, name) for lookups.
 * Everything here runs under the vfs lock.
 */
#include <uk/alloc.h>
#include <uk/string.h>
#include <uk/time.h>
#ifdef CONFIG_LIBUKLOCK
#include <uk/mutex.h>
#endif
#include "vfs_impl.h"

#define HASH_SIZE 2048

static struct uk_dentry *hash[HASH_SIZE];
static uint64_t next_ino = 2;

#ifdef CONFIG_LIBUKLOCK
static struct uk_mutex vfs_mutex = UK_MUTEX_RECURSIVE_INITIALIZER;

void uk_vfs_lock(void)
{
	uk_mutex_lock(&vfs_mutex);
}

void uk_vfs_unlock(void)
{
	uk_mutex_unlock(&vfs_mutex);
}
#else
void uk_vfs_lock(void) {}
void uk_vfs_unlock(void) {}
#endif

/* Before anything has read the clock (mounting, unpacking the rootfs at
 * boot), a time stamp would cost x86 the TSC's measurement (~10 ms): those
 * nodes get UK_VFS_TIME_BOOT, which stat reports as the boot's wall time
 * (uk_vfs_time_ns). */
int64_t uk_vfs_now(void)
{
	if (!uk_time_calibrated())
		return UK_VFS_TIME_BOOT;
	return (int64_t)uk_time_wall_ns();
}

int64_t uk_vfs_time_ns(int64_t t)
{
	return t == UK_VFS_TIME_BOOT ? (int64_t)uk_time_boot_wall_ns() : t;
}

void uk_vfs_touch(struct uk_vnode *vn, unsigned int which)
{
	int64_t now = uk_vfs_now();

	if (which & UK_VFS_ATIME)
		vn->atime = now;
	if (which & UK_VFS_MTIME)
		vn->mtime = now;
	if (which & UK_VFS_CTIME)
		vn->ctime = now;
}

struct uk_vnode *vfs_vnode_alloc(struct uk_mount *m, unsigned int mode)
{
	struct uk_vnode *vn = uk_calloc(uk_alloc_get_default(), 1, sizeof(*vn));

	if (!vn)
		return NULL;
	vn->mode = mode;
	vn->mnt = m;
	vn->ino = next_ino++;
	vn->atime = vn->mtime = vn->ctime = uk_vfs_now();
	return vn;
}

void vfs_vnode_get(struct uk_vnode *vn)
{
	vn->refs++;
}

void vfs_vnode_put(struct uk_vnode *vn)
{
	if (--vn->refs > 0)
		return;
	if (vn->ops && vn->ops->release)
		vn->ops->release(vn);
	uk_free(uk_alloc_get_default(), vn);
}

static unsigned int hash_of(const struct uk_dentry *dir, const char *name, size_t len)
{
	uint32_t h = 2166136261u ^ (uint32_t)((uintptr_t)dir >> 4);
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h % HASH_SIZE;
}

struct uk_dentry *vfs_lookup(struct uk_dentry *dir, const char *name, size_t len)
{
	struct uk_dentry *d;

	for (d = hash[hash_of(dir, name, len)]; d; d = d->hnext)
		if (d->parent == dir && d->namelen == len && !uk_strncmp(d->name, name, len))
			return d;
	return NULL;
}

static void hash_del(struct uk_dentry *d)
{
	struct uk_dentry **pp = &hash[hash_of(d->parent, d->name, d->namelen)];

	while (*pp != d)
		pp = &(*pp)->hnext;
	*pp = d->hnext;
	d->hnext = NULL;
}

static void link_into(struct uk_dentry *d, struct uk_dentry *dir)
{
	unsigned int h = hash_of(dir, d->name, d->namelen);

	d->parent = dir;
	d->mnt = dir->mnt;
	d->seq = dir->next_seq++;
	d->prev = dir->last;
	d->next = NULL;
	if (dir->last)
		dir->last->next = d;
	else
		dir->first = d;
	dir->last = d;
	d->hnext = hash[h];
	hash[h] = d;
	d->linked = true;
	dir->refs++;            /* a child keeps its directory's dentry */
}

static void unlink_from(struct uk_dentry *d)
{
	struct uk_dentry *dir = d->parent;

	hash_del(d);
	if (d->prev)
		d->prev->next = d->next;
	else
		dir->first = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		dir->last = d->prev;
	d->prev = d->next = NULL;
	d->linked = false;
}

static char *name_store(struct uk_dentry *d, const char *name, size_t len)
{
	char *n = len < sizeof(d->iname) ? d->iname : uk_malloc(uk_alloc_get_default(), len + 1);

	if (n) {
		__builtin_memcpy(n, name, len);
		n[len] = 0;
	}
	return n;
}

static void name_free(struct uk_dentry *d)
{
	if (d->name != d->iname)
		uk_free(uk_alloc_get_default(), d->name);
}

static struct uk_dentry *dentry_new(const char *name, size_t len, struct uk_vnode *vn)
{
	struct uk_dentry *d = uk_calloc(uk_alloc_get_default(), 1, sizeof(*d));

	if (!d)
		return NULL;
	d->name = name_store(d, name, len);
	if (!d->name) {
		uk_free(uk_alloc_get_default(), d);
		return NULL;
	}
	d->namelen = (unsigned short)len;
	d->vn = vn;
	d->next_seq = 2;        /* 0 and 1 are "." and ".." */
	vfs_vnode_get(vn);
	return d;
}

int vfs_dentry_add(struct uk_dentry *dir, const char *name, size_t len,
		   struct uk_vnode *vn, struct uk_dentry **out)
{
	struct uk_dentry *d = dentry_new(name, len, vn);

	if (!d)
		return -ENOMEM;
	link_into(d, dir);
	if (out)
		*out = d;
	return 0;
}

/* A mount's root: linked forever (never freed), no parent. */
struct uk_dentry *vfs_root_dentry_new(struct uk_mount *m, struct uk_vnode *vn);
struct uk_dentry *vfs_root_dentry_new(struct uk_mount *m, struct uk_vnode *vn)
{
	struct uk_dentry *d = dentry_new("", 0, vn);

	if (d) {
		d->mnt = m;
		d->linked = true;
		d->refs = 1;
	}
	return d;
}

static void dentry_free(struct uk_dentry *d)
{
	struct uk_dentry *parent = d->parent;

	vfs_vnode_put(d->vn);
	name_free(d);
	uk_free(uk_alloc_get_default(), d);
	if (parent)
		vfs_dentry_put(parent);
}

void vfs_dentry_unlink(struct uk_dentry *d)
{
	unlink_from(d);
	if (d->refs == 0)
		dentry_free(d);
}

int vfs_dentry_move(struct uk_dentry *d, struct uk_dentry *dir, const char *name, size_t len)
{
	struct uk_dentry *old = d->parent;
	char *n, *prev = d->name;
	struct uk_dentry tmp;

	/* the new name first, so a failure changes nothing */
	n = len < sizeof(d->iname) ? tmp.iname : uk_malloc(uk_alloc_get_default(), len + 1);
	if (!n)
		return -ENOMEM;
	__builtin_memcpy(n, name, len);
	n[len] = 0;
	unlink_from(d);
	if (prev != d->iname)
		uk_free(uk_alloc_get_default(), prev);
	if (n == tmp.iname) {
		__builtin_memcpy(d->iname, n, len + 1);
		n = d->iname;
	}
	d->name = n;
	d->namelen = (unsigned short)len;
	link_into(d, dir);
	vfs_dentry_put(old);    /* the old directory loses its child */
	return 0;
}

void vfs_dentry_get(struct uk_dentry *d)
{
	d->refs++;
}

void vfs_dentry_put(struct uk_dentry *d)
{
	if (--d->refs == 0 && !d->linked)
		dentry_free(d);
}

struct uk_dentry *vfs_follow_mounts(struct uk_dentry *d)
{
	while (d->mounted)
		d = d->mounted->root;
	return d;
}

bool vfs_dir_empty(const struct uk_dentry *d)
{
	return d->first == NULL;
}

/* A copy of name for d (its inline buffer when short): NULL, no memory. */
static char *name_dup(struct uk_dentry *d, const char *name, size_t len, char *inline_buf)
{
	char *n = len < sizeof(d->iname) ? inline_buf : uk_malloc(uk_alloc_get_default(), len + 1);

	if (n) {
		__builtin_memcpy(n, name, len);
		n[len] = 0;
	}
	return n;
}

static void name_set(struct uk_dentry *d, char *n, size_t len, char *inline_buf)
{
	if (d->name != d->iname)
		uk_free(uk_alloc_get_default(), d->name);
	if (n == inline_buf) {
		__builtin_memcpy(d->iname, n, len + 1);
		n = d->iname;
	}
	d->name = n;
	d->namelen = (unsigned short)len;
}

int vfs_dentry_exchange(struct uk_dentry *a, struct uk_dentry *b)
{
	struct uk_dentry *pa = a->parent, *pb = b->parent;
	char ia[sizeof(a->iname)], ib[sizeof(b->iname)];
	size_t la = a->namelen, lb = b->namelen;
	char *na, *nb;

	na = name_dup(a, b->name, lb, ia);      /* a's new name: b's */
	nb = name_dup(b, a->name, la, ib);
	if (!na || !nb) {
		if (na && na != ia)
			uk_free(uk_alloc_get_default(), na);
		if (nb && nb != ib)
			uk_free(uk_alloc_get_default(), nb);
		return -ENOMEM;
	}
	unlink_from(a);
	unlink_from(b);
	name_set(a, na, lb, ia);
	name_set(b, nb, la, ib);
	link_into(a, pb);
	link_into(b, pa);
	vfs_dentry_put(pa);     /* each old parent lost the child it gained back */
	vfs_dentry_put(pb);
	return 0;
}
