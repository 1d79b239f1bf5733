/* SPDX-License-Identifier: BSD-3-Clause */
/* Event loops: epoll (level- and edge-triggered, EPOLLONESHOT, nesting,
 * close removing an fd, ctl errors, 1000 fds in one set, a thread writing
 * while another waits), poll/ppoll and select/pselect (timeouts, hang-up,
 * POLLNVAL, EBADF, temporary signal masks), eventfd (counter and
 * semaphore, blocking between threads). */
#include "pt.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* epoll_wait with timeout 0 into ev[0..n): the count */
static int ew(int ep, struct epoll_event *ev, int n)
{
	return epoll_wait(ep, ev, n, 0);
}

static void ev_epoll_lt_et_oneshot_pipe(void)
{
	struct epoll_event e = { 0 }, out[4];
	int p[2], lt, et, os;
	char buf[8];

	PT_OK(pipe(p));
	PT_CHECK((lt = epoll_create1(0)) >= 0);
	PT_CHECK((et = epoll_create1(EPOLL_CLOEXEC)) >= 0);
	PT_CHECK((os = epoll_create(1)) >= 0);
	PT_CHECK(fcntl(et, F_GETFD) == FD_CLOEXEC);
	e.events = EPOLLIN;
	e.data.u64 = 0x1122334455667788ULL;
	PT_OK(epoll_ctl(lt, EPOLL_CTL_ADD, p[0], &e));
	e.events = EPOLLIN | EPOLLET;
	PT_OK(epoll_ctl(et, EPOLL_CTL_ADD, p[0], &e));
	e.events = EPOLLIN | EPOLLONESHOT;
	PT_OK(epoll_ctl(os, EPOLL_CTL_ADD, p[0], &e));
	PT_CHECK(ew(lt, out, 4) == 0 && ew(et, out, 4) == 0 && ew(os, out, 4) == 0);

	PT_CHECK(write(p[1], "a", 1) == 1);
	/* level: reported as long as data is there */
	PT_CHECK(ew(lt, out, 4) == 1 && out[0].events == EPOLLIN &&
		 out[0].data.u64 == 0x1122334455667788ULL);
	PT_CHECK(ew(lt, out, 4) == 1);
	/* edge: once per write */
	PT_CHECK(ew(et, out, 4) == 1 && out[0].events == EPOLLIN);
	PT_CHECK(ew(et, out, 4) == 0);
	/* oneshot: once, then nothing until MOD */
	PT_CHECK(ew(os, out, 4) == 1 && out[0].events == EPOLLIN);
	PT_CHECK(ew(os, out, 4) == 0);

	PT_CHECK(write(p[1], "b", 1) == 1);
	PT_CHECK(ew(et, out, 4) == 1);
	PT_CHECK(ew(et, out, 4) == 0);
	PT_CHECK(ew(os, out, 4) == 0);
	e.events = EPOLLIN | EPOLLONESHOT;
	e.data.u64 = 7;
	PT_OK(epoll_ctl(os, EPOLL_CTL_MOD, p[0], &e));
	PT_CHECK(ew(os, out, 4) == 1 && out[0].data.u64 == 7);
	PT_CHECK(ew(os, out, 4) == 0);

	PT_CHECK(read(p[0], buf, sizeof(buf)) == 2);
	PT_CHECK(ew(lt, out, 4) == 0);          /* drained: level gone */
	PT_CHECK(ew(et, out, 4) == 0);
	/* no events asked: only EPOLLERR/EPOLLHUP can come */
	int zero = epoll_create1(0);
	PT_CHECK(zero >= 0);
	e.events = 0;
	PT_OK(epoll_ctl(zero, EPOLL_CTL_ADD, p[0], &e));
	PT_CHECK(write(p[1], "c", 1) == 1);
	PT_CHECK(ew(zero, out, 4) == 0);
	PT_CHECK(read(p[0], buf, sizeof(buf)) == 1);
	PT_CHECK(ew(lt, out, 4) == 0 && ew(et, out, 4) == 0);
	/* the writer's last close: HUP, even though only EPOLLIN was asked */
	PT_OK(close(p[1]));
	PT_CHECK(ew(lt, out, 4) == 1 && out[0].events == EPOLLHUP);
	PT_CHECK(ew(et, out, 4) == 1 && out[0].events == EPOLLHUP);
	PT_CHECK(ew(et, out, 4) == 0);
	PT_CHECK(ew(zero, out, 4) == 1 && out[0].events == EPOLLHUP);
	PT_OK(close(zero));
	PT_OK(close(p[0]));
	PT_OK(close(lt));
	PT_OK(close(et));
	PT_OK(close(os));
}

