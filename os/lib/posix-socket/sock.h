/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The socket core's private interface: what every socket is (struct
 * uk_sock, the private data of its uk_file) and what a family implements
 * (struct uk_sock_ops). socket.c holds the syscalls, which check and copy
 * every argument and then call these ops with kernel copies (addresses)
 * or checked user ranges (data, through struct sock_io: sockio.c); unix*.c
 * are AF_UNIX (unix.h), inet_*.c AF_INET/AF_INET6 over lwIP's raw API.
 *
 * Every op returns 0 / a count, or -E...; an op that is NULL means
 * -EOPNOTSUPP. Ops run in thread context; a family serialises its own
 * state (unix: interrupts masked, inet: the lwIP core lock).
 */
#ifndef POSIX_SOCKET_SOCK_H
#define POSIX_SOCKET_SOCK_H

#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/file.h>
#include <uk/linux/socket.h>

#ifndef UK_POLLRDHUP
#define UK_POLLRDHUP 0x2000
#endif

/*
 * A user data vector for one send or receive: the iovec array copied into
 * the kernel, every range checked accessible in the call's direction when
 * made (sock_io_init), then consumed in order. Because the ranges are
 * checked, a family may memcpy straight to/from sock_io_chunk's pointer
 * (one address space, one CPU; see <uk/uaccess.h>).
 */
struct sock_scm;
struct uk_sock;

struct sock_io {
	/* Ancillary data travelling with the message (AF_UNIX): on a send,
	 * what the caller passes (a family that keeps it sets this NULL; the
	 * core frees what is left); on a receive, NULL on entry, and what
	 * the family received for the caller (the core delivers or frees
	 * it). sock_io_init sets it NULL. */
	struct sock_scm *scm;
	struct uk_iovec *iov;
	unsigned long cnt;
	unsigned long idx;      /* current entry */
	unsigned long off;      /* bytes of it consumed */
	size_t left;            /* bytes not yet consumed */
	struct uk_iovec one;    /* storage for a single-buffer call */
};

/* From a kernel copy of the vector (kept by the caller), or one buffer.
 * 0, -EFAULT (a range not accessible), -EINVAL (total overflows). */
int sock_io_init(struct sock_io *io, struct uk_iovec *iov, unsigned long cnt, bool to_user);
int sock_io_init1(struct sock_io *io, void *buf, size_t len, bool to_user);
/* The next contiguous user range (at most max bytes): its length, *p set. */
size_t sock_io_chunk(struct sock_io *io, void **p, size_t max);
void sock_io_advance(struct sock_io *io, size_t n);
/* Copy n bytes (n <= io->left) to / from the vector, advancing. */
void sock_io_put(struct sock_io *io, const void *src, size_t n);
void sock_io_get(struct sock_io *io, void *dst, size_t n);

/*
 * The files of one SCM_RIGHTS message (a reference each), in flight from
 * a sendmsg to the recvmsg that installs them as new descriptors. A
 * family keeps it with the message (a datagram) or the bytes (a stream:
 * start..end, the stream positions of the write it came with; next, the
 * family's list).
 */
struct sock_scm {
	struct sock_scm *next;
	uint64_t start, end;
	unsigned int nfiles;
	struct uk_file *files[];
};

/* Interrupts unmasked (the last reference of a file may go): drops every
 * file's reference and frees scm (NULL: nothing). */
void sock_scm_free(struct sock_scm *scm);
/* Another copy of scm with a reference to each file (MSG_PEEK): NULL
 * without memory. Any context where uk_malloc may run. */
struct sock_scm *sock_scm_dup(const struct sock_scm *scm);
/* sendmsg's control buffer (m: the kernel copy of the header): the files
 * of its SCM_RIGHTS in *out (NULL: none); 0 or -E... (sockscm.c). */
int sock_scm_in(struct uk_sock *s, const struct uk_msghdr *m, struct sock_scm **out);
/* recvmsg's control messages into m's buffer (msg_controllen becomes the
 * bytes written, MSG_CTRUNC in *mflags if cut); frees scm. eof: a
 * stream's end of file (nothing received). 0 or -EFAULT. */
