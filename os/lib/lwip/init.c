/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Starting lwIP at boot (init class SYS, after the root file system, so
 * /etc/resolv.conf can be written) and, without a scheduler, the poll
 * loop (uk_lwip_poll).
 *
 * With a scheduler lwIP's tcpip thread is created here (tcpip_init) and
 * runs lwIP's timers and received frames; without one lwIP is initialised
 * in place (lwip_init) and the application calls uk_lwip_poll(). Either
 * way the loopback interface (lo, 127.0.0.1) exists when this returns;
 * the network devices are brought up next (netif.c).
 */
#include <uk/essentials.h>
#include <uk/init.h>
#include <uk/print.h>
#include <uk/time.h>
#include <uk/lwip.h>
#include "lwip/opt.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/timeouts.h"
#include "lwip/tcpip.h"
#include "lwip_impl.h"

#if !NO_SYS
static void started(void *arg)
{
	sys_sem_signal((sys_sem_t *)arg);
}
#endif

static int lwip_start(void)
{
#if NO_SYS
	lwip_init();
#else
	sys_sem_t done;

	sys_sem_new(&done, 0);
	tcpip_init(started, &done);
	sys_sem_wait(&done);
	sys_sem_free(&done);
#endif
	return uk_lwip_netifs_start();
}
uk_initcall(lwip_start, UK_INIT_CLASS_SYS, 5);

#if NO_SYS
int uk_lwip_poll(void)
{
	int n = uk_lwip_netifs_poll();

	netif_poll_all();       /* the loopback queue */
	sys_check_timeouts();
	return n;
}

uint64_t uk_lwip_next_timeout_ns(void)
{
	u32_t ms = sys_timeouts_sleeptime();

	return ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE ? UINT64_MAX : (uint64_t)ms * 1000000ull;
}
#endif
