/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ramfs (uk/ramfs.h): regular files as an array of 4 KiB page pointers
 * (NULL: a hole), symlinks as their target string. File data is read and
 * written under the vfs lock.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/alloc.h>
#include <uk/init.h>
#include <uk/string.h>
#include <uk/ramfs.h>
#include <uk/linux/statfs.h>
#include <uk/uaccess.h>

#define PAGE __PAGE_SIZE
/* Files up to 2^43 bytes (8 TiB); the page array grows as needed. */
#define MAX_SIZE (1ULL << 43)

struct ramfs_data {
	void **pages;
	size_t cap;             /* entries in pages */
	char *target;           /* symlinks */
	/* Once a page was handed out (get_page: a mapping may hold it), pages
	 * cut off by a shrink are kept here until the file goes, not freed:
	 * a mapping never sees a page the heap reuses. */
	bool mapped;
	void **dead;
	size_t ndead, capdead;
};

static const char zeros[PAGE] __align(PAGE);

static struct uk_alloc *A(void)
{
	return uk_alloc_get_default();
}

/* Makes room for page index idx in the array: 0 or -ENOMEM. */
static int grow(struct ramfs_data *d, size_t idx)
{
	size_t cap = d->cap ? d->cap : 8;
	void **p;

	if (idx < d->cap)
		return 0;
	while (cap <= idx)
		cap *= 2;
	p = uk_realloc(A(), d->pages, cap * sizeof(*p));
	if (!p)
		return -ENOMEM;
	__builtin_memset(p + d->cap, 0, (cap - d->cap) * sizeof(*p));
	d->pages = p;
	d->cap = cap;
	return 0;
}

/* The page at index idx, allocated (zeroed) if it was a hole; NULL: no
 * memory. */
static void *page_at(struct ramfs_data *d, size_t idx, bool zero)
{
	if (grow(d, idx))
		return NULL;
	if (!d->pages[idx]) {
		d->pages[idx] = uk_palloc(A(), 1);
		if (d->pages[idx] && zero)
			__builtin_memset(d->pages[idx], 0, PAGE);
	}
	return d->pages[idx];
}

static long ramfs_read(struct uk_file *f, void *ubuf, size_t n, uint64_t *off)
{
	struct uk_vnode *vn;
	struct ramfs_data *d;
	size_t done = 0;
	long r = 0;

	uk_vfs_lock();
	vn = uk_vfs_file_vnode(f);
	d = vn->priv;
	if (*off < vn->size)
		n = (size_t)UK_MIN((uint64_t)n, vn->size - *off);
	else
		n = 0;
	while (done < n) {
		uint64_t pos = *off + done;
		size_t idx = (size_t)(pos / PAGE), in = (size_t)(pos % PAGE);
		size_t chunk = UK_MIN(n - done, PAGE - in);
		const char *src = idx < d->cap && d->pages[idx] ? (char *)d->pages[idx] + in : zeros;

		if (uk_copy_to_user((char *)ubuf + done, src, chunk)) {
			r = -EFAULT;
			break;
		}
		done += chunk;
	}
	*off += done;
	uk_vfs_unlock();
	return done ? (long)done : r;
}

static long ramfs_write(struct uk_file *f, const void *ubuf, size_t n, uint64_t *off,
			bool append)
{
	struct uk_vnode *vn;
	struct ramfs_data *d;
	size_t done = 0;
	long r = 0;

	uk_vfs_lock();
	vn = uk_vfs_file_vnode(f);
	d = vn->priv;
	if (append)
		*off = vn->size;
	if (*off >= MAX_SIZE) {
		r = -EFBIG;
		goto out;
	}
	n = (size_t)UK_MIN((uint64_t)n, MAX_SIZE - *off);
	while (done < n) {
		uint64_t pos = *off + done;
		size_t idx = (size_t)(pos / PAGE), in = (size_t)(pos % PAGE);
		size_t chunk = UK_MIN(n - done, PAGE - in);
		char *page = page_at(d, idx, chunk < PAGE);

		if (!page) {
			r = -ENOSPC;
			break;
		}
		if (uk_copy_from_user(page + in, (const char *)ubuf + done, chunk)) {
			r = -EFAULT;
			break;
		}
		done += chunk;
	}
	*off += done;
	if (*off > vn->size)
		vn->size = *off;
	if (done)
		uk_vfs_touch(vn, UK_VFS_MTIME | UK_VFS_CTIME);
out:
	uk_vfs_unlock();
	return done ? (long)done : r;
}

static void *ramfs_get_page(struct uk_file *f, uint64_t off)
{
	struct ramfs_data *d;
	void *p;

	uk_vfs_lock();
	d = uk_vfs_file_vnode(f)->priv;
	p = page_at(d, (size_t)(off / PAGE), true);
	if (p)
		d->mapped = true;
	uk_vfs_unlock();
	return p;
}

static int ramfs_setsize(struct uk_vnode *vn, uint64_t size);

/* fallocate's growth (ftruncate itself goes through the vnode). */
static int ramfs_truncate(struct uk_file *f, uint64_t len)
{
	struct uk_vnode *vn;
	int r;

	uk_vfs_lock();
	vn = uk_vfs_file_vnode(f);
	r = ramfs_setsize(vn, len);
	if (!r)
		uk_vfs_touch(vn, UK_VFS_MTIME | UK_VFS_CTIME);
	uk_vfs_unlock();
	return r;
}

