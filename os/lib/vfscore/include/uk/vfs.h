/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vfscore: the one namespace of path names (ARCHITECTURE.md, "Files").
 *
 * A file is a vnode (type and permission bits, owner, times, size, link
 * count, the file system's ops); a name is a dentry in its parent
 * directory's list. Directories exist only as dentries: for the in-memory
 * file systems here (ramfs, devfs, procfs, sysfs) the dentry tree IS the
 * directory, as Linux's tmpfs lives in its dcache. A mount puts the root
 * dentry of another file system instance over a directory.
 *
 * The file systems give vnodes their behaviour:
 *   - uk_fs_type.new_node() equips a vnode being created by a syscall
 *     (open O_CREAT, mkdir, symlink) in one of its mounts;
 *   - uk_vnode_ops.open() equips a uk_file opened on one of its vnodes
 *     (file ops and private data); vfscore itself opens directories and
 *     O_PATH descriptors.
 *
 * Locking: every namespace change and every ramfs data access happens
 * under one recursive lock (uk_vfs_lock), taken by the syscalls; the fs
 * ops are called with it held unless said otherwise. Blocking files
 * (pipes, the console) never take it while they wait.
 */
#ifndef UK_VFS_H
#define UK_VFS_H

#include <uk/essentials.h>
#include <uk/file.h>

struct uk_vnode;
struct uk_mount;

struct uk_vnode_ops {
	/* Equip f (opened on vn): f->ops, f->priv, f->fflags. 0 or -E... */
	int (*open)(struct uk_vnode *vn, struct uk_file *f);
	/* Symlinks: the target into buf (kernel, n bytes): its length
	 * (not terminated, cut at n), or -E.... */
	long (*readlink)(struct uk_vnode *vn, char *buf, size_t n);
	/* truncate: 0 or -E... (NULL: -EINVAL). Updates vn->size. */
	int (*setsize)(struct uk_vnode *vn, uint64_t size);
	/* The vnode is going away (no name, no open file): free priv. */
	void (*release)(struct uk_vnode *vn);
};

struct uk_vnode {
	unsigned int mode;           /* UK_S_IF* | permissions */
	unsigned int uid, gid;
	unsigned int nlink;
	unsigned long rdev;
	uint64_t ino;
	uint64_t size;
	int64_t atime, mtime, ctime; /* ns since the epoch */
	long refs;                   /* names (dentries) + open files */
	struct uk_mount *mnt;
	const struct uk_vnode_ops *ops;
	void *priv;
};

struct uk_fs_type {
	const char *name;
	unsigned long magic;         /* statfs's f_type (uk/linux/statfs.h) */
	/* Equip a new vnode (vn->mode has its type; target: the symlink's
	 * text, else NULL) created by a syscall in mount m. -EACCES when
	 * the file system takes no new names (procfs, sysfs). */
	int (*new_node)(struct uk_mount *m, struct uk_vnode *vn, const char *target);
};

struct uk_mount {
	const struct uk_fs_type *fs;
	struct uk_dentry *root;
	struct uk_dentry *covered;   /* the directory it is mounted on (NULL: /) */
	unsigned long dev;
	void *priv;
};

/* The namespace lock (recursive; no-op without a scheduler). */
void uk_vfs_lock(void);
void uk_vfs_unlock(void);

/* The current time for file stamps (ns since the epoch). */
int64_t uk_vfs_now(void);
/* A vnode's time stamp (ns since the epoch) as stat reports it: the boot's
 * wall time for UK_VFS_TIME_BOOT, the stamp of nodes made before the clock
 * was first read (uk_vfs_now). */
#define UK_VFS_TIME_BOOT (-0x7fffffffffffffffLL - 1)
int64_t uk_vfs_time_ns(int64_t t);

/*
 * Mounts a new instance of fs over the directory `path` (absolute, must
 * exist; "/" only for the first mount). Returns 0 and *out, or -E...
 * (-ENOENT, -ENOTDIR, -EBUSY: something is mounted there, -ENOMEM).
 */
int uk_vfs_mount(const char *path, const struct uk_fs_type *fs, void *priv,
		 struct uk_mount **out);
/*
 * Kernel-side creation of a special node at the absolute `path` (parent
 * directories must exist): devfs's devices, procfs's files. mode has the
 * type, rdev the device number (uk_makedev) or 0; ops/priv equip the
 * vnode. -EEXIST, -ENOENT, -ENOMEM.
 */
int uk_vfs_mknode(const char *path, unsigned int mode, unsigned long rdev,
		  const struct uk_vnode_ops *ops, void *priv);

/*
 * Helpers for the file ops of vnode-backed files (f->node is the name it
 * was opened by): fstat from the vnode, and the release that drops the
 * name and vnode references the open took. A file system whose files need
 * their own release calls uk_vfs_file_release() at its end.
 */
struct uk_vnode *uk_vfs_file_vnode(struct uk_file *f);
int uk_vfs_file_fstat(struct uk_file *f, struct uk_stat *st);
void uk_vfs_file_release(struct uk_file *f);
int uk_vfs_file_chmod(struct uk_file *f, unsigned int mode);
int uk_vfs_file_chown(struct uk_file *f, unsigned int uid, unsigned int gid);
/* The ops every vnode-backed file table has (fstat, chmod, chown). */
#define UK_VFS_FILE_OPS \
	.fstat = uk_vfs_file_fstat, .chmod = uk_vfs_file_chmod, .chown = uk_vfs_file_chown
/*
 * AF_UNIX names (sockname.c; posix-socket's bind and connect). kpath is a
 * kernel string, relative to the cwd.
 * uk_vfs_mksock: a new S_IFSOCK node (perm & ~umask) named kpath, its vnode
 * in *out with a reference for the caller: -EADDRINUSE when the name
 * exists (whatever it is), the walk's -ENOENT/-ENOTDIR/-ELOOP/
 * -ENAMETOOLONG, -EACCES (a file system without new names), -ENOMEM.
 * uk_vfs_findsock: the socket node kpath names (symlinks followed), with
 * a reference in *out: the walk's errors, -ECONNREFUSED when it is not a
 * socket node.
 * uk_vfs_rmsock: removes the name kpath if it still names vn (a bind that
 * failed after making it).
 * uk_vfs_vnode_put: drops such a reference.
 */
int uk_vfs_mksock(const char *kpath, unsigned int perm, struct uk_vnode **out);
int uk_vfs_findsock(const char *kpath, struct uk_vnode **out);
void uk_vfs_rmsock(const char *kpath, struct uk_vnode *vn);
void uk_vfs_vnode_put(struct uk_vnode *vn);

/*
 * The absolute path of the file fd names (a file, a directory, an O_PATH
 * descriptor), NUL-terminated in buf (n bytes), *isdir set: its length,
 * or -EBADF, -ENOTDIR (fd names no path: a pipe, a socket), -ENOENT (the
 * name was removed), -ENAMETOOLONG, -ENOMEM. (execveat's fd-relative
 * paths.)
 */
long uk_vfs_fd_path(int fd, char *buf, size_t n, bool *isdir);

/* Marks vn's times changed (UK_VFS_ATIME|MTIME|CTIME). */
#define UK_VFS_ATIME 1
#define UK_VFS_MTIME 2
#define UK_VFS_CTIME 4
void uk_vfs_touch(struct uk_vnode *vn, unsigned int which);

#endif
