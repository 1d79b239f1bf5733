/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /proc/1/exe, /proc/1/cmdline and /proc/1/environ: the running program as
 * posix-process knows it (uk/process.h; ukelfload sets it at each exec).
 * exe is a symlink whose target is read at each lookup, so
 * readlink("/proc/self/exe") and open("/proc/self/exe") follow execve;
 * before any exec (or without posix-process) it names the app ("/" + its
 * name). cmdline and environ are the NUL-separated argv and envp.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/alloc.h>
#include <uk/seqfile.h>
#include <uk/vfs.h>
#ifdef CONFIG_LIBPOSIX_PROCESS
#include <uk/process.h>
#endif
#include "procfs.h"

static const char app_exe[] = "/" CONFIG_UK_APPNAME;

static long exe_readlink(struct uk_vnode *vn __unused, char *buf, size_t n)
{
	const char *p = app_exe;
	size_t len;

#ifdef CONFIG_LIBPOSIX_PROCESS
	if (uk_process_exe()[0])
		p = uk_process_exe();
#endif
	len = UK_MIN(uk_strlen(p), n);
	__builtin_memcpy(buf, p, len);
	return (long)len;
}

static const struct uk_vnode_ops exe_vops = {
	.readlink = exe_readlink,
};

#ifdef CONFIG_LIBPOSIX_PROCESS
/* The bytes of get (uk_process_cmdline or _environ) into s. */
static void gen_strings(struct uk_seq *s, void *arg)
{
	size_t (*get)(char *, size_t) = arg;
	size_t len = get(NULL, 0), i;
	char *b = uk_malloc(uk_alloc_get_default(), len + 1);

	if (!b) {
		s->nomem = true;
		return;
	}
	len = UK_MIN(get(b, len), len);
	for (i = 0; i < len; i++)
		uk_seq_putc(s, b[i]);
	uk_free(uk_alloc_get_default(), b);
}
#endif

int procfs_init_self(void)
{
	int r = uk_vfs_mknode("/proc/1/exe", UK_S_IFLNK | 0777, 0, &exe_vops, NULL);

#ifdef CONFIG_LIBPOSIX_PROCESS
	if (!r)
		r = uk_vfs_mkseq("/proc/1/cmdline", 0444, gen_strings, (void *)uk_process_cmdline);
	if (!r)
		r = uk_vfs_mkseq("/proc/1/environ", 0400, gen_strings, (void *)uk_process_environ);
#endif
	return r;
}
