/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UDP sockets over lwIP's raw API (udp_*). Received datagrams wait in a
 * queue (each lwIP's pbuf and its sender) up to SO_RCVBUF bytes; beyond
 * that, or without memory for the entry, a datagram is dropped, as a
 * full Linux socket drops. A send is one datagram (a sendmsg vector is
 * gathered into one pbuf); no memory for it is ENOBUFS.
 */
#include <uk/alloc.h>
#include <uk/uaccess.h>
#include <uk/linux/ioctl.h>
#include <lwip/udp.h>
#include <lwip/pbuf.h>
#include "inet.h"

/* The largest UDP payload over IPv4 (65535 - 20 - 8). */
#define UDP_MAX 65507

struct dgram {
	struct dgram *next;
	struct pbuf *p;
	ip_addr_t from;
	uint16_t port;
};

struct udp_sock {
	struct uk_sock s;
	struct udp_pcb *pcb;
	struct dgram *head, *tail;
	size_t queued;              /* bytes in the queue */
	bool connected, shut_rd, shut_wr;
	int err;
};

#define U(s) ((struct udp_sock *)(s))

static struct uk_alloc *a(void)
{
	return uk_alloc_get_default();
}

/* lwIP callback, lock held. */
static void on_recv(void *arg, struct udp_pcb *pcb __unused, struct pbuf *p,
		    const ip_addr_t *addr, u16_t port)
{
	struct udp_sock *u = arg;
	struct dgram *d;

	if (u->shut_rd || u->queued + p->tot_len > (size_t)u->s.rcvbuf ||
	    !(d = uk_malloc(a(), sizeof(*d)))) {
		pbuf_free(p);
		return;
	}
	d->next = NULL;
	d->p = p;
	ip_addr_copy(d->from, *addr);
	d->port = port;
	if (u->tail)
		u->tail->next = d;
	else
		u->head = d;
	u->tail = d;
	u->queued += p->tot_len;
	sock_wake(&u->s);
}

static int udp_bind_op(struct uk_sock *s, const struct uk_sockaddr_storage *sa, unsigned int len)
{
	struct udp_sock *u = U(s);
	ip_addr_t ip;
	uint16_t port;
	int r = inet_addr_in(s->family, sa, len, &ip, &port);

	if (r)
		return r;
	uk_lwip_lock();
	if (u->pcb->local_port)
		r = -EINVAL;
	else
		r = inet_errno(udp_bind(u->pcb, &ip, port));
	uk_lwip_unlock();
	return r;
}

static int udp_connect_op(struct uk_sock *s, const struct uk_sockaddr_storage *sa,
			  unsigned int len, bool nonblock __unused)
{
	struct udp_sock *u = U(s);
	ip_addr_t ip;
	uint16_t port;
	int r = 0;

	if (len >= sizeof(sa->ss_family) && sa->ss_family == UK_AF_UNSPEC) {
		uk_lwip_lock();
		udp_disconnect(u->pcb);
		u->connected = false;
		uk_lwip_unlock();
		return 0;
	}
	r = inet_addr_in(s->family, sa, len, &ip, &port);
	if (r)
		return r;
	uk_lwip_lock();
	r = inet_errno(udp_connect(u->pcb, &ip, port));
	if (!r)
		u->connected = true;
	uk_lwip_unlock();
	return r;
}

static long udp_send_op(struct uk_sock *s, struct sock_io *io, int flags __unused,
			const struct uk_sockaddr_storage *to, unsigned int tolen,
			bool nonblock __unused)
{
	struct udp_sock *u = U(s);
	size_t n = io->left;
	ip_addr_t ip;
	uint16_t port = 0;
	struct pbuf *p;
	long r;

	if (n > UDP_MAX)
		return -EMSGSIZE;
	if (to) {
		r = inet_addr_in(s->family, to, tolen, &ip, &port);
		if (r)
			return r;
	}
	uk_lwip_lock();
	if (u->shut_wr) {
		r = -EPIPE;
		goto out;
	}
	if (!to && !u->connected) {
		r = -EDESTADDRREQ;
		goto out;
	}
	p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)n, PBUF_RAM);
	if (!p) {
		r = -ENOBUFS;
		goto out;
	}
	sock_io_get(io, p->payload, n);     /* PBUF_RAM: one contiguous payload */
	r = inet_errno(to ? udp_sendto(u->pcb, p, &ip, port) : udp_send(u->pcb, p));
	pbuf_free(p);
	if (r == -ENOMEM)
		r = -ENOBUFS;
	if (!r)
		r = (long)n;
