/* SPDX-License-Identifier: BSD-3-Clause */
/* poll event bits and struct pollfd (asm-generic: x86_64 and arm64 agree). */
#ifndef UK_LINUX_POLL_H
#define UK_LINUX_POLL_H

#define UK_POLLIN     0x0001
#define UK_POLLPRI    0x0002
#define UK_POLLOUT    0x0004
#define UK_POLLERR    0x0008
#define UK_POLLHUP    0x0010
#define UK_POLLNVAL   0x0020
#define UK_POLLRDNORM 0x0040
#define UK_POLLRDBAND 0x0080
#define UK_POLLWRNORM 0x0100
#define UK_POLLWRBAND 0x0200
#define UK_POLLMSG    0x0400
#define UK_POLLRDHUP  0x2000

/* poll(2)'s array element */
struct uk_pollfd {
	int fd;
	short events;
	short revents;
};

#endif