static void ev_epoll_eventfd_edges(void)
{
	struct epoll_event e = { .events = EPOLLIN | EPOLLOUT | EPOLLET }, out[2];
	uint64_t v = 3;
	int ep, fd;

	PT_CHECK((fd = eventfd(0, EFD_NONBLOCK)) >= 0);
	PT_CHECK((ep = epoll_create1(0)) >= 0);
	e.data.fd = fd;
	PT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e));
	PT_CHECK(ew(ep, out, 2) == 1 && out[0].events == EPOLLOUT && out[0].data.fd == fd);
	PT_CHECK(ew(ep, out, 2) == 0);
	PT_CHECK(write(fd, &v, 8) == 8);
	PT_CHECK(ew(ep, out, 2) == 1 && out[0].events == (EPOLLIN | EPOLLOUT));
	PT_CHECK(ew(ep, out, 2) == 0);
	PT_CHECK(read(fd, &v, 8) == 8 && v == 3);
	PT_CHECK(ew(ep, out, 2) == 1 && out[0].events == EPOLLOUT);
	PT_CHECK(ew(ep, out, 2) == 0);
	/* level-triggered now (MOD), and not readable */
	e.events = EPOLLIN;
	PT_OK(epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e));
	PT_CHECK(ew(ep, out, 2) == 0);
	v = 1;
	PT_CHECK(write(fd, &v, 8) == 8);
	PT_CHECK(ew(ep, out, 2) == 1 && ew(ep, out, 2) == 1);
	PT_OK(epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL));
	PT_CHECK(ew(ep, out, 2) == 0);
	PT_OK(close(fd));
	PT_OK(close(ep));
}

static void ev_epoll_wait_timeout(void)
{
	struct epoll_event out[1];
	long long t0;
	int p[2], ep;
	struct epoll_event e = { .events = EPOLLIN };

	PT_OK(pipe(p));
	PT_CHECK((ep = epoll_create1(0)) >= 0);
	PT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e));
	t0 = now_ms();
	PT_CHECK(epoll_wait(ep, out, 1, 50) == 0);
	PT_CHECK(now_ms() - t0 >= 50);           /* never early */
	t0 = now_ms();
	PT_CHECK(epoll_pwait(ep, out, 1, 20, NULL) == 0);
	PT_CHECK(now_ms() - t0 >= 20);
	PT_OK(close(p[0]));
	PT_OK(close(p[1]));
	PT_OK(close(ep));
}

