/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of vfscore + ramfs: path names (open, stat, mkdir, rmdir,
 * unlink, rename, link, symlink, readlink, cwd, *at, mounts) and their
 * errnos, through the syscall handlers as a libc calls them. Each case
 * works in its own directory under /vt.
 */
#include <uk/time.h>
#include "vt.h"

static void dir(const char *p)
{
	uk_sys_mkdirat(FD, "/vt", 0755);
	uk_sys_mkdirat(FD, p, 0755);
}

UK_TESTCASE(vfscore, create_write_read_stat)
{
	struct uk_stat st;
	char buf[16] = { 0 };
	long fd;

	dir("/vt/a");
	fd = uk_sys_openat(FD, "/vt/a/f", UK_O_CREAT | UK_O_RDWR | UK_O_EXCL, 0666);
	UK_TEST_ASSERT(fd >= 3);
	UK_TEST_EXPECT_EQ(uk_sys_write((int)fd, "hello", 5), 5);
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd, 0, UK_SEEK_SET), 0);
	UK_TEST_EXPECT_EQ(uk_sys_read((int)fd, buf, sizeof(buf)), 5);
	UK_TEST_EXPECT(!uk_strncmp(buf, "hello", 6));
	UK_TEST_EXPECT_EQ(uk_sys_read((int)fd, buf, sizeof(buf)), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fstat((int)fd, &st), 0);
	UK_TEST_EXPECT_EQ(st.st_size, 5);
	UK_TEST_EXPECT_EQ(st.st_mode, UK_S_IFREG | 0644);    /* umask 022 */
	UK_TEST_EXPECT_EQ(st.st_nlink, 1);
	UK_TEST_EXPECT(st.st_mtime > 1600000000);   /* the wall clock */
	UK_TEST_EXPECT_EQ(uk_sys_close((int)fd), 0);
	UK_TEST_EXPECT_EQ(uk_sys_close((int)fd), -EBADF);
	UK_TEST_EXPECT_EQ(uk_sys_stat("/vt/a/f", &st), 0);
	UK_TEST_EXPECT_EQ(st.st_size, 5);
	fd = uk_sys_creat("/vt/a/g", 0600);
	UK_TEST_EXPECT(fd >= 3);
	uk_sys_close((int)fd);
	UK_TEST_EXPECT_EQ(vt_mode("/vt/a/g"), UK_S_IFREG | 0600);
}

/* Nodes made at boot before the clock was first read (the root, the
 * mount points: UK_VFS_TIME_BOOT) report the boot's wall time. */
UK_TESTCASE(vfscore, boot_nodes_carry_the_boot_time)
{
	struct uk_stat st;
	uint64_t boot_s = uk_time_boot_wall_ns() / 1000000000ULL;
	uint64_t now_s = uk_time_wall_ns() / 1000000000ULL;

	UK_TEST_ASSERT(uk_sys_stat("/", &st) == 0);
	UK_TEST_EXPECT(st.st_mtime >= boot_s && st.st_mtime <= now_s);
	UK_TEST_EXPECT(st.st_ctime >= boot_s && st.st_ctime <= now_s);
	UK_TEST_EXPECT(st.st_mtime_nsec < 1000000000UL);
}

