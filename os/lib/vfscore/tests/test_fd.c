/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of the descriptor calls over real files (posix-fdtab's
 * syscalls with vfscore and ramfs below): dup family, fcntl, ioctl,
 * readv/writev, sendfile, fsync, fallocate, statfs; and pipes, blocking
 * ones with a second thread when the image has a scheduler.
 */
#include "vt.h"
#include <uk/linux/uio.h>
#include <uk/linux/ioctl.h>
#include <uk/linux/statfs.h>
#include <uk/fdtab.h>
#include <uk/file.h>
#ifdef CONFIG_LIBUKSCHED
#include <uk/sched.h>
#include <uk/time.h>
#endif
#ifdef CONFIG_LIBPOSIX_SIGNAL
#include <uk/linux/signal.h>

#define SIGPIPE_BIT (1UL << (13 - 1))

/* SIGPIPE ignored (when the image has signals: the default would end it). */
static struct uk_sigaction ignore_sigpipe(void)
{
	struct uk_sigaction ign = { .sa_handler = UK_SIG_IGN }, old;

	uk_sys_rt_sigaction(13, &ign, &old, sizeof(unsigned long));
	return old;
}
#endif

UK_TESTCASE(vfsfd, dup_shares_offset_and_flags)
{
	char buf[8] = { 0 };
	long a, b, c;

	uk_sys_mkdir("/vt", 0755);
	vt_mkfile("/vt/dup", "abcdef");
	a = uk_sys_open("/vt/dup", UK_O_RDWR, 0);
	b = uk_sys_dup((int)a);
	UK_TEST_ASSERT(a >= 0 && b > a);
	UK_TEST_EXPECT_EQ(uk_sys_read((int)a, buf, 2), 2);
	UK_TEST_EXPECT_EQ(uk_sys_read((int)b, buf, 2), 2);
	UK_TEST_EXPECT_EQ(buf[0], 'c');                   /* one offset */
	UK_TEST_EXPECT_EQ(uk_sys_fcntl((int)a, UK_F_SETFL, UK_O_APPEND | UK_O_NONBLOCK), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl((int)b, UK_F_GETFL, 0) & ~UK_O_LARGEFILE,
			  UK_O_RDWR | UK_O_APPEND | UK_O_NONBLOCK);
	UK_TEST_EXPECT_EQ(uk_sys_dup2((int)a, 40), 40);
	UK_TEST_EXPECT_EQ(uk_sys_dup2((int)a, (int)a), a);
	UK_TEST_EXPECT_EQ(uk_sys_dup2(99, 41), -EBADF);
	UK_TEST_EXPECT_EQ(uk_sys_dup2((int)a, -1), -EBADF);
	UK_TEST_EXPECT_EQ(uk_sys_dup3((int)a, (int)a, 0), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_dup3((int)a, 41, 0x1), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_dup3((int)a, 41, UK_O_CLOEXEC), 41);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl(41, UK_F_GETFD, 0), UK_FD_CLOEXEC);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl(40, UK_F_GETFD, 0), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl(40, UK_F_SETFD, UK_FD_CLOEXEC), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl(40, UK_F_GETFD, 0), UK_FD_CLOEXEC);
	c = uk_sys_fcntl((int)a, UK_F_DUPFD, 50);
	UK_TEST_EXPECT_EQ(c, 50);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl((int)a, UK_F_DUPFD_CLOEXEC, 50), 51);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl(51, UK_F_GETFD, 0), UK_FD_CLOEXEC);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl((int)a, UK_F_DUPFD, 1 << 30), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl((int)a, 12345, 0), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl(99, UK_F_GETFL, 0), -EBADF);
	/* the lowest free descriptor */
	UK_TEST_EXPECT_EQ(uk_sys_close((int)b), 0);
	UK_TEST_EXPECT_EQ(uk_sys_dup((int)a), b);
	uk_sys_close((int)b);
	uk_sys_close(40);
	uk_sys_close(41);
	uk_sys_close(50);
	uk_sys_close(51);
	uk_sys_close((int)a);
}

