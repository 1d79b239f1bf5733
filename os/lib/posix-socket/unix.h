/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AF_UNIX's private interface, shared by unix.c (sockets, pairs, release,
 * the ops table), unix_name.c (addresses, bind, the bound-name registry),
 * unix_stream.c (SOCK_STREAM: listen, connect, accept, data) and
 * unix_dgram.c (SOCK_DGRAM: datagrams with their sender's address).
 *
 * Locking: every field below changes with interrupts masked
 * (ukplat_lcpu_save_irqf; one CPU), as pipes do (vfscore/pipe.c), so
 * waiting and waking need no other lock and the family works without a
 * scheduler (a call that would block is then -EAGAIN). The file-system
 * calls of bind/connect (uk_vfs_mksock/findsock: a mutex) run unmasked.
 *
 * Lifetime: a unix_sock is reference counted. Its file holds one
 * reference (an accept queue holds it for a connection not accepted yet);
 * a datagram socket's peer pointer, a blocked connect or datagram send
 * hold one on the socket they point at. When the file goes (or the queue
 * drops the connection) unix_release() shuts it down (`dead`); the memory
 * goes with the last reference. A stream's two ends point at each other
 * without references and clear the pointers when one end goes.
 */
#ifndef POSIX_SOCKET_UNIX_H
#define POSIX_SOCKET_UNIX_H

#include <uk/alloc.h>
#include <uk/plat/irq.h>
#include <uk/time.h>
#ifdef CONFIG_LIBUKLOCK
#include <uk/waitq.h>
#endif
#include "sock.h"

#ifdef CONFIG_LIBPOSIX_SOCKET_UNIX_BUF
#define UBUF CONFIG_LIBPOSIX_SOCKET_UNIX_BUF
#else
#define UBUF 65536
#endif

#define UNIX_PATH_MAX 108                       /* sizeof(sun_path) */
#define UNIX_ADDR_MAX (2 + UNIX_PATH_MAX + 1)   /* family + path + the NUL bind adds */
/* Datagrams a receiver queues from senders it is not connected to
 * (Linux's net.unix.max_dgram_qlen, 10: the 11th send blocks). */
#define UNIX_DGRAM_QLEN 10

#define RCV_SHUT 1
#define SND_SHUT 2

enum unix_state { U_CLOSE, U_LISTEN, U_CONNECTED };

struct unix_dgram {
	struct unix_dgram *next;
	struct sock_scm *scm;                   /* files passed with it (SCM_RIGHTS), or NULL */
	unsigned int alen;                      /* the sender's name (0: unnamed) */
	char addr[UNIX_ADDR_MAX];
	size_t len;
	char data[];
};

struct unix_sock {
	struct uk_sock s;
	long refs;
	bool dead;                      /* released: no file, no name */
	enum unix_state state;
	unsigned int shut;              /* RCV_SHUT | SND_SHUT */
	int err;                        /* pending error (ECONNRESET), read once */
	struct unix_sock *peer;         /* stream: no ref; dgram: +ref */

	/* the name: alen bytes of addr (family first); 0 for unnamed. A
	 * bound socket is in the registry (unix_name.c); an accepted one
	 * carries its listener's name without being bound. */
	unsigned int alen;
	char addr[UNIX_ADDR_MAX];
	bool bound;
	struct uk_vnode *vn;            /* a path name's node (+ref) */
	struct unix_sock *bnext;        /* registry list */
	/* the peer's name when connected (getpeername; kept after the
	 * peer went, as Linux keeps it) */
	unsigned int palen;
	char paddr[UNIX_ADDR_MAX];

	/* stream: what this end receives */
	char *buf;
	size_t head, len;
	uint64_t rx_in;                 /* bytes ever put in buf (stream positions) */
	/* stream: files passed with the bytes (SCM_RIGHTS), in stream order,
	 * each over the bytes of the write it came with (start..end): a
	 * receive reading any of them takes the files and stops at end */
	struct sock_scm *mhead, *mtail;
	/* listener: connections not accepted yet */
	struct unix_sock *qhead, *qtail, *qnext;
	unsigned int qlen, backlog;
	/* dgram, seqpacket: messages received */
	struct unix_dgram *dhead, *dtail;
	unsigned int dcount;
	size_t dbytes;
	/* dgram: the sockets connected to this one (their peer is us), woken
	 * when a receive makes room (their POLLOUT) */
	struct unix_sock *writers, *wnext;
	/* every AF_UNIX socket alive (/proc/net/unix) */
	struct unix_sock *anext, **aprev;
#ifdef CONFIG_LIBUKLOCK
	struct uk_waitq peer_wait;      /* connectors / senders waiting for room here */
#endif
};

static inline struct uk_alloc *unix_alloc(void)
{
	return uk_alloc_get_default();
}

/* unix.c */
struct unix_sock *unix_new(int type);
void unix_get(struct unix_sock *u);
/* Masked: the first of every AF_UNIX socket alive (then ->anext). */
struct unix_sock *unix_all(void);
/* Drops a reference (interrupts unmasked: may free). */
void unix_put(struct unix_sock *u);
/* The file went (or an unaccepted connection is dropped). */
void unix_release_sock(struct unix_sock *u);
/* The deadline of a wait bounded by SO_RCVTIMEO/SO_SNDTIMEO (ms; 0:
 * none) in uk_time_now_ns()'s scale, 0 for none. */
uint64_t unix_deadline(long ms);
/* Interrupts masked: sleep until u's file is woken / room at o. 0 (re-
 * check), -EAGAIN once the deadline passed (Linux's answer to a timeout)
 * or without a scheduler. */
int unix_wait(struct unix_sock *u, uint64_t deadline);
int unix_wait_peer(struct unix_sock *o, uint64_t deadline);
void unix_wake_peers(struct unix_sock *o);
/* Masked: o's list of the datagram sockets connected to it (add, take
 * off if there) and waking their files (a receive at o made room). */
void unix_writer_add(struct unix_sock *o, struct unix_sock *w);
void unix_writer_del(struct unix_sock *o, struct unix_sock *w);
void unix_wake_writers(struct unix_sock *o);

/* Linux: a socket with SO_PASSCRED that connects, or sends a datagram,
 * unnamed gets an abstract name first (autobind). 0 or bind's -E... */
int unix_passcred_autobind(struct unix_sock *u);

/* unix_name.c */
/* Checks a sockaddr_un for connect/sendto: 0 or -EINVAL. */
int unix_addr_check(const struct uk_sockaddr_storage *a, unsigned int len);
int unix_bind(struct uk_sock *s, const struct uk_sockaddr_storage *a, unsigned int len);
/* The socket bound to the name (+ref): -ENOENT & the walk's errors,
 * -ECONNREFUSED (no socket there), -EPROTOTYPE (another type). */
int unix_find(const struct uk_sockaddr_storage *a, unsigned int len, int type,
	      struct unix_sock **out);
/* Masked: takes u out of the registry; its node reference to drop
 * (unmasked, uk_vfs_vnode_put) is returned. */
struct uk_vnode *unix_unbind_locked(struct unix_sock *u);
void unix_vnode_put(struct uk_vnode *vn);
int unix_getname(struct uk_sock *s, struct uk_sockaddr_storage *a, unsigned int *len,
		 bool peer);

/* unix_msgq.c: the record queue at a receiver (dgram, seqpacket) */
/* A message of io's next len bytes, unnamed (alen 0), carrying io's
 * files (io->scm moves to it): NULL if no memory (io->scm stays). */
struct unix_dgram *unix_msg_new(struct sock_io *io, size_t len);
/* Unmasked: frees d (NULL: nothing) and drops the files it carries. */
void unix_msg_free(struct unix_dgram *d);
/* Masked: d joins o's queue and o's file is woken. */
void unix_msg_push(struct unix_sock *o, struct unix_dgram *d);
/* Masked, u's queue not empty: the first message's bytes into io (what
 * does not fit is cut: MSG_TRUNC in *mflags), its files into io->scm
 * (a copy with new references under MSG_PEEK). Without MSG_PEEK the
 * message leaves the queue and is *taken (the caller reads its name, then
 * frees it unmasked); with it *taken is NULL. The receive's result: the
 * bytes copied, or the message's length with MSG_TRUNC in flags. */
long unix_msg_take(struct unix_sock *u, struct sock_io *io, int flags, unsigned int *mflags,
		   struct unix_dgram **taken);

/* unix_stream.c / unix_seqpacket.c / unix_dgram.c: the type's ops */
extern const struct uk_sock_ops unix_stream_ops;
extern const struct uk_sock_ops unix_seqpacket_ops;
extern const struct uk_sock_ops unix_dgram_ops;
/* connections, SOCK_STREAM's and SOCK_SEQPACKET's (unix_stream.c) */
int unix_stream_listen(struct uk_sock *s, int backlog);
int unix_stream_accept(struct uk_sock *s, struct uk_sock **child, struct uk_sockaddr_storage *a,
		       unsigned int *len, bool nonblock);
void unix_stream_unaccept(struct uk_sock *s, struct uk_sock *child);
int unix_stream_connect(struct uk_sock *s, const struct uk_sockaddr_storage *addr,
			unsigned int alen, bool nonblock);
/* the ops both types share (unix.c) */
int unix_shutdown(struct uk_sock *s, int how);
long unix_ioctl(struct uk_sock *s, unsigned int cmd, unsigned long arg);
int unix_getsockopt(struct uk_sock *s, int level, int name, void *val, unsigned int *len);
void unix_release(struct uk_sock *s);

#endif