static int ramfs_sync(struct uk_file *f __unused)
{
	return 0;
}

static const struct uk_file_ops ramfs_file_ops;

int uk_ramfs_adopt(struct uk_file *f, uint64_t off, void *page)
{
	struct uk_vnode *vn;
	struct ramfs_data *d;
	size_t idx = (size_t)(off / PAGE);
	int rc = 0;

	if (f->ops != &ramfs_file_ops)
		return -ENOTSUP;
	if ((off % PAGE) || ((uintptr_t)page % PAGE) || off >= MAX_SIZE)
		return -EINVAL;
	uk_vfs_lock();
	vn = uk_vfs_file_vnode(f);
	d = vn->priv;
	if (grow(d, idx))
		rc = -ENOMEM;
	else if (d->pages[idx])
		rc = -EEXIST;
	else
		d->pages[idx] = page;
	if (!rc && off + PAGE > vn->size)
		vn->size = off + PAGE;
	uk_vfs_unlock();
	return rc;
}

static const struct uk_file_ops ramfs_file_ops = {
	.read = ramfs_read,
	.write = ramfs_write,
	UK_VFS_FILE_OPS,
	.release = uk_vfs_file_release,
	.sync = ramfs_sync,
	.truncate = ramfs_truncate,
	.get_page = ramfs_get_page,
};

static int ramfs_open(struct uk_vnode *vn __unused, struct uk_file *f)
{
	f->ops = &ramfs_file_ops;
	f->fflags |= UK_FILE_SEEKABLE;
	return 0;
}

/* A page cut off by a shrink: freed, or kept until the file goes when the
 * file was ever mapped (a mapping may still hold it; leaked if even the
 * list cannot grow: never freed under a mapping). */
static void drop_page(struct ramfs_data *d, void *page)
{
	void **n;

	if (!d->mapped) {
		uk_pfree(A(), page, 1);
		return;
	}
	if (d->ndead == d->capdead) {
		n = uk_realloc(A(), d->dead, (d->capdead ? 2 * d->capdead : 8) * sizeof(*n));
		if (!n)
			return;
		d->dead = n;
		d->capdead = d->capdead ? 2 * d->capdead : 8;
	}
	d->dead[d->ndead++] = page;
}

/* Shrinking drops whole pages past the end (drop_page) and zeroes the rest
 * of the last one, so growing again reads zeros. */
static int ramfs_setsize(struct uk_vnode *vn, uint64_t size)
{
	struct ramfs_data *d = vn->priv;
	size_t i, keep;

	if (size >= MAX_SIZE)
		return -EFBIG;
	if (size < vn->size) {
		keep = (size_t)((size + PAGE - 1) / PAGE);
		for (i = keep; i < d->cap; i++) {
			if (d->pages[i])
				drop_page(d, d->pages[i]);
			d->pages[i] = NULL;
		}
		if ((size % PAGE) && keep - 1 < d->cap && d->pages[keep - 1])
			__builtin_memset((char *)d->pages[keep - 1] + size % PAGE, 0,
					 PAGE - size % PAGE);
	}
	vn->size = size;
	return 0;
}

static long ramfs_readlink(struct uk_vnode *vn, char *buf, size_t n)
{
	struct ramfs_data *d = vn->priv;
	size_t len = uk_strlen(d->target);

	len = UK_MIN(len, n);
	__builtin_memcpy(buf, d->target, len);
	return (long)len;
}

static void ramfs_release(struct uk_vnode *vn)
{
	struct ramfs_data *d = vn->priv;
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->cap; i++)
		if (d->pages[i])
			uk_pfree(A(), d->pages[i], 1);
	for (i = 0; i < d->ndead; i++)
		uk_pfree(A(), d->dead[i], 1);
	uk_free(A(), d->dead);
	uk_free(A(), d->pages);
	uk_free(A(), d->target);
	uk_free(A(), d);
	vn->priv = NULL;
}

static const struct uk_vnode_ops ramfs_vnode_ops = {
	.open = ramfs_open,
	.readlink = ramfs_readlink,
	.setsize = ramfs_setsize,
	.release = ramfs_release,
};

int uk_ramfs_new_node(struct uk_mount *m __unused, struct uk_vnode *vn, const char *target)
{
	struct ramfs_data *d;

	vn->ops = &ramfs_vnode_ops;
	if (UK_S_ISDIR(vn->mode))
		return 0;
	d = uk_calloc(A(), 1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	if (target) {
		size_t len = uk_strlen(target);

		d->target = uk_malloc(A(), len + 1);
		if (!d->target) {
			uk_free(A(), d);
			return -ENOMEM;
		}
		__builtin_memcpy(d->target, target, len + 1);
	}
	vn->priv = d;
	return 0;
}

const struct uk_fs_type uk_ramfs_fs = {
	.name = "ramfs",
	.magic = UK_RAMFS_MAGIC,
	.new_node = uk_ramfs_new_node,
};

/* The root file system: before devfs/procfs/sysfs (prio 9) and the
 * initrd's unpacking (class 4). */
static int ramfs_mount_root(void)
{
	return uk_vfs_mount("/", &uk_ramfs_fs, NULL, NULL);
}
uk_initcall(ramfs_mount_root, UK_INIT_CLASS_LIB, 8);
