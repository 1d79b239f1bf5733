/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP sockets over lwIP's raw API (tcp_*). One struct tcp_sock per
 * socket; its pcb is lwIP's connection (NULL once lwIP freed it: reset,
 * abort, or our close). Received data stays in lwIP's pbufs, queued here,
 * until read: the window is reopened (tcp_recved) only for what the
 * application consumed, so a slow reader throttles the sender as on
 * Linux. A listener queues the connections lwIP accepted (each already a
 * tcp_sock, without a file) until accept() takes them.
 *
 * Errors as Linux reports them: a refused connect is ECONNREFUSED (from
 * connect, or SO_ERROR after a non-blocking one), a reset connection
 * gives ECONNRESET once and then end of file / EPIPE; writing after
 * SHUT_WR is EPIPE (SIGPIPE from the core); no memory for a pcb or a
 * segment is ENOBUFS / EAGAIN on a non-blocking socket, never a crash.
 */
#include <uk/alloc.h>
#include <uk/uaccess.h>
#include <uk/linux/ioctl.h>
#include <lwip/tcp.h>
#include "inet.h"

#ifndef CONFIG_LIBUKSCHED
#error "AF_INET sockets need a scheduler (lwIP runs a tcpip thread): set CONFIG_UKSCHED_PREEMPT=y or CONFIG_UKSCHED_COOP=y (it is the default unless UKSCHED_NONE was chosen by hand)"
#endif

enum tstate {
	T_NEW,          /* no connection (maybe bound) */
	T_LISTEN,
	T_CONNECTING,
	T_CONNECTED,    /* also after FIN/reset: see pcb, rx_fin, err */
	T_FAILED,       /* a connect that failed: a new one may be tried */
};

struct tcp_sock {
	struct uk_sock s;
	struct tcp_pcb *pcb;
	enum tstate state;
	int err;                    /* pending error (positive errno), SO_ERROR */
	bool connect_told;          /* a completed non-blocking connect was reported */
	bool rx_fin, shut_rd, shut_wr, was_reset;
	struct pbuf *rx, *rx_tail;  /* unread data: pbufs linked by ->next */
	size_t rx_off, rx_len;      /* bytes of rx consumed, bytes unread */
	/* listener */
	struct tcp_sock *acc_head, *acc_tail, *next;
	int acc_n, acc_max;
	/* names kept for after lwIP freed the pcb */
	ip_addr_t lip, rip;
	uint16_t lport, rport;
	/* options */
	bool nodelay, cork;
	int keepidle, keepintvl, keepcnt, tos, ttl;
};

#define T(s) ((struct tcp_sock *)(s))

static struct uk_alloc *a(void)
{
	return uk_alloc_get_default();
}

static void apply_opts(struct tcp_sock *t)
{
	struct tcp_pcb *pcb = t->pcb;

	if (!pcb)
		return;
	if (t->s.reuseaddr)
		ip_set_option(pcb, SOF_REUSEADDR);
	else
		ip_reset_option(pcb, SOF_REUSEADDR);
	if (pcb->state == LISTEN)
		return;         /* a tcp_pcb_listen has no more fields */
	if (t->s.keepalive)
		ip_set_option(pcb, SOF_KEEPALIVE);
	else
		ip_reset_option(pcb, SOF_KEEPALIVE);
	if (t->nodelay)
		tcp_nagle_disable(pcb);
	else
		tcp_nagle_enable(pcb);
#if LWIP_TCP_KEEPALIVE
	pcb->keep_idle = (u32_t)t->keepidle * 1000;
	pcb->keep_intvl = (u32_t)t->keepintvl * 1000;
	pcb->keep_cnt = (u32_t)t->keepcnt;
#endif
	pcb->tos = (u8_t)t->tos;
	pcb->ttl = (u8_t)t->ttl;
}

static void save_names(struct tcp_sock *t)
{
	if (!t->pcb)
		return;
	ip_addr_copy(t->lip, t->pcb->local_ip);
	t->lport = t->pcb->local_port;
	if (t->pcb->state != LISTEN) {
		ip_addr_copy(t->rip, t->pcb->remote_ip);
		t->rport = t->pcb->remote_port;
	}
}

