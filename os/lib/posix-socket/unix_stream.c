/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AF_UNIX SOCK_STREAM: listen, connect, accept (SOCK_SEQPACKET's too) and
 * the byte stream. As on
 * Linux, connect completes at once: it makes the server's end (no file
 * yet), connects the two and queues the server's end on the listener, so
 * the client can write before the accept. A listener queues backlog + 1
 * connections (Linux's `qlen > backlog` test); then connect blocks until
 * an accept makes room, or is -EAGAIN when non-blocking. Each end
 * receives into its own ring buffer of CONFIG_LIBPOSIX_SOCKET_UNIX_BUF
 * bytes, which the other end writes. Files passed with a write
 * (SCM_RIGHTS) are marks over the bytes it put in without waiting at the receiver
 * (unix.h); a receive stops at the end of a write whose files it took.
 */
#include <uk/uaccess.h>
#include <string.h>
#include "unix.h"

#define SOMAXCONN 4096          /* Linux's net.core.somaxconn */

static long stream_send(struct uk_sock *s, struct sock_io *io, int flags __unused,
			const struct uk_sockaddr_storage *to, unsigned int tolen __unused,
			bool nonblock)
{
	struct unix_sock *u = (struct unix_sock *)s;
	uint64_t deadline = unix_deadline(s->sndtimeo_ms);
	struct sock_scm *mark = NULL;
	unsigned long irqf;
	size_t done = 0;
	long r = 0;

	if (to)
		return u->state == U_CONNECTED ? -EISCONN : -EOPNOTSUPP;
	if (u->state != U_CONNECTED)
		return -ENOTCONN;
	irqf = ukplat_lcpu_save_irqf();
	while (io->left) {
		struct unix_sock *p = u->peer;
		size_t room, tail, c;

		if ((u->shut & SND_SHUT) || !p || (p->shut & RCV_SHUT)) {
			r = -EPIPE;
			break;
		}
		room = UBUF - p->len;
		if (!room) {
			if (nonblock) {
				r = -EAGAIN;
				break;
			}
			r = unix_wait(u, deadline);
			mark = NULL;    /* the receiver may have taken it meanwhile */
			if (r)
				break;
			continue;
		}
		tail = (p->head + p->len) % UBUF;
		c = UK_MIN(UK_MIN(io->left, room), UBUF - tail);
		sock_io_get(io, p->buf + tail, c);
		if (io->scm) {
			/* the files travel with the bytes this write puts in
			 * without waiting (Linux: the write's first skb) */
			mark = io->scm;
			io->scm = NULL;
			mark->start = mark->end = p->rx_in;
			mark->next = NULL;
			if (p->mtail)
				p->mtail->next = mark;
			else
				p->mhead = mark;
			p->mtail = mark;
		}
		if (mark)
			mark->end += c;
		p->len += c;
		p->rx_in += c;
		done += c;
		sock_wake(&p->s);
	}
	ukplat_lcpu_restore_irqf(irqf);
	return done ? (long)done : r;
}

static long stream_recv(struct uk_sock *s, struct sock_io *io, int flags,
			struct uk_sockaddr_storage *from, unsigned int *fromlen,
			unsigned int *mflags __unused, bool nonblock)
{
	struct unix_sock *u = (struct unix_sock *)s;
	uint64_t deadline = unix_deadline(s->rcvtimeo_ms);
	unsigned long irqf;
	size_t total = 0, got, head;
	bool taken = false;
	long r = 0;

	*fromlen = 0;
	if (u->state != U_CONNECTED)
		return -EINVAL;         /* Linux: a stream socket not connected */
	if (!io->left)
		return 0;
	irqf = ukplat_lcpu_save_irqf();
	for (;;) {
		if (u->len) {
			/* Linux's unix_stream_read_generic: the bytes of a write
			 * that passed files are read with the files, and the
			 * receive ends with that write */
			uint64_t pos = u->rx_in - u->len;
			struct sock_scm *m = u->mhead;
			size_t avail = m ? UK_MIN(u->len, (size_t)(m->end - pos)) : u->len;

			head = u->head;
			for (got = 0; io->left && got < avail; ) {
				size_t c = UK_MIN(UK_MIN(io->left, avail - got), UBUF - head);

				sock_io_put(io, u->buf + head, c);
				head = (head + c) % UBUF;
				got += c;
			}
			total += got;
			if (m && pos + got > m->start) {
				if (flags & UK_MSG_PEEK) {
					io->scm = sock_scm_dup(m);
				} else {
					u->mhead = m->next;
					if (!u->mhead)
						u->mtail = NULL;
					io->scm = m;
				}
				taken = true;
			}
			if (!(flags & UK_MSG_PEEK)) {
				u->head = head;
				u->len -= got;
				if (u->peer)
					sock_wake(&u->peer->s);
			}
			if (!(flags & UK_MSG_WAITALL) || !io->left || (flags & UK_MSG_PEEK) || taken)
				break;
			continue;
		}
		if (u->err && !total) {
			r = -u->err;
			u->err = 0;
			break;
		}
		if (u->shut & RCV_SHUT)
			break;                  /* end of file */
		if (nonblock) {
			r = -EAGAIN;
			break;
		}
		r = unix_wait(u, deadline);
		if (r)
			break;
	}
	/* the sender's name, as Linux's recvfrom reports it on a stream */
	if (from && total && u->palen) {
		memcpy(from, u->paddr, u->palen);
		*fromlen = u->palen;
	}
	ukplat_lcpu_restore_irqf(irqf);
	return total ? (long)total : r;
}

static unsigned int stream_poll(struct uk_sock *s)
{
	struct unix_sock *u = (struct unix_sock *)s;
	unsigned long irqf = ukplat_lcpu_save_irqf();
	unsigned int ev = 0;

	if (u->err)
		ev |= UK_POLLERR;
	if (u->shut == (RCV_SHUT | SND_SHUT))
		ev |= UK_POLLHUP;
	if (u->shut & RCV_SHUT)
		ev |= UK_POLLIN | UK_POLLRDNORM | UK_POLLRDHUP;
	if (u->state == U_LISTEN) {
		if (u->qhead)
			ev |= UK_POLLIN | UK_POLLRDNORM;
		ukplat_lcpu_restore_irqf(irqf);
		return ev;
	}
	if (u->len)
		ev |= UK_POLLIN | UK_POLLRDNORM;
	if (u->state == U_CLOSE)
		ev |= UK_POLLHUP;       /* as Linux's TCP_CLOSE */
	/* writable: a write would not block (it may fail: EPIPE) */
	if (!u->peer || (u->shut & SND_SHUT) || UBUF - u->peer->len > 0)
		ev |= UK_POLLOUT | UK_POLLWRNORM | UK_POLLWRBAND;
	ukplat_lcpu_restore_irqf(irqf);
	return ev;
}

int unix_stream_listen(struct uk_sock *s, int backlog)
{
	struct unix_sock *u = (struct unix_sock *)s;
	unsigned long irqf = ukplat_lcpu_save_irqf();
	int r = 0;

	if (!u->bound || u->state == U_CONNECTED) {
		r = -EINVAL;    /* Linux: no listen on an unbound or connected socket */
	} else {
		u->backlog = (unsigned int)backlog > SOMAXCONN ? SOMAXCONN : (unsigned int)backlog;
		u->state = U_LISTEN;
		unix_wake_peers(u);     /* a larger backlog: room for waiting connects */
	}
	ukplat_lcpu_restore_irqf(irqf);
	return r;
}

int unix_stream_accept(struct uk_sock *s, struct uk_sock **child, struct uk_sockaddr_storage *a,
		       unsigned int *len, bool nonblock)
{
	struct unix_sock *u = (struct unix_sock *)s, *c;
	uint64_t deadline = unix_deadline(s->rcvtimeo_ms);
	unsigned long irqf;
	int r = 0;

	if (u->state != U_LISTEN)
		return -EINVAL;
	irqf = ukplat_lcpu_save_irqf();
	while (!u->qhead) {
		if (u->dead || (u->shut & RCV_SHUT)) {
			r = -EINVAL;
			break;
		}
		if (nonblock) {
			r = -EAGAIN;
			break;
		}
		r = unix_wait(u, deadline);
		if (r)
			break;
	}
	if (!r) {
		c = u->qhead;
		u->qhead = c->qnext;
		if (!u->qhead)
			u->qtail = NULL;
		c->qnext = NULL;
		u->qlen--;
		unix_wake_peers(u);
		/* the client's name (unnamed: the family alone) */
		if (c->palen) {
			memcpy(a, c->paddr, c->palen);
			*len = c->palen;
		} else {
			a->ss_family = UK_AF_UNIX;
			*len = sizeof(a->ss_family);
		}
		*child = &c->s;
	}
	ukplat_lcpu_restore_irqf(irqf);
	return r;
}

/* accept4 found no free fd: the connection goes back to the queue's head */
void unix_stream_unaccept(struct uk_sock *s, struct uk_sock *child)
{
	struct unix_sock *u = (struct unix_sock *)s, *c = (struct unix_sock *)child;
	unsigned long irqf = ukplat_lcpu_save_irqf();
	bool gone = u->dead;

	if (!gone) {
		c->qnext = u->qhead;
		u->qhead = c;
		if (!u->qtail)
			u->qtail = c;
		u->qlen++;
	}
	ukplat_lcpu_restore_irqf(irqf);
	if (gone)
		unix_release_sock(c);
}

/* Linux's order: the address, then the name's lookup (ENOENT,
 * ECONNREFUSED), then this socket's state (EISCONN, EINVAL). */
int unix_stream_connect(struct uk_sock *s, const struct uk_sockaddr_storage *addr,
			unsigned int alen, bool nonblock)
{
	struct unix_sock *u = (struct unix_sock *)s, *o, *e;
	uint64_t deadline = unix_deadline(s->sndtimeo_ms);
	unsigned long irqf;
	int r;

	r = unix_addr_check(addr, alen);
	if (!r)
		r = unix_passcred_autobind(u);
	if (r)
		return r;
	e = unix_new(s->type);          /* the server's end */
	if (!e)
		return -ENOMEM;
	for (;;) {
		r = unix_find(addr, alen, s->type, &o);
		if (r)
			break;
		irqf = ukplat_lcpu_save_irqf();
		if (o->state != U_LISTEN || o->dead || (o->shut & RCV_SHUT)) {
			r = -ECONNREFUSED;
		} else if (u->state != U_CLOSE) {
			r = u->state == U_CONNECTED ? -EISCONN : -EINVAL;
		} else if (o->qlen > o->backlog) {
			r = nonblock ? -EAGAIN : unix_wait_peer(o, deadline);
			if (!r) {
				ukplat_lcpu_restore_irqf(irqf);
				unix_put(o);
				continue;       /* room, or the listener went: look again */
			}
		} else {
			e->state = U_CONNECTED;
			e->peer = u;
			u->peer = e;
			u->state = U_CONNECTED;
			/* the server's end is named as its listener; each end
			 * keeps the other's name */
			memcpy(e->addr, o->addr, o->alen);
			e->alen = o->alen;
			memcpy(u->paddr, o->addr, o->alen);
			u->palen = o->alen;
			memcpy(e->paddr, u->addr, u->alen);
			e->palen = u->alen;
			if (o->qtail)
				o->qtail->qnext = e;
			else
				o->qhead = e;
			o->qtail = e;
			o->qlen++;
			sock_wake(&o->s);
			e = NULL;
		}
		ukplat_lcpu_restore_irqf(irqf);
		unix_put(o);
		break;
	}
	unix_put(e);
	return r;
}

const struct uk_sock_ops unix_stream_ops = {
	.bind = unix_bind,
	.connect = unix_stream_connect,
	.listen = unix_stream_listen,
	.accept = unix_stream_accept,
	.unaccept = unix_stream_unaccept,
	.shutdown = unix_shutdown,
	.getname = unix_getname,
	.sendmsg = stream_send,
	.recvmsg = stream_recv,
	.getsockopt = unix_getsockopt,
	.poll = stream_poll,
	.ioctl = unix_ioctl,
	.release = unix_release,
};