static void ev_epoll_ctl_errors(void)
{
	struct epoll_event e = { .events = EPOLLIN }, out[1];
	int p[2], ep, ep2, f;

#ifdef SYS_epoll_create                 /* x86_64; musl's epoll_create ignores size */
	PT_ERRNO(syscall(SYS_epoll_create, 0), EINVAL);
#endif
	PT_ERRNO(epoll_create1(1), EINVAL);
	PT_OK(pipe(p));
	PT_CHECK((ep = epoll_create1(0)) >= 0);
	PT_CHECK((ep2 = epoll_create1(0)) >= 0);
	PT_OK(pt_make_file("f", "x"));
	PT_CHECK((f = open(pt_path("f"), O_RDONLY)) >= 0);
	PT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e));
	PT_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e), EEXIST);
	PT_ERRNO(epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &e), ENOENT);
	PT_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL), ENOENT);
	PT_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &e), EBADF);
	PT_ERRNO(epoll_ctl(999, EPOLL_CTL_ADD, p[0], &e), EBADF);
	PT_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &e), EINVAL);     /* itself */
	PT_ERRNO(epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &e), EINVAL); /* not an epoll */
	PT_ERRNO(epoll_ctl(ep, 42, p[1], &e), EINVAL);
	PT_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, f, &e), EPERM);       /* a regular file */
	/* EPOLLEXCLUSIVE: accepted on ADD, not with MOD, not on an epoll */
	e.events = EPOLLIN | EPOLLEXCLUSIVE;
	PT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &e));
	PT_ERRNO(epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &e), EINVAL);
	PT_ERRNO(epoll_ctl(ep2, EPOLL_CTL_ADD, ep, &e), EINVAL);
	e.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
	PT_ERRNO(epoll_ctl(ep2, EPOLL_CTL_ADD, p[0], &e), EINVAL);
	/* a loop of epolls */
	e.events = EPOLLIN;
	PT_OK(epoll_ctl(ep2, EPOLL_CTL_ADD, ep, &e));
	PT_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, ep2, &e), ELOOP);
	PT_ERRNO(epoll_wait(ep, out, 0, 0), EINVAL);
	PT_ERRNO(epoll_wait(p[0], out, 1, 0), EINVAL);
	PT_ERRNO(epoll_wait(999, out, 1, 0), EBADF);
	PT_OK(close(f));
	PT_OK(close(p[0]));
	PT_OK(close(p[1]));
	PT_OK(close(ep));
	PT_OK(close(ep2));
}

/* Closing the last fd of a file takes it out of every epoll set; a file
 * still open through a dup stays in (and keeps reporting the old data). */
static void ev_epoll_close_removes(void)
{
	struct epoll_event e = { .events = EPOLLIN }, out[2];
	int p[2], ep, d;

	PT_OK(pipe(p));
	PT_CHECK((ep = epoll_create1(0)) >= 0);
	e.data.u32 = 5;
	PT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e));
	PT_CHECK(write(p[1], "x", 1) == 1);
	PT_CHECK((d = dup(p[0])) >= 0);
	PT_OK(close(p[0]));
	PT_CHECK(ew(ep, out, 2) == 1 && out[0].data.u32 == 5);
	PT_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), EBADF);
	PT_OK(close(d));                        /* the last reference */
	PT_CHECK(ew(ep, out, 2) == 0);
	/* the same fd number, a new file: a new item, not the old one */
	PT_CHECK(dup2(p[1], p[0]) == p[0]);
	e.events = EPOLLOUT;
	PT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e));
	PT_OK(close(p[0]));
	PT_OK(close(p[1]));
	PT_CHECK(ew(ep, out, 2) == 0);
	PT_OK(close(ep));
}

/* An epoll fd is pollable: inside another epoll, and through poll(). */
static void ev_epoll_nested_and_polled(void)
{
	struct epoll_event e = { .events = EPOLLIN }, out[2];
	struct pollfd pf;
	int p[2], inner, outer;
	char c;

	PT_OK(pipe(p));
	PT_CHECK((inner = epoll_create1(0)) >= 0);
	PT_CHECK((outer = epoll_create1(0)) >= 0);
	PT_OK(epoll_ctl(inner, EPOLL_CTL_ADD, p[0], &e));
	e.data.fd = inner;
	PT_OK(epoll_ctl(outer, EPOLL_CTL_ADD, inner, &e));
	pf = (struct pollfd){ .fd = inner, .events = POLLIN };
	PT_CHECK(poll(&pf, 1, 0) == 0);
	PT_CHECK(ew(outer, out, 2) == 0);
	PT_CHECK(write(p[1], "x", 1) == 1);
	PT_CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN);
	PT_CHECK(ew(outer, out, 2) == 1 && out[0].data.fd == inner && out[0].events == EPOLLIN);
	PT_CHECK(ew(inner, out, 2) == 1);       /* the outer's look consumed nothing */
	PT_CHECK(read(p[0], &c, 1) == 1);
	PT_CHECK(ew(outer, out, 2) == 0);
	PT_CHECK(poll(&pf, 1, 0) == 0);
	PT_OK(close(inner));                    /* leaves the outer set */
	PT_CHECK(ew(outer, out, 2) == 0);
	PT_OK(close(outer));
	PT_OK(close(p[0]));
	PT_OK(close(p[1]));
}

