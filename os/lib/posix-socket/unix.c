/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AF_UNIX stream sockets, made in connected pairs by socketpair. There
 * is no path namespace for sockets: socket(AF_UNIX, SOCK_STREAM) makes an
 * unconnected one whose connect() looks the path up and fails as Linux
 * does when nothing listens there (ENOENT for a missing path, ECONNREFUSED
 * for a file that is not a listening socket): glibc's nscd client and
 * syslog probe sockets that way; bind() is -EOPNOTSUPP. Each
 * end receives into its own ring buffer of CONFIG_LIBPOSIX_SOCKET_UNIX_BUF
 * bytes, which the other end writes. State changes with interrupts masked
 * (as pipes, vfscore/pipe.c), so waiting and waking need no other lock and
 * the family works without lwIP and without a scheduler (a call that would
 * block is then -EAGAIN). Shutdown follows Linux: SHUT_WR on one end is
 * SHUT_RD on the other (reads there see end of file), and a closed end
 * shuts both directions of the survivor (writes -EPIPE, reads EOF, poll
 * POLLHUP).
 */
#include <uk/alloc.h>
#include <uk/plat/irq.h>
#include <uk/linux/ioctl.h>
#include <uk/uaccess.h>
#include <uk/syscall.h>
#include <uk/linux/types.h>
#include <uk/linux/stat.h>
#include <string.h>
#include "sock.h"

#define UNIX_PATH_MAX 108       /* sizeof(sockaddr_un.sun_path) */

#ifdef CONFIG_LIBPOSIX_SOCKET_UNIX_BUF
#define UBUF CONFIG_LIBPOSIX_SOCKET_UNIX_BUF
#else
#define UBUF 65536
#endif

#define RCV_SHUT 1
#define SND_SHUT 2

struct unix_sock {
	struct uk_sock s;
	struct unix_sock *peer;     /* NULL once the peer is closed */
	unsigned int shut;          /* RCV_SHUT | SND_SHUT */
	bool unconnected;           /* socket() made it, connect() failed or never ran */
	char *buf;                  /* what this end receives */
	size_t head, len;
};

static struct uk_alloc *a(void)
{
	return uk_alloc_get_default();
}

/* Interrupts masked: sleep until a wake; -EAGAIN without a scheduler. */
static int wait(struct unix_sock *u)
{
	return uk_file_wait_locked(u->s.file);
}

static long unix_send(struct uk_sock *s, struct sock_io *io, int flags __unused,
		      const struct uk_sockaddr_storage *to, unsigned int tolen __unused,
		      bool nonblock)
{
	struct unix_sock *u = (struct unix_sock *)s;
	unsigned long irqf;
	size_t done = 0;
	long r = 0;

	if (to)
		return u->unconnected ? -EOPNOTSUPP : -EISCONN;
	if (u->unconnected)
		return -ENOTCONN;
	irqf = ukplat_lcpu_save_irqf();
	while (io->left) {
		struct unix_sock *p = u->peer;
		size_t room, tail, c;

		if ((u->shut & SND_SHUT) || !p) {
			r = -EPIPE;
			break;
		}
		room = UBUF - p->len;
		if (!room) {
			if (nonblock) {
				r = -EAGAIN;
				break;
			}
			r = wait(u);
			if (r)
				break;
			continue;
		}
		tail = (p->head + p->len) % UBUF;
		c = UK_MIN(UK_MIN(io->left, room), UBUF - tail);
		sock_io_get(io, p->buf + tail, c);
		p->len += c;
		done += c;
		sock_wake(&p->s);
	}
	ukplat_lcpu_restore_irqf(irqf);
	return done ? (long)done : r;
}

