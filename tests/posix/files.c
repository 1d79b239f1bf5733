/* SPDX-License-Identifier: BSD-3-Clause */
/* Files: open/creat/close, read/write and the file offset, pread/pwrite,
 * readv/writev, O_APPEND and O_TRUNC, the stat family (fstat, stat,
 * fstatat = newfstatat, statx), access, truncate, fsync, chmod, chown,
 * utimensat, umask, sendfile. Directories and names are in dirs.c. */
#include "pt.h"

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static void file_creat_open_read(void)
{
	char buf[16] = {0};
	int fd = creat(pt_path("f"), 0644);
	PT_CHECK(fd >= 0);
	PT_CHECK(write(fd, "hello", 5) == 5);
	PT_ERRNO(read(fd, buf, 1), EBADF);          /* creat is O_WRONLY */
	PT_OK(close(fd));
	fd = open(pt_path("f"), O_RDONLY);
	PT_CHECK(fd >= 0);
	PT_CHECK(read(fd, buf, sizeof(buf)) == 5);
	PT_CHECK(memcmp(buf, "hello", 5) == 0);
	PT_CHECK(read(fd, buf, sizeof(buf)) == 0);  /* end of file */
	PT_OK(close(fd));
}

static void file_offsets_and_holes(void)
{
	char buf[8];
	int fd = open(pt_path("f"), O_RDWR | O_CREAT, 0644);
	PT_CHECK(fd >= 0);
	PT_CHECK(write(fd, "abcdef", 6) == 6);
	PT_CHECK(lseek(fd, 0, SEEK_CUR) == 6);
	PT_CHECK(lseek(fd, 1, SEEK_SET) == 1);
	PT_CHECK(read(fd, buf, 2) == 2 && memcmp(buf, "bc", 2) == 0);
	PT_CHECK(lseek(fd, -1, SEEK_END) == 5);
	PT_CHECK(read(fd, buf, 8) == 1 && buf[0] == 'f');
	/* a write past the end leaves a hole that reads as zeros */
	PT_CHECK(lseek(fd, 10000, SEEK_SET) == 10000);
	PT_CHECK(write(fd, "Z", 1) == 1);
	struct stat st;
	PT_OK(fstat(fd, &st));
	PT_CHECK(st.st_size == 10001);
	PT_CHECK(pread(fd, buf, 4, 4998) == 4);
	PT_CHECK(memcmp(buf, "\0\0\0\0", 4) == 0);
	PT_CHECK(pread(fd, buf, 8, 9999) == 2 && buf[0] == 0 && buf[1] == 'Z');
	PT_OK(close(fd));
}

static void file_pread_pwrite_keep_offset(void)
{
	char buf[8] = {0};
	int fd = open(pt_path("f"), O_RDWR | O_CREAT, 0644);
	PT_CHECK(fd >= 0);
	PT_CHECK(write(fd, "0123456789", 10) == 10);
	PT_CHECK(lseek(fd, 2, SEEK_SET) == 2);
	PT_CHECK(pwrite(fd, "xy", 2, 7) == 2);
	PT_CHECK(pread(fd, buf, 4, 6) == 4 && memcmp(buf, "6xy9", 4) == 0);
	PT_CHECK(lseek(fd, 0, SEEK_CUR) == 2);
	PT_CHECK(read(fd, buf, 2) == 2 && memcmp(buf, "23", 2) == 0);
	PT_ERRNO(pread(fd, buf, 1, -1), EINVAL);
	PT_OK(close(fd));
}

static void file_readv_writev(void)
{
	char a[3], b[5], c[4];
	struct iovec w[3] = {{"abc", 3}, {"", 0}, {"defghij", 7}};
	struct iovec r[3] = {{a, sizeof(a)}, {b, sizeof(b)}, {c, sizeof(c)}};
	int fd = open(pt_path("f"), O_RDWR | O_CREAT, 0644);
	PT_CHECK(fd >= 0);
	PT_CHECK(writev(fd, w, 3) == 10);
	PT_CHECK(lseek(fd, 0, SEEK_SET) == 0);
	PT_CHECK(readv(fd, r, 3) == 10);
	PT_CHECK(memcmp(a, "abc", 3) == 0 && memcmp(b, "defgh", 5) == 0 && memcmp(c, "ij", 2) == 0);
	PT_CHECK(preadv(fd, r, 1, 7) == 3 && memcmp(a, "hij", 3) == 0);
	PT_ERRNO(syscall(SYS_writev, fd, w, -1), EINVAL);
	PT_OK(close(fd));
}