UK_TESTCASE(vfsfd, advisory_locks_and_ioctl)
{
	struct uk_flock fl = { .l_type = UK_F_WRLCK, .l_whence = UK_SEEK_SET };
	struct uk_termios t;
	int on = 1;
	long fd;

	vt_mkfile("/vt/lock", "x");
	fd = uk_sys_open("/vt/lock", UK_O_RDWR, 0);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl((int)fd, UK_F_SETLK, (unsigned long)&fl), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl((int)fd, UK_F_SETLKW, (unsigned long)&fl), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl((int)fd, UK_F_GETLK, (unsigned long)&fl), 0);
	UK_TEST_EXPECT_EQ(fl.l_type, UK_F_UNLCK);
	fl.l_type = 7;
	UK_TEST_EXPECT_EQ(uk_sys_fcntl((int)fd, UK_F_SETLK, (unsigned long)&fl), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl((int)fd, UK_F_SETLK, (unsigned long)BAD), -EFAULT);
	UK_TEST_EXPECT_EQ(uk_sys_flock((int)fd, 2), 0);
	UK_TEST_EXPECT_EQ(uk_sys_flock((int)fd, 3), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_ioctl((int)fd, UK_TCGETS, (unsigned long)&t), -ENOTTY);
	UK_TEST_EXPECT_EQ(uk_sys_ioctl((int)fd, UK_FIONBIO, (unsigned long)&on), 0);
	UK_TEST_EXPECT(uk_sys_fcntl((int)fd, UK_F_GETFL, 0) & UK_O_NONBLOCK);
	on = 0;
	UK_TEST_EXPECT_EQ(uk_sys_ioctl((int)fd, UK_FIONBIO, (unsigned long)&on), 0);
	UK_TEST_EXPECT(!(uk_sys_fcntl((int)fd, UK_F_GETFL, 0) & UK_O_NONBLOCK));
	UK_TEST_EXPECT_EQ(uk_sys_ioctl((int)fd, UK_FIOCLEX, 0), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl((int)fd, UK_F_GETFD, 0), UK_FD_CLOEXEC);
	UK_TEST_EXPECT_EQ(uk_sys_ioctl(99, UK_FIONBIO, (unsigned long)&on), -EBADF);
	UK_TEST_EXPECT_EQ(uk_sys_fsync((int)fd), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fdatasync((int)fd), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fsync(99), -EBADF);
	uk_sys_close((int)fd);
}

