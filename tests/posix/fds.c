/* SPDX-License-Identifier: BSD-3-Clause */
/* Descriptors: dup/dup2/dup3 and the shared file offset, pipes and pipe2
 * (end of file, EPIPE, O_NONBLOCK, O_CLOEXEC), fcntl's descriptor and
 * status flags and F_DUPFD, close, the devfs files, ioctl on a file. */
#include "pt.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

static void fd_dup_lowest_and_shared_offset(void)
{
	char c;
	PT_OK(pt_make_file("f", "abcdef"));
	int a = open(pt_path("f"), O_RDONLY);
	int b = open(pt_path("f"), O_RDONLY);
	PT_CHECK(a >= 0 && b > a);
	PT_OK(close(a));
	int d = dup(b);
	PT_CHECK(d == a);                        /* the lowest free descriptor */
	PT_CHECK(read(b, &c, 1) == 1 && c == 'a');
	PT_CHECK(read(d, &c, 1) == 1 && c == 'b');   /* one offset for both */
	PT_CHECK(lseek(d, 0, SEEK_CUR) == 2);
	PT_OK(close(b));
	PT_CHECK(read(d, &c, 1) == 1 && c == 'c');   /* the file outlives b */
	PT_OK(close(d));
}

static void fd_dup2(void)
{
	char c;
	PT_OK(pt_make_file("a", "A"));
	PT_OK(pt_make_file("b", "B"));
	int a = open(pt_path("a"), O_RDONLY);
	int b = open(pt_path("b"), O_RDONLY);
	PT_CHECK(a >= 0 && b >= 0);
	PT_OK(fcntl(b, F_SETFD, FD_CLOEXEC));
	PT_CHECK(dup2(a, b) == b);               /* closes b's file first */
	PT_CHECK(read(b, &c, 1) == 1 && c == 'A');
	PT_CHECK(fcntl(b, F_GETFD) == 0);        /* the copy is never close-on-exec */
	PT_CHECK(dup2(a, a) == a);
	PT_CHECK(dup2(a, 100) == 100);
	PT_OK(close(100));
	PT_ERRNO(dup2(1000, b), EBADF);
	PT_ERRNO(dup2(a, -1), EBADF);
	PT_OK(close(a));
	PT_OK(close(b));
}

static void fd_dup3(void)
{
	int a = open(pt_dir(), O_RDONLY | O_DIRECTORY);
	PT_CHECK(a >= 0);
	PT_CHECK(dup3(a, 60, O_CLOEXEC) == 60);
	PT_CHECK(fcntl(60, F_GETFD) == FD_CLOEXEC);
	PT_CHECK(dup3(a, 61, 0) == 61);
	PT_CHECK(fcntl(61, F_GETFD) == 0);
	PT_ERRNO(dup3(a, a, 0), EINVAL);
	PT_ERRNO(syscall(SYS_dup3, a, 62, O_NONBLOCK), EINVAL);   /* musl itself takes dup2 for it */
	PT_OK(close(60));
	PT_OK(close(61));
	PT_OK(close(a));
}

static void fd_close_twice(void)
{
	int fd = open(pt_dir(), O_RDONLY | O_DIRECTORY);
	PT_CHECK(fd >= 0);
	PT_OK(close(fd));
	PT_ERRNO(close(fd), EBADF);
	PT_ERRNO(fcntl(fd, F_GETFD), EBADF);
}

static void fd_many_open(void)
{
	enum { N = 200 };
	int fds[N];
	PT_OK(pt_make_file("f", "x"));
	for (int i = 0; i < N; i++) {
		fds[i] = open(pt_path("f"), O_RDONLY);
		PT_CHECK(fds[i] >= 0);
		PT_CHECK(i == 0 || fds[i] > fds[i - 1]);
	}
	for (int i = 0; i < N; i++)
		PT_OK(close(fds[i]));
}

static void fd_pipe_rw_eof(void)
{
	int p[2];
	char buf[16] = {0};
	struct stat st;
	PT_OK(pipe(p));
	PT_OK(fstat(p[0], &st));
	PT_CHECK(S_ISFIFO(st.st_mode));
	PT_CHECK(write(p[1], "hello ", 6) == 6 && write(p[1], "pipe", 4) == 4);
	PT_CHECK(read(p[0], buf, 3) == 3 && !memcmp(buf, "hel", 3));
	PT_CHECK(read(p[0], buf, sizeof(buf)) == 7 && !memcmp(buf, "lo pipe", 7));
	PT_ERRNO(lseek(p[0], 0, SEEK_SET), ESPIPE);
	PT_ERRNO(write(p[0], "x", 1), EBADF);
	PT_ERRNO(read(p[1], buf, 1), EBADF);
	PT_OK(close(p[1]));
	PT_CHECK(read(p[0], buf, sizeof(buf)) == 0);   /* no writer left: end of file */
	PT_OK(close(p[0]));
}

static void fd_pipe_epipe(void)
{
	int p[2];
	struct sigaction ign = {0}, old;
	ign.sa_handler = SIG_IGN;
	PT_OK(pipe(p));
	PT_OK(close(p[0]));
	PT_OK(sigaction(SIGPIPE, &ign, &old));
	errno = 0;
	ssize_t w = write(p[1], "x", 1);
	int e = errno;
	sigaction(SIGPIPE, &old, NULL);
	errno = e;
	PT_CHECK(w == -1 && e == EPIPE);
	PT_OK(close(p[1]));
}