out:
	uk_lwip_unlock();
	return r;
}

static long udp_recv_op(struct uk_sock *s, struct sock_io *io, int flags,
			struct uk_sockaddr_storage *from, unsigned int *fromlen,
			unsigned int *mflags, bool nonblock)
{
	struct udp_sock *u = U(s);
	uint64_t deadline = inet_deadline(s->rcvtimeo_ms);
	struct dgram *d;
	size_t n, off = 0;
	long r = 0;

	*fromlen = 0;
	if (flags & UK_MSG_OOB)
		return -EOPNOTSUPP;
	uk_lwip_lock();
	while (!u->head) {
		if (u->err) {
			r = -u->err;
			u->err = 0;
			goto out;
		}
		if (u->shut_rd)
			goto out;       /* 0 */
		if (nonblock) {
			r = -EAGAIN;
			goto out;
		}
		r = inet_wait(s, deadline);
		if (r)
			goto out;
	}
	d = u->head;
	n = UK_MIN(io->left, (size_t)d->p->tot_len);
	while (off < n) {
		void *dst;
		size_t c = sock_io_chunk(io, &dst, n - off);

		pbuf_copy_partial(d->p, dst, (u16_t)c, (u16_t)off);
		sock_io_advance(io, c);
		off += c;
	}
	if (n < d->p->tot_len)
		*mflags |= UK_MSG_TRUNC;
	/* MSG_TRUNC asks for the datagram's real length */
	r = (flags & UK_MSG_TRUNC) ? (long)d->p->tot_len : (long)n;
	if (from)
		inet_addr_out(s->family, &d->from, d->port, from, fromlen);
	if (!(flags & UK_MSG_PEEK)) {
		u->head = d->next;
		if (!u->head)
			u->tail = NULL;
		u->queued -= d->p->tot_len;
		pbuf_free(d->p);
		uk_free(a(), d);
	}
out:
	uk_lwip_unlock();
	return r;
}

static int udp_shutdown_op(struct uk_sock *s, int how)
{
	struct udp_sock *u = U(s);
	int r = 0;

	uk_lwip_lock();
	if (!u->connected) {
		r = -ENOTCONN;
	} else {
		if (how != UK_SHUT_WR)
			u->shut_rd = true;
		if (how != UK_SHUT_RD)
			u->shut_wr = true;
		sock_wake(s);
	}
	uk_lwip_unlock();
	return r;
}

static int udp_getname_op(struct uk_sock *s, struct uk_sockaddr_storage *sa,
			  unsigned int *len, bool peer)
{
	struct udp_sock *u = U(s);
	int r = 0;

	uk_lwip_lock();
	if (peer && !u->connected)
		r = -ENOTCONN;
	else if (peer)
		inet_addr_out(s->family, &u->pcb->remote_ip, u->pcb->remote_port, sa, len);
	else
		inet_addr_out(s->family, &u->pcb->local_ip, u->pcb->local_port, sa, len);
	uk_lwip_unlock();
	return r;
}

static int udp_setsockopt_op(struct uk_sock *s, int level, int name, const void *val,
			     unsigned int len)
{
	struct udp_sock *u = U(s);
	int v = 0, r = 0;

	if (len >= sizeof(int))
		__builtin_memcpy(&v, val, sizeof(int));
	uk_lwip_lock();
	if (level == UK_SOL_SOCKET && name == UK_SO_REUSEADDR) {
		if (s->reuseaddr)
			ip_set_option(u->pcb, SOF_REUSEADDR);
		else
			ip_reset_option(u->pcb, SOF_REUSEADDR);
	} else if (level == UK_SOL_SOCKET && name == UK_SO_BROADCAST) {
		if (s->broadcast)
			ip_set_option(u->pcb, SOF_BROADCAST);
		else
			ip_reset_option(u->pcb, SOF_BROADCAST);
	} else if (len < sizeof(int) && level != UK_SOL_SOCKET) {
		r = -EINVAL;
	} else if (level == UK_IPPROTO_IP && name == UK_IP_TOS) {
		u->pcb->tos = (u8_t)v;
	} else if (level == UK_IPPROTO_IP && name == UK_IP_TTL) {
		if (v < 1 || v > 255)
			r = -EINVAL;
		else
			u->pcb->ttl = (u8_t)v;
	} else if (level == UK_IPPROTO_IPV6 && name == UK_IPV6_V6ONLY &&
		   s->family == UK_AF_INET6) {
		r = 0;          /* accepted: sockets stay dual stack */
	} else {
		r = -ENOPROTOOPT;
	}
	uk_lwip_unlock();
	return r;
}