UK_TESTCASE(vfsfd, readv_writev_preadv_sendfile)
{
	char a[4] = { 0 }, b[8] = { 0 }, out[32] = { 0 };
	struct uk_iovec w[2] = { { "abc", 3 }, { "defgh", 5 } };
	struct uk_iovec r[2] = { { a, 3 }, { b, 8 } };
	long fd, fd2, off = 2;

	fd = uk_sys_open("/vt/vec", UK_O_CREAT | UK_O_RDWR | UK_O_TRUNC, 0644);
	UK_TEST_EXPECT_EQ(uk_sys_writev((int)fd, w, 2), 8);
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd, 0, UK_SEEK_SET), 0);
	UK_TEST_EXPECT_EQ(uk_sys_readv((int)fd, r, 2), 8);
	UK_TEST_EXPECT(!uk_strncmp(a, "abc", 3) && !uk_strncmp(b, "defgh", 5));
	UK_TEST_EXPECT_EQ(uk_sys_preadv((int)fd, r, 1, 5, 0), 3);
	UK_TEST_EXPECT(!uk_strncmp(a, "fgh", 3));
	UK_TEST_EXPECT_EQ(uk_sys_pwritev((int)fd, w, 1, 8, 0), 3);
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd, 0, UK_SEEK_CUR), 8);
	UK_TEST_EXPECT_EQ(uk_sys_readv((int)fd, r, UK_IOV_MAX + 1), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_readv((int)fd, BAD, 1), -EFAULT);
	fd2 = uk_sys_open("/vt/vec2", UK_O_CREAT | UK_O_RDWR | UK_O_TRUNC, 0644);
	UK_TEST_EXPECT_EQ(uk_sys_sendfile((int)fd2, (int)fd, &off, 100), 9);
	UK_TEST_EXPECT_EQ(off, 11);
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd, 0, UK_SEEK_CUR), 8);   /* untouched */
	UK_TEST_EXPECT_EQ(vt_slurp("/vt/vec2", out, sizeof(out)), 9);
	UK_TEST_EXPECT(uk_streq(out, "cdefghabc"));
	UK_TEST_EXPECT_EQ(uk_sys_sendfile((int)fd2, 99, NULL, 1), -EBADF);
	UK_TEST_EXPECT_EQ(uk_sys_fallocate((int)fd2, 0, 0, 4096), 0);
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd2, 0, UK_SEEK_END), 4096);
	UK_TEST_EXPECT_EQ(uk_sys_fallocate((int)fd2, 3, 0, 1), -EOPNOTSUPP);
	UK_TEST_EXPECT_EQ(uk_sys_fallocate((int)fd2, 0, 0, 0), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_fadvise64((int)fd2, 0, 0, 2), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fadvise64((int)fd2, 0, 0, 9), -EINVAL);
	uk_sys_close((int)fd);
	uk_sys_close((int)fd2);
}

UK_TESTCASE(vfsfd, statfs_names_the_file_system)
{
	struct uk_statfs s;

	UK_TEST_EXPECT_EQ(uk_sys_statfs("/", &s), 0);
	UK_TEST_EXPECT_EQ(s.f_type, UK_RAMFS_MAGIC);
	UK_TEST_EXPECT_EQ(s.f_bsize, 4096);
	UK_TEST_EXPECT(s.f_bfree > 0 && s.f_blocks >= s.f_bfree);
	UK_TEST_EXPECT_EQ(uk_sys_statfs("/dev", &s), 0);
	UK_TEST_EXPECT_EQ(s.f_type, UK_TMPFS_MAGIC);
	UK_TEST_EXPECT_EQ(uk_sys_statfs("/none", &s), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_sys_fstatfs(0, &s), 0);
	UK_TEST_EXPECT_EQ(uk_sys_fstatfs(99, &s), -EBADF);
}