UK_TESTCASE(vfscore, open_errnos)
{
	dir("/vt/b");
	UK_TEST_EXPECT_EQ(vt_mkfile("/vt/b/f", "x"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_open("/vt/b/f", UK_O_CREAT | UK_O_EXCL | UK_O_RDWR, 0644), -EEXIST);
	UK_TEST_EXPECT_EQ(uk_sys_open("/vt/b/nope", UK_O_RDONLY, 0), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_open("/vt/nope/f", UK_O_CREAT | UK_O_RDWR, 0644), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_open("", UK_O_RDONLY, 0), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_open("/vt/b/f", UK_O_RDONLY | UK_O_DIRECTORY, 0), -ENOTDIR);
	UK_TEST_EXPECT_EQ(uk_sys_open("/vt/b/f/", UK_O_RDONLY, 0), -ENOTDIR);
	UK_TEST_EXPECT_EQ(uk_sys_open("/vt/b/f/x", UK_O_RDONLY, 0), -ENOTDIR);
	UK_TEST_EXPECT_EQ(uk_sys_open("/vt/b", UK_O_WRONLY, 0), -EISDIR);
	UK_TEST_EXPECT_EQ(uk_sys_open("/vt/b", UK_O_RDWR | UK_O_CREAT, 0644), -EISDIR);
	UK_TEST_EXPECT_EQ(uk_sys_open("/vt/b/new/", UK_O_RDWR | UK_O_CREAT, 0644), -EISDIR);
	UK_TEST_EXPECT_EQ(uk_sys_open(BAD, UK_O_RDONLY, 0), -EFAULT);
	UK_TEST_EXPECT_EQ(uk_sys_openat(77, "f", UK_O_RDONLY, 0), -EBADF);
	UK_TEST_EXPECT_EQ(uk_sys_symlink("f", "/vt/b/l"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_open("/vt/b/l", UK_O_RDONLY | UK_O_NOFOLLOW, 0), -ELOOP);
}

UK_TESTCASE(vfscore, trunc_append_pread_pwrite_seek)
{
	char buf[32] = { 0 };
	long fd;

	dir("/vt/c");
	vt_mkfile("/vt/c/f", "0123456789");
	fd = uk_sys_open("/vt/c/f", UK_O_RDWR | UK_O_APPEND, 0);
	UK_TEST_ASSERT(fd >= 0);
	UK_TEST_EXPECT_EQ(uk_sys_write((int)fd, "ab", 2), 2);
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd, 0, UK_SEEK_CUR), 12);
	UK_TEST_EXPECT_EQ(uk_sys_pread64((int)fd, buf, 4, 9), 3);
	UK_TEST_EXPECT(!uk_strncmp(buf, "9ab", 3));
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd, -2, UK_SEEK_END), 10);
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd, -20, UK_SEEK_CUR), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd, 0, 9), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd, 3, UK_SEEK_DATA), 3);
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd, 3, UK_SEEK_HOLE), 12);
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd, 12, UK_SEEK_DATA), -ENXIO);
	UK_TEST_EXPECT_EQ(uk_sys_pread64((int)fd, buf, 4, -1), -EINVAL);
	uk_sys_close((int)fd);
	fd = uk_sys_open("/vt/c/f", UK_O_RDWR | UK_O_TRUNC, 0);
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd, 0, UK_SEEK_END), 0);
	UK_TEST_EXPECT_EQ(uk_sys_pwrite64((int)fd, "xy", 2, 4), 2);
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd, 0, UK_SEEK_CUR), 0);   /* pwrite keeps it */
	UK_TEST_EXPECT_EQ(uk_sys_read((int)fd, buf, sizeof(buf)), 6);
	UK_TEST_EXPECT(buf[0] == 0 && buf[3] == 0 && buf[4] == 'x' && buf[5] == 'y');
	uk_sys_close((int)fd);
	fd = uk_sys_open("/vt/c/f", UK_O_RDONLY, 0);
	UK_TEST_EXPECT_EQ(uk_sys_write((int)fd, "z", 1), -EBADF);
	UK_TEST_EXPECT_EQ(uk_sys_read((int)fd, BAD, 4), -EFAULT);
	uk_sys_close((int)fd);
}

UK_TESTCASE(vfscore, sparse_file_holes_read_as_zeros)
{
	static char buf[8192];
	struct uk_stat st;
	long fd, i, nz = 0;

	dir("/vt/d");
	fd = uk_sys_open("/vt/d/sparse", UK_O_CREAT | UK_O_RDWR, 0644);
	UK_TEST_ASSERT(fd >= 0);
	UK_TEST_EXPECT_EQ(uk_sys_pwrite64((int)fd, "end", 3, 1 << 20), 3);
	UK_TEST_EXPECT_EQ(uk_sys_fstat((int)fd, &st), 0);
	UK_TEST_EXPECT_EQ(st.st_size, (1 << 20) + 3);
	UK_TEST_EXPECT_EQ(uk_sys_pread64((int)fd, buf, sizeof(buf), 4000), (long)sizeof(buf));
	for (i = 0; i < (long)sizeof(buf); i++)
		nz += buf[i] != 0;
	UK_TEST_EXPECT_EQ(nz, 0);
	/* shrink into a page, grow back: the cut part reads as zeros */
	UK_TEST_EXPECT_EQ(uk_sys_pwrite64((int)fd, "abcdef", 6, 100), 6);
	UK_TEST_EXPECT_EQ(uk_sys_ftruncate((int)fd, 102), 0);
	UK_TEST_EXPECT_EQ(uk_sys_ftruncate((int)fd, 200), 0);
	UK_TEST_EXPECT_EQ(uk_sys_pread64((int)fd, buf, 8, 100), 8);
	UK_TEST_EXPECT(buf[0] == 'a' && buf[1] == 'b' && buf[2] == 0 && buf[5] == 0);
	UK_TEST_EXPECT_EQ(uk_sys_ftruncate((int)fd, -1), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_truncate("/vt/d/sparse", 5), 0);
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd, 0, UK_SEEK_END), 5);
	UK_TEST_EXPECT_EQ(uk_sys_truncate("/vt/d", 5), -EISDIR);
	UK_TEST_EXPECT_EQ(uk_sys_truncate("/vt/d/none", 5), -ENOENT);
	uk_sys_close((int)fd);
	fd = uk_sys_open("/vt/d/sparse", UK_O_RDONLY, 0);
	UK_TEST_EXPECT_EQ(uk_sys_ftruncate((int)fd, 0), -EINVAL);
	uk_sys_close((int)fd);
}

