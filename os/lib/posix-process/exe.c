/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The running program (uk/process.h): its absolute path, with every
 * symlink resolved as Linux's /proc/self/exe has it (a program exec'd as
 * /proc/self/exe or through /bin/sh -> busybox is recorded as the file
 * itself), and its argv/envp for /proc/self/cmdline and /proc/self/environ.
 * Set by ukelfload at each exec; procfs reads them.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/alloc.h>
#include <uk/string.h>
#include <uk/process.h>
#include <uk/user.h>
#include "process_impl.h"

#define EXE_MAX 4096
#define MAX_LINKS 40

static char exe[EXE_MAX];
static char *cmdline, *environ_;
static size_t cmdline_len, environ_len;

/* vfscore's, when it is in the image (paths are resolved through it). */
long uk_sys_readlinkat(int dfd, const char *pathname, char *buf, int bufsiz) __weak;
long uk_sys_getcwd(char *buf, unsigned long size) __weak;

/* Drops the last component of the absolute path p (len bytes): new len. */
static size_t pop(char *p, size_t len)
{
	while (len > 1 && p[len - 1] != '/')
		len--;
	if (len > 1)
		len--;
	p[len] = 0;
	return len;
}

/*
 * Resolves path into out (EXE_MAX) as realpath(3) does: absolute, no ".",
 * "..", duplicate slashes or symlinks. A missing component is kept as
 * written (no check that the file exists). 0, -ENAMETOOLONG, -ELOOP,
 * -ENOMEM.
 */
static int resolve(const char *path, char *out)
{
	struct uk_alloc *a = uk_alloc_get_default();
	char *rest = uk_malloc(a, 2 * EXE_MAX), *link = rest + EXE_MAX;
	size_t len = 1, rlen = uk_strlen(path), clen;
	const char *c;
	int links = 0, r = 0;
	long n;

	if (!rest)
		return -ENOMEM;
	if (rlen >= EXE_MAX) {
		r = -ENAMETOOLONG;
		goto out;
	}
	__builtin_memcpy(rest, path, rlen + 1);
	out[0] = '/';
	out[1] = 0;
	if (path[0] != '/' && uk_sys_getcwd && uk_sys_getcwd(out, EXE_MAX) > 0)
		len = uk_strlen(out);
	while (rest[0]) {
		for (c = rest; *c == '/'; c++)
			;
		for (clen = 0; c[clen] && c[clen] != '/'; clen++)
			;
		if (clen == 0)
			break;
		if (clen == 1 && c[0] == '.') {
			__builtin_memmove(rest, c + clen, uk_strlen(c + clen) + 1);
			continue;
		}
		if (clen == 2 && c[0] == '.' && c[1] == '.') {
			len = pop(out, len);
			__builtin_memmove(rest, c + clen, uk_strlen(c + clen) + 1);
			continue;
		}
		if (len + 1 + clen >= EXE_MAX) {
			r = -ENAMETOOLONG;
			goto out;
		}
		if (len > 1)
			out[len++] = '/';
		__builtin_memcpy(out + len, c, clen);
		len += clen;
		out[len] = 0;
		__builtin_memmove(rest, c + clen, uk_strlen(c + clen) + 1);
		n = uk_sys_readlinkat ? uk_sys_readlinkat(-100 /* AT_FDCWD */, out, link, EXE_MAX - 1) : -EINVAL;
		if (n <= 0)
			continue;               /* not a symlink (or nothing there) */
		if (++links > MAX_LINKS) {
			r = -ELOOP;
			goto out;
		}
		rlen = uk_strlen(rest);
		if ((size_t)n + 1 + rlen >= EXE_MAX) {
			r = -ENAMETOOLONG;
			goto out;
		}
		__builtin_memmove(rest + n + 1, rest, rlen + 1);
		__builtin_memcpy(rest, link, (size_t)n);
		rest[n] = '/';
		len = link[0] == '/' ? 1 : pop(out, len);
		out[len] = 0;
		if (link[0] == '/')
			out[0] = '/';
	}
out:
	uk_free(a, rest);
	return r;
}

/* execve's argv/envp, staged before the point of no return (exec.c) and
 * made the running program's by uk_process_set_exe(), which ukelfload
 * calls past it */
static char *staged_cmdline, *staged_environ;
static size_t staged_cmdline_len, staged_environ_len;

static char *flatten(char *const v[], size_t *len);

int process_stage_args(char *const argv[], char *const envp[])
{
	process_unstage_args();
	staged_cmdline = flatten(argv, &staged_cmdline_len);
	staged_environ = flatten(envp, &staged_environ_len);
	if (!staged_cmdline || !staged_environ) {
		process_unstage_args();
		return -ENOMEM;
	}
	return 0;
}

void process_unstage_args(void)
{
	uk_free(uk_alloc_get_default(), staged_cmdline);
	uk_free(uk_alloc_get_default(), staged_environ);
	staged_cmdline = staged_environ = NULL;
}

int uk_process_set_exe(const char *path)
{
	char *k;
	int r;

	if (staged_cmdline) {
		process_restore_args(staged_cmdline, staged_cmdline_len, staged_environ,
				     staged_environ_len);
		staged_cmdline = staged_environ = NULL;
	}
	if (!path || !path[0])
		return -EINVAL;
	k = uk_malloc(uk_alloc_get_default(), EXE_MAX);
	if (!k)
		return -ENOMEM;
	r = resolve(path, k);
	if (!r)
		__builtin_memcpy(exe, k, uk_strlen(k) + 1);
	uk_free(uk_alloc_get_default(), k);
	return r;
}

const char *uk_process_exe(void)
{
	return exe;
}

/* The NUL-separated strings of v into a new buffer: *len, or NULL. */
static char *flatten(char *const v[], size_t *len)
{
	size_t n = 0, i, l;
	char *b, *p;

	for (i = 0; v && v[i]; i++)
		n += uk_strlen(v[i]) + 1;
	b = uk_malloc(uk_alloc_get_default(), n ? n : 1);
	if (!b)
		return NULL;
	for (i = 0, p = b; v && v[i]; i++, p += l) {
		l = uk_strlen(v[i]) + 1;
		__builtin_memcpy(p, v[i], l);
	}
	*len = n;
	return b;
}

int uk_process_set_args(char *const argv[], char *const envp[])
{
	size_t al, el;
	char *a = flatten(argv, &al), *e = flatten(envp, &el);

	if (!a || !e) {
		uk_free(uk_alloc_get_default(), a);
		uk_free(uk_alloc_get_default(), e);
		return -ENOMEM;
	}
	uk_free(uk_alloc_get_default(), cmdline);
	uk_free(uk_alloc_get_default(), environ_);
	cmdline = a;
	cmdline_len = al;
	environ_ = e;
	environ_len = el;
	return 0;
}

void process_restore_args(char *cmdline_, size_t cmdline_len_, char *environ__, size_t environ_len_)
{
	uk_free(uk_alloc_get_default(), cmdline);
	uk_free(uk_alloc_get_default(), environ_);
	cmdline = cmdline_;
	cmdline_len = cmdline_len_;
	environ_ = environ__;
	environ_len = environ_len_;
}

static size_t copy_out(const char *src, size_t len, char *buf, size_t n)
{
	if (src && n)
		__builtin_memcpy(buf, src, UK_MIN(len, n));
	return src ? len : 0;
}

size_t uk_process_cmdline(char *buf, size_t n)
{
	return copy_out(cmdline, cmdline_len, buf, n);
}

size_t uk_process_environ(char *buf, size_t n)
{
	return copy_out(environ_, environ_len, buf, n);
}
