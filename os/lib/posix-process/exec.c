/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * execve: the running program replaced by the ELF file at filename,
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
#if defined(CONFIG_LIBUKELFLOAD)
#include <uk/elfload.h>
#endif

#define PATH_MAX_ 4096

long uk_sys_execve(const char *filename, const char *const *argv, const char *const *envp)
{
#if defined(CONFIG_LIBUKELFLOAD)
	char *k;
	long rc;

	process_probe_stack();
	k = uk_malloc(uk_alloc_get_default(), PATH_MAX_);
	if (!k)
		return -ENOMEM;
#if __has_include(<uk/uaccess.h>)
	rc = uk_strncpy_from_user(k, filename, PATH_MAX_);
#else
	rc = 0;
	__builtin_strncpy(k, filename, PATH_MAX_ - 1);
	k[PATH_MAX_ - 1] = 0;
#endif
	if (rc >= 0 && !k[0])
		rc = -ENOENT;
	if (rc >= 0)
		rc = process_stage_args((char *const *)argv, (char *const *)envp);
	if (rc >= 0)
		rc = uk_process_before_exec();
	if (rc >= 0) {
		rc = uk_elfload_exec(k, (char *const *)argv, (char *const *)envp);
		uk_process_exec_failed();       /* back here: the old program runs on */
	}
	process_unstage_args();
	uk_free(uk_alloc_get_default(), k);
	return rc;
#else
	static bool logged;

	(void)filename;
	(void)argv;
	(void)envp;
	if (!logged) {
		logged = true;
		uk_pr_warn("execve: no ELF loader in the image (select ukelfload) (ENOSYS)\n");
	}
	return -ENOSYS;
#endif
}
