/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of the port's operating-system layer (sys_arch.c, with a
 * scheduler): timed semaphore and mailbox waits time out no earlier than
 * asked and report SYS_ARCH_TIMEOUT; a signal or post from another thread
 * wakes the waiter; a full mailbox blocks the poster until a fetch; the
 * core lock is held by the caller between uk_lwip_lock/unlock.
 */
#include <uk/essentials.h>
#include <uk/test.h>
#include <uk/time.h>
#include <uk/sched.h>
#include <uk/lwip.h>
#include "lwip/opt.h"
#include "lwip/sys.h"

UK_TESTCASE(lwip_sys, sem_wait_times_out_no_earlier_than_asked)
{
	sys_sem_t s;
	uint64_t t0;
	u32_t r;

	UK_TEST_ASSERT(sys_sem_new(&s, 0) == ERR_OK);
	t0 = uk_time_now_ns();
	r = sys_arch_sem_wait(&s, 30);
	UK_TEST_EXPECT_EQ(r, SYS_ARCH_TIMEOUT);
	UK_TEST_EXPECT(uk_time_now_ns() - t0 >= 30000000ull);
	sys_sem_signal(&s);
	UK_TEST_EXPECT(sys_arch_sem_wait(&s, 30) != SYS_ARCH_TIMEOUT);
	sys_sem_free(&s);
}

static sys_sem_t ping, pong;

static void sem_peer(void *arg __unused)
{
	for (int i = 0; i < 100; i++) {
		sys_arch_sem_wait(&ping, 0);
		sys_sem_signal(&pong);
	}
}

UK_TESTCASE(lwip_sys, sem_ping_pong_between_threads)
{
	int ok = 0;

	sys_sem_new(&ping, 0);
	sys_sem_new(&pong, 0);
	sys_thread_new("sem-peer", sem_peer, NULL, 0, 0);
	for (int i = 0; i < 100; i++) {
		sys_sem_signal(&ping);
		if (sys_arch_sem_wait(&pong, 2000) != SYS_ARCH_TIMEOUT)
			ok++;
	}
	UK_TEST_EXPECT_EQ(ok, 100);
}

static sys_mbox_t mbox;
static volatile int consumed;

static void mbox_consumer(void *arg __unused)
{
	void *m;

	for (long i = 1; i <= 50; i++) {
		sys_arch_mbox_fetch(&mbox, &m, 0);
		if ((long)m != i)
			break;
		consumed++;
	}
}

UK_TESTCASE(lwip_sys, mbox_keeps_order_and_blocks_when_full)
{
	void *m;
	uint64_t t0;

	UK_TEST_ASSERT(sys_mbox_new(&mbox, 4) == ERR_OK);
	UK_TEST_EXPECT(sys_mbox_valid(&mbox));
	t0 = uk_time_now_ns();
	UK_TEST_EXPECT_EQ(sys_arch_mbox_fetch(&mbox, &m, 20), SYS_ARCH_TIMEOUT);
	UK_TEST_EXPECT(uk_time_now_ns() - t0 >= 20000000ull);
	UK_TEST_EXPECT_EQ(sys_arch_mbox_tryfetch(&mbox, &m), SYS_MBOX_EMPTY);
	for (long i = 1; i <= 4; i++)
		UK_TEST_EXPECT_EQ(sys_mbox_trypost(&mbox, (void *)i), ERR_OK);
	UK_TEST_EXPECT_EQ(sys_mbox_trypost(&mbox, (void *)5), ERR_MEM);   /* full */
	sys_thread_new("mbox-consumer", mbox_consumer, NULL, 0, 0);
	for (long i = 5; i <= 50; i++)
		sys_mbox_post(&mbox, (void *)i);   /* blocks while full */
	for (int i = 0; i < 2000 && consumed < 50; i++)
		uk_sched_sleep_until(uk_time_now_ns() + 1000000ull);
	UK_TEST_EXPECT_EQ(consumed, 50);
	sys_mbox_free(&mbox);
	UK_TEST_EXPECT(!sys_mbox_valid(&mbox));
}

UK_TESTCASE(lwip_sys, core_lock_is_held_between_lock_and_unlock)
{
	UK_TEST_EXPECT(!uk_lwip_locked());
	uk_lwip_lock();
	UK_TEST_EXPECT(uk_lwip_locked());
	uk_lwip_unlock();
	UK_TEST_EXPECT(!uk_lwip_locked());
}
