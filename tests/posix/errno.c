/* SPDX-License-Identifier: BSD-3-Clause */
/* errno for bad input: EBADF, ENOENT, EINVAL, EFAULT (pointers into
 * unmapped memory, through musl's syscall() and through the trap
 * instruction itself), EEXIST, ENOTDIR, EISDIR, ENAMETOOLONG. A bad
 * pointer must be refused, never crash the kernel or half-apply. */
#include "pt.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static void err_ebadf(void)
{
	char c;
	struct stat st;
	PT_ERRNO(read(-1, &c, 1), EBADF);
	PT_ERRNO(write(999, "x", 1), EBADF);
	PT_ERRNO(close(-1), EBADF);
	PT_ERRNO(fstat(777, &st), EBADF);
	PT_ERRNO(lseek(555, 0, SEEK_SET), EBADF);
	PT_ERRNO(dup(444), EBADF);
	PT_ERRNO(fcntl(333, F_GETFL), EBADF);
	PT_ERRNO(fchdir(222), EBADF);
	PT_ERRNO(openat(111, "rel", O_RDONLY), EBADF);
	PT_OK(pt_make_file("f", "data"));
	int ro = open(pt_path("f"), O_RDONLY), wo = open(pt_path("f"), O_WRONLY);
	PT_CHECK(ro >= 0 && wo >= 0);
	PT_ERRNO(write(ro, "x", 1), EBADF);
	PT_ERRNO(read(wo, &c, 1), EBADF);
	PT_OK(close(ro));
	PT_OK(close(wo));
}

static void err_enoent(void)
{
	struct stat st;
	PT_ERRNO(open(pt_path("missing"), O_RDONLY), ENOENT);
	PT_ERRNO(open(pt_path("nodir/f"), O_WRONLY | O_CREAT, 0644), ENOENT);
	PT_ERRNO(stat(pt_path("missing"), &st), ENOENT);
	PT_ERRNO(lstat(pt_path("missing"), &st), ENOENT);
	PT_ERRNO(unlink(pt_path("missing")), ENOENT);
	PT_ERRNO(open("", O_RDONLY), ENOENT);
	PT_ERRNO(stat("", &st), ENOENT);
	PT_ERRNO(link(pt_path("missing"), pt_path("new")), ENOENT);
	PT_ERRNO(opendir(pt_path("missing")) == NULL ? -1 : 0, ENOENT);
}

static void err_einval(void)
{
	PT_OK(pt_make_file("f", "data"));
	int fd = open(pt_path("f"), O_RDONLY);
	PT_CHECK(fd >= 0);
	PT_ERRNO(lseek(fd, 0, 99), EINVAL);
	PT_ERRNO(lseek(fd, -10, SEEK_SET), EINVAL);
	PT_ERRNO(lseek(fd, -5, SEEK_END), EINVAL);
	PT_ERRNO(fcntl(fd, 9999), EINVAL);
	PT_ERRNO(dup3(fd, fd, 0), EINVAL);
	PT_OK(close(fd));
}

static void *bad;

/* A file of 16 bytes, open read-write at offset 0. */
static int data_file(void)
{
	if (pt_make_file("f", "0123456789abcdef") != 0)
		return -1;
	return open(pt_path("f"), O_RDWR);
}

static void err_efault_buffers(void)
{
	struct stat st;
	bad = pt_unmapped();
	PT_CHECK(bad != NULL);
	int fd = data_file();
	PT_CHECK(fd >= 0);
	PT_ERRNO(syscall(SYS_read, fd, bad, 16), EFAULT);
	PT_ERRNO(syscall(SYS_write, fd, bad, 16), EFAULT);
	PT_ERRNO(syscall(SYS_pread64, fd, bad, 4, 0), EFAULT);
	PT_ERRNO(syscall(SYS_pwrite64, fd, bad, 4, 0), EFAULT);
	struct iovec iov = {bad, 8};
	PT_ERRNO(syscall(SYS_readv, fd, &iov, 1), EFAULT);
	PT_ERRNO(syscall(SYS_writev, fd, bad, 1), EFAULT);     /* the iovec array itself */
	PT_ERRNO(syscall(SYS_fstat, fd, bad), EFAULT);
	/* nothing was written, and the descriptor still works */
	PT_OK(fstat(fd, &st));
	PT_CHECK(st.st_size == 16);
	char buf[16];
	PT_CHECK(pread(fd, buf, 16, 0) == 16 && !memcmp(buf, "0123456789abcdef", 16));
	PT_OK(close(fd));
}

static void err_efault_paths_and_structs(void)
{
	bad = pt_unmapped();
	PT_CHECK(bad != NULL);
	PT_ERRNO(syscall(SYS_openat, AT_FDCWD, bad, O_RDONLY, 0), EFAULT);
	PT_ERRNO(syscall(SYS_mkdirat, AT_FDCWD, bad, 0755), EFAULT);
	PT_ERRNO(syscall(SYS_unlinkat, AT_FDCWD, bad, 0), EFAULT);
	PT_ERRNO(syscall(SYS_newfstatat, AT_FDCWD, pt_dir(), bad, 0), EFAULT);
	PT_ERRNO(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, bad), EFAULT);
	PT_ERRNO(syscall(SYS_nanosleep, bad, NULL), EFAULT);
	PT_ERRNO(syscall(SYS_pipe2, bad, 0), EFAULT);
	PT_ERRNO(syscall(SYS_getcwd, bad, 256), EFAULT);
	PT_ERRNO(syscall(SYS_uname, bad), EFAULT);
	PT_ERRNO(syscall(SYS_getrandom, bad, 16, 0), EFAULT);
	/* a path that starts mapped and runs into the unmapped page */
	char *p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	PT_CHECK(p != MAP_FAILED);
	PT_OK(munmap(p + 4096, 4096));
	memset(p, 'a', 4096);
	PT_ERRNO(syscall(SYS_openat, AT_FDCWD, p + 4096 - 8, O_RDONLY, 0), EFAULT);
	PT_OK(munmap(p, 4096));
}