static void file_append_and_trunc(void)
{
	char buf[16] = {0};
	PT_OK(pt_make_file("f", "start"));
	int fd = open(pt_path("f"), O_WRONLY | O_APPEND);
	PT_CHECK(fd >= 0);
	PT_CHECK(lseek(fd, 0, SEEK_SET) == 0);
	PT_CHECK(write(fd, "+end", 4) == 4);        /* O_APPEND: at the end all the same */
	PT_CHECK(lseek(fd, 0, SEEK_CUR) == 9);
	PT_OK(close(fd));
	fd = open(pt_path("f"), O_RDONLY);
	PT_CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 9 && !strcmp(buf, "start+end"));
	PT_OK(close(fd));
	fd = open(pt_path("f"), O_RDWR | O_TRUNC);
	PT_CHECK(fd >= 0);
	struct stat st;
	PT_OK(fstat(fd, &st));
	PT_CHECK(st.st_size == 0);
	PT_OK(close(fd));
}

static void file_large_across_blocks(void)
{
	enum { N = 256 * 1024 };
	static unsigned char w[N], r[N];
	for (int i = 0; i < N; i++)
		w[i] = (unsigned char)(i * 7 + i / 4096);
	int fd = open(pt_path("big"), O_RDWR | O_CREAT, 0600);
	PT_CHECK(fd >= 0);
	PT_OK(pt_write_all(fd, w, N));
	PT_CHECK(pread(fd, r, N, 0) == N && memcmp(r, w, N) == 0);
	/* a read straddling 4 KiB blocks at an odd offset */
	PT_CHECK(pread(fd, r, 10000, 4093) == 10000 && memcmp(r, w + 4093, 10000) == 0);
	PT_CHECK(pread(fd, r, 100, N - 10) == 10);
	PT_OK(close(fd));
}

static void file_fstat_stat(void)
{
	struct stat a, b;
	PT_OK(pt_make_file("f", "twelve bytes"));
	int fd = open(pt_path("f"), O_RDONLY);
	PT_CHECK(fd >= 0);
	PT_OK(fstat(fd, &a));
	PT_OK(stat(pt_path("f"), &b));
	PT_CHECK(S_ISREG(a.st_mode) && a.st_size == 12 && a.st_nlink == 1);
	PT_CHECK(a.st_ino == b.st_ino && a.st_dev == b.st_dev && a.st_mode == b.st_mode);
	PT_CHECK(a.st_uid == getuid() && a.st_gid == getgid());
	PT_OK(stat(pt_dir(), &b));
	PT_CHECK(S_ISDIR(b.st_mode));
	PT_OK(close(fd));
}

static void file_fstatat_newfstatat(void)
{
	struct stat st;
	PT_OK(pt_make_file("f", "abc"));
	PT_OK(symlink("f", pt_path("l")));
	int dfd = open(pt_dir(), O_RDONLY | O_DIRECTORY);
	PT_CHECK(dfd >= 0);
	PT_OK(fstatat(dfd, "f", &st, 0));
	PT_CHECK(S_ISREG(st.st_mode) && st.st_size == 3);
	PT_OK(fstatat(dfd, "l", &st, 0));
	PT_CHECK(S_ISREG(st.st_mode));
	PT_OK(fstatat(dfd, "l", &st, AT_SYMLINK_NOFOLLOW));
	PT_CHECK(S_ISLNK(st.st_mode) && st.st_size == 1);
	PT_OK(fstatat(dfd, "", &st, AT_EMPTY_PATH));
	PT_CHECK(S_ISDIR(st.st_mode));
	PT_ERRNO(fstatat(dfd, "missing", &st, 0), ENOENT);
	PT_OK(close(dfd));
}

/* struct statx as the kernel lays it out (the same on every architecture;
 * musl 1.2.3 has no wrapper). */
struct pt_statx_ts { int64_t sec; uint32_t nsec; int32_t pad; };
struct pt_statx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad1;
	uint64_t ino, size, blocks, attributes_mask;
	struct pt_statx_ts atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};
#define PT_STATX_TYPE 0x1u
#define PT_STATX_MODE 0x2u
#define PT_STATX_NLINK 0x4u
#define PT_STATX_SIZE 0x200u
#define PT_STATX_BASIC_STATS 0x7ffu