static long unix_recv(struct uk_sock *s, struct sock_io *io, int flags,
		      struct uk_sockaddr_storage *from __unused, unsigned int *fromlen,
		      unsigned int *mflags __unused, bool nonblock)
{
	struct unix_sock *u = (struct unix_sock *)s;
	unsigned long irqf;
	size_t total = 0, got, head;
	long r = 0;

	*fromlen = 0;
	if (u->unconnected)
		return -EINVAL;         /* Linux: a stream socket not connected */
	if (!io->left)
		return 0;
	irqf = ukplat_lcpu_save_irqf();
	for (;;) {
		if (u->len) {
			head = u->head;
			for (got = 0; io->left && got < u->len; ) {
				size_t c = UK_MIN(UK_MIN(io->left, u->len - got), UBUF - head);

				sock_io_put(io, u->buf + head, c);
				head = (head + c) % UBUF;
				got += c;
			}
			total += got;
			if (!(flags & UK_MSG_PEEK)) {
				u->head = head;
				u->len -= got;
				if (u->peer)
					sock_wake(&u->peer->s);
			}
			if (!(flags & UK_MSG_WAITALL) || !io->left || (flags & UK_MSG_PEEK))
				break;
			continue;
		}
		if (u->shut & RCV_SHUT)
			break;                  /* end of file */
		if (nonblock) {
			r = -EAGAIN;
			break;
		}
		r = wait(u);
		if (r)
			break;
	}
	ukplat_lcpu_restore_irqf(irqf);
	return total ? (long)total : r;
}

static unsigned int unix_poll(struct uk_sock *s)
{
	struct unix_sock *u = (struct unix_sock *)s;
	unsigned long irqf = ukplat_lcpu_save_irqf();
	unsigned int ev = 0;

	if (u->unconnected) {
		ukplat_lcpu_restore_irqf(irqf);
		return UK_POLLOUT | UK_POLLWRNORM | UK_POLLHUP;     /* as Linux's TCP_CLOSE */
	}
	if (u->len)
		ev |= UK_POLLIN | UK_POLLRDNORM;
	if (u->shut & RCV_SHUT)
		ev |= UK_POLLIN | UK_POLLRDNORM | UK_POLLRDHUP;
	if (u->shut == (RCV_SHUT | SND_SHUT))
		ev |= UK_POLLHUP;
	/* writable: a write would not block (it may fail: EPIPE) */
	if (!u->peer || (u->shut & SND_SHUT) || UBUF - u->peer->len > 0)
		ev |= UK_POLLOUT | UK_POLLWRNORM;
	ukplat_lcpu_restore_irqf(irqf);
	return ev;
}

static int unix_shutdown(struct uk_sock *s, int how)
{
	struct unix_sock *u = (struct unix_sock *)s;
	unsigned long irqf = ukplat_lcpu_save_irqf();
	unsigned int mine = (how == UK_SHUT_RD ? RCV_SHUT : how == UK_SHUT_WR ? SND_SHUT
			     : RCV_SHUT | SND_SHUT);

	u->shut |= mine;
	if (u->peer) {
		u->peer->shut |= ((mine & RCV_SHUT) ? SND_SHUT : 0) |
				 ((mine & SND_SHUT) ? RCV_SHUT : 0);
		sock_wake(&u->peer->s);
	}
	sock_wake(s);
	ukplat_lcpu_restore_irqf(irqf);
	return 0;
}

static int unix_getname(struct uk_sock *s, struct uk_sockaddr_storage *addr,
			unsigned int *len, bool peer)
{
	struct unix_sock *u = (struct unix_sock *)s;

	if (peer && !u->peer)
		return -ENOTCONN;
	/* unnamed: just the family, as Linux reports a socketpair's ends */
	addr->ss_family = UK_AF_UNIX;
	*len = sizeof(addr->ss_family);
	return 0;
}

static long unix_ioctl(struct uk_sock *s, unsigned int cmd, unsigned long arg)
{
	struct unix_sock *u = (struct unix_sock *)s;
	int n = (int)u->len;

	if (cmd != UK_FIONREAD)
		return -ENOTTY;
	return uk_copy_to_user((void *)arg, &n, sizeof(n));
}

/* A pair's end is connected, never listening (Linux: EINVAL for both). */
static int unix_listen(struct uk_sock *s __unused, int backlog __unused)
{
	return -EINVAL;
}

static int unix_accept(struct uk_sock *s __unused, struct uk_sock **child __unused,
		       struct uk_sockaddr_storage *addr __unused, unsigned int *len __unused,
		       bool nonblock __unused)
{
	return -EINVAL;
}

/* Nothing can listen on a path here: ENOENT (or the walk's error) when
 * the name does not exist, ECONNREFUSED when it does, EISCONN for a pair's
 * end. Abstract names (sun_path[0] == 0) are never bound: ECONNREFUSED. */
