/* SPDX-License-Identifier: BSD-3-Clause */
/* Directories and names: mkdir/rmdir, reading a directory (getdents64
 * through opendir/readdir), unlink, rename and renameat2, hard and
 * symbolic links with readlink and lstat, the *at calls on a directory
 * descriptor, and the working directory (getcwd, chdir, fchdir). */
#include "pt.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PT_RENAME_NOREPLACE 1

static void dir_mkdir_rmdir(void)
{
	struct stat st;
	PT_OK(mkdir(pt_path("d"), 0755));
	PT_OK(stat(pt_path("d"), &st));
	PT_CHECK(S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0755);
	PT_OK(mkdir(pt_path("d/e"), 0700));
	PT_ERRNO(rmdir(pt_path("d")), ENOTEMPTY);
	PT_OK(rmdir(pt_path("d/e")));
	PT_OK(rmdir(pt_path("d")));
	PT_ERRNO(stat(pt_path("d"), &st), ENOENT);
	PT_ERRNO(rmdir(pt_path("d")), ENOENT);
	PT_ERRNO(mkdir(pt_path("x/y"), 0755), ENOENT);
	PT_ERRNO(rmdir(pt_path(".")), EINVAL);
}

/* Reads `path` and checks it holds exactly ".", ".." and `names` (order
 * free), with the given d_type for each name. */
static int dir_holds(const char *path, const char *const names[], const unsigned char types[], int n)
{
	int seen[64] = {0}, dots = 0;
	DIR *d = opendir(path);
	if (!d)
		return 0;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
			dots++;
			if (e->d_type != DT_DIR)
				goto bad;
			continue;
		}
		int i;
		for (i = 0; i < n; i++)
			if (!strcmp(e->d_name, names[i]))
				break;
		if (i == n || seen[i]++ || e->d_type != types[i])
			goto bad;
	}
	if (errno)
		goto bad;
	closedir(d);
	for (int i = 0; i < n; i++)
		if (seen[i] != 1)
			return 0;
	return dots == 2;
bad:
	closedir(d);
	return 0;
}

static void dir_readdir(void)
{
	static const char *const names[] = {"file", "sub", "link"};
	static const unsigned char types[] = {DT_REG, DT_DIR, DT_LNK};
	static const char *const none[] = {0};
	PT_OK(pt_make_file("file", "x"));
	PT_OK(mkdir(pt_path("sub"), 0755));
	PT_OK(symlink("file", pt_path("link")));
	PT_CHECK(dir_holds(pt_dir(), names, types, 3));
	PT_CHECK(dir_holds(pt_path("sub"), none, types, 0));
}

static void dir_readdir_many_and_rewind(void)
{
	enum { N = 150 };
	char name[48];
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "entry-with-a-long-name-%03d", i);
		PT_OK(pt_make_file(name, ""));
	}
	DIR *d = opendir(pt_dir());
	PT_CHECK(d != NULL);
	for (int pass = 0; pass < 2; pass++) {
		static char seen[N];
		int count = 0;
		memset(seen, 0, sizeof(seen));
		struct dirent *e;
		while ((e = readdir(d))) {
			int i;
			count++;
			if (sscanf(e->d_name, "entry-with-a-long-name-%d", &i) == 1) {
				if (i < 0 || i >= N || seen[i]++)
					break;
			}
		}
		PT_CHECK(e == NULL);
		PT_CHECK(count == N + 2);
		rewinddir(d);
	}
	PT_OK(closedir(d));
}

static void dir_unlink_keeps_open_file(void)
{
	char buf[8] = {0};
	struct stat st;
	PT_OK(pt_make_file("f", "still"));
	int fd = open(pt_path("f"), O_RDONLY);
	PT_CHECK(fd >= 0);
	PT_OK(unlink(pt_path("f")));
	PT_ERRNO(stat(pt_path("f"), &st), ENOENT);
	PT_CHECK(read(fd, buf, sizeof(buf)) == 5 && !strcmp(buf, "still"));
	PT_OK(fstat(fd, &st));
	PT_CHECK(st.st_nlink == 0);
	PT_OK(close(fd));
	PT_ERRNO(unlink(pt_path("f")), ENOENT);
}