static void *write_later(void *arg)
{
	struct timespec ts = { 0, 30 * 1000000 };
	int fd = (int)(long)arg;

	nanosleep(&ts, NULL);
	return (void *)(long)write(fd, "w", 1);
}

static void ev_epoll_wait_woken_by_thread(void)
{
	struct epoll_event e = { .events = EPOLLIN }, out[2];
	pthread_t t;
	void *r;
	int p[2], ep;

	PT_OK(pipe(p));
	PT_CHECK((ep = epoll_create1(0)) >= 0);
	e.data.u32 = 9;
	PT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e));
	PT_CHECK(pthread_create(&t, NULL, write_later, (void *)(long)p[1]) == 0);
	PT_CHECK(epoll_wait(ep, out, 2, -1) == 1 && out[0].data.u32 == 9);
	PT_CHECK(pthread_join(t, &r) == 0 && (long)r == 1);
	/* and poll() and select() the same way */
	PT_CHECK(read(p[0], out, 1) == 1);
	PT_CHECK(pthread_create(&t, NULL, write_later, (void *)(long)p[1]) == 0);
	struct pollfd pf = { .fd = p[0], .events = POLLIN };
	PT_CHECK(poll(&pf, 1, -1) == 1 && pf.revents == POLLIN);
	PT_CHECK(pthread_join(t, &r) == 0 && (long)r == 1);
	PT_CHECK(read(p[0], out, 1) == 1);
	PT_CHECK(pthread_create(&t, NULL, write_later, (void *)(long)p[1]) == 0);
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	PT_CHECK(select(p[0] + 1, &rs, NULL, NULL, NULL) == 1 && FD_ISSET(p[0], &rs));
	PT_CHECK(pthread_join(t, &r) == 0 && (long)r == 1);
	PT_OK(close(p[0]));
	PT_OK(close(p[1]));
	PT_OK(close(ep));
}

#define NPIPES 500

/* 1000 fds in one set: both ends of 500 pipes. */
static void ev_epoll_thousand_fds(void)
{
	/* on the heap: arm64's ADR reach (os/plat/arm64) is tight with the
	 * suite's large static buffers */
	int (*p)[2] = calloc(NPIPES, sizeof(*p));
	struct epoll_event *out = calloc(2 * NPIPES + 1, sizeof(*out)), e;
	char *seen = calloc(2 * NPIPES, 1);
	int ep, i, n, ins = 0, outs = 0;

	PT_CHECK(p && out && seen);
	PT_CHECK((ep = epoll_create1(0)) >= 0);
	for (i = 0; i < NPIPES; i++) {
		PT_OK(pipe(p[i]));
		e = (struct epoll_event){ .events = EPOLLIN, .data.u32 = (uint32_t)(2 * i) };
		PT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[i][0], &e));
		e = (struct epoll_event){ .events = EPOLLOUT, .data.u32 = (uint32_t)(2 * i + 1) };
		PT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[i][1], &e));
	}
	for (i = 0; i < NPIPES; i += 7)
		PT_CHECK(write(p[i][1], "z", 1) == 1);
	n = epoll_wait(ep, out, 2 * NPIPES + 1, 1000);
	PT_CHECK(n == NPIPES + (NPIPES + 6) / 7);
	for (i = 0; i < n; i++) {
		uint32_t id = out[i].data.u32;

		PT_CHECK(id < 2 * NPIPES && !seen[id]);
		seen[id] = 1;
		if (id % 2) {
			PT_CHECK(out[i].events == EPOLLOUT);
			outs++;
		} else {
			PT_CHECK(out[i].events == EPOLLIN && (id / 2) % 7 == 0);
			ins++;
		}
	}
	PT_CHECK(outs == NPIPES && ins == (NPIPES + 6) / 7);
	/* in slices: every ready fd comes, none twice within a call */
	n = epoll_wait(ep, out, 10, 0);
	PT_CHECK(n == 10);
	for (i = 0; i < NPIPES; i++) {
		PT_OK(close(p[i][0]));
		PT_OK(close(p[i][1]));
	}
	PT_CHECK(epoll_wait(ep, out, 10, 0) == 0);
	PT_OK(close(ep));
	free(p);
	free(out);
	free(seen);
}

