/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AF_UNIX SOCK_DGRAM: datagrams, each carrying its sender's name (what
 * recvfrom reports: nothing for an unnamed sender), delivered whole or
 * cut (MSG_TRUNC). connect() sets a default peer (AF_UNSPEC removes it);
 * as on Linux, a socket connected to another one only takes datagrams
 * from that one (EPERM for the rest), a receiver's queue holds
 * UNIX_DGRAM_QLEN + 1 datagrams from senders it is not connected to (and
 * at most CONFIG_LIBPOSIX_SOCKET_UNIX_BUF bytes from anyone), after which
 * a send blocks or is -EAGAIN (and a socket connected to a full peer
 * polls not writable until a receive there makes room), and a send to a connected peer that closed
 * is ECONNREFUSED once (the socket is then unconnected: ENOTCONN).
 */
#include <uk/uaccess.h>
#include <string.h>
#include "unix.h"

/* Masked: o cannot take a datagram of len bytes from u now. */
static bool full(const struct unix_sock *o, const struct unix_sock *u, size_t len)
{
	if (o->dbytes + len > UBUF && o->dhead)
		return true;
	return o->peer != u && o->dcount > UNIX_DGRAM_QLEN;
}

static long dgram_send(struct uk_sock *s, struct sock_io *io, int flags __unused,
		       const struct uk_sockaddr_storage *to, unsigned int tolen, bool nonblock)
{
	struct unix_sock *u = (struct unix_sock *)s, *o = NULL;
	uint64_t deadline = unix_deadline(s->sndtimeo_ms);
	struct unix_dgram *d;
	unsigned long irqf;
	size_t len = io->left;
	long r = 0;

	if (len > UBUF)
		return -EMSGSIZE;
	if (to) {
		r = unix_find(to, tolen, UK_SOCK_DGRAM, &o);
		if (r)
			return r;
	} else {
		irqf = ukplat_lcpu_save_irqf();
		o = u->peer;
		if (o)
			o->refs++;
		ukplat_lcpu_restore_irqf(irqf);
		if (!o)
			return -ENOTCONN;
	}
	r = unix_passcred_autobind(u);
	if (r) {
		unix_put(o);
		return r;
	}
	d = unix_msg_new(io, len);
	if (!d) {
		unix_put(o);
		return -ENOBUFS;
	}
	irqf = ukplat_lcpu_save_irqf();
	d->alen = u->alen;
	memcpy(d->addr, u->addr, u->alen);
	for (;;) {
		if (u->shut & SND_SHUT) {
			r = -EPIPE;
		} else if (o->dead) {
			r = -ECONNREFUSED;
			if (u->peer == o) {
				u->peer = NULL;         /* disconnected: our reference goes */
				o->refs--;              /* (the caller's one keeps o) */
				unix_writer_del(o, u);
			}
		} else if (o->peer && o->peer != u) {
			r = -EPERM;
		} else if (o->shut & RCV_SHUT) {
			r = -EPIPE;
		} else if (full(o, u, len)) {
			r = nonblock ? -EAGAIN : unix_wait_peer(o, deadline);
			if (!r)
				continue;
		} else {
			unix_msg_push(o, d);
			d = NULL;
		}
		break;
	}
	ukplat_lcpu_restore_irqf(irqf);
	unix_msg_free(d);
	unix_put(o);
	return r ? r : (long)len;
}

static long dgram_recv(struct uk_sock *s, struct sock_io *io, int flags,
		       struct uk_sockaddr_storage *from, unsigned int *fromlen,
		       unsigned int *mflags, bool nonblock)
{
	struct unix_sock *u = (struct unix_sock *)s;
	uint64_t deadline = unix_deadline(s->rcvtimeo_ms);
	struct unix_dgram *d;
	unsigned long irqf;
	long r = 0;

	*fromlen = 0;
	irqf = ukplat_lcpu_save_irqf();
	while (!(d = u->dhead)) {
		if (u->shut & RCV_SHUT) {
			ukplat_lcpu_restore_irqf(irqf);
			return 0;
		}
		r = nonblock ? -EAGAIN : unix_wait(u, deadline);
		if (r) {
			ukplat_lcpu_restore_irqf(irqf);
			return r;
		}
	}
	if (from && d->alen) {
		memcpy(from, d->addr, d->alen);
		*fromlen = d->alen;
	}
	r = unix_msg_take(u, io, flags, mflags, &d);
	if (d) {
		unix_wake_peers(u);     /* room for blocked senders */
		unix_wake_writers(u);   /* and for connected ones' POLLOUT */
	}
	ukplat_lcpu_restore_irqf(irqf);
	unix_msg_free(d);
	return r;
}

static unsigned int dgram_poll(struct uk_sock *s)
{
	struct unix_sock *u = (struct unix_sock *)s, *o;
	unsigned long irqf = ukplat_lcpu_save_irqf();
	unsigned int ev = UK_POLLOUT | UK_POLLWRNORM | UK_POLLWRBAND;

	/* Linux's unix_dgram_poll: not writable while the connected peer's
	 * queue is full (a send would block); a reader's receive wakes us */
	o = u->peer;
	if (o && !o->dead && !(u->shut & SND_SHUT) && !(o->shut & RCV_SHUT) &&
	    (!o->peer || o->peer == u) && full(o, u, 1))
		ev = 0;

	if (u->shut & RCV_SHUT)
		ev |= UK_POLLIN | UK_POLLRDNORM | UK_POLLRDHUP;
	if (u->shut == (RCV_SHUT | SND_SHUT))
		ev |= UK_POLLHUP;
	if (u->dhead)
		ev |= UK_POLLIN | UK_POLLRDNORM;
	ukplat_lcpu_restore_irqf(irqf);
	return ev;
}

static int dgram_connect(struct uk_sock *s, const struct uk_sockaddr_storage *addr,
			 unsigned int alen, bool nonblock __unused)
{
	struct unix_sock *u = (struct unix_sock *)s, *o = NULL, *old;
	unsigned long irqf;
	int r;

	if (alen >= sizeof(addr->ss_family) && addr->ss_family == UK_AF_UNSPEC) {
		o = NULL;               /* disconnect */
	} else {
		r = unix_addr_check(addr, alen);
		if (!r)
			r = unix_passcred_autobind(u);
		if (!r)
			r = unix_find(addr, alen, UK_SOCK_DGRAM, &o);
		if (r)
			return r;
	}
	irqf = ukplat_lcpu_save_irqf();
	if (o && o->peer && o->peer != u) {
		ukplat_lcpu_restore_irqf(irqf);
		unix_put(o);
		return -EPERM;          /* it takes datagrams from its peer only */
	}
	old = u->peer;
	if (old)
		unix_writer_del(old, u);
	u->peer = o;                    /* our reference moves there */
	if (o)
		unix_writer_add(o, u);
	if (o) {
		memcpy(u->paddr, o->addr, o->alen);
		u->palen = o->alen;
	}
	ukplat_lcpu_restore_irqf(irqf);
	unix_put(old);
	return 0;
}

/* Linux: listen and accept are EOPNOTSUPP on a datagram socket. */
const struct uk_sock_ops unix_dgram_ops = {
	.bind = unix_bind,
	.connect = dgram_connect,
	.shutdown = unix_shutdown,
	.getname = unix_getname,
	.sendmsg = dgram_send,
	.recvmsg = dgram_recv,
	.getsockopt = unix_getsockopt,
	.poll = dgram_poll,
	.ioctl = unix_ioctl,
	.release = unix_release,
};