UK_TESTCASE(vfsfd, pipe_data_eof_epipe_nonblock)
{
	static char big[70000];
	int p[2] = { -1, -1 };
	struct uk_stat st;
	char buf[16] = { 0 };
	long n;
#ifdef CONFIG_LIBPOSIX_SIGNAL
	struct uk_sigaction old = ignore_sigpipe();
#endif

	UK_TEST_ASSERT(uk_sys_pipe(p) == 0);
	UK_TEST_EXPECT_EQ(uk_sys_write(p[1], "ping", 4), 4);
	UK_TEST_EXPECT_EQ(uk_sys_read(p[0], buf, sizeof(buf)), 4);
	UK_TEST_EXPECT(!uk_strncmp(buf, "ping", 4));
	UK_TEST_EXPECT_EQ(uk_sys_fstat(p[0], &st), 0);
	UK_TEST_EXPECT(UK_S_ISFIFO(st.st_mode));
	UK_TEST_EXPECT_EQ(uk_sys_lseek(p[0], 0, UK_SEEK_SET), -ESPIPE);
	UK_TEST_EXPECT_EQ(uk_sys_pread64(p[0], buf, 1, 0), -ESPIPE);
	UK_TEST_EXPECT_EQ(uk_sys_write(p[0], "x", 1), -EBADF);
	UK_TEST_EXPECT_EQ(uk_sys_read(p[1], buf, 1), -EBADF);
	UK_TEST_EXPECT_EQ(uk_sys_fsync(p[1]), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_ftruncate(p[1], 0), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_fchmod(p[1], 0600), 0);         /* pipefs: nothing to keep */
	UK_TEST_EXPECT_EQ(uk_sys_fcntl(p[0], UK_F_SETFL, UK_O_NONBLOCK), 0);
	UK_TEST_EXPECT_EQ(uk_sys_read(p[0], buf, 1), -EAGAIN);
	UK_TEST_EXPECT_EQ(uk_sys_close(p[1]), 0);
	UK_TEST_EXPECT_EQ(uk_sys_read(p[0], buf, 1), 0);         /* EOF */
	uk_sys_close(p[0]);

	UK_TEST_ASSERT(uk_sys_pipe2(p, UK_O_NONBLOCK | UK_O_CLOEXEC) == 0);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl(p[0], UK_F_GETFD, 0), UK_FD_CLOEXEC);
	UK_TEST_EXPECT_EQ(uk_sys_fcntl(p[1], UK_F_GETFL, 0), UK_O_WRONLY | UK_O_NONBLOCK);
	n = uk_sys_write(p[1], big, sizeof(big));
	UK_TEST_EXPECT_EQ(n, CONFIG_LIBVFSCORE_PIPE_SIZE);         /* full: a short write */
	UK_TEST_EXPECT_EQ(uk_sys_write(p[1], big, 1), -EAGAIN);
	UK_TEST_EXPECT_EQ(uk_sys_read(p[0], big, 100), 100);
	UK_TEST_EXPECT_EQ(uk_sys_write(p[1], big, 4096), -EAGAIN);  /* PIPE_BUF: whole or not */
	UK_TEST_EXPECT_EQ(uk_sys_write(p[1], big, 100), 100);
	UK_TEST_EXPECT_EQ(uk_sys_close(p[0]), 0);
	UK_TEST_EXPECT_EQ(uk_sys_write(p[1], "x", 1), -EPIPE);
	uk_sys_close(p[1]);
	UK_TEST_EXPECT_EQ(uk_sys_pipe2(p, 0x1), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_pipe(BAD), -EFAULT);
#ifdef CONFIG_LIBPOSIX_SIGNAL
	uk_sys_rt_sigaction(13, &old, NULL, sizeof(unsigned long));
#endif
}

/* The one wake mechanism (uk/file.h): a watcher on a pipe end hears every
 * state change of the pipe (data, space, the other end's last close), and
 * its gone runs when the watched end's last reference goes. */
static int w_wakes, w_gone;

static void w_wake(struct uk_file_watch *w __unused, struct uk_file *f __unused)
{
	w_wakes++;
}

static void w_gone_fn(struct uk_file_watch *w __unused, struct uk_file *f __unused)
{
	w_gone++;
}