static int udp_getsockopt_op(struct uk_sock *s, int level, int name, void *val,
			     unsigned int *len)
{
	struct udp_sock *u = U(s);
	int v;

	uk_lwip_lock();
	if (level == UK_SOL_SOCKET && name == UK_SO_ERROR) {
		v = u->err;
		u->err = 0;
	} else if (level == UK_IPPROTO_IP && name == UK_IP_TOS) {
		v = u->pcb->tos;
	} else if (level == UK_IPPROTO_IP && name == UK_IP_TTL) {
		v = u->pcb->ttl;
	} else {
		uk_lwip_unlock();
		return level == UK_SOL_SOCKET || level == UK_IPPROTO_IP ? -ENOPROTOOPT
									: -EOPNOTSUPP;
	}
	uk_lwip_unlock();
	__builtin_memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

static unsigned int udp_poll_op(struct uk_sock *s)
{
	struct udp_sock *u = U(s);
	unsigned int ev = UK_POLLOUT | UK_POLLWRNORM;

	uk_lwip_lock();
	if (u->head || u->shut_rd)
		ev |= UK_POLLIN | UK_POLLRDNORM;
	if (u->shut_rd && u->shut_wr)
		ev |= UK_POLLHUP;
	if (u->err)
		ev |= UK_POLLERR;
	uk_lwip_unlock();
	return ev;
}

static long udp_ioctl_op(struct uk_sock *s, unsigned int cmd, unsigned long arg)
{
	struct udp_sock *u = U(s);
	int n;

	if (cmd != UK_FIONREAD)
		return -ENOTTY;
	uk_lwip_lock();
	n = u->head ? u->head->p->tot_len : 0;      /* the next datagram's size */
	uk_lwip_unlock();
	return uk_copy_to_user((void *)arg, &n, sizeof(n));
}

static void udp_release_op(struct uk_sock *s)
{
	struct udp_sock *u = U(s);

	uk_lwip_lock();
	udp_remove(u->pcb);
	while (u->head) {
		struct dgram *d = u->head;

		u->head = d->next;
		pbuf_free(d->p);
		uk_free(a(), d);
	}
	uk_lwip_unlock();
	uk_free(a(), u);
}

static int udp_no_listen(struct uk_sock *s __unused, int backlog __unused)
{
	return -EOPNOTSUPP;
}

static int udp_no_accept(struct uk_sock *s __unused, struct uk_sock **c __unused,
			 struct uk_sockaddr_storage *sa __unused, unsigned int *len __unused,
			 bool nonblock __unused)
{
	return -EOPNOTSUPP;
}

static const struct uk_sock_ops udp_ops = {
	.bind = udp_bind_op,
	.connect = udp_connect_op,
	.listen = udp_no_listen,
	.accept = udp_no_accept,
	.shutdown = udp_shutdown_op,
	.getname = udp_getname_op,
	.sendmsg = udp_send_op,
	.recvmsg = udp_recv_op,
	.setsockopt = udp_setsockopt_op,
	.getsockopt = udp_getsockopt_op,
	.poll = udp_poll_op,
	.ioctl = udp_ioctl_op,
	.release = udp_release_op,
};

int inet_udp_socket(int family, struct uk_sock **s)
{
	struct udp_sock *u = uk_calloc(a(), 1, sizeof(*u));

	if (!u)
		return -ENOMEM;
	u->s.ops = &udp_ops;
	u->s.family = family;
	u->s.type = UK_SOCK_DGRAM;
	u->s.protocol = UK_IPPROTO_UDP;
	u->s.rcvbuf = 212992;           /* Linux's default */
	u->s.sndbuf = 212992;
	uk_lwip_lock();
	u->pcb = udp_new_ip_type(inet_iptype(family));
	if (u->pcb)
		udp_recv(u->pcb, on_recv, u);
	uk_lwip_unlock();
	if (!u->pcb) {
		uk_free(a(), u);
		return -ENOBUFS;
	}
	*s = &u->s;
	return 0;
}