/* The same through the trap instruction (x86_64 `syscall`, arm64
 * `svc #0`), as prebuilt code issues it: -errno, no errno. */
static long trap3(long nr, long a, long b, long c)
{
#if defined(__x86_64__)
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return r;
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = nr, x0 __asm__("x0") = a, x1 __asm__("x1") = b, x2 __asm__("x2") = c;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
#else
#error "trap3: unknown architecture"
#endif
}

static void err_efault_trapped(void)
{
	bad = pt_unmapped();
	PT_CHECK(bad != NULL);
	int fd = data_file();
	PT_CHECK(fd >= 0);
	PT_CHECK(trap3(SYS_read, fd, (long)bad, 16) == -EFAULT);
	PT_CHECK(trap3(SYS_write, fd, (long)bad, 16) == -EFAULT);
	char buf[4];
	PT_CHECK(trap3(SYS_read, fd, (long)buf, 4) == 4 && !memcmp(buf, "0123", 4));
	PT_OK(close(fd));
}

static void err_eexist(void)
{
	PT_OK(pt_make_file("f", ""));
	PT_OK(mkdir(pt_path("d"), 0755));
	PT_ERRNO(mkdir(pt_path("d"), 0755), EEXIST);
	PT_ERRNO(mkdir(pt_path("f"), 0755), EEXIST);
	PT_ERRNO(open(pt_path("f"), O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	PT_ERRNO(open(pt_path("d"), O_RDONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	PT_ERRNO(link(pt_path("f"), pt_path("d")), EEXIST);
	PT_ERRNO(symlink("f", pt_path("f")), EEXIST);
}

static void err_enotdir(void)
{
	struct stat st;
	PT_OK(pt_make_file("f", ""));
	PT_ERRNO(open(pt_path("f/x"), O_RDONLY), ENOTDIR);
	PT_ERRNO(open(pt_path("f/x"), O_RDWR | O_CREAT, 0644), ENOTDIR);
	PT_ERRNO(stat(pt_path("f/x"), &st), ENOTDIR);
	PT_ERRNO(mkdir(pt_path("f/x"), 0755), ENOTDIR);
	PT_ERRNO(rmdir(pt_path("f")), ENOTDIR);
	PT_ERRNO(chdir(pt_path("f")), ENOTDIR);
	PT_ERRNO(open(pt_path("f"), O_RDONLY | O_DIRECTORY), ENOTDIR);
	PT_ERRNO(opendir(pt_path("f")) == NULL ? -1 : 0, ENOTDIR);
	PT_ERRNO(stat(pt_path("f/"), &st), ENOTDIR);
	int fd = open(pt_path("f"), O_RDONLY);
	PT_CHECK(fd >= 0);
	PT_ERRNO(fchdir(fd), ENOTDIR);
	PT_OK(close(fd));
	PT_OK(mkdir(pt_path("d"), 0755));
	PT_ERRNO(rename(pt_path("d"), pt_path("f")), ENOTDIR);
}

static void err_eisdir(void)
{
	char c;
	PT_OK(mkdir(pt_path("d"), 0755));
	PT_OK(pt_make_file("f", ""));
	PT_ERRNO(open(pt_path("d"), O_WRONLY), EISDIR);
	PT_ERRNO(open(pt_path("d"), O_RDWR), EISDIR);
	PT_ERRNO(open(pt_path("d"), O_RDONLY | O_CREAT, 0644), EISDIR);
	PT_ERRNO(unlink(pt_path("d")), EISDIR);
	PT_ERRNO(rename(pt_path("f"), pt_path("d")), EISDIR);
	int fd = open(pt_path("d"), O_RDONLY);
	PT_CHECK(fd >= 0);
	PT_ERRNO(read(fd, &c, 1), EISDIR);
	PT_OK(close(fd));
}

static void err_enametoolong(void)
{
	char name[300];
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	PT_ERRNO(open(pt_path(name), O_RDWR | O_CREAT, 0644), ENAMETOOLONG);
	PT_ERRNO(mkdir(pt_path(name), 0755), ENAMETOOLONG);
	name[255] = 0;                              /* 255 bytes: the longest name */
	int fd = open(pt_path(name), O_RDWR | O_CREAT, 0644);
	PT_CHECK(fd >= 0);
	PT_OK(close(fd));
}

const struct pt_case pt_errno_cases[] = {
	PT_CASE(err_ebadf),
	PT_CASE(err_enoent),
	PT_CASE(err_einval),
	PT_CASE(err_efault_buffers),
	PT_CASE(err_efault_paths_and_structs),
	PT_CASE(err_efault_trapped),
	PT_CASE(err_eexist),
	PT_CASE(err_enotdir),
	PT_CASE(err_eisdir),
	PT_CASE(err_enametoolong),
	PT_END
};