UK_TESTCASE(vfsfd, pipe_wakes_its_watchers_on_every_change)
{
	struct uk_file_watch wr = { .wake = w_wake, .gone = w_gone_fn };
	struct uk_file_watch ww = { .wake = w_wake, .gone = w_gone_fn };
	struct uk_file *rf, *wf;
	char buf[4];
	int p[2];

	w_wakes = w_gone = 0;
	UK_TEST_ASSERT(uk_sys_pipe(p) == 0);
	rf = uk_fdtab_get(p[0]);
	wf = uk_fdtab_get(p[1]);
	uk_file_watch_add(rf, &wr);
	uk_file_watch_add(wf, &ww);
	UK_TEST_EXPECT_EQ(rf->ops->poll(rf), 0u);
	UK_TEST_EXPECT_EQ(uk_sys_write(p[1], "ab", 2), 2);       /* data: wakes rf */
	UK_TEST_EXPECT_EQ(w_wakes, 1);
	UK_TEST_EXPECT_EQ(rf->ops->poll(rf), (unsigned)(UK_POLLIN | UK_POLLRDNORM));
	UK_TEST_EXPECT_EQ(uk_sys_read(p[0], buf, 2), 2);         /* space: wakes wf */
	UK_TEST_EXPECT_EQ(w_wakes, 2);
	UK_TEST_ASSERT(uk_file_watch_del(wf, &ww));
	UK_TEST_ASSERT(!uk_file_watch_del(wf, &ww));             /* not there twice */
	uk_file_put(wf);
	UK_TEST_EXPECT_EQ(uk_sys_close(p[1]), 0);                 /* last writer: HUP */
	UK_TEST_EXPECT_EQ(w_wakes, 3);
	UK_TEST_EXPECT_EQ(rf->ops->poll(rf), (unsigned)UK_POLLHUP);
	UK_TEST_EXPECT_EQ(uk_sys_close(p[0]), 0);                 /* we still hold rf */
	UK_TEST_EXPECT_EQ(w_gone, 0);
	uk_file_put(rf);                                          /* the last reference */
	UK_TEST_EXPECT_EQ(w_gone, 1);
	UK_TEST_EXPECT_EQ(w_wakes, 3);
}

#ifdef CONFIG_LIBPOSIX_SIGNAL
/* EPIPE comes with SIGPIPE for the writer: blocked, it stays pending. */
UK_TESTCASE(vfsfd, epipe_raises_sigpipe)
{
	unsigned long block = SIGPIPE_BIT, oldmask, pending = 0;
	struct uk_sigaction old;
	int p[2];

	UK_TEST_ASSERT(uk_sys_pipe(p) == 0);
	uk_sys_close(p[0]);
	UK_TEST_EXPECT_EQ(uk_sys_rt_sigprocmask(UK_SIG_BLOCK, &block, &oldmask,
						sizeof(unsigned long)), 0);
	UK_TEST_EXPECT_EQ(uk_sys_write(p[1], "x", 1), -EPIPE);
	UK_TEST_EXPECT_EQ(uk_sys_rt_sigpending(&pending, sizeof(unsigned long)), 0);
	UK_TEST_EXPECT(pending & SIGPIPE_BIT);
	old = ignore_sigpipe();         /* drops the pending one */
	uk_sys_rt_sigprocmask(UK_SIG_SETMASK, &oldmask, NULL, sizeof(unsigned long));
	uk_sys_rt_sigaction(13, &old, NULL, sizeof(unsigned long));
	uk_sys_close(p[1]);
}
#endif

#ifdef CONFIG_LIBUKSCHED
static int tp[2];

static void *writer(void *arg __unused)
{
	static char chunk[1000];
	int i;

	uk_sched_sleep_until(uk_time_now_ns() + 20000000ULL);
	for (i = 0; i < 200; i++) {
		chunk[0] = (char)i;
		if (uk_sys_write(tp[1], chunk, sizeof(chunk)) != (long)sizeof(chunk))
			return (void *)1;
	}
	uk_sys_close(tp[1]);
	return NULL;
}

/* 200 KB through a 64 KiB pipe: reader and writer block in turn. */
UK_TESTCASE(vfsfd, pipe_blocks_between_threads)
{
	static char buf[3000];
	struct uk_thread *t;
	long n, total = 0;
	void *ret;

	UK_TEST_ASSERT(uk_sys_pipe(tp) == 0);
	UK_TEST_ASSERT(uk_thread_create(&t, "pipe-writer", 0, writer, NULL) == 0);
	while ((n = uk_sys_read(tp[0], buf, sizeof(buf))) > 0)
		total += n;
	UK_TEST_EXPECT_EQ(n, 0);
	UK_TEST_EXPECT_EQ(total, 200000);
	UK_TEST_EXPECT_EQ(uk_thread_join(t, &ret), 0);
	UK_TEST_EXPECT_NULL(ret);
	uk_sys_close(tp[0]);
}
#endif
