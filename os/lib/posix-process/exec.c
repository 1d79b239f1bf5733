/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * execve, execveat: the running program replaced by the ELF file at
 * filename (execveat: relative to a descriptor, or the descriptor's file),
 * through ukelfload (uk/elfload.h: uk_elfload_exec() checks the file and
 * its interpreter first, so an error returns with the old program intact;
 * past that point it tears the old program down, calling back posix-fdtab,
 * posix-signal and uk_process_set_exe(), and starts the new one). In a
 * fork's CLONE_VM child the parent's memory is saved first (fork.c): the
 * new program must not take the parent's away. Without ukelfload in the
 * image: -ENOSYS, logged once.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/print.h>
#include <uk/alloc.h>
#include <uk/process.h>
#include <uk/user.h>
#include "process_impl.h"
#include <uk/syscall.h>
#include <uk/linux/fcntl.h>
#include <uk/linux/stat.h>
#if defined(CONFIG_LIBUKELFLOAD)
#include <uk/elfload.h>
#endif
#if defined(CONFIG_LIBVFSCORE)
#include <uk/vfs.h>
#endif

#define PATH_MAX_ 4096

#if defined(CONFIG_LIBUKELFLOAD)
/* The ELF file at the kernel path k replaces the program: returns only on
 * failure (see uk/elfload.h). */
static long exec_path(const char *k, const char *const *argv, const char *const *envp)
{
	long rc;

	process_probe_stack();
	rc = process_stage_args((char *const *)argv, (char *const *)envp);
	if (rc >= 0)
		rc = uk_process_before_exec();
	if (rc >= 0) {
		rc = uk_elfload_exec(k, (char *const *)argv, (char *const *)envp);
		uk_process_exec_failed();       /* back here: the old program runs on */
	}
	process_unstage_args();
	return rc;
}

/* filename copied into a new kernel buffer of PATH_MAX_ (free it): 0 or
 * -ENOMEM/-EFAULT/-ENAMETOOLONG. */
static long copy_path(const char *filename, char **k)
{
	long rc = 0;

	*k = uk_malloc(uk_alloc_get_default(), PATH_MAX_);
	if (!*k)
		return -ENOMEM;
#if __has_include(<uk/uaccess.h>)
	rc = uk_strncpy_from_user(*k, filename, PATH_MAX_);
#else
	__builtin_strncpy(*k, filename, PATH_MAX_ - 1);
	(*k)[PATH_MAX_ - 1] = 0;
#endif
	return rc < 0 ? rc : 0;
}
#endif

static void no_loader(const char *call)
{
	static bool logged;

	if (!logged) {
		logged = true;
		uk_pr_warn("%s: no ELF loader in the image (select ukelfload) (ENOSYS)\n", call);
	}
}

long uk_sys_execve(const char *filename, const char *const *argv, const char *const *envp)
{
#if defined(CONFIG_LIBUKELFLOAD)
	char *k;
	long rc = copy_path(filename, &k);

	if (!rc && !k[0])
		rc = -ENOENT;
	if (!rc)
		rc = exec_path(k, argv, envp);
	uk_free(uk_alloc_get_default(), k);
	return rc;
#else
	(void)filename;
	(void)argv;
	(void)envp;
	no_loader("execve");
	return -ENOSYS;
#endif
}

/*
 * execveat: filename relative to dirfd (UK_AT_FDCWD: the cwd; ignored
 * for an absolute path), or with AT_EMPTY_PATH and "" the file dirfd
 * itself (fexecve). The loader gets the file's absolute path
 * (vfscore's uk_vfs_fd_path + filename), which is also what
 * /proc/self/exe and AT_EXECFN then show (Linux's AT_EXECFN is
 * "/dev/fd/N/name" there). AT_SYMLINK_NOFOLLOW: a symlink as the last
 * component is -ELOOP. Errors as Linux: -EINVAL (other flags), -ENOENT
 * ("" without AT_EMPTY_PATH), -EBADF, -ENOTDIR (dirfd not a directory
 * with a name after it), -EACCES (dirfd names no file: a pipe, a socket),
 * then execve's.
 */
long uk_sys_execveat(int dirfd, const char *filename, const char *const *argv,
		     const char *const *envp, int flags)
{
#if defined(CONFIG_LIBUKELFLOAD)
	char *k, *full = NULL;
	long rc;

	if (flags & ~(UK_AT_EMPTY_PATH | UK_AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	rc = copy_path(filename, &k);
	if (!rc && !k[0] && !(flags & UK_AT_EMPTY_PATH))
		rc = -ENOENT;
	if (!rc && k[0] != '/' && !(dirfd == UK_AT_FDCWD && k[0])) {
#if defined(CONFIG_LIBVFSCORE)
		bool isdir = false;

		full = uk_malloc(uk_alloc_get_default(), PATH_MAX_);
		rc = full ? 0 : -ENOMEM;
		if (!rc && dirfd == UK_AT_FDCWD) {
			full[0] = '.';
			full[1] = 0;
			isdir = true;
		} else if (!rc) {
			rc = uk_vfs_fd_path(dirfd, full, PATH_MAX_, &isdir);
			if (rc == -ENOTDIR)
				rc = k[0] ? -ENOTDIR : -EACCES;
			rc = rc < 0 ? rc : 0;
		}
		if (!rc && k[0]) {
			size_t n = __builtin_strlen(full), m = __builtin_strlen(k);

			if (!isdir)
				rc = -ENOTDIR;
			else if (n + 1 + m + 1 > PATH_MAX_)
				rc = -ENAMETOOLONG;
			else {
				full[n] = '/';
				__builtin_memcpy(full + n + 1, k, m + 1);
			}
		}
#else
		rc = -EBADF;            /* no file system: no descriptor names a file */
#endif
	}
#if defined(CONFIG_LIBVFSCORE)
	if (!rc && (flags & UK_AT_SYMLINK_NOFOLLOW)) {
		struct uk_stat st;
		long s = uk_sys_newfstatat(UK_AT_FDCWD, full ? full : k, &st,
					   UK_AT_SYMLINK_NOFOLLOW);

		if (!s && UK_S_ISLNK(st.st_mode))
			rc = -ELOOP;
	}
#endif
	if (!rc)
		rc = exec_path(full ? full : k, argv, envp);
	uk_free(uk_alloc_get_default(), full);
	uk_free(uk_alloc_get_default(), k);
	return rc;
#else
	(void)dirfd;
	(void)filename;
	(void)argv;
	(void)envp;
	(void)flags;
	no_loader("execveat");
	return -ENOSYS;
#endif
}
