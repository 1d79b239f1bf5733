/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The path walk: absolute and relative paths (to the cwd or a directory
 * descriptor), "." and "..", mounts crossed both ways, symlinks followed
 * (at most 40 per walk: -ELOOP), components up to NAME_MAX and paths up to
 * PATH_MAX (-ENAMETOOLONG). Runs under the vfs lock.
 */
#include <uk/alloc.h>
#include <uk/string.h>
#include "vfs_impl.h"

#define MAX_SYMLINKS 40

char *vfs_getname(const char *upath, long *err)
{
	char *k = uk_malloc(uk_alloc_get_default(), UK_PATH_MAX);
	long r;

	if (!k) {
		*err = -ENOMEM;
		return NULL;
	}
	r = uk_strncpy_from_user(k, upath, UK_PATH_MAX);
	if (r < 0) {
		uk_free(uk_alloc_get_default(), k);
		*err = r;
		return NULL;
	}
	return k;
}

void vfs_putname(char *name)
{
	uk_free(uk_alloc_get_default(), name);
}

bool vfs_is_dot(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

struct uk_dentry *vfs_fd_dentry(int fd, long *err)
{
	struct uk_file *f = uk_fdtab_get(fd);
	struct uk_dentry *d;

	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	d = f->node;
	if (d)
		vfs_dentry_get(d);
	else
		*err = -ENOTDIR;        /* a pipe or socket names no directory */
	uk_file_put(f);
	return d;
}

static struct uk_dentry *go_up(struct uk_dentry *d)
{
	while (!d->parent && d->mnt->covered)
		d = d->mnt->covered;
	return d->parent ? d->parent : d;
}

/* Replaces cur (the walk's reference) by next. */
static void step(struct uk_dentry **cur, struct uk_dentry *next)
{
	vfs_dentry_get(next);
	vfs_dentry_put(*cur);
	*cur = next;
}

int vfs_walk(int dirfd, const char *kpath, unsigned int flags, struct vfs_walk *w)
{
	char *buf = NULL, *tmp = NULL;
	const char *p = kpath;
	struct uk_dentry *cur, *child;
	unsigned int links = 0;
	long r = 0;

	w->d = NULL;
	w->last[0] = 0;
	w->lastlen = 0;
	w->slash = false;
	if (!*kpath)
		return -ENOENT;
	if (*p == '/') {
		cur = vfs_root();
		vfs_dentry_get(cur);
	} else if (dirfd == UK_AT_FDCWD) {
		cur = vfs_cwd();
	} else {
		cur = vfs_fd_dentry(dirfd, &r);
		if (!cur)
			return (int)r;
		if (!UK_S_ISDIR(cur->vn->mode)) {
			vfs_dentry_put(cur);
			return -ENOTDIR;
		}
	}
	for (;;) {
		const char *name, *q;
		size_t len;
		bool last, slash;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		name = p;
		for (q = p; *q && *q != '/'; q++)
			;
		len = (size_t)(q - p);
		if (len > UK_NAME_MAX) {
			r = -ENAMETOOLONG;
			goto fail;
		}
		slash = *q == '/';
		for (p = q; *p == '/'; p++)
			;
		last = !*p;
		if (!UK_S_ISDIR(cur->vn->mode)) {
			r = -ENOTDIR;
			goto fail;
		}
		if (last && (flags & WALK_PARENT)) {
			__builtin_memcpy(w->last, name, len);
			w->last[len] = 0;
			w->lastlen = len;
			w->slash = slash;
			break;
		}
		if (len == 1 && name[0] == '.')
			continue;
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			step(&cur, go_up(cur));
			continue;
		}
		child = vfs_lookup(cur, name, len);
		if (!child) {
			r = -ENOENT;
			goto fail;
		}
		child = vfs_follow_mounts(child);
		if (UK_S_ISLNK(child->vn->mode) && (!last || slash || (flags & WALK_FOLLOW))) {
			size_t tlen, rest = uk_strlen(p);
			long n;

			if (++links > MAX_SYMLINKS) {
				r = -ELOOP;
				goto fail;
			}
			if (!tmp)
				tmp = uk_malloc(uk_alloc_get_default(), UK_PATH_MAX);
			if (!buf)
				buf = uk_malloc(uk_alloc_get_default(), UK_PATH_MAX);
			if (!tmp || !buf) {
				r = -ENOMEM;
				goto fail;
			}
			n = child->vn->ops && child->vn->ops->readlink
			    ? child->vn->ops->readlink(child->vn, tmp, UK_PATH_MAX) : -EINVAL;
			if (n < 0) {
				r = n;
				goto fail;
			}
			if (n == 0) {
				r = -ENOENT;
				goto fail;
			}
			tlen = (size_t)n;
			/* target + "/" + the rest of the path */
			if (tlen + 1 + rest + 1 > UK_PATH_MAX) {
				r = -ENAMETOOLONG;
				goto fail;
			}
			__builtin_memmove(buf + tlen + 1, p, rest + 1);
			if (slash || rest)
				buf[tlen] = '/';
			else
				buf[tlen] = 0;
			__builtin_memcpy(buf, tmp, tlen);
			if (slash && !rest)
				buf[tlen + 1] = 0;
			p = buf;
			if (*p == '/')
				step(&cur, vfs_root());
			continue;
		}
		step(&cur, child);
		if (last)
			w->slash = slash;
	}
	if (w->slash && !(flags & WALK_PARENT) && !UK_S_ISDIR(cur->vn->mode)) {
		r = -ENOTDIR;
		goto fail;
	}
	uk_free(uk_alloc_get_default(), buf);
	uk_free(uk_alloc_get_default(), tmp);
	w->d = cur;
	return 0;
fail:
	uk_free(uk_alloc_get_default(), buf);
	uk_free(uk_alloc_get_default(), tmp);
	vfs_dentry_put(cur);
	return (int)r;
}