static void dir_rename(void)
{
	char buf[8] = {0};
	struct stat st;
	PT_OK(pt_make_file("a", "A"));
	PT_OK(pt_make_file("b", "B"));
	PT_OK(rename(pt_path("a"), pt_path("c")));
	PT_ERRNO(stat(pt_path("a"), &st), ENOENT);
	PT_OK(rename(pt_path("c"), pt_path("b")));   /* replaces b */
	int fd = open(pt_path("b"), O_RDONLY);
	PT_CHECK(fd >= 0 && read(fd, buf, 8) == 1 && buf[0] == 'A');
	PT_OK(close(fd));
	/* a directory moves with what it holds */
	PT_OK(mkdir(pt_path("d"), 0755));
	PT_OK(pt_make_file("d/in", "x"));
	PT_OK(rename(pt_path("d"), pt_path("e")));
	PT_OK(stat(pt_path("e/in"), &st));
	PT_OK(mkdir(pt_path("full"), 0755));
	PT_OK(pt_make_file("full/x", ""));
	PT_ERRNO(rename(pt_path("e"), pt_path("full")), ENOTEMPTY);
	PT_ERRNO(rename(pt_path("e"), pt_path("e/in/sub")), ENOTDIR);
	PT_ERRNO(rename(pt_path("e"), pt_path("e/sub")), EINVAL);     /* into itself */
	PT_ERRNO(rename(pt_path("missing"), pt_path("z")), ENOENT);
	PT_OK(rename(pt_path("b"), pt_path("b")));                      /* same file: nothing */
}

static void dir_renameat2_noreplace(void)
{
	struct stat st;
	PT_OK(pt_make_file("a", "A"));
	PT_OK(pt_make_file("b", "B"));
	PT_ERRNO(syscall(SYS_renameat2, AT_FDCWD, pt_path("a"), AT_FDCWD, pt_path("b"), PT_RENAME_NOREPLACE),
		 EEXIST);
	PT_OK(stat(pt_path("a"), &st));
	PT_OK(syscall(SYS_renameat2, AT_FDCWD, pt_path("a"), AT_FDCWD, pt_path("c"), PT_RENAME_NOREPLACE));
	PT_ERRNO(stat(pt_path("a"), &st), ENOENT);
	int dfd = open(pt_dir(), O_RDONLY | O_DIRECTORY);
	PT_CHECK(dfd >= 0);
	PT_OK(syscall(SYS_renameat2, dfd, "c", dfd, "d", 0));
	PT_OK(renameat(dfd, "d", dfd, "e"));
	PT_OK(stat(pt_path("e"), &st));
	PT_OK(close(dfd));
}

static void dir_hard_link(void)
{
	char buf[8] = {0};
	struct stat a, b;
	PT_OK(pt_make_file("a", "one"));
	PT_OK(link(pt_path("a"), pt_path("b")));
	PT_OK(stat(pt_path("a"), &a));
	PT_OK(stat(pt_path("b"), &b));
	PT_CHECK(a.st_ino == b.st_ino && a.st_nlink == 2 && b.st_nlink == 2);
	int fd = open(pt_path("b"), O_WRONLY | O_APPEND);
	PT_CHECK(fd >= 0 && write(fd, "+", 1) == 1);
	PT_OK(close(fd));
	PT_OK(unlink(pt_path("b")));
	fd = open(pt_path("a"), O_RDONLY);
	PT_CHECK(fd >= 0 && read(fd, buf, 8) == 4 && !strcmp(buf, "one+"));
	PT_OK(fstat(fd, &a));
	PT_CHECK(a.st_nlink == 1);
	PT_OK(close(fd));
	PT_OK(mkdir(pt_path("d"), 0755));
	PT_ERRNO(link(pt_path("d"), pt_path("dl")), EPERM);
	PT_OK(linkat(AT_FDCWD, pt_path("a"), AT_FDCWD, pt_path("c"), 0));
}

static void dir_symlink_readlink(void)
{
	char buf[64];
	struct stat st;
	PT_OK(pt_make_file("target", "via link"));
	PT_OK(symlink("target", pt_path("l")));
	memset(buf, 'X', sizeof(buf));
	PT_CHECK(readlink(pt_path("l"), buf, sizeof(buf)) == 6);
	PT_CHECK(memcmp(buf, "target", 6) == 0 && buf[6] == 'X');   /* no NUL added */
	PT_CHECK(readlink(pt_path("l"), buf, 3) == 3 && memcmp(buf, "tar", 3) == 0);  /* truncated */
	PT_OK(lstat(pt_path("l"), &st));
	PT_CHECK(S_ISLNK(st.st_mode) && st.st_size == 6);
	PT_OK(stat(pt_path("l"), &st));
	PT_CHECK(S_ISREG(st.st_mode) && st.st_size == 8);
	int fd = open(pt_path("l"), O_RDONLY);
	PT_CHECK(fd >= 0 && read(fd, buf, 8) == 8 && !memcmp(buf, "via link", 8));
	PT_OK(close(fd));
	int dfd = open(pt_dir(), O_RDONLY | O_DIRECTORY);
	PT_CHECK(dfd >= 0);
	PT_CHECK(readlinkat(dfd, "l", buf, sizeof(buf)) == 6);
	PT_OK(symlinkat("nowhere", dfd, "dangling"));
	PT_OK(close(dfd));
	PT_ERRNO(open(pt_path("dangling"), O_RDONLY), ENOENT);
	PT_OK(lstat(pt_path("dangling"), &st));
	PT_ERRNO(readlink(pt_path("target"), buf, sizeof(buf)), EINVAL);
	PT_ERRNO(symlink("x", pt_path("l")), EEXIST);
	/* a relative link resolves against its own directory */
	PT_OK(mkdir(pt_path("d"), 0755));
	PT_OK(symlink("../target", pt_path("d/up")));
	PT_OK(stat(pt_path("d/up"), &st));
	PT_CHECK(st.st_size == 8);
	PT_ERRNO(open(pt_path("l"), O_RDONLY | O_NOFOLLOW), ELOOP);
}

