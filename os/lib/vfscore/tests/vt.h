/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by vfscore's in-guest tests (test_*.c). */
#ifndef VT_H
#define VT_H

#include <uk/test.h>
#include <uk/syscall.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/linux/fcntl.h>
#include <uk/linux/stat.h>
#include <uk/linux/dirent.h>

#define BAD ((void *)8)         /* the NULL page: never mapped */
#define FD UK_AT_FDCWD

static inline long vt_mkfile(const char *path, const char *text)
{
	long fd = uk_sys_openat(FD, path, UK_O_CREAT | UK_O_WRONLY | UK_O_TRUNC, 0644);

	if (fd < 0)
		return fd;
	if (text)
		uk_sys_write((int)fd, text, uk_strlen(text));
	uk_sys_close((int)fd);
	return 0;
}

/* The whole content of path into buf (NUL-terminated): length or -E... */
static inline long vt_slurp(const char *path, char *buf, size_t n)
{
	long fd = uk_sys_openat(FD, path, UK_O_RDONLY, 0), r, done = 0;

	if (fd < 0)
		return fd;
	while ((r = uk_sys_read((int)fd, buf + done, n - 1 - (size_t)done)) > 0)
		done += r;
	uk_sys_close((int)fd);
	buf[done] = 0;
	return r < 0 ? r : done;
}

static inline unsigned int vt_mode(const char *path)
{
	struct uk_stat st;

	if (uk_sys_newfstatat(FD, path, &st, UK_AT_SYMLINK_NOFOLLOW))
		return 0;
	return st.st_mode;
}

#endif