static void ev_poll_pipe(void)
{
	struct pollfd pf[4];
	long long t0;
	int p[2];

	PT_OK(pipe(p));
	pf[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	pf[2] = (struct pollfd){ .fd = -1, .events = POLLIN, .revents = 0x7 };
	pf[3] = (struct pollfd){ .fd = 999, .events = POLLIN };
	PT_CHECK(poll(pf, 4, 0) == 2);
	PT_CHECK(pf[0].revents == 0 && pf[1].revents == POLLOUT && pf[2].revents == 0 &&
		 pf[3].revents == POLLNVAL);
	t0 = now_ms();
	PT_CHECK(poll(pf, 1, 40) == 0 && pf[0].revents == 0);
	PT_CHECK(now_ms() - t0 >= 40);
	PT_CHECK(write(p[1], "ab", 2) == 2);
	PT_CHECK(poll(pf, 1, -1) == 1 && pf[0].revents == POLLIN);
	PT_OK(close(p[1]));
	PT_CHECK(poll(pf, 1, 0) == 1 && pf[0].revents == (POLLIN | POLLHUP));
	pf[0].events = 0;                        /* HUP is reported unasked */
	PT_CHECK(poll(pf, 1, 0) == 1 && pf[0].revents == POLLHUP);
	PT_OK(close(p[0]));

	PT_OK(pipe(p));
	PT_OK(close(p[0]));
	pf[0] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	PT_CHECK(poll(pf, 1, 0) == 1 && pf[0].revents == (POLLOUT | POLLERR));
	PT_OK(close(p[1]));
	PT_ERRNO(poll((struct pollfd *)pt_unmapped(), 1, 0), EFAULT);
}

static void ev_poll_regular_file_is_ready(void)
{
	struct pollfd pf;
	fd_set rs, ws;
	int f;

	PT_OK(pt_make_file("f", "data"));
	PT_CHECK((f = open(pt_path("f"), O_RDWR)) >= 0);
	pf = (struct pollfd){ .fd = f, .events = POLLIN | POLLOUT };
	PT_CHECK(poll(&pf, 1, -1) == 1 && pf.revents == (POLLIN | POLLOUT));
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(f, &rs);
	FD_SET(f, &ws);
	PT_CHECK(select(f + 1, &rs, &ws, NULL, NULL) == 2);
	PT_CHECK(FD_ISSET(f, &rs) && FD_ISSET(f, &ws));
	PT_OK(close(f));
}

static void ev_select_pipe(void)
{
	struct timeval tv = { 0, 30000 };
	fd_set rs, ws, es;
	long long t0;
	int p[2], n;

	PT_OK(pipe(p));
	n = (p[0] > p[1] ? p[0] : p[1]) + 1;
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_ZERO(&es);
	FD_SET(p[0], &rs);
	FD_SET(p[0], &es);
	t0 = now_ms();
	PT_CHECK(select(n, &rs, NULL, &es, &tv) == 0);
	PT_CHECK(now_ms() - t0 >= 30);
	PT_CHECK(!FD_ISSET(p[0], &rs) && !FD_ISSET(p[0], &es));  /* cleared */
	FD_SET(p[0], &rs);
	FD_SET(p[1], &ws);
	tv = (struct timeval){ 0, 0 };
	PT_CHECK(select(n, &rs, &ws, NULL, &tv) == 1);
	PT_CHECK(!FD_ISSET(p[0], &rs) && FD_ISSET(p[1], &ws));
	PT_CHECK(write(p[1], "x", 1) == 1);
	FD_SET(p[0], &rs);
	FD_SET(p[1], &ws);
	PT_CHECK(select(n, &rs, &ws, NULL, NULL) == 2);
	PT_CHECK(FD_ISSET(p[0], &rs) && FD_ISSET(p[1], &ws));
	/* the end of input makes a read end readable */
	PT_CHECK(read(p[0], &tv, 1) == 1);
	PT_OK(close(p[1]));
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	PT_CHECK(select(p[0] + 1, &rs, NULL, NULL, NULL) == 1 && FD_ISSET(p[0], &rs));
	/* a closed fd in a set */
	FD_SET(p[1], &rs);
	PT_ERRNO(select(n, &rs, NULL, NULL, NULL), EBADF);
	tv = (struct timeval){ -1, 0 };
	FD_ZERO(&rs);
	PT_ERRNO(select(1, &rs, NULL, NULL, &tv), EINVAL);
	PT_ERRNO(select(-1, NULL, NULL, NULL, NULL), EINVAL);
	PT_OK(close(p[0]));
}

static volatile int usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

/* ppoll, pselect and epoll_pwait with a temporary mask: one that keeps a
 * pending signal blocked times out; one that unblocks it delivers it and
 * fails with EINTR; ready fds win over the signal, which stays pending;
 * the caller's mask is back afterwards. */
static void ev_sigmask_waits(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 }, old;
	struct timespec ts = { 0, 10 * 1000000 };
	sigset_t blk, none, cur, pend;
	struct epoll_event e = { .events = EPOLLIN }, out[1];
	struct pollfd pf;
	fd_set rs;
	int p[2], ep;

	PT_OK(pipe(p));
	PT_CHECK((ep = epoll_create1(0)) >= 0);
	PT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e));
	PT_OK(sigaction(SIGUSR1, &sa, &old));
	sigemptyset(&none);
	sigemptyset(&blk);
	sigaddset(&blk, SIGUSR1);
	PT_OK(sigprocmask(SIG_BLOCK, &blk, NULL));
	usr1 = 0;
	PT_OK(raise(SIGUSR1));
	PT_CHECK(usr1 == 0);
	pf = (struct pollfd){ .fd = p[0], .events = POLLIN };

	PT_CHECK(ppoll(&pf, 1, &ts, &blk) == 0 && usr1 == 0);
	PT_ERRNO(ppoll(&pf, 1, &ts, &none), EINTR);
	PT_CHECK(usr1 == 1);
	PT_OK(sigprocmask(SIG_SETMASK, NULL, &cur));
	PT_CHECK(sigismember(&cur, SIGUSR1) == 1);
	PT_OK(sigpending(&pend));
	PT_CHECK(sigismember(&pend, SIGUSR1) == 0);

	PT_OK(raise(SIGUSR1));
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	PT_CHECK(pselect(p[0] + 1, &rs, NULL, NULL, &ts, &blk) == 0 && usr1 == 1);
	FD_SET(p[0], &rs);
	PT_ERRNO(pselect(p[0] + 1, &rs, NULL, NULL, &ts, &none), EINTR);
	PT_CHECK(usr1 == 2);

	PT_OK(raise(SIGUSR1));
	PT_CHECK(epoll_pwait(ep, out, 1, 10, &blk) == 0 && usr1 == 2);
	PT_ERRNO(epoll_pwait(ep, out, 1, 10, &none), EINTR);
	PT_CHECK(usr1 == 3);

	/* ready fds: the call succeeds and the signal stays pending */
	PT_CHECK(write(p[1], "x", 1) == 1);
	PT_OK(raise(SIGUSR1));
	PT_CHECK(ppoll(&pf, 1, &ts, &none) == 1 && pf.revents == POLLIN);
	PT_CHECK(epoll_pwait(ep, out, 1, 10, &none) == 1);
	PT_CHECK(usr1 == 3);
	PT_OK(sigpending(&pend));
	PT_CHECK(sigismember(&pend, SIGUSR1) == 1);
	PT_OK(sigprocmask(SIG_UNBLOCK, &blk, NULL));
	PT_CHECK(usr1 == 4);
	PT_OK(sigaction(SIGUSR1, &old, NULL));
	PT_OK(close(p[0]));
	PT_OK(close(p[1]));
	PT_OK(close(ep));
}

