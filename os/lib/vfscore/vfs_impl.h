/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vfscore's private half: dentries (names), the path walk and the helpers
 * the syscall files share. The public half is uk/vfs.h.
 */
#ifndef VFS_IMPL_H
#define VFS_IMPL_H

#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/vfs.h>
#include <uk/fdtab.h>
#include <uk/linux/fcntl.h>
#include <uk/uaccess.h>
#include <uk/syscall.h>

/*
 * A name. Linked in its parent's child list (creation order) and in the
 * global hash while it names something; an unlinked dentry lives on while
 * refs > 0 (a cwd, an open directory, a walk in progress). Every dentry
 * holds one reference to its vnode.
 */
struct uk_dentry {
	struct uk_dentry *parent;      /* NULL: the root of a mount */
	struct uk_dentry *first, *last;/* children, in creation order */
	struct uk_dentry *prev, *next; /* siblings */
	struct uk_dentry *hnext;       /* hash chain */
	struct uk_vnode *vn;
	struct uk_mount *mnt;          /* the mount it belongs to */
	struct uk_mount *mounted;      /* a mount over this directory */
	uint64_t seq;                  /* getdents cookie: order in the parent */
	uint64_t next_seq;             /* the next child's seq */
	long refs;
	bool linked;
	unsigned short namelen;
	char *name;                    /* iname, or allocated when longer */
	char iname[40];
};

/* node.c: vnodes and dentries (vfs lock held) */
struct uk_vnode *vfs_vnode_alloc(struct uk_mount *m, unsigned int mode);
void vfs_vnode_get(struct uk_vnode *vn);
void vfs_vnode_put(struct uk_vnode *vn);
struct uk_dentry *vfs_lookup(struct uk_dentry *dir, const char *name, size_t len);
/* A new name for vn in dir (vn gets a reference); -ENOMEM. */
int vfs_dentry_add(struct uk_dentry *dir, const char *name, size_t len,
		   struct uk_vnode *vn, struct uk_dentry **out);
/* Takes the name out of its directory (and the hash); freed at refs 0. */
void vfs_dentry_unlink(struct uk_dentry *d);
/* Moves d under dir with a new name (rename): -ENOMEM (d unchanged). */
int vfs_dentry_move(struct uk_dentry *d, struct uk_dentry *dir, const char *name, size_t len);
/* RENAME_EXCHANGE: a and b trade places (parent and name); each keeps its
 * file, so open descriptors stay with theirs. 0 or -ENOMEM (nothing
 * changed). */
int vfs_dentry_exchange(struct uk_dentry *a, struct uk_dentry *b);
void vfs_dentry_get(struct uk_dentry *d);
void vfs_dentry_put(struct uk_dentry *d);
/* A mount root of the mount it covers, followed: the dentry to use. */
struct uk_dentry *vfs_follow_mounts(struct uk_dentry *d);
struct uk_dentry *vfs_root(void);
bool vfs_dir_empty(const struct uk_dentry *d);

/* namei.c: the path walk */
#define WALK_FOLLOW 1   /* follow a symlink in the last component */
#define WALK_PARENT 2   /* stop at the last component's directory */

struct vfs_walk {
	struct uk_dentry *d;            /* the result, with a reference */
	char last[UK_NAME_MAX + 1];     /* WALK_PARENT: the last component ("" for "/") */
	size_t lastlen;
	bool slash;                     /* the path ended in '/' */
};
/* Copies a path from the caller: a kernel buffer of UK_PATH_MAX (free
 * with vfs_putname), or NULL and *err (-EFAULT, -ENAMETOOLONG, -ENOMEM). */
char *vfs_getname(const char *upath, long *err);
void vfs_putname(char *name);
/*
 * Resolves kpath (a kernel string) relative to dirfd (UK_AT_FDCWD: the
 * cwd). 0 and w->d (+ref); -ENOENT, -ENOTDIR, -ELOOP (more than 40
 * symlinks), -ENAMETOOLONG, -EBADF (dirfd), -ENOMEM. "" is -ENOENT.
 */
int vfs_walk(int dirfd, const char *kpath, unsigned int flags, struct vfs_walk *w);
/* The dentry a descriptor names (+ref), or NULL with *err -EBADF. */
struct uk_dentry *vfs_fd_dentry(int fd, long *err);
bool vfs_is_dot(const char *name, size_t len);

/* cwd.c */
struct uk_dentry *vfs_cwd(void);      /* +ref */
unsigned int vfs_umask(void);

/* open.c */
long vfs_open_dentry(struct uk_dentry *d, unsigned int flags, struct uk_file **out);

/* stat.c */
void vfs_fill_stat(const struct uk_vnode *vn, struct uk_stat *st);

#endif
