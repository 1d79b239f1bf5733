/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AF_UNIX SOCK_SEQPACKET: a stream's connections (bind, listen, connect,
 * accept, socketpair: unix_stream.c, unix.c) carrying records, as Linux's
 * unix_seqpacket_*: each send is one message (an address given is
 * ignored), each receive takes one (cut to the buffer: MSG_TRUNC), end of
 * file once the peer shut down or closed and the queue is empty. Messages
 * queue at the receiver, at most CONFIG_LIBPOSIX_SOCKET_UNIX_BUF bytes;
 * then a send blocks (SO_SNDTIMEO) or is -EAGAIN.
 */
#include <uk/uaccess.h>
#include <string.h>
#include "unix.h"

static long seq_send(struct uk_sock *s, struct sock_io *io, int flags __unused,
		     const struct uk_sockaddr_storage *to __unused, unsigned int tolen __unused,
		     bool nonblock)
{
	struct unix_sock *u = (struct unix_sock *)s;
	uint64_t deadline = unix_deadline(s->sndtimeo_ms);
	size_t len = io->left;
	struct unix_dgram *d;
	unsigned long irqf;
	long r = 0;

	if (u->state != U_CONNECTED)
		return -ENOTCONN;
	if (len > UBUF)
		return -EMSGSIZE;
	d = unix_msg_new(io, len);
	if (!d)
		return -ENOBUFS;
	irqf = ukplat_lcpu_save_irqf();
	for (;;) {
		struct unix_sock *p = u->peer;

		if ((u->shut & SND_SHUT) || !p || (p->shut & RCV_SHUT)) {
			r = -EPIPE;
		} else if (p->dhead && p->dbytes + len > UBUF) {
			r = nonblock ? -EAGAIN : unix_wait(u, deadline);
			if (!r)
				continue;
		} else {
			unix_msg_push(p, d);
			d = NULL;
		}
		break;
	}
	ukplat_lcpu_restore_irqf(irqf);
	unix_msg_free(d);
	return r ? r : (long)len;
}

static long seq_recv(struct uk_sock *s, struct sock_io *io, int flags,
		     struct uk_sockaddr_storage *from, unsigned int *fromlen,
		     unsigned int *mflags, bool nonblock)
{
	struct unix_sock *u = (struct unix_sock *)s;
	uint64_t deadline = unix_deadline(s->rcvtimeo_ms);
	struct unix_dgram *d;
	unsigned long irqf;
	long r = 0;

	*fromlen = 0;
	if (u->state != U_CONNECTED)
		return -ENOTCONN;       /* Linux's unix_seqpacket_recvmsg */
	irqf = ukplat_lcpu_save_irqf();
	while (!(d = u->dhead)) {
		if (u->err) {
			r = -u->err;
			u->err = 0;
		} else if (u->shut & RCV_SHUT) {
			r = 0;
		} else {
			r = nonblock ? -EAGAIN : unix_wait(u, deadline);
			if (!r)
				continue;
		}
		ukplat_lcpu_restore_irqf(irqf);
		return r;
	}
	r = unix_msg_take(u, io, flags, mflags, &d);
	if (d && u->peer)
		sock_wake(&u->peer->s);         /* room for a blocked sender */
	if (from && u->palen) {
		memcpy(from, u->paddr, u->palen);
		*fromlen = u->palen;
	}
	ukplat_lcpu_restore_irqf(irqf);
	unix_msg_free(d);
	return r;
}

static unsigned int seq_poll(struct uk_sock *s)
{
	struct unix_sock *u = (struct unix_sock *)s;
	unsigned long irqf = ukplat_lcpu_save_irqf();
	unsigned int ev = 0;

	if (u->err)
		ev |= UK_POLLERR;
	if (u->shut & RCV_SHUT)
		ev |= UK_POLLIN | UK_POLLRDNORM | UK_POLLRDHUP;
	if (u->shut == (RCV_SHUT | SND_SHUT))
		ev |= UK_POLLHUP;
	if (u->dhead || u->qhead)
		ev |= UK_POLLIN | UK_POLLRDNORM;
	if (u->state == U_CLOSE)
		ev |= UK_POLLHUP;
	if (u->state != U_LISTEN &&
	    (!u->peer || (u->shut & SND_SHUT) || u->peer->dbytes < UBUF))
		ev |= UK_POLLOUT | UK_POLLWRNORM | UK_POLLWRBAND;
	ukplat_lcpu_restore_irqf(irqf);
	return ev;
}

const struct uk_sock_ops unix_seqpacket_ops = {
	.bind = unix_bind,
	.connect = unix_stream_connect,
	.listen = unix_stream_listen,
	.accept = unix_stream_accept,
	.unaccept = unix_stream_unaccept,
	.shutdown = unix_shutdown,
	.getname = unix_getname,
	.sendmsg = seq_send,
	.recvmsg = seq_recv,
	.getsockopt = unix_getsockopt,
	.poll = seq_poll,
	.ioctl = unix_ioctl,
	.release = unix_release,
};