static void ev_eventfd_counter_and_semaphore(void)
{
	uint64_t v;
	int fd, s;
	struct pollfd pf;

	PT_CHECK((fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) >= 0);
	PT_CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC);
	PT_CHECK((fcntl(fd, F_GETFL) & (O_NONBLOCK | O_ACCMODE)) == (O_NONBLOCK | O_RDWR));
	PT_ERRNO(read(fd, &v, 8), EAGAIN);
	v = 5;
	PT_CHECK(write(fd, &v, 8) == 8);
	v = 7;
	PT_CHECK(write(fd, &v, 8) == 8);
	v = 0;
	PT_CHECK(write(fd, &v, 8) == 8);
	PT_CHECK(read(fd, &v, 8) == 8 && v == 12);
	PT_ERRNO(read(fd, &v, 8), EAGAIN);
	PT_ERRNO(read(fd, &v, 4), EINVAL);
	PT_ERRNO(write(fd, &v, 4), EINVAL);
	v = UINT64_MAX;
	PT_ERRNO(write(fd, &v, 8), EINVAL);
	v = UINT64_MAX - 1;                      /* the most it can hold */
	PT_CHECK(write(fd, &v, 8) == 8);
	pf = (struct pollfd){ .fd = fd, .events = POLLIN | POLLOUT };
	PT_CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN);  /* full: not writable */
	v = 1;
	PT_ERRNO(write(fd, &v, 8), EAGAIN);
	PT_CHECK(read(fd, &v, 8) == 8 && v == UINT64_MAX - 1);
	PT_CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLOUT);
	PT_OK(close(fd));

	PT_CHECK((s = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK)) >= 0);
	PT_CHECK(fcntl(s, F_GETFD) == 0);
	PT_CHECK(read(s, &v, 8) == 8 && v == 1);
	PT_CHECK(read(s, &v, 8) == 8 && v == 1);
	PT_CHECK(read(s, &v, 8) == 8 && v == 1);
	PT_ERRNO(read(s, &v, 8), EAGAIN);
	PT_OK(eventfd_write(s, 2));
	PT_CHECK(eventfd_read(s, &v) == 0 && v == 1);
	PT_OK(close(s));
	PT_ERRNO(syscall(SYS_eventfd2, 0, 0x4), EINVAL);
}