static void free_rx(struct tcp_sock *t)
{
	while (t->rx) {
		struct pbuf *n = t->rx->next;

		t->rx->next = NULL;
		pbuf_free(t->rx);
		t->rx = n;
	}
	t->rx_tail = NULL;
	t->rx_len = t->rx_off = 0;
}

/* --- lwIP callbacks (lock held) ------------------------------------------ */

static err_t on_recv(void *arg, struct tcp_pcb *pcb __unused, struct pbuf *p, err_t err __unused)
{
	struct tcp_sock *t = arg;
	struct pbuf *q;

	if (!p) {
		t->rx_fin = true;
		sock_wake(&t->s);
		return ERR_OK;
	}
	if (t->rx)
		t->rx_tail->next = p;
	else
		t->rx = p;
	for (q = p; q->next; q = q->next)
		;
	t->rx_tail = q;
	t->rx_len += p->tot_len;
	sock_wake(&t->s);
	return ERR_OK;
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb __unused, u16_t len __unused)
{
	sock_wake(&((struct tcp_sock *)arg)->s);
	return ERR_OK;
}

/* lwIP freed the pcb already. */
static void on_err(void *arg, err_t err)
{
	struct tcp_sock *t = arg;

	t->pcb = NULL;
	if (t->state == T_CONNECTING) {
		t->state = T_FAILED;
		t->err = err == ERR_RST ? ECONNREFUSED : -inet_errno(err);
	} else {
		t->err = err == ERR_ABRT ? ECONNABORTED : ECONNRESET;
		t->was_reset = true;
	}
	sock_wake(&t->s);
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb __unused, err_t err __unused)
{
	struct tcp_sock *t = arg;

	t->state = T_CONNECTED;
	save_names(t);
	sock_wake(&t->s);
	return ERR_OK;
}

static void hook(struct tcp_sock *t)
{
	tcp_arg(t->pcb, t);
	tcp_recv(t->pcb, on_recv);
	tcp_sent(t->pcb, on_sent);
	tcp_err(t->pcb, on_err);
}

static void unhook(struct tcp_pcb *pcb)
{
	tcp_arg(pcb, NULL);
	tcp_recv(pcb, NULL);    /* lwIP's tcp_recv_null then frees what comes */
	tcp_sent(pcb, NULL);
	tcp_err(pcb, NULL);
}

static struct tcp_sock *tcp_sock_new(int family);

static err_t on_accept(void *arg, struct tcp_pcb *npcb, err_t err)
{
	struct tcp_sock *l = arg, *c;

	if (err != ERR_OK || !npcb)
		return ERR_VAL;
	if (l->acc_n >= l->acc_max)
		return ERR_MEM;         /* queue full: lwIP resets this one */
	c = tcp_sock_new(l->s.family);
	if (!c)
		return ERR_MEM;
	/* inherited as on Linux */
	c->s.reuseaddr = l->s.reuseaddr;
	c->s.keepalive = l->s.keepalive;
	c->s.rcvbuf = l->s.rcvbuf;
	c->s.sndbuf = l->s.sndbuf;
	c->s.linger = l->s.linger;
	c->nodelay = l->nodelay;
	c->keepidle = l->keepidle;
	c->keepintvl = l->keepintvl;
	c->keepcnt = l->keepcnt;
	c->pcb = npcb;
	c->state = T_CONNECTED;
	c->connect_told = true;
	hook(c);
	apply_opts(c);
	save_names(c);
	if (l->acc_tail)
		l->acc_tail->next = c;
	else
		l->acc_head = c;
	l->acc_tail = c;
	l->acc_n++;
	sock_wake(&l->s);
	return ERR_OK;
}

/* --- ops ----------------------------------------------------------------- */

/* A pcb for a socket whose last connect failed (lwIP freed the old one). */
static int renew_pcb(struct tcp_sock *t)
{
	if (t->pcb)
		return 0;
	t->pcb = tcp_new_ip_type(inet_iptype(t->s.family));
	if (!t->pcb)
		return -ENOBUFS;
	hook(t);
	apply_opts(t);
	t->state = T_NEW;
	return 0;
}

static int tcp_bind_op(struct uk_sock *s, const struct uk_sockaddr_storage *sa, unsigned int len)
{
	struct tcp_sock *t = T(s);
	ip_addr_t ip;
	uint16_t port;
	int r = inet_addr_in(s->family, sa, len, &ip, &port);

	if (r)
		return r;
	uk_lwip_lock();
	if (t->state != T_NEW || !t->pcb || t->pcb->local_port) {
		r = -EINVAL;
	} else {
		apply_opts(t);
		r = inet_errno(tcp_bind(t->pcb, &ip, port));
		save_names(t);
	}
	uk_lwip_unlock();
	return r;
}

