/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host-only case: a seeded random mix of creates, writes, truncates,
 * links, symlinks, renames (plain and RENAME_EXCHANGE), unlinks, mkdir,
 * rmdir, chdir and open descriptors kept across all of it, in a small
 * namespace under /stress; then everything is closed and removed
 * (depth-first, through getdents64), and the heap must be back to where it
 * started: no name, vnode, page or description leaks, and under ASan no
 * use after free. The seed is $VFS_STRESS_SEED (default 12345).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/test.h>
#include <uk/syscall.h>
#include <uk/errno.h>
#include <uk/linux/fcntl.h>
#include <uk/linux/stat.h>
#include <uk/linux/dirent.h>

static uint32_t seed = 12345;

static uint32_t rnd(uint32_t n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

/* A random path of depth 1-3 under /stress from a small alphabet. */
static void rpath(char *p)
{
	int depth = 1 + (int)rnd(3), i;

	strcpy(p, "/stress");
	for (i = 0; i < depth; i++) {
		size_t n = strlen(p);

		p[n] = '/';
		p[n + 1] = (char)('a' + rnd(4));
		p[n + 2] = 0;
	}
}

static void rm_rf(const char *dir)
{
	char buf[4096];         /* one per level: the loop outlives the recursion */
	char path[4096 + 512];
	long fd = uk_sys_open(dir, UK_O_RDONLY | UK_O_DIRECTORY, 0), n, pos;

	if (fd < 0)
		return;
	while ((n = uk_sys_getdents64((int)fd, buf, sizeof(buf))) > 0) {
		for (pos = 0; pos < n;) {
			struct uk_linux_dirent64 *de = (void *)(buf + pos);

			pos += de->d_reclen;
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			if (de->d_type == UK_DT_DIR) {
				rm_rf(path);
				uk_sys_rmdir(path);
			} else {
				uk_sys_unlink(path);
			}
		}
	}
	uk_sys_close((int)fd);
}

UK_TESTCASE(vfshost, random_operations_leave_nothing_behind)
{
	static char data[10000];
	struct uk_alloc_stats before, after;
	char a[64], b[64];
	long fds[16];
	int i, k, nfd = 0, pipes[2];

	if (getenv("VFS_STRESS_SEED"))
		seed = (uint32_t)strtoul(getenv("VFS_STRESS_SEED"), NULL, 0);
	uk_sys_chdir("/");
	uk_alloc_stats(uk_alloc_get_default(), &before);
	memset(data, 'd', sizeof(data));
	UK_TEST_ASSERT(uk_sys_mkdir("/stress", 0755) == 0);
	UK_TEST_ASSERT(uk_sys_pipe(pipes) == 0);
	for (i = 0; i < 20000; i++) {
		rpath(a);
		rpath(b);
		switch (rnd(14)) {
		case 0: case 1: {
			long fd = uk_sys_open(a, UK_O_CREAT | UK_O_RDWR, 0644);

			if (fd >= 0) {
				uk_sys_pwrite64((int)fd, data, rnd(sizeof(data)), rnd(20000));
				if (nfd < 16 && rnd(2))
					fds[nfd++] = fd;
				else
					uk_sys_close((int)fd);
			}
			break;
		}
		case 2:
			uk_sys_mkdir(a, 0755);
			break;
		case 3:
			uk_sys_rmdir(a);
			break;
		case 4:
			uk_sys_unlink(a);
			break;
		case 5:
			uk_sys_rename(a, b);
			break;
		case 6:
			uk_sys_renameat2(UK_AT_FDCWD, a, UK_AT_FDCWD, b, UK_RENAME_EXCHANGE);
			break;
		case 7:
			uk_sys_link(a, b);
			break;
		case 8:
			uk_sys_symlink(b, a);
			break;
		case 9:
			uk_sys_truncate(a, rnd(30000));
			break;
		case 10:
			if (nfd) {
				k = (int)rnd((uint32_t)nfd);
				uk_sys_close((int)fds[k]);
				fds[k] = fds[--nfd];
			}
			break;
		case 11:
			if (uk_sys_chdir(a) == 0 && rnd(2))
				uk_sys_chdir("/");
			break;
		case 12: {
			long fd = uk_sys_open(a, UK_O_RDONLY | UK_O_DIRECTORY, 0);

			if (fd >= 0) {
				char buf[256];

				uk_sys_getdents64((int)fd, buf, sizeof(buf));
				if (nfd < 16)
					fds[nfd++] = fd;
				else
					uk_sys_close((int)fd);
			}
			break;
		}
		default:
			if (nfd)
				uk_sys_fchdir((int)fds[rnd((uint32_t)nfd)]);
			uk_sys_write(pipes[1], "x", 1);
			uk_sys_read(pipes[0], b, 1);
		}
	}
	uk_sys_chdir("/");
	while (nfd)
		uk_sys_close((int)fds[--nfd]);
	uk_sys_close(pipes[0]);
	uk_sys_close(pipes[1]);
	rm_rf("/stress");
	UK_TEST_EXPECT_EQ(uk_sys_rmdir("/stress"), 0);
	uk_alloc_stats(uk_alloc_get_default(), &after);
	UK_TEST_EXPECT_EQ(after.cur_bytes, before.cur_bytes);
}