static void fd_pipe2_flags(void)
{
	int p[2];
	char c;
	PT_OK(pipe2(p, O_CLOEXEC | O_NONBLOCK));
	PT_CHECK(fcntl(p[0], F_GETFD) == FD_CLOEXEC && fcntl(p[1], F_GETFD) == FD_CLOEXEC);
	PT_CHECK((fcntl(p[0], F_GETFL) & O_NONBLOCK) && (fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
	PT_CHECK((fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
	PT_ERRNO(read(p[0], &c, 1), EAGAIN);
	/* fill it: a non-blocking writer stops with EAGAIN, never blocks */
	static char chunk[4096];
	long total = 0;
	for (int i = 0; i < 1024; i++) {
		ssize_t w = write(p[1], chunk, sizeof(chunk));
		if (w < 0)
			break;
		total += w;
	}
	PT_CHECK(errno == EAGAIN && total >= 4096);
	PT_OK(close(p[0]));
	PT_OK(close(p[1]));
	PT_ERRNO(pipe2(p, O_APPEND), EINVAL);
}

static void fd_fcntl_status_flags(void)
{
	PT_OK(pt_make_file("f", ""));
	int fd = open(pt_path("f"), O_RDWR | O_APPEND);
	PT_CHECK(fd >= 0);
	int fl = fcntl(fd, F_GETFL);
	PT_CHECK((fl & O_ACCMODE) == O_RDWR && (fl & O_APPEND) && !(fl & O_NONBLOCK));
	PT_OK(fcntl(fd, F_SETFL, O_NONBLOCK | O_RDONLY));   /* the access mode cannot change */
	fl = fcntl(fd, F_GETFL);
	PT_CHECK((fl & O_ACCMODE) == O_RDWR && (fl & O_NONBLOCK) && !(fl & O_APPEND));
	PT_CHECK(write(fd, "ab", 2) == 2);
	PT_CHECK(lseek(fd, 0, SEEK_SET) == 0 && write(fd, "c", 1) == 1);   /* no longer appending */
	char buf[4] = {0};
	PT_CHECK(pread(fd, buf, 3, 0) == 2 && !strcmp(buf, "cb"));
	PT_OK(close(fd));
}

static void fd_fcntl_fd_flags_and_dupfd(void)
{
	int fd = open(pt_dir(), O_RDONLY | O_DIRECTORY);
	PT_CHECK(fd >= 0);
	PT_CHECK(fcntl(fd, F_GETFD) == 0);
	PT_OK(fcntl(fd, F_SETFD, FD_CLOEXEC));
	PT_CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC);
	int c = open(pt_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	PT_CHECK(c >= 0 && fcntl(c, F_GETFD) == FD_CLOEXEC);
	int d = fcntl(fd, F_DUPFD, 50);
	PT_CHECK(d == 50 && fcntl(d, F_GETFD) == 0);
	int e = fcntl(fd, F_DUPFD, 50);
	PT_CHECK(e == 51);
	int f = fcntl(fd, F_DUPFD_CLOEXEC, 40);
	PT_CHECK(f == 40 && fcntl(f, F_GETFD) == FD_CLOEXEC);
	PT_ERRNO(fcntl(fd, F_DUPFD, -1), EINVAL);
	for (int x = 0; x < 4; x++)
		PT_OK(close((int[]){c, d, e, f}[x]));
	PT_OK(close(fd));
}

static void fd_fcntl_setlk(void)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
	int fd = open(pt_path("f"), O_RDWR | O_CREAT, 0644);
	PT_CHECK(fd >= 0);
	PT_OK(fcntl(fd, F_SETLK, &fl));
	fl.l_type = F_UNLCK;
	PT_OK(fcntl(fd, F_SETLK, &fl));
	PT_OK(close(fd));
}

static void fd_dev_files(void)
{
	char buf[64];
	int n = open("/dev/null", O_RDWR);
	PT_CHECK(n >= 0);
	PT_CHECK(write(n, "gone", 4) == 4);
	PT_CHECK(read(n, buf, sizeof(buf)) == 0);
	PT_OK(close(n));
	int z = open("/dev/zero", O_RDONLY);
	PT_CHECK(z >= 0);
	memset(buf, 1, sizeof(buf));
	PT_CHECK(read(z, buf, sizeof(buf)) == (ssize_t)sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		PT_CHECK(buf[i] == 0);
	PT_OK(close(z));
	int u = open("/dev/urandom", O_RDONLY);
	PT_CHECK(u >= 0);
	PT_CHECK(read(u, buf, sizeof(buf)) == (ssize_t)sizeof(buf));
	PT_OK(close(u));
	struct stat st;
	PT_OK(stat("/dev/null", &st));
	PT_CHECK(S_ISCHR(st.st_mode));
}

static void fd_ioctl_on_file(void)
{
	struct termios t;
	PT_OK(pt_make_file("f", ""));
	int fd = open(pt_path("f"), O_RDONLY);
	PT_CHECK(fd >= 0);
	PT_ERRNO(ioctl(fd, TCGETS, &t), ENOTTY);
	PT_CHECK(isatty(fd) == 0 && errno == ENOTTY);
	PT_OK(close(fd));
}

const struct pt_case pt_fds_cases[] = {
	PT_CASE(fd_dup_lowest_and_shared_offset),
	PT_CASE(fd_dup2),
	PT_CASE(fd_dup3),
	PT_CASE(fd_close_twice),
	PT_CASE(fd_many_open),
	PT_CASE(fd_pipe_rw_eof),
	PT_CASE(fd_pipe_epipe),
	PT_CASE(fd_pipe2_flags),
	PT_CASE(fd_fcntl_status_flags),
	PT_CASE(fd_fcntl_fd_flags_and_dupfd),
	PT_CASE(fd_fcntl_setlk),
	PT_CASE(fd_dev_files),
	PT_CASE(fd_ioctl_on_file),
	PT_END
};