static void file_statx(void)
{
	struct pt_statx sx;
	struct stat st;
	PT_OK(pt_make_file("f", "statx!"));
	PT_OK(chmod(pt_path("f"), 0640));
	memset(&sx, 0xff, sizeof(sx));
	PT_OK(syscall(SYS_statx, AT_FDCWD, pt_path("f"), 0, PT_STATX_BASIC_STATS, &sx));
	unsigned need = PT_STATX_TYPE | PT_STATX_MODE | PT_STATX_NLINK | PT_STATX_SIZE;
	PT_CHECK((sx.mask & need) == need);
	PT_CHECK(sx.size == 6 && sx.nlink == 1 && S_ISREG(sx.mode) && (sx.mode & 07777) == 0640);
	PT_OK(stat(pt_path("f"), &st));
	PT_CHECK(sx.ino == st.st_ino);
	PT_CHECK(sx.mtime.sec == st.st_mtim.tv_sec && sx.mtime.nsec == (uint32_t)st.st_mtim.tv_nsec);
	PT_ERRNO(syscall(SYS_statx, AT_FDCWD, pt_path("missing"), 0, PT_STATX_BASIC_STATS, &sx), ENOENT);
}

static void file_access(void)
{
	PT_OK(pt_make_file("f", ""));
	PT_OK(access(pt_path("f"), F_OK));
	PT_OK(access(pt_path("f"), R_OK));
	PT_OK(access(pt_dir(), R_OK | X_OK));
	PT_ERRNO(access(pt_path("missing"), F_OK), ENOENT);
	PT_ERRNO(access(pt_path("f"), 0x40), EINVAL);
	int dfd = open(pt_dir(), O_RDONLY | O_DIRECTORY);
	PT_CHECK(dfd >= 0);
	PT_OK(faccessat(dfd, "f", F_OK, 0));
	PT_ERRNO(faccessat(dfd, "missing", F_OK, 0), ENOENT);
	PT_OK(close(dfd));
}

static void file_truncate(void)
{
	char buf[8];
	struct stat st;
	PT_OK(pt_make_file("f", "abcdef"));
	PT_OK(truncate(pt_path("f"), 3));
	PT_OK(stat(pt_path("f"), &st));
	PT_CHECK(st.st_size == 3);
	int fd = open(pt_path("f"), O_RDWR);
	PT_CHECK(fd >= 0);
	PT_OK(ftruncate(fd, 6000));                 /* grows with zeros */
	PT_OK(fstat(fd, &st));
	PT_CHECK(st.st_size == 6000);
	PT_CHECK(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "abc\0\0", 5) == 0);
	PT_CHECK(pread(fd, buf, 8, 5996) == 4 && memcmp(buf, "\0\0\0\0", 4) == 0);
	PT_ERRNO(ftruncate(fd, -1), EINVAL);
	PT_OK(close(fd));
	fd = open(pt_path("f"), O_RDONLY);
	PT_CHECK(fd >= 0);
	PT_ERRNO(ftruncate(fd, 0), EINVAL);          /* not open for writing */
	PT_OK(close(fd));
	PT_ERRNO(truncate(pt_dir(), 0), EISDIR);
}

static void file_fsync(void)
{
	int fd = open(pt_path("f"), O_RDWR | O_CREAT, 0644);
	PT_CHECK(fd >= 0);
	PT_CHECK(write(fd, "x", 1) == 1);
	PT_OK(fsync(fd));
	PT_OK(fdatasync(fd));
	PT_OK(close(fd));
	PT_ERRNO(fsync(fd), EBADF);
}

static void file_chmod(void)
{
	struct stat st;
	PT_OK(pt_make_file("f", ""));
	PT_OK(chmod(pt_path("f"), 0604));
	PT_OK(stat(pt_path("f"), &st));
	PT_CHECK((st.st_mode & 07777) == 0604 && S_ISREG(st.st_mode));
	int fd = open(pt_path("f"), O_RDONLY);
	PT_CHECK(fd >= 0);
	PT_OK(fchmod(fd, 0750));
	PT_OK(fstat(fd, &st));
	PT_CHECK((st.st_mode & 07777) == 0750);
	PT_OK(close(fd));
	PT_OK(fchmodat(AT_FDCWD, pt_path("f"), 0600, 0));
	PT_OK(stat(pt_path("f"), &st));
	PT_CHECK((st.st_mode & 07777) == 0600);
	PT_ERRNO(chmod(pt_path("missing"), 0600), ENOENT);
}