static int tcp_listen_op(struct uk_sock *s, int backlog)
{
	struct tcp_sock *t = T(s);
	struct tcp_pcb *l;
	err_t e = ERR_OK;
	int r = 0;

	backlog = backlog < 0 ? 0 : UK_MIN(backlog, 4096);
	uk_lwip_lock();
	if (t->state == T_LISTEN) {
		t->acc_max = backlog + 1;
		goto out;
	}
	if (t->state != T_NEW || !t->pcb) {
		r = -EINVAL;
		goto out;
	}
	apply_opts(t);
	if (!t->pcb->local_port) {      /* Linux binds a free port first */
		r = inet_errno(tcp_bind(t->pcb, inet_any(s->family), 0));
		if (r)
			goto out;
	}
	l = tcp_listen_with_backlog_and_err(t->pcb, (u8_t)UK_MIN(backlog + 1, 255), &e);
	if (!l) {
		r = e == ERR_USE ? -EADDRINUSE : -ENOBUFS;
		goto out;
	}
	t->pcb = l;             /* lwIP freed the old pcb */
	tcp_arg(l, t);
	tcp_accept(l, on_accept);
	t->state = T_LISTEN;
	t->acc_max = backlog + 1;
	save_names(t);
out:
	uk_lwip_unlock();
	return r;
}

static int tcp_accept_op(struct uk_sock *s, struct uk_sock **child,
			 struct uk_sockaddr_storage *sa, unsigned int *len, bool nonblock)
{
	struct tcp_sock *t = T(s), *c;
	uint64_t deadline = inet_deadline(s->rcvtimeo_ms);
	int r = 0;

	uk_lwip_lock();
	for (;;) {
		if (t->state != T_LISTEN) {
			r = -EINVAL;
			break;
		}
		if (t->acc_head)
			break;
		if (nonblock) {
			r = -EAGAIN;
			break;
		}
		r = inet_wait(s, deadline);
		if (r)
			break;
	}
	if (!r) {
		c = t->acc_head;
		t->acc_head = c->next;
		if (!t->acc_head)
			t->acc_tail = NULL;
		t->acc_n--;
		c->next = NULL;
		if (c->pcb)
			tcp_backlog_accepted(c->pcb);
		inet_addr_out(s->family, &c->rip, c->rport, sa, len);
		*child = &c->s;
	}
	uk_lwip_unlock();
	return r;
}

static void tcp_unaccept_op(struct uk_sock *s, struct uk_sock *child)
{
	struct tcp_sock *t = T(s), *c = T(child);

	uk_lwip_lock();
	c->next = t->acc_head;
	t->acc_head = c;
	if (!t->acc_tail)
		t->acc_tail = c;
	t->acc_n++;
	uk_lwip_unlock();
}

static int tcp_connect_op(struct uk_sock *s, const struct uk_sockaddr_storage *sa,
			  unsigned int len, bool nonblock)
{
	struct tcp_sock *t = T(s);
	uint64_t deadline = inet_deadline(s->sndtimeo_ms);
	ip_addr_t ip;
	uint16_t port;
	int r = inet_addr_in(s->family, sa, len, &ip, &port);

	if (r)
		return r;
	uk_lwip_lock();
	switch (t->state) {
	case T_LISTEN:
		r = -EINVAL;
		goto out;
	case T_CONNECTED:
		/* the first call after a non-blocking connect completed is 0 */
		r = t->connect_told ? -EISCONN : 0;
		t->connect_told = true;
		goto out;
	case T_CONNECTING:
		if (nonblock) {
			r = -EALREADY;
			goto out;
		}
		break;
	case T_FAILED:
	case T_NEW:
		r = renew_pcb(t);
		if (r)
			goto out;
		apply_opts(t);
		r = inet_errno(tcp_connect(t->pcb, &ip, port, on_connected));
		if (r) {
			if (r == -ENOMEM)
				r = -ENOBUFS;
			goto out;
		}
		t->state = T_CONNECTING;
		t->err = 0;
		save_names(t);
		if (nonblock) {
			t->connect_told = false;
			r = -EINPROGRESS;
			goto out;
		}
	}
	while (t->state == T_CONNECTING) {
		r = inet_wait(s, deadline);
		if (r) {
			/* SO_SNDTIMEO ran out: still connecting, as Linux says */
			if (r == -EAGAIN)
				r = -EINPROGRESS;
			goto out;
		}
	}
	if (t->state == T_CONNECTED) {
		t->connect_told = true;
		r = 0;
	} else {
		r = -(t->err ? t->err : ECONNREFUSED);
		t->err = 0;
	}
out:
	uk_lwip_unlock();
	return r;
}

