/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AF_INET / AF_INET6 over lwIP's raw API: what inet_tcp.c and inet_udp.c
 * share. Every lwIP call and every field a callback touches is used
 * between uk_lwip_lock() and uk_lwip_unlock() (<uk/lwip.h>); lwIP runs
 * its callbacks (recv, sent, err, accept, connected) with that lock held,
 * and they call sock_wake() on every state change.
 */
#ifndef POSIX_SOCKET_INET_H
#define POSIX_SOCKET_INET_H

#include <uk/lwip.h>
#include <uk/plat/irq.h>
#include <uk/time.h>
#include <lwip/opt.h>
#include <lwip/err.h>
#include <lwip/ip_addr.h>
#include "sock.h"

/*
 * Sleeps until s's file is woken, with the lwIP lock released meanwhile;
 * returns with it held again (re-check the condition): 0, -EAGAIN once
 * `deadline` (uk_time_now_ns() scale, 0: none; SO_RCVTIMEO/SO_SNDTIMEO)
 * passed, or -EAGAIN without a scheduler. No wake is lost: the condition
 * was checked under the lock, interrupts stay masked from before the
 * unlock until the thread sleeps, and unlocking never switches threads,
 * so nothing can run in between.
 */
static inline int inet_wait(struct uk_sock *s, uint64_t deadline)
{
	unsigned long irqf = ukplat_lcpu_save_irqf();
	int r;

	uk_lwip_unlock();
	r = deadline ? uk_file_wait_until_locked(s->file, deadline)
		     : uk_file_wait_locked(s->file);
	ukplat_lcpu_restore_irqf(irqf);
	uk_lwip_lock();
	return r == -ETIMEDOUT ? -EAGAIN : r;
}

/* The deadline of a wait bounded by a SO_RCVTIMEO/SO_SNDTIMEO of ms
 * (0: unbounded, the deadline 0). */
static inline uint64_t inet_deadline(long ms)
{
	return ms > 0 ? uk_time_now_ns() + (uint64_t)ms * 1000000ull : 0;
}

/* lwIP's err_t as -errno (lwIP's own table, err.c, with the socket
 * layer's meaning). */
int inet_errno(err_t e);

/*
 * The socket address a/len for a socket of `family` as lwIP's: 0, or
 * -EINVAL (too short), -EAFNOSUPPORT (another family). An AF_INET6
 * socket takes AF_INET6 addresses (v4-mapped ones become IPv4) and, as
 * Linux, AF_INET ones.
 */
int inet_addr_in(int family, const struct uk_sockaddr_storage *a, unsigned int len,
		 ip_addr_t *ip, uint16_t *port);
/* ip:port as a socket address of `family` (IPv4 in an AF_INET6 socket:
 * v4-mapped). */
void inet_addr_out(int family, const ip_addr_t *ip, uint16_t port,
		   struct uk_sockaddr_storage *a, unsigned int *len);
/* The type of the family's pcbs (dual stack for AF_INET6), and the
 * address binding to any of theirs. */
uint8_t inet_iptype(int family);
const ip_addr_t *inet_any(int family);

int inet_tcp_socket(int family, struct uk_sock **s);
int inet_udp_socket(int family, struct uk_sock **s);

#endif