UK_TESTCASE(vfscore, mkdir_rmdir_errnos)
{
	struct uk_stat st;

	dir("/vt/e");
	UK_TEST_EXPECT_EQ(uk_sys_mkdir("/vt/e/d", 0700), 0);
	UK_TEST_EXPECT_EQ(vt_mode("/vt/e/d"), UK_S_IFDIR | 0700);
	UK_TEST_EXPECT_EQ(uk_sys_stat("/vt/e", &st), 0);
	UK_TEST_EXPECT_EQ(st.st_nlink, 3);
	UK_TEST_EXPECT_EQ(uk_sys_mkdir("/vt/e/d", 0700), -EEXIST);
	UK_TEST_EXPECT_EQ(uk_sys_mkdir("/vt/e/x/y", 0700), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_mkdir("/", 0700), -EEXIST);
	UK_TEST_EXPECT_EQ(uk_sys_mkdir("/vt/e/d/", 0700), -EEXIST);
	UK_TEST_EXPECT_EQ(uk_sys_mkdir("/vt/e/n/", 0700), 0);      /* a trailing slash is fine */
	vt_mkfile("/vt/e/d/f", NULL);
	UK_TEST_EXPECT_EQ(uk_sys_rmdir("/vt/e/d"), -ENOTEMPTY);
	UK_TEST_EXPECT_EQ(uk_sys_rmdir("/vt/e/d/f"), -ENOTDIR);
	UK_TEST_EXPECT_EQ(uk_sys_rmdir("/vt/e/none"), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_rmdir("/vt/e/d/."), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_rmdir("/"), -EBUSY);
	UK_TEST_EXPECT_EQ(uk_sys_unlink("/vt/e/d"), -EISDIR);
	UK_TEST_EXPECT_EQ(uk_sys_unlink("/vt/e/d/f"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_unlink("/vt/e/d/f"), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_unlinkat(FD, "/vt/e/d", UK_AT_REMOVEDIR), 0);
	UK_TEST_EXPECT_EQ(uk_sys_unlinkat(FD, "/vt/e/n", 0x1), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_stat("/vt/e", &st), 0);
	UK_TEST_EXPECT_EQ(st.st_nlink, 3);      /* . and .., and n */
	UK_TEST_EXPECT_EQ(uk_sys_mkdir(BAD, 0700), -EFAULT);
}

UK_TESTCASE(vfscore, unlinked_open_file_lives_on)
{
	char buf[8] = { 0 };
	struct uk_stat st;
	long fd;

	dir("/vt/f");
	vt_mkfile("/vt/f/x", "data");
	fd = uk_sys_open("/vt/f/x", UK_O_RDWR, 0);
	UK_TEST_EXPECT_EQ(uk_sys_unlink("/vt/f/x"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_read((int)fd, buf, sizeof(buf)), 4);
	UK_TEST_EXPECT_EQ(uk_sys_fstat((int)fd, &st), 0);
	UK_TEST_EXPECT_EQ(st.st_nlink, 0);
	UK_TEST_EXPECT_EQ(uk_sys_stat("/vt/f/x", &st), -ENOENT);
	uk_sys_close((int)fd);
}

UK_TESTCASE(vfscore, rename_cases)
{
	char buf[16];
	long fd;

	dir("/vt/g");
	uk_sys_mkdir("/vt/g/d1", 0755);
	uk_sys_mkdir("/vt/g/d2", 0755);
	uk_sys_mkdir("/vt/g/full", 0755);
	vt_mkfile("/vt/g/full/x", NULL);
	vt_mkfile("/vt/g/a", "A");
	vt_mkfile("/vt/g/b", "B");
	UK_TEST_EXPECT_EQ(uk_sys_rename("/vt/g/a", "/vt/g/b"), 0);
	UK_TEST_EXPECT_EQ(vt_slurp("/vt/g/b", buf, sizeof(buf)), 1);
	UK_TEST_EXPECT_EQ(buf[0], 'A');
	UK_TEST_EXPECT_EQ(uk_sys_stat("/vt/g/a", (void *)buf), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_rename("/vt/g/none", "/vt/g/c"), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_rename("/vt/g/b", "/vt/g/d1"), -EISDIR);
	UK_TEST_EXPECT_EQ(uk_sys_rename("/vt/g/d1", "/vt/g/b"), -ENOTDIR);
	UK_TEST_EXPECT_EQ(uk_sys_rename("/vt/g/d1", "/vt/g/full"), -ENOTEMPTY);
	UK_TEST_EXPECT_EQ(uk_sys_rename("/vt/g/d1", "/vt/g/d1/sub"), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_rename("/vt/g/d1", "/vt/g/d2"), 0);    /* over an empty dir */
	UK_TEST_EXPECT_EQ(vt_mode("/vt/g/d1"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_rename("/vt/g/full", "/vt/g/d2/moved"), 0);
	UK_TEST_EXPECT_EQ(vt_mode("/vt/g/d2/moved/x"), UK_S_IFREG | 0644);
	vt_mkfile("/vt/g/c", "C");
	UK_TEST_EXPECT_EQ(uk_sys_renameat2(FD, "/vt/g/b", FD, "/vt/g/c", UK_RENAME_NOREPLACE), -EEXIST);
	fd = uk_sys_open("/vt/g/b", UK_O_RDONLY, 0);
	UK_TEST_EXPECT_EQ(uk_sys_renameat2(FD, "/vt/g/b", FD, "/vt/g/c", UK_RENAME_EXCHANGE), 0);
	UK_TEST_EXPECT_EQ(uk_sys_read((int)fd, buf, 1), 1);   /* the fd follows its file */
	UK_TEST_EXPECT_EQ(buf[0], 'A');
	uk_sys_close((int)fd);
	vt_slurp("/vt/g/b", buf, sizeof(buf));
	UK_TEST_EXPECT_EQ(buf[0], 'C');
	vt_slurp("/vt/g/c", buf, sizeof(buf));
	UK_TEST_EXPECT_EQ(buf[0], 'A');
	UK_TEST_EXPECT_EQ(uk_sys_renameat2(FD, "/vt/g/b", FD, "/vt/g/c", 3), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_renameat2(FD, "/vt/g/b", FD, "/vt/g/zz", UK_RENAME_EXCHANGE), -ENOENT);
	/* directories swap with their children */
	UK_TEST_EXPECT_EQ(uk_sys_renameat2(FD, "/vt/g/d2", FD, "/vt/g/b", UK_RENAME_EXCHANGE), 0);
	UK_TEST_EXPECT_EQ(vt_mode("/vt/g/b/moved/x"), UK_S_IFREG | 0644);
	UK_TEST_EXPECT_EQ(vt_slurp("/vt/g/d2", buf, sizeof(buf)), 1);
	UK_TEST_EXPECT_EQ(uk_sys_rename("/vt/g/b", "/dev/b"), -EXDEV);
}

UK_TESTCASE(vfscore, hard_links)
{
	struct uk_stat a, b;

	dir("/vt/h");
	vt_mkfile("/vt/h/f", "x");
	UK_TEST_EXPECT_EQ(uk_sys_link("/vt/h/f", "/vt/h/g"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_stat("/vt/h/f", &a), 0);
	UK_TEST_EXPECT_EQ(uk_sys_stat("/vt/h/g", &b), 0);
	UK_TEST_EXPECT_EQ(a.st_ino, b.st_ino);
	UK_TEST_EXPECT_EQ(a.st_nlink, 2);
	UK_TEST_EXPECT_EQ(uk_sys_link("/vt/h/f", "/vt/h/g"), -EEXIST);
	UK_TEST_EXPECT_EQ(uk_sys_link("/vt/h", "/vt/h2"), -EPERM);
	UK_TEST_EXPECT_EQ(uk_sys_link("/vt/h/none", "/vt/h/n"), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_link("/vt/h/f", "/dev/f"), -EXDEV);
	UK_TEST_EXPECT_EQ(uk_sys_unlink("/vt/h/f"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_stat("/vt/h/g", &b), 0);
	UK_TEST_EXPECT_EQ(b.st_nlink, 1);
	UK_TEST_EXPECT_EQ(uk_sys_rename("/vt/h/g", "/vt/h/g"), 0);
}

UK_TESTCASE(vfscore, symlinks_readlink_loops)
{
	char buf[64] = { 0 };
	struct uk_stat st;

	dir("/vt/i");
	uk_sys_mkdir("/vt/i/real", 0755);
	vt_mkfile("/vt/i/real/f", "via link");
	UK_TEST_EXPECT_EQ(uk_sys_symlink("real", "/vt/i/rel"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_symlink("/vt/i/real/f", "/vt/i/abs"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_symlink("rel/../real/./f", "/vt/i/dots"), 0);
	UK_TEST_EXPECT_EQ(vt_slurp("/vt/i/rel/f", buf, sizeof(buf)), 8);
	UK_TEST_EXPECT_EQ(vt_slurp("/vt/i/abs", buf, sizeof(buf)), 8);
	UK_TEST_EXPECT_EQ(vt_slurp("/vt/i/dots", buf, sizeof(buf)), 8);
	UK_TEST_EXPECT_EQ(uk_sys_readlink("/vt/i/abs", buf, sizeof(buf)), 12);
	UK_TEST_EXPECT(!uk_strncmp(buf, "/vt/i/real/f", 12));
	UK_TEST_EXPECT_EQ(uk_sys_readlink("/vt/i/abs", buf, 3), 3);
	UK_TEST_EXPECT_EQ(uk_sys_readlink("/vt/i/real", buf, sizeof(buf)), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_readlink("/vt/i/abs", buf, 0), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_readlinkat(FD, "/vt/i/abs", BAD, 10), -EFAULT);
	UK_TEST_EXPECT_EQ(uk_sys_lstat("/vt/i/abs", &st), 0);
	UK_TEST_EXPECT(UK_S_ISLNK(st.st_mode));
	UK_TEST_EXPECT_EQ(st.st_size, 12);
	UK_TEST_EXPECT_EQ(uk_sys_stat("/vt/i/abs", &st), 0);
	UK_TEST_EXPECT(UK_S_ISREG(st.st_mode));
	UK_TEST_EXPECT_EQ(uk_sys_symlink("loop2", "/vt/i/loop1"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_symlink("loop1", "/vt/i/loop2"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_stat("/vt/i/loop1", &st), -ELOOP);
	UK_TEST_EXPECT_EQ(uk_sys_open("/vt/i/loop1/x", UK_O_RDONLY, 0), -ELOOP);
	UK_TEST_EXPECT_EQ(uk_sys_symlink("nowhere", "/vt/i/dangling"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_stat("/vt/i/dangling", &st), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_symlink("x", "/vt/i/abs"), -EEXIST);
	UK_TEST_EXPECT_EQ(uk_sys_symlink("", "/vt/i/empty"), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_unlink("/vt/i/rel"), 0);       /* the link, not the dir */
	UK_TEST_EXPECT_EQ(vt_mode("/vt/i/real"), UK_S_IFDIR | 0755);
}

UK_TESTCASE(vfscore, name_too_long)
{
	static char path[UK_PATH_MAX + 16];
	size_t i;

	for (i = 0; i < 256; i++)
		path[i] = 'n';
	path[256] = 0;
	UK_TEST_EXPECT_EQ(uk_sys_open(path, UK_O_CREAT | UK_O_RDWR, 0644), -ENAMETOOLONG);
	path[255] = 0;
	UK_TEST_EXPECT_EQ(uk_sys_mkdir(path, 0755), 0);         /* 255 is fine */
	UK_TEST_EXPECT_EQ(uk_sys_rmdir(path), 0);
	for (i = 0; i < sizeof(path) - 1; i++)
		path[i] = (i % 2) ? '/' : '.';
	path[sizeof(path) - 1] = 0;
	UK_TEST_EXPECT_EQ(uk_sys_open(path, UK_O_RDONLY, 0), -ENAMETOOLONG);
}

UK_TESTCASE(vfscore, cwd_chdir_fchdir_relative_paths)
{
	char buf[64];
	long fd;

	dir("/vt/j");
	uk_sys_mkdir("/vt/j/sub", 0755);
	UK_TEST_EXPECT_EQ(uk_sys_chdir("/vt/j/sub"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_getcwd(buf, sizeof(buf)), 10);   /* with the NUL */
	UK_TEST_EXPECT(uk_streq(buf, "/vt/j/sub"));
	UK_TEST_EXPECT_EQ(uk_sys_getcwd(buf, 5), -ERANGE);
	UK_TEST_EXPECT_EQ(vt_mkfile("rel", "r"), 0);
	UK_TEST_EXPECT_EQ(vt_mode("/vt/j/sub/rel"), UK_S_IFREG | 0644);
	UK_TEST_EXPECT_EQ(vt_mode("../sub/./rel"), UK_S_IFREG | 0644);
	UK_TEST_EXPECT_EQ(uk_sys_chdir(".."), 0);
	UK_TEST_EXPECT_EQ(uk_sys_getcwd(buf, sizeof(buf)), 6);
	UK_TEST_EXPECT(uk_streq(buf, "/vt/j"));
	UK_TEST_EXPECT_EQ(uk_sys_chdir("sub/rel"), -ENOTDIR);
	UK_TEST_EXPECT_EQ(uk_sys_chdir("none"), -ENOENT);
	fd = uk_sys_open("sub", UK_O_RDONLY | UK_O_DIRECTORY, 0);
	UK_TEST_ASSERT(fd >= 0);
	UK_TEST_EXPECT_EQ(uk_sys_chdir("/../../"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_getcwd(buf, sizeof(buf)), 2);
	UK_TEST_EXPECT(uk_streq(buf, "/"));
	UK_TEST_EXPECT_EQ(uk_sys_fchdir((int)fd), 0);
	UK_TEST_EXPECT_EQ(vt_mode("rel"), UK_S_IFREG | 0644);
	/* the cwd removed: getcwd says so */
	uk_sys_mkdir("/vt/j/gone", 0755);
	UK_TEST_EXPECT_EQ(uk_sys_chdir("/vt/j/gone"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_rmdir("/vt/j/gone"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_getcwd(buf, sizeof(buf)), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_open("new", UK_O_CREAT | UK_O_RDWR, 0644), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_chdir("/"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fchdir(99), -EBADF);
	uk_sys_close((int)fd);
}

UK_TESTCASE(vfscore, at_calls_and_empty_path)
{
	struct uk_stat st;
	struct uk_statx sx;
	long d, f;

	dir("/vt/k");
	d = uk_sys_open("/vt/k", UK_O_RDONLY | UK_O_DIRECTORY, 0);
	UK_TEST_ASSERT(d >= 0);
	f = uk_sys_openat((int)d, "f", UK_O_CREAT | UK_O_RDWR, 0640);
	UK_TEST_ASSERT(f >= 0);
	uk_sys_write((int)f, "12345", 5);
	UK_TEST_EXPECT_EQ(uk_sys_mkdirat((int)d, "sub", 0755), 0);
	UK_TEST_EXPECT_EQ(uk_sys_symlinkat("f", (int)d, "l"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_newfstatat((int)d, "l", &st, 0), 0);
	UK_TEST_EXPECT_EQ(st.st_size, 5);
	UK_TEST_EXPECT_EQ(uk_sys_newfstatat((int)d, "l", &st, UK_AT_SYMLINK_NOFOLLOW), 0);
	UK_TEST_EXPECT(UK_S_ISLNK(st.st_mode));
	UK_TEST_EXPECT_EQ(uk_sys_newfstatat((int)f, "", &st, UK_AT_EMPTY_PATH), 0);
	UK_TEST_EXPECT_EQ(st.st_mode, UK_S_IFREG | 0640);
	UK_TEST_EXPECT_EQ(uk_sys_newfstatat((int)f, "", &st, 0), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_newfstatat((int)f, "x", &st, 0), -ENOTDIR);
	UK_TEST_EXPECT_EQ(uk_sys_newfstatat((int)d, "f", &st, 0x8000), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_newfstatat((int)d, "f", BAD, 0), -EFAULT);
	UK_TEST_EXPECT_EQ(uk_sys_statx((int)d, "f", 0, UK_STATX_BASIC_STATS, &sx), 0);
	UK_TEST_EXPECT_EQ(sx.stx_size, 5);
	UK_TEST_EXPECT_EQ(sx.stx_mode, UK_S_IFREG | 0640);
	UK_TEST_EXPECT_EQ(sx.stx_mask & UK_STATX_BASIC_STATS, UK_STATX_BASIC_STATS);
	UK_TEST_EXPECT_EQ(uk_sys_statx((int)d, "f", 0, UK_STATX__RESERVED, &sx), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_linkat((int)d, "f", (int)d, "hard", 0), 0);
	UK_TEST_EXPECT_EQ(uk_sys_linkat((int)f, "", (int)d, "hard2", UK_AT_EMPTY_PATH), 0);
	UK_TEST_EXPECT_EQ(uk_sys_linkat((int)d, "l", (int)d, "hl", UK_AT_SYMLINK_FOLLOW), 0);
	UK_TEST_EXPECT_EQ(vt_mode("/vt/k/hl"), UK_S_IFREG | 0640);
	UK_TEST_EXPECT_EQ(uk_sys_renameat((int)d, "hard", (int)d, "sub/hard"), 0);
	UK_TEST_EXPECT_EQ(uk_sys_unlinkat((int)d, "sub", UK_AT_REMOVEDIR), -ENOTEMPTY);
	UK_TEST_EXPECT_EQ(uk_sys_unlinkat((int)d, "sub/hard", 0), 0);
	UK_TEST_EXPECT_EQ(uk_sys_unlinkat((int)d, "sub", UK_AT_REMOVEDIR), 0);
	UK_TEST_EXPECT_EQ(uk_sys_faccessat((int)d, "f", UK_R_OK | UK_W_OK), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fchmodat((int)d, "f", 0755), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fchownat((int)d, "l", 5, 6, UK_AT_SYMLINK_NOFOLLOW), 0);
	UK_TEST_EXPECT_EQ(uk_sys_newfstatat((int)d, "l", &st, UK_AT_SYMLINK_NOFOLLOW), 0);
	UK_TEST_EXPECT(st.st_uid == 5 && st.st_gid == 6);
	UK_TEST_EXPECT_EQ(uk_sys_openat((int)f, "x", UK_O_RDONLY, 0), -ENOTDIR);
	uk_sys_close((int)f);
	uk_sys_close((int)d);
}

UK_TESTCASE(vfscore, access_chmod_chown_utimensat)
{
	struct { long s, ns; } ts[2] = { { 1000, 5 }, { 2000, UK_UTIME_OMIT } };
	struct uk_stat st;
	long fd;

	dir("/vt/l");
	vt_mkfile("/vt/l/f", NULL);
	UK_TEST_EXPECT_EQ(uk_sys_access("/vt/l/f", UK_F_OK), 0);
	UK_TEST_EXPECT_EQ(uk_sys_access("/vt/l/f", UK_X_OK), -EACCES);
	UK_TEST_EXPECT_EQ(uk_sys_access("/vt/l/none", UK_F_OK), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_access("/vt/l/f", 8), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_access("/vt/l", UK_X_OK), 0);
	UK_TEST_EXPECT_EQ(uk_sys_chmod("/vt/l/f", 04755), 0);
	UK_TEST_EXPECT_EQ(vt_mode("/vt/l/f"), UK_S_IFREG | 04755);
	UK_TEST_EXPECT_EQ(uk_sys_access("/vt/l/f", UK_X_OK), 0);
	UK_TEST_EXPECT_EQ(uk_sys_faccessat2(FD, "/vt/l/f", UK_X_OK, UK_AT_EACCESS), 0);
	UK_TEST_EXPECT_EQ(uk_sys_chmod("/vt/l/none", 0), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_chown("/vt/l/f", 1000, (unsigned int)-1), 0);
	UK_TEST_EXPECT_EQ(uk_sys_lchown("/vt/l/f", (unsigned int)-1, 100), 0);
	fd = uk_sys_open("/vt/l/f", UK_O_RDONLY, 0);
	UK_TEST_EXPECT_EQ(uk_sys_fchmod((int)fd, 0600), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fchown((int)fd, (unsigned int)-1, 7), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fstat((int)fd, &st), 0);
	UK_TEST_EXPECT(st.st_uid == 1000 && st.st_gid == 7 && st.st_mode == (UK_S_IFREG | 0600));
	UK_TEST_EXPECT_EQ(uk_sys_fchmod(99, 0600), -EBADF);
	UK_TEST_EXPECT_EQ(uk_sys_utimensat(FD, "/vt/l/f", (void *)ts, 0), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fstat((int)fd, &st), 0);
	UK_TEST_EXPECT(st.st_atime == 1000 && st.st_atime_nsec == 5);
	UK_TEST_EXPECT(st.st_mtime > 1600000000);     /* omitted: unchanged */
	UK_TEST_EXPECT_EQ(uk_sys_utimensat((int)fd, NULL, NULL, 0), 0);  /* futimens: now */
	UK_TEST_EXPECT_EQ(uk_sys_fstat((int)fd, &st), 0);
	UK_TEST_EXPECT(st.st_atime > 1600000000);
	ts[0].ns = 1000000000;
	UK_TEST_EXPECT_EQ(uk_sys_utimensat(FD, "/vt/l/f", (void *)ts, 0), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_utimensat(FD, "/vt/l/f", BAD, 0), -EFAULT);
	UK_TEST_EXPECT_EQ(uk_sys_utimensat(FD, "/vt/l/f", NULL, 0x4), -EINVAL);
	uk_sys_close((int)fd);
}

UK_TESTCASE(vfscore, umask_applies_to_creation)
{
	long old = uk_sys_umask(077);

	dir("/vt/m");
	UK_TEST_EXPECT_EQ(old, 022);
	vt_mkfile("/vt/m/f", NULL);
	uk_sys_mkdir("/vt/m/d", 0777);
	UK_TEST_EXPECT_EQ(vt_mode("/vt/m/f"), UK_S_IFREG | 0600);
	UK_TEST_EXPECT_EQ(vt_mode("/vt/m/d"), UK_S_IFDIR | 0700);
	UK_TEST_EXPECT_EQ(uk_sys_umask((int)old), 077);
}

/* Names read while the same loop unlinks them: every one is seen once. */
UK_TESTCASE(vfscore, getdents64_survives_unlinks)
{
	static char buf[512];
	char name[32] = "/vt/n/";
	long fd, n, pos, seen = 0, dots = 0;
	int i;

	dir("/vt/n");
	for (i = 0; i < 100; i++) {
		name[6] = (char)('a' + i / 10);
		name[7] = (char)('0' + i % 10);
		name[8] = 0;
		vt_mkfile(name, NULL);
	}
	fd = uk_sys_open("/vt/n", UK_O_RDONLY | UK_O_DIRECTORY, 0);
	UK_TEST_ASSERT(fd >= 0);
	while ((n = uk_sys_getdents64((int)fd, buf, sizeof(buf))) > 0) {
		for (pos = 0; pos < n;) {
			struct uk_linux_dirent64 *de = (void *)(buf + pos);

			if (de->d_name[0] == '.') {
				dots++;
				UK_TEST_EXPECT_EQ(de->d_type, UK_DT_DIR);
			} else {
				UK_TEST_EXPECT_EQ(de->d_type, UK_DT_REG);
				name[6] = de->d_name[0];
				name[7] = de->d_name[1];
				UK_TEST_EXPECT_EQ(uk_sys_unlink(name), 0);
				seen++;
			}
			pos += de->d_reclen;
		}
	}
	UK_TEST_EXPECT_EQ(n, 0);
	UK_TEST_EXPECT_EQ(seen, 100);
	UK_TEST_EXPECT_EQ(dots, 2);
	UK_TEST_EXPECT_EQ(uk_sys_getdents64((int)fd, buf, 8), 0);
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd, 0, UK_SEEK_SET), 0);
	UK_TEST_EXPECT_EQ(uk_sys_getdents64((int)fd, buf, 8), -EINVAL);   /* no room for one */
	UK_TEST_EXPECT_EQ(uk_sys_getdents64((int)fd, BAD, 100), -EFAULT);
	UK_TEST_EXPECT_EQ(uk_sys_rmdir("/vt/n"), 0);
	uk_sys_close((int)fd);
	fd = uk_sys_open("/dev/null", UK_O_RDONLY, 0);
	UK_TEST_EXPECT_EQ(uk_sys_getdents64((int)fd, buf, sizeof(buf)), -ENOTDIR);
	uk_sys_close((int)fd);
	UK_TEST_EXPECT_EQ(uk_sys_read(99, buf, 1), -EBADF);
}

UK_TESTCASE(vfscore, mounts)
{
	struct uk_stat root, dev, up;

	UK_TEST_EXPECT_EQ(uk_sys_stat("/", &root), 0);
	UK_TEST_EXPECT_EQ(uk_sys_stat("/dev", &dev), 0);
	UK_TEST_EXPECT(root.st_dev != dev.st_dev);
	UK_TEST_EXPECT_EQ(uk_sys_stat("/dev/..", &up), 0);
	UK_TEST_EXPECT(up.st_ino == root.st_ino && up.st_dev == root.st_dev);
	UK_TEST_EXPECT_EQ(uk_sys_stat("/..", &up), 0);
	UK_TEST_EXPECT_EQ(up.st_ino, root.st_ino);
	UK_TEST_EXPECT_EQ(uk_sys_rmdir("/dev"), -EBUSY);
}

UK_TESTCASE(vfscore, o_path_descriptors)
{
	struct uk_stat st;
	char c;
	long fd;

	dir("/vt/o");
	vt_mkfile("/vt/o/f", "z");
	uk_sys_symlink("f", "/vt/o/l");
	fd = uk_sys_open("/vt/o/l", UK_O_PATH | UK_O_NOFOLLOW, 0);
	UK_TEST_ASSERT(fd >= 0);
	UK_TEST_EXPECT_EQ(uk_sys_fstat((int)fd, &st), 0);
	UK_TEST_EXPECT(UK_S_ISLNK(st.st_mode));
	UK_TEST_EXPECT_EQ(uk_sys_read((int)fd, &c, 1), -EBADF);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl((int)fd, UK_F_GETFL, 0), UK_O_PATH);
	UK_TEST_EXPECT_EQ(uk_sys_fchmod((int)fd, 0600), -EBADF);
	UK_TEST_EXPECT_EQ(uk_sys_ftruncate((int)fd, 0), -EBADF);
	UK_TEST_EXPECT_EQ(uk_sys_getdents64((int)fd, &c, 1), -EBADF);
	uk_sys_close((int)fd);
}