static bool writable(struct tcp_sock *t)
{
	return t->pcb && tcp_sndbuf(t->pcb) > 0 &&
	       tcp_sndqueuelen(t->pcb) + 4 < TCP_SND_QUEUELEN;
}

/* No room to queue more: pushes out what is queued, then -EAGAIN for a
 * non-blocking send, else waits for a wake (lock held): inet_wait's
 * result, 0 to try again or -EAGAIN when SO_SNDTIMEO ran out. */
static int wait_for_room(struct uk_sock *s, struct tcp_sock *t, bool nonblock, uint64_t deadline)
{
	tcp_output(t->pcb);
	return nonblock ? -EAGAIN : inet_wait(s, deadline);
}

static long tcp_send_op(struct uk_sock *s, struct sock_io *io, int flags,
			const struct uk_sockaddr_storage *to __unused, unsigned int tolen __unused,
			bool nonblock)
{
	struct tcp_sock *t = T(s);
	uint64_t deadline = inet_deadline(s->sndtimeo_ms);
	size_t done = 0;
	long r = 0;

	uk_lwip_lock();
	while (io->left) {
		void *p;
		size_t n;
		err_t e;

		if (t->err && t->state == T_CONNECTED) {
			r = -t->err;
			t->err = 0;
			break;
		}
		if (t->shut_wr || t->was_reset) {
			r = -EPIPE;
			break;
		}
		if (t->state == T_CONNECTING) {
			if (nonblock) {
				r = -EAGAIN;
				break;
			}
			r = inet_wait(s, deadline);
			if (r)
				break;
			continue;
		}
		if (t->state != T_CONNECTED || !t->pcb) {
			r = t->state == T_CONNECTED ? -EPIPE : -ENOTCONN;
			break;
		}
		if (!writable(t)) {
			/* a blocking send waits for all of it; a
			 * non-blocking one returns what went */
			r = wait_for_room(s, t, nonblock, deadline);
			if (r)
				break;
			continue;
		}
		n = sock_io_chunk(io, &p, UK_MIN(tcp_sndbuf(t->pcb), 0xffffu));
		for (;;) {
			u8_t wf = TCP_WRITE_FLAG_COPY;

			if (n < io->left || (flags & UK_MSG_MORE) || t->cork)
				wf |= TCP_WRITE_FLAG_MORE;
			e = tcp_write(t->pcb, p, (u16_t)n, wf);
			if (e != ERR_MEM || n <= 536)
				break;
			n /= 2;         /* too many segments at once: try less */
		}
		if (e == ERR_MEM) {
			/* lwIP has no memory for the segment: the
			 * buffer is full as far as the caller can tell */
			r = wait_for_room(s, t, nonblock, deadline);
			if (r)
				break;
			continue;
		}
		if (e != ERR_OK) {
			r = inet_errno(e);
			break;
		}
		sock_io_advance(io, n);
		done += n;
	}
	if (done && t->pcb && !t->cork && !(flags & UK_MSG_MORE))
		tcp_output(t->pcb);
	uk_lwip_unlock();
	return done ? (long)done : r;
}

/* Copies up to io->left unread bytes (lock held); consumes them unless
 * peek. Returns the count. */
static size_t take_rx(struct tcp_sock *t, struct sock_io *io, bool peek)
{
	struct pbuf *p = t->rx;
	size_t off = t->rx_off, got = 0;

	while (p && io->left) {
		size_t c = UK_MIN(io->left, (size_t)p->len - off);

		sock_io_put(io, (char *)p->payload + off, c);
		got += c;
		off += c;
		if (off == p->len) {
			p = p->next;
			off = 0;
		}
	}
	if (peek)
		return got;
	while (t->rx != p) {
		struct pbuf *n = t->rx->next;

		t->rx->next = NULL;
		pbuf_free(t->rx);
		t->rx = n;
	}
	if (!t->rx)
		t->rx_tail = NULL;
	t->rx_off = off;
	t->rx_len -= got;
	if (t->pcb) {
		size_t left = got;

		while (left) {
			u16_t c = (u16_t)UK_MIN(left, 0xffffu);

			tcp_recved(t->pcb, c);
			left -= c;
		}
	}
	return got;
}

