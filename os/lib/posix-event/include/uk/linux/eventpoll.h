/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux's ABI for epoll and eventfd (uapi linux/eventpoll.h,
 * linux/eventfd.h), prefixed uk_/UK_. struct epoll_event is packed on
 * x86_64 (12 bytes) and naturally aligned on arm64 (16 bytes), as Linux
 * has it.
 */
#ifndef UK_LINUX_EVENTPOLL_H
#define UK_LINUX_EVENTPOLL_H

#include <uk/essentials.h>
#include <uk/linux/fcntl.h>

#define UK_EPOLLIN        0x00000001U
#define UK_EPOLLPRI       0x00000002U
#define UK_EPOLLOUT       0x00000004U
#define UK_EPOLLERR       0x00000008U
#define UK_EPOLLHUP       0x00000010U
#define UK_EPOLLNVAL      0x00000020U
#define UK_EPOLLRDNORM    0x00000040U
#define UK_EPOLLRDBAND    0x00000080U
#define UK_EPOLLWRNORM    0x00000100U
#define UK_EPOLLWRBAND    0x00000200U
#define UK_EPOLLMSG       0x00000400U
#define UK_EPOLLRDHUP     0x00002000U
#define UK_EPOLLEXCLUSIVE (1U << 28)
#define UK_EPOLLWAKEUP    (1U << 29)
#define UK_EPOLLONESHOT   (1U << 30)
#define UK_EPOLLET        (1U << 31)

#define UK_EPOLL_CTL_ADD 1
#define UK_EPOLL_CTL_DEL 2
#define UK_EPOLL_CTL_MOD 3

#define UK_EPOLL_CLOEXEC UK_O_CLOEXEC

struct uk_epoll_event {
	uint32_t events;
	uint64_t data;
}
#if defined(__x86_64__)
__attribute__((packed))
#endif
;

#define UK_EFD_SEMAPHORE 1
#define UK_EFD_CLOEXEC   UK_O_CLOEXEC
#define UK_EFD_NONBLOCK  UK_O_NONBLOCK

#endif