static void dir_at_calls(void)
{
	struct stat st;
	int dfd = open(pt_dir(), O_RDONLY | O_DIRECTORY);
	PT_CHECK(dfd >= 0);
	PT_OK(mkdirat(dfd, "sub", 0755));
	int fd = openat(dfd, "sub/f", O_WRONLY | O_CREAT | O_EXCL, 0600);
	PT_CHECK(fd >= 0);
	PT_OK(close(fd));
	PT_OK(stat(pt_path("sub/f"), &st));
	int sfd = openat(dfd, "sub", O_RDONLY | O_DIRECTORY);
	PT_CHECK(sfd >= 0);
	PT_OK(fstatat(sfd, "f", &st, 0));
	PT_OK(fstatat(sfd, pt_path("sub/f"), &st, 0));  /* an absolute path ignores dirfd */
	PT_ERRNO(unlinkat(dfd, "sub", 0), EISDIR);
	PT_ERRNO(unlinkat(sfd, "f", AT_REMOVEDIR), ENOTDIR);
	PT_OK(unlinkat(sfd, "f", 0));
	PT_OK(unlinkat(dfd, "sub", AT_REMOVEDIR));
	PT_ERRNO(openat(sfd, "f", O_RDONLY), ENOENT);
	PT_OK(close(sfd));
	PT_ERRNO(mkdirat(-1, "rel", 0755), EBADF);
	int ffd = open(pt_path("plain"), O_RDWR | O_CREAT, 0644);
	PT_CHECK(ffd >= 0);
	PT_ERRNO(openat(ffd, "x", O_RDONLY), ENOTDIR);
	PT_OK(close(ffd));
	PT_OK(close(dfd));
}

/* Does getcwd() end with "/<case dir name>/<tail>"? */
static int cwd_is(const char *tail)
{
	char cwd[PATH_MAX], want[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)))
		return 0;
	snprintf(want, sizeof(want), "%s%s%s", pt_dir(), *tail ? "/" : "", tail);
	/* the base directory may be reached through a symbolic link: compare
	 * from the case directory's own name on */
	const char *name = strrchr(pt_dir(), '/');
	size_t lw = strlen(want), lc = strlen(cwd), keep = lw - (name - pt_dir());
	return lc >= keep && !strcmp(cwd + lc - keep, want + lw - keep);
}

static void dir_getcwd_chdir_fchdir(void)
{
	char small[2];
	struct stat st;
	int home = open(".", O_RDONLY | O_DIRECTORY);
	PT_CHECK(home >= 0);
	PT_OK(mkdir(pt_path("sub"), 0755));
	PT_OK(chdir(pt_dir()));
	int ok1 = cwd_is("");
	int r = chdir("sub");
	int ok2 = cwd_is("sub");
	int fd = open("rel", O_WRONLY | O_CREAT, 0644);
	int ok3 = chdir("..") == 0 && cwd_is("");
	int sub = open("sub", O_RDONLY | O_DIRECTORY);
	int ok4 = fchdir(sub) == 0 && cwd_is("sub");
	char *g = getcwd(small, sizeof(small));
	int e = errno;
	int back = fchdir(home);
	PT_CHECK(back == 0);
	PT_CHECK(ok1 && r == 0 && ok2 && fd >= 0 && ok3 && sub >= 0 && ok4);
	errno = e;
	PT_CHECK(g == NULL && e == ERANGE);
	PT_OK(stat(pt_path("sub/rel"), &st));
	PT_OK(close(fd));
	PT_OK(close(sub));
	PT_OK(close(home));
	PT_ERRNO(chdir(pt_path("missing")), ENOENT);
}

const struct pt_case pt_dirs_cases[] = {
	PT_CASE(dir_mkdir_rmdir),
	PT_CASE(dir_readdir),
	PT_CASE(dir_readdir_many_and_rewind),
	PT_CASE(dir_unlink_keeps_open_file),
	PT_CASE(dir_rename),
	PT_CASE(dir_renameat2_noreplace),
	PT_CASE(dir_hard_link),
	PT_CASE(dir_symlink_readlink),
	PT_CASE(dir_at_calls),
	PT_CASE(dir_getcwd_chdir_fchdir),
	PT_END
};