static long tcp_recv_op(struct uk_sock *s, struct sock_io *io, int flags,
			struct uk_sockaddr_storage *from __unused, unsigned int *fromlen,
			unsigned int *mflags __unused, bool nonblock)
{
	struct tcp_sock *t = T(s);
	bool peek = flags & UK_MSG_PEEK;
	uint64_t deadline = inet_deadline(s->rcvtimeo_ms);
	size_t done = 0;
	long r = 0;

	*fromlen = 0;
	if (flags & UK_MSG_OOB)
		return -EINVAL;
	if (!io->left)
		return 0;
	uk_lwip_lock();
	for (;;) {
		if (t->rx_len && !peek) {
			done += take_rx(t, io, false);
			if (!(flags & UK_MSG_WAITALL) || !io->left)
				break;
			continue;
		}
		if (t->rx_len && (t->rx_len >= io->left || !(flags & UK_MSG_WAITALL))) {
			done = take_rx(t, io, true);
			break;
		}
		if (t->err && t->state == T_CONNECTED) {
			if (!done) {
				r = -t->err;
				t->err = 0;
			}
			break;
		}
		if (t->rx_fin || t->shut_rd || t->was_reset) {
			if (peek && t->rx_len)
				done = take_rx(t, io, true);
			break;          /* end of file */
		}
		if (t->state != T_CONNECTED && t->state != T_CONNECTING) {
			r = -ENOTCONN;
			break;
		}
		if (nonblock) {
			r = -EAGAIN;
			break;
		}
		r = inet_wait(s, deadline);
		if (r)
			break;
	}
	uk_lwip_unlock();
	return done ? (long)done : r;
}

static int tcp_shutdown_op(struct uk_sock *s, int how)
{
	struct tcp_sock *t = T(s);
	int r = 0;

	uk_lwip_lock();
	if (t->state == T_LISTEN)
		goto out;
	if (t->state != T_CONNECTED) {
		r = -ENOTCONN;
		goto out;
	}
	if (how != UK_SHUT_WR)
		t->shut_rd = true;
	if (how != UK_SHUT_RD && !t->shut_wr) {
		t->shut_wr = true;
		if (t->pcb) {
			tcp_output(t->pcb);
			r = inet_errno(tcp_shutdown(t->pcb, 0, 1));
			if (r == -ENOMEM)
				r = 0;  /* lwIP sends the FIN from its timer */
		}
	}
	sock_wake(s);
out:
	uk_lwip_unlock();
	return r;
}

static int tcp_getname_op(struct uk_sock *s, struct uk_sockaddr_storage *sa,
			  unsigned int *len, bool peer)
{
	struct tcp_sock *t = T(s);
	int r = 0;

	uk_lwip_lock();
	if (t->pcb)
		save_names(t);
	if (peer && t->state != T_CONNECTED)
		r = -ENOTCONN;
	else if (peer)
		inet_addr_out(s->family, &t->rip, t->rport, sa, len);
	else
		inet_addr_out(s->family, &t->lip, t->lport, sa, len);
	uk_lwip_unlock();
	return r;
}

static int intval(const void *val, unsigned int len, int *v)
{
	if (len < sizeof(int))
		return -EINVAL;
	__builtin_memcpy(v, val, sizeof(int));
	return 0;
}