static int unix_connect(struct uk_sock *s, const struct uk_sockaddr_storage *addr,
			unsigned int len, bool nonblock __unused)
{
	struct unix_sock *u = (struct unix_sock *)s;
	const char *path = (const char *)addr + sizeof(addr->ss_family);
	char name[UNIX_PATH_MAX + 1];
	unsigned int n;

	if (!u->unconnected)
		return -EISCONN;
	if (len < sizeof(addr->ss_family) || addr->ss_family != UK_AF_UNIX)
		return -EINVAL;
	n = len - sizeof(addr->ss_family);
	if (n > UNIX_PATH_MAX)
		n = UNIX_PATH_MAX;
	if (!n)
		return -EINVAL;
	if (!path[0])
		return -ECONNREFUSED;
	memcpy(name, path, n);
	name[n] = '\0';
#if defined(CONFIG_LIBVFSCORE)
	struct uk_stat st;
	long r = uk_sys_newfstatat(UK_AT_FDCWD, name, &st, 0);

	return r ? (int)r : -ECONNREFUSED;
#else
	return -ENOENT;         /* no file system: no name exists */
#endif
}

static int unix_getsockopt(struct uk_sock *s __unused, int level, int name __unused,
			   void *val __unused, unsigned int *len __unused)
{
	return level == UK_SOL_SOCKET ? -ENOPROTOOPT : -EOPNOTSUPP;
}

static void unix_release(struct uk_sock *s)
{
	struct unix_sock *u = (struct unix_sock *)s;
	unsigned long irqf = ukplat_lcpu_save_irqf();

	if (u->peer) {
		u->peer->shut = RCV_SHUT | SND_SHUT;
		u->peer->peer = NULL;
		sock_wake(&u->peer->s);
	}
	ukplat_lcpu_restore_irqf(irqf);
	uk_free(a(), u->buf);
	uk_free(a(), u);
}

static const struct uk_sock_ops unix_ops = {
	.connect = unix_connect,
	.listen = unix_listen,
	.accept = unix_accept,
	.shutdown = unix_shutdown,
	.getname = unix_getname,
	.sendmsg = unix_send,
	.recvmsg = unix_recv,
	.getsockopt = unix_getsockopt,
	.poll = unix_poll,
	.ioctl = unix_ioctl,
	.release = unix_release,
};

static struct unix_sock *unix_new(int type)
{
	struct unix_sock *u = uk_calloc(a(), 1, sizeof(*u));

	if (!u)
		return NULL;
	u->buf = uk_malloc(a(), UBUF);
	if (!u->buf) {
		uk_free(a(), u);
		return NULL;
	}
	u->s.ops = &unix_ops;
	u->s.family = UK_AF_UNIX;
	u->s.type = type;
	u->s.protocol = 0;
	u->s.rcvbuf = u->s.sndbuf = UBUF;
	return u;
}

int uk_unix_socket(int type, int protocol, struct uk_sock **sp)
{
	struct unix_sock *u;

	if (type != UK_SOCK_STREAM)
		return type == UK_SOCK_DGRAM || type == UK_SOCK_SEQPACKET ? -EOPNOTSUPP
									  : -ESOCKTNOSUPPORT;
	if (protocol != 0)
		return -EPROTONOSUPPORT;
	u = unix_new(type);
	if (!u)
		return -ENOMEM;
	u->unconnected = true;
	*sp = &u->s;
	return 0;
}

int uk_unix_socketpair(int type, int protocol, struct uk_sock **sa, struct uk_sock **sb)
{
	struct unix_sock *x, *y;

	if (type != UK_SOCK_STREAM)
		return type == UK_SOCK_DGRAM || type == UK_SOCK_SEQPACKET ? -EOPNOTSUPP
									  : -ESOCKTNOSUPPORT;
	if (protocol != 0)
		return -EPROTONOSUPPORT;
	x = unix_new(type);
	y = x ? unix_new(type) : NULL;
	if (!y) {
		if (x)
			unix_release(&x->s);
		return -ENOMEM;
	}
	x->peer = y;
	y->peer = x;
	*sa = &x->s;
	*sb = &y->s;
	return 0;
}