int sock_scm_out(struct uk_sock *s, struct uk_msghdr *m, struct sock_scm *scm,
		 unsigned int flags, unsigned int *mflags, bool eof);

struct uk_sock;

struct uk_sock_ops {
	int (*bind)(struct uk_sock *s, const struct uk_sockaddr_storage *a, unsigned int len);
	/* nonblock: -EINPROGRESS instead of waiting */
	int (*connect)(struct uk_sock *s, const struct uk_sockaddr_storage *a, unsigned int len,
		       bool nonblock);
	int (*listen)(struct uk_sock *s, int backlog);
	/* *child: a new socket without a file yet (the core makes it); the
	 * peer's address in *a (*len its length). */
	int (*accept)(struct uk_sock *s, struct uk_sock **child, struct uk_sockaddr_storage *a,
		      unsigned int *len, bool nonblock);
	/* Puts an accepted child back at the head of s's queue (accept4
	 * found no free fd). NULL: the child is released. */
	void (*unaccept)(struct uk_sock *s, struct uk_sock *child);
	int (*shutdown)(struct uk_sock *s, int how);
	/* the local (peer false) or remote address; -ENOTCONN without peer */
	int (*getname)(struct uk_sock *s, struct uk_sockaddr_storage *a, unsigned int *len,
		       bool peer);
	/* to: NULL when the call named no address. -EPIPE: the core raises
	 * SIGPIPE unless MSG_NOSIGNAL. */
	long (*sendmsg)(struct uk_sock *s, struct sock_io *io, int flags,
			const struct uk_sockaddr_storage *to, unsigned int tolen, bool nonblock);
	/* from: where the sender's address goes (NULL: not wanted), *fromlen
	 * its length (0: none); *mflags gets MSG_TRUNC for a cut datagram. */
	long (*recvmsg)(struct uk_sock *s, struct sock_io *io, int flags,
			struct uk_sockaddr_storage *from, unsigned int *fromlen,
			unsigned int *mflags, bool nonblock);
	/* Options the core does not answer itself (socket.c: sockopt_*).
	 * val is a kernel copy; -ENOPROTOOPT when unknown. */
	int (*setsockopt)(struct uk_sock *s, int level, int name, const void *val,
			  unsigned int len);
	int (*getsockopt)(struct uk_sock *s, int level, int name, void *val, unsigned int *len);
	unsigned int (*poll)(struct uk_sock *s);
	/* FIONREAD and the like; -ENOTTY when unknown */
	long (*ioctl)(struct uk_sock *s, unsigned int cmd, unsigned long arg);
	/* the file's last reference went: free s */
	void (*release)(struct uk_sock *s);
};

/* The head of every family's socket structure. */
struct uk_sock {
	const struct uk_sock_ops *ops;
	struct uk_file *file;       /* NULL while in an accept queue */
	uint64_t ino;               /* fstat's st_ino */
	int family, type, protocol;
	/* options kept by the core, for every family */
	int rcvbuf, sndbuf;
	int reuseaddr, reuseport, keepalive, oobinline, broadcast;
	int passcred;               /* SO_PASSCRED: AF_UNIX receives report SCM_CREDENTIALS */
	struct uk_linger linger;
	long rcvtimeo_ms, sndtimeo_ms;  /* 0: none; every family's waits honour them */
};

/* A uk_file for s (O_RDWR | nonblock flag): 0 or -ENOMEM. */
int sock_make_file(struct uk_sock *s, unsigned int oflags);
/* Wakes whoever waits on or watches s (nothing while s has no file). */
static inline void sock_wake(struct uk_sock *s)
{
	if (s->file)
		uk_file_wake(s->file);
}

/* Families (each NULL/-EAFNOSUPPORT when not in the image). */
int uk_unix_socketpair(int type, int protocol, struct uk_sock **a, struct uk_sock **b);
/* A new AF_UNIX socket (SOCK_STREAM or SOCK_DGRAM), unnamed, unconnected. */
int uk_unix_socket(int type, int protocol, struct uk_sock **s);
int uk_inet_socket(int family, int type, int protocol, struct uk_sock **s);

/* Default buffer sizes reported by SO_RCVBUF/SO_SNDBUF before a set. */
#define SOCK_DEFAULT_BUF 65536

#endif