static int tcp_setsockopt_op(struct uk_sock *s, int level, int name, const void *val,
			     unsigned int len)
{
	struct tcp_sock *t = T(s);
	int v, r;

	if (level == UK_SOL_SOCKET) {
		if (name != UK_SO_REUSEADDR && name != UK_SO_KEEPALIVE)
			return -ENOPROTOOPT;
		uk_lwip_lock();
		apply_opts(t);  /* the core stored the value */
		uk_lwip_unlock();
		return 0;
	}
	if (level != UK_IPPROTO_TCP && level != UK_IPPROTO_IP && level != UK_IPPROTO_IPV6)
		return -ENOPROTOOPT;
	r = intval(val, len, &v);
	if (r)
		return r;
	uk_lwip_lock();
	if (level == UK_IPPROTO_IP) {
		if (name == UK_IP_TOS)
			t->tos = v & 0xff;
		else if (name == UK_IP_TTL)
			r = v == -1 ? (t->ttl = TCP_TTL, 0) : (v < 1 || v > 255) ? -EINVAL : (t->ttl = v, 0);
		else
			r = -ENOPROTOOPT;
	} else if (level == UK_IPPROTO_IPV6) {
		r = name == UK_IPV6_V6ONLY && s->family == UK_AF_INET6 ? 0 : -ENOPROTOOPT;
	} else {
		switch (name) {
		case UK_TCP_NODELAY:
			t->nodelay = !!v;
			break;
		case UK_TCP_CORK:
			t->cork = !!v;
			if (!v && t->pcb && t->state == T_CONNECTED)
				tcp_output(t->pcb);     /* uncorked: what waits goes */
			break;
		case UK_TCP_KEEPIDLE:
		case UK_TCP_KEEPINTVL:
			if (v < 1 || v > 32767)
				r = -EINVAL;
			else
				*(name == UK_TCP_KEEPIDLE ? &t->keepidle : &t->keepintvl) = v;
			break;
		case UK_TCP_KEEPCNT:
			if (v < 1 || v > 127)
				r = -EINVAL;
			else
				t->keepcnt = v;
			break;
		case UK_TCP_MAXSEG:
		case UK_TCP_DEFER_ACCEPT:
		case UK_TCP_QUICKACK:
		case UK_TCP_FASTOPEN:
			break;          /* accepted, no effect */
		default:
			r = -ENOPROTOOPT;
		}
	}
	if (!r)
		apply_opts(t);
	uk_lwip_unlock();
	return r;
}

