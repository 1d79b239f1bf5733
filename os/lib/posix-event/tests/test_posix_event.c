/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of posix-event below the libc (tests/boot/test_event.py
 * builds tests/fixtures/event-unit with and without a scheduler): a file
 * made ready by an interrupt handler (a timer event calling uk_file_wake)
 * ends a poll, select and epoll_wait that were sleeping, also when there
 * is no scheduler and the CPU halts; timeouts never end early; eventfd
 * with O_NONBLOCK.
 */
#include <uk/essentials.h>
#include <uk/test.h>
#include <uk/time.h>
#include <uk/timer.h>
#include <uk/file.h>
#include <uk/fdtab.h>
#include <uk/syscall.h>
#include <uk/linux/poll.h>
#include <uk/linux/eventpoll.h>

#define MS 1000000ULL

/* ---- a file an interrupt handler makes ready ---------------------------- */

static volatile int irq_ready;

static unsigned int irqfile_poll(struct uk_file *f __unused)
{
	return irq_ready ? UK_POLLIN | UK_POLLRDNORM : 0;
}

static int irqfile_fstat(struct uk_file *f __unused, struct uk_stat *st)
{
	__builtin_memset(st, 0, sizeof(*st));
	return 0;
}

static const struct uk_file_ops irqfile_ops = {
	.poll = irqfile_poll,
	.fstat = irqfile_fstat,
};

static struct uk_timer_event irq_ev;

/* Interrupt context. */
static void make_ready(struct uk_timer_event *ev __unused, void *arg)
{
	irq_ready = 1;
	uk_file_wake(arg);
}

/* A new fd on an irqfile, and a timer that makes it ready in 5 ms. */
static int irqfile_armed(struct uk_file **fp)
{
	struct uk_file *f = uk_file_alloc(&irqfile_ops, NULL, UK_O_RDONLY, 0);
	int fd;

	if (!f)
		return -1;
	fd = uk_fdtab_install(f, 0, 0);
	*fp = f;
	irq_ready = 0;
	uk_timer_event_arm(&irq_ev, uk_time_now_ns() + 5 * MS, make_ready, f);
	return fd;
}

#if !defined(CONFIG_PLAT_LINUXU)                /* linuxu: no interrupts */
UK_TESTCASE(posix_event, an_interrupt_ends_poll_select_and_epoll_wait)
{
	struct uk_pollfd pf;
	struct uk_epoll_event ev = { .events = UK_EPOLLIN, .data = 3 }, out;
	unsigned long set[1];
	struct uk_file *f;
	uint64_t t0;
	int fd, ep;

	/* poll */
	fd = irqfile_armed(&f);
	UK_TEST_ASSERT(fd >= 0);
	pf = (struct uk_pollfd){ .fd = fd, .events = UK_POLLIN };
	t0 = uk_time_now_ns();
	UK_TEST_EXPECT_EQ(uk_sys_poll(&pf, 1, 2000), 1);
	UK_TEST_EXPECT_EQ(pf.revents, UK_POLLIN);
	UK_TEST_ASSERT(uk_time_now_ns() - t0 < 1000 * MS);
	uk_file_put(f);
	uk_sys_close(fd);

	/* select */
	fd = irqfile_armed(&f);
	set[0] = 1UL << fd;
	t0 = uk_time_now_ns();
	UK_TEST_EXPECT_EQ(uk_sys_select(fd + 1, set, NULL, NULL, NULL), 1);
	UK_TEST_EXPECT_EQ(set[0], 1UL << fd);
	UK_TEST_ASSERT(uk_time_now_ns() - t0 < 1000 * MS);
	uk_file_put(f);
	uk_sys_close(fd);

	/* epoll_wait */
	fd = irqfile_armed(&f);
	ep = (int)uk_sys_epoll_create1(0);
	UK_TEST_ASSERT(ep >= 0);
	UK_TEST_EXPECT_EQ(uk_sys_epoll_ctl(ep, UK_EPOLL_CTL_ADD, fd, &ev), 0);
	t0 = uk_time_now_ns();
	UK_TEST_EXPECT_EQ(uk_sys_epoll_pwait(ep, &out, 1, -1, NULL, 8), 1);
	UK_TEST_EXPECT_EQ(out.events, UK_EPOLLIN);
	UK_TEST_EXPECT_EQ(out.data, 3);
	UK_TEST_ASSERT(uk_time_now_ns() - t0 < 1000 * MS);
	uk_file_put(f);
	uk_sys_close(fd);               /* the last reference: leaves the set */
	UK_TEST_EXPECT_EQ(uk_sys_epoll_pwait(ep, &out, 1, 0, NULL, 8), 0);
	uk_sys_close(ep);
}
#endif

UK_TESTCASE(posix_event, timeouts_never_end_early)
{
	struct uk_epoll_event out;
	struct uk_pollfd pf;
	struct uk_file *f = uk_file_alloc(&irqfile_ops, NULL, UK_O_RDONLY, 0);
	uint64_t t0;
	int fd, ep;

	UK_TEST_ASSERT(f);
	irq_ready = 0;
	fd = uk_fdtab_install(f, 0, 0);
	pf = (struct uk_pollfd){ .fd = fd, .events = UK_POLLIN };
	t0 = uk_time_now_ns();
	UK_TEST_EXPECT_EQ(uk_sys_poll(&pf, 1, 20), 0);
	UK_TEST_ASSERT(uk_time_now_ns() - t0 >= 20 * MS);
	t0 = uk_time_now_ns();
	UK_TEST_EXPECT_EQ(uk_sys_poll(NULL, 0, 10), 0);         /* poll as a sleep */
	UK_TEST_ASSERT(uk_time_now_ns() - t0 >= 10 * MS);
	ep = (int)uk_sys_epoll_create1(0);
	t0 = uk_time_now_ns();
	UK_TEST_EXPECT_EQ(uk_sys_epoll_pwait(ep, &out, 1, 15, NULL, 8), 0);
	UK_TEST_ASSERT(uk_time_now_ns() - t0 >= 15 * MS);
	uk_sys_close(ep);
	uk_file_put(f);
	uk_sys_close(fd);
}

UK_TESTCASE(posix_event, eventfd_nonblocking_counter)
{
	uint64_t v = 2;
	int fd = (int)uk_sys_eventfd2(0, UK_EFD_NONBLOCK | UK_EFD_SEMAPHORE);

	UK_TEST_ASSERT(fd >= 0);
	UK_TEST_EXPECT_EQ(uk_sys_read(fd, &v, 8), -EAGAIN);
	UK_TEST_EXPECT_EQ(uk_sys_write(fd, &v, 8), 8);
	UK_TEST_EXPECT_EQ(uk_sys_read(fd, &v, 8), 8);
	UK_TEST_EXPECT_EQ(v, 1);
	UK_TEST_EXPECT_EQ(uk_sys_read(fd, &v, 8), 8);
	UK_TEST_EXPECT_EQ(uk_sys_read(fd, &v, 8), -EAGAIN);
	uk_sys_close(fd);
}
