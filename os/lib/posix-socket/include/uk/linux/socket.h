/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Linux socket ABI (include/linux/socket.h, uapi/linux/in.h, in6.h,
 * tcp.h, asm-generic/socket.h), UK_-prefixed so it never clashes with a
 * libc's: address families, socket types and flags, struct sockaddr and
 * its families' forms, struct msghdr, MSG_* flags, socket options. x86_64
 * and arm64 agree on every value here.
 */
#ifndef UK_LINUX_SOCKET_H
#define UK_LINUX_SOCKET_H

#include <uk/essentials.h>
#include <uk/linux/uio.h>

#define UK_AF_UNSPEC 0
#define UK_AF_UNIX   1
#define UK_AF_INET   2
#define UK_AF_INET6  10

#define UK_SOCK_STREAM    1
#define UK_SOCK_DGRAM     2
#define UK_SOCK_RAW       3
#define UK_SOCK_SEQPACKET 5
#define UK_SOCK_TYPE_MASK 0xf
#define UK_SOCK_NONBLOCK  00004000      /* = O_NONBLOCK */
#define UK_SOCK_CLOEXEC   02000000      /* = O_CLOEXEC */

#define UK_IPPROTO_IP   0
#define UK_IPPROTO_ICMP 1
#define UK_IPPROTO_TCP  6
#define UK_IPPROTO_UDP  17
#define UK_IPPROTO_IPV6 41

#define UK_SHUT_RD   0
#define UK_SHUT_WR   1
#define UK_SHUT_RDWR 2

/* send/recv flags */
#define UK_MSG_OOB       0x1
#define UK_MSG_PEEK      0x2
#define UK_MSG_DONTROUTE 0x4
#define UK_MSG_CTRUNC    0x8
#define UK_MSG_TRUNC     0x20
#define UK_MSG_DONTWAIT  0x40
#define UK_MSG_EOR       0x80
#define UK_MSG_WAITALL   0x100
#define UK_MSG_NOSIGNAL  0x4000
#define UK_MSG_MORE      0x8000
#define UK_MSG_CMSG_CLOEXEC 0x40000000

/* SOL_SOCKET options (asm-generic/socket.h) */
#define UK_SOL_SOCKET    1
#define UK_SO_DEBUG      1
#define UK_SO_REUSEADDR  2
#define UK_SO_TYPE       3
#define UK_SO_ERROR      4
#define UK_SO_DONTROUTE  5
#define UK_SO_BROADCAST  6
#define UK_SO_SNDBUF     7
#define UK_SO_RCVBUF     8
#define UK_SO_KEEPALIVE  9
#define UK_SO_OOBINLINE  10
#define UK_SO_LINGER     13
#define UK_SO_REUSEPORT  15
#define UK_SO_PASSCRED   16
#define UK_SO_PEERCRED   17
#define UK_SO_RCVLOWAT   18
#define UK_SO_SNDLOWAT   19
#define UK_SO_RCVTIMEO   20
#define UK_SO_SNDTIMEO   21
#define UK_SO_ACCEPTCONN 30
#define UK_SO_PROTOCOL   38
#define UK_SO_DOMAIN     39

/* SO_PEERCRED's value */
struct uk_ucred {
	int pid;
	unsigned int uid, gid;
};

/* IPPROTO_TCP options (uapi/linux/tcp.h) */
#define UK_TCP_NODELAY   1
#define UK_TCP_MAXSEG    2
#define UK_TCP_CORK      3
#define UK_TCP_KEEPIDLE  4
#define UK_TCP_KEEPINTVL 5
#define UK_TCP_KEEPCNT   6
#define UK_TCP_DEFER_ACCEPT 9
#define UK_TCP_QUICKACK  12
#define UK_TCP_FASTOPEN  23

/* IPPROTO_IP / IPPROTO_IPV6 options */
#define UK_IP_TOS        1
#define UK_IP_TTL        2
#define UK_IPV6_V6ONLY   26

typedef unsigned int uk_socklen_t;

struct uk_sockaddr {
	unsigned short sa_family;
	char sa_data[14];
};

struct uk_in_addr {
	uint32_t s_addr;                /* network order */
};

struct uk_sockaddr_in {
	unsigned short sin_family;
	uint16_t sin_port;              /* network order */
	struct uk_in_addr sin_addr;
	unsigned char sin_zero[8];
};

struct uk_in6_addr {
	uint8_t s6_addr[16];
};

struct uk_sockaddr_in6 {
	unsigned short sin6_family;
	uint16_t sin6_port;             /* network order */
	uint32_t sin6_flowinfo;
	struct uk_in6_addr sin6_addr;
	uint32_t sin6_scope_id;
};

#define UK_UNIX_PATH_MAX 108
struct uk_sockaddr_un {
	unsigned short sun_family;
	char sun_path[UK_UNIX_PATH_MAX];
};

/* Big enough for every family (Linux's __kernel_sockaddr_storage). */
struct uk_sockaddr_storage {
	unsigned short ss_family;
	char ss_data[126];
} __attribute__((aligned(8)));

struct uk_msghdr {
	void *msg_name;
	int msg_namelen;
	struct uk_iovec *msg_iov;
	unsigned long msg_iovlen;
	void *msg_control;
	unsigned long msg_controllen;
	unsigned int msg_flags;
};

/* A control message's header (struct cmsghdr); its data follows at
 * UK_CMSG_ALIGN(sizeof(struct uk_cmsghdr)). */
struct uk_cmsghdr {
	unsigned long cmsg_len;         /* header + data, unpadded */
	int cmsg_level;
	int cmsg_type;
};
#define UK_CMSG_ALIGN(len) (((len) + sizeof(long) - 1) & ~(sizeof(long) - 1))
#define UK_CMSG_LEN(len)   (UK_CMSG_ALIGN(sizeof(struct uk_cmsghdr)) + (len))
#define UK_CMSG_SPACE(len) (UK_CMSG_ALIGN(sizeof(struct uk_cmsghdr)) + UK_CMSG_ALIGN(len))
#define UK_SCM_RIGHTS      1
#define UK_SCM_CREDENTIALS 2
#define UK_SCM_MAX_FD      253          /* files one SCM_RIGHTS message may carry */

struct uk_linger {
	int l_onoff;
	int l_linger;
};

#endif