static int tcp_getsockopt_op(struct uk_sock *s, int level, int name, void *val,
			     unsigned int *len)
{
	struct tcp_sock *t = T(s);
	int v;

	uk_lwip_lock();
	if (level == UK_SOL_SOCKET && name == UK_SO_ERROR) {
		v = t->err;
		t->err = 0;
	} else if (level == UK_SOL_SOCKET && name == UK_SO_ACCEPTCONN) {
		v = t->state == T_LISTEN;
	} else if (level == UK_IPPROTO_TCP && name == UK_TCP_NODELAY) {
		v = t->nodelay;
	} else if (level == UK_IPPROTO_TCP && name == UK_TCP_CORK) {
		v = t->cork;
	} else if (level == UK_IPPROTO_TCP && name == UK_TCP_KEEPIDLE) {
		v = t->keepidle;
	} else if (level == UK_IPPROTO_TCP && name == UK_TCP_KEEPINTVL) {
		v = t->keepintvl;
	} else if (level == UK_IPPROTO_TCP && name == UK_TCP_KEEPCNT) {
		v = t->keepcnt;
	} else if (level == UK_IPPROTO_TCP && name == UK_TCP_MAXSEG) {
		v = t->pcb && t->state == T_CONNECTED ? t->pcb->mss : TCP_MSS;
	} else if (level == UK_IPPROTO_IP && name == UK_IP_TOS) {
		v = t->tos;
	} else if (level == UK_IPPROTO_IP && name == UK_IP_TTL) {
		v = t->ttl;
	} else {
		uk_lwip_unlock();
		return level == UK_SOL_SOCKET || level == UK_IPPROTO_TCP ||
		       level == UK_IPPROTO_IP ? -ENOPROTOOPT : -EOPNOTSUPP;
	}
	uk_lwip_unlock();
	__builtin_memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

static unsigned int tcp_poll_op(struct uk_sock *s)
{
	struct tcp_sock *t = T(s);
	unsigned int ev = 0;

	uk_lwip_lock();
	switch (t->state) {
	case T_LISTEN:
		if (t->acc_head)
			ev |= UK_POLLIN | UK_POLLRDNORM;
		break;
	case T_CONNECTING:
		break;
	case T_NEW:
		ev |= UK_POLLOUT | UK_POLLWRNORM | UK_POLLHUP;
		break;
	case T_FAILED:
		ev |= UK_POLLOUT | UK_POLLWRNORM | UK_POLLHUP;
		break;
	case T_CONNECTED:
		if (t->rx_len)
			ev |= UK_POLLIN | UK_POLLRDNORM;
		if (t->rx_fin || t->shut_rd || t->was_reset)
			ev |= UK_POLLIN | UK_POLLRDNORM | UK_POLLRDHUP;
		if (t->shut_wr || t->was_reset || writable(t))
			ev |= UK_POLLOUT | UK_POLLWRNORM;
		if ((t->rx_fin && t->shut_wr) || t->was_reset || !t->pcb)
			ev |= UK_POLLHUP;
		break;
	}
	if (t->err)
		ev |= UK_POLLERR;
	uk_lwip_unlock();
	return ev;
}

static long tcp_ioctl_op(struct uk_sock *s, unsigned int cmd, unsigned long arg)
{
	struct tcp_sock *t = T(s);
	int n;

	if (cmd != UK_FIONREAD)
		return -ENOTTY;
	uk_lwip_lock();
	n = t->state == T_LISTEN ? -1 : (int)UK_MIN(t->rx_len, 0x7fffffffu);
	uk_lwip_unlock();
	if (n < 0)
		return -EINVAL;
	return uk_copy_to_user((void *)arg, &n, sizeof(n));
}

/* Lock held: ends t's connection and frees t. */
static void destroy(struct tcp_sock *t)
{
	struct tcp_pcb *pcb = t->pcb;

	if (pcb && t->state == T_LISTEN) {
		tcp_arg(pcb, NULL);
		tcp_accept(pcb, NULL);
		tcp_close(pcb);
	} else if (pcb) {
		unhook(pcb);
		/* unread data, or SO_LINGER 0: reset, as Linux does */
		if (t->rx_len || (t->s.linger.l_onoff && !t->s.linger.l_linger) ||
		    tcp_close(pcb) != ERR_OK)
			tcp_abort(pcb);
	}
	while (t->acc_head) {
		struct tcp_sock *c = t->acc_head;

		t->acc_head = c->next;
		if (c->pcb) {
			unhook(c->pcb);
			tcp_abort(c->pcb);
			c->pcb = NULL;
		}
		free_rx(c);
		uk_free(a(), c);
	}
	free_rx(t);
	uk_free(a(), t);
}

static void tcp_release_op(struct uk_sock *s)
{
	uk_lwip_lock();
	destroy(T(s));
	uk_lwip_unlock();
}

static const struct uk_sock_ops tcp_ops = {
	.bind = tcp_bind_op,
	.connect = tcp_connect_op,
	.listen = tcp_listen_op,
	.accept = tcp_accept_op,
	.unaccept = tcp_unaccept_op,
	.shutdown = tcp_shutdown_op,
	.getname = tcp_getname_op,
	.sendmsg = tcp_send_op,
	.recvmsg = tcp_recv_op,
	.setsockopt = tcp_setsockopt_op,
	.getsockopt = tcp_getsockopt_op,
	.poll = tcp_poll_op,
	.ioctl = tcp_ioctl_op,
	.release = tcp_release_op,
};

static struct tcp_sock *tcp_sock_new(int family)
{
	struct tcp_sock *t = uk_calloc(a(), 1, sizeof(*t));

	if (!t)
		return NULL;
	t->s.ops = &tcp_ops;
	t->s.family = family;
	t->s.type = UK_SOCK_STREAM;
	t->s.protocol = UK_IPPROTO_TCP;
	t->s.rcvbuf = TCP_WND;
	t->s.sndbuf = TCP_SND_BUF;
	t->keepidle = 7200;     /* Linux's defaults */
	t->keepintvl = 75;
	t->keepcnt = 9;
	t->ttl = TCP_TTL;
	return t;
}

int inet_tcp_socket(int family, struct uk_sock **s)
{
	struct tcp_sock *t = tcp_sock_new(family);

	if (!t)
		return -ENOMEM;
	uk_lwip_lock();
	t->pcb = tcp_new_ip_type(inet_iptype(family));
	if (t->pcb) {
		hook(t);
		apply_opts(t);
	}
	uk_lwip_unlock();
	if (!t->pcb) {
		uk_free(a(), t);
		return -ENOBUFS;        /* lwIP is out of pcbs */
	}
	*s = &t->s;
	return 0;
}