static void *eventfd_reader(void *arg)
{
	uint64_t v = 0;

	if (read((int)(long)arg, &v, 8) != 8)
		return (void *)0;
	return (void *)(long)v;
}

static void *eventfd_writer(void *arg)
{
	uint64_t v = 1;

	return (void *)(long)write((int)(long)arg, &v, 8);
}

static void ev_eventfd_blocks_between_threads(void)
{
	struct timespec ts = { 0, 20 * 1000000 };
	pthread_t t;
	uint64_t v = 41;
	void *r;
	int fd;

	PT_CHECK((fd = eventfd(0, 0)) >= 0);
	PT_CHECK(pthread_create(&t, NULL, eventfd_reader, (void *)(long)fd) == 0);
	nanosleep(&ts, NULL);
	PT_CHECK(write(fd, &v, 8) == 8);
	PT_CHECK(pthread_join(t, &r) == 0 && (long)r == 41);
	/* a writer blocked on a full counter goes on once a read drains it */
	v = UINT64_MAX - 1;
	PT_CHECK(write(fd, &v, 8) == 8);
	PT_CHECK(pthread_create(&t, NULL, eventfd_writer, (void *)(long)fd) == 0);
	nanosleep(&ts, NULL);
	PT_CHECK(read(fd, &v, 8) == 8 && v == UINT64_MAX - 1);
	PT_CHECK(pthread_join(t, &r) == 0 && (long)r == 8);
	PT_CHECK(read(fd, &v, 8) == 8 && v == 1);
	PT_OK(close(fd));
}

const struct pt_case pt_event_cases[] = {
	PT_CASE(ev_epoll_lt_et_oneshot_pipe),
	PT_CASE(ev_epoll_eventfd_edges),
	PT_CASE(ev_epoll_wait_timeout),
	PT_CASE(ev_epoll_ctl_errors),
	PT_CASE(ev_epoll_close_removes),
	PT_CASE(ev_epoll_nested_and_polled),
	PT_CASE(ev_epoll_wait_woken_by_thread),
	PT_CASE(ev_epoll_thousand_fds),
	PT_CASE(ev_poll_pipe),
	PT_CASE(ev_poll_regular_file_is_ready),
	PT_CASE(ev_select_pipe),
	PT_CASE(ev_sigmask_waits),
	PT_CASE(ev_eventfd_counter_and_semaphore),
	PT_CASE(ev_eventfd_blocks_between_threads),
	PT_END
};