static void file_chown(void)
{
	struct stat st;
	PT_OK(pt_make_file("f", ""));
	PT_OK(chown(pt_path("f"), getuid(), getgid()));
	PT_OK(chown(pt_path("f"), (uid_t)-1, (gid_t)-1));   /* -1: unchanged */
	PT_OK(stat(pt_path("f"), &st));
	PT_CHECK(st.st_uid == getuid() && st.st_gid == getgid());
	int fd = open(pt_path("f"), O_RDONLY);
	PT_CHECK(fd >= 0);
	PT_OK(fchown(fd, getuid(), getgid()));
	PT_OK(close(fd));
	PT_OK(symlink("f", pt_path("l")));
	PT_OK(lchown(pt_path("l"), getuid(), getgid()));
	PT_ERRNO(chown(pt_path("missing"), getuid(), getgid()), ENOENT);
}

static void file_utimensat(void)
{
	struct stat st;
	struct timespec ts[2] = {{1000000000, 123456789}, {1200000000, 987654321}};
	PT_OK(pt_make_file("f", ""));
	PT_OK(utimensat(AT_FDCWD, pt_path("f"), ts, 0));
	PT_OK(stat(pt_path("f"), &st));
	PT_CHECK(st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789);
	PT_CHECK(st.st_mtim.tv_sec == 1200000000 && st.st_mtim.tv_nsec == 987654321);
	/* UTIME_OMIT keeps one, futimens through a descriptor */
	struct timespec t2[2] = {{0, UTIME_OMIT}, {1300000000, 5}};
	int fd = open(pt_path("f"), O_RDWR);
	PT_CHECK(fd >= 0);
	PT_OK(futimens(fd, t2));
	PT_OK(fstat(fd, &st));
	PT_CHECK(st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 1300000000 && st.st_mtim.tv_nsec == 5);
	PT_OK(close(fd));
	struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
	PT_ERRNO(utimensat(AT_FDCWD, pt_path("f"), bad, 0), EINVAL);
}

static void file_umask(void)
{
	struct stat st;
	mode_t old = umask(077);
	mode_t was = umask(027);
	int fd = open(pt_path("f"), O_WRONLY | O_CREAT, 0666);
	int e = errno;
	int rd = mkdir(pt_path("d"), 0777);
	umask(old);
	errno = e;
	PT_CHECK(was == 077);
	PT_CHECK(fd >= 0 && rd == 0);
	PT_OK(close(fd));
	PT_OK(stat(pt_path("f"), &st));
	PT_CHECK((st.st_mode & 0777) == 0640);
	PT_OK(stat(pt_path("d"), &st));
	PT_CHECK((st.st_mode & 0777) == 0750);
}

static void file_sendfile(void)
{
	char buf[16] = {0};
	PT_OK(pt_make_file("src", "0123456789"));
	int in = open(pt_path("src"), O_RDONLY);
	int outfd = open(pt_path("dst"), O_RDWR | O_CREAT, 0644);
	PT_CHECK(in >= 0 && outfd >= 0);
	off_t off = 3;
	PT_CHECK(sendfile(outfd, in, &off, 5) == 5);
	PT_CHECK(off == 8 && lseek(in, 0, SEEK_CUR) == 0);   /* with an offset: in's own stays */
	PT_CHECK(sendfile(outfd, in, NULL, 2) == 2);
	PT_CHECK(lseek(in, 0, SEEK_CUR) == 2);
	PT_CHECK(pread(outfd, buf, sizeof(buf), 0) == 7 && !strcmp(buf, "3456701"));
	PT_OK(close(in));
	PT_OK(close(outfd));
}

const struct pt_case pt_files_cases[] = {
	PT_CASE(file_creat_open_read),
	PT_CASE(file_offsets_and_holes),
	PT_CASE(file_pread_pwrite_keep_offset),
	PT_CASE(file_readv_writev),
	PT_CASE(file_append_and_trunc),
	PT_CASE(file_large_across_blocks),
	PT_CASE(file_fstat_stat),
	PT_CASE(file_fstatat_newfstatat),
	PT_CASE(file_statx),
	PT_CASE(file_access),
	PT_CASE(file_truncate),
	PT_CASE(file_fsync),
	PT_CASE(file_chmod),
	PT_CASE(file_chown),
	PT_CASE(file_utimensat),
	PT_CASE(file_umask),
	PT_CASE(file_sendfile),
	PT_END
};
