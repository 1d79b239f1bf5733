/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AF_UNIX sockets: making them (socket, socketpair), their lifetime
 * (references, release), waiting, and the ops both types share (shutdown,
 * FIONREAD, SO_PEERCRED). Names are unix_name.c, SOCK_STREAM
 * unix_stream.c (and SOCK_SEQPACKET's connections), SOCK_SEQPACKET's
 * messages unix_seqpacket.c, SOCK_DGRAM unix_dgram.c; unix.h says how the state is
 * locked (interrupts masked) and how long a socket lives. Shutdown
 * follows Linux: on a stream (or seqpacket), SHUT_WR on one end is SHUT_RD on the other
 * (reads there see end of file), and a closed end shuts both directions of
 * the survivor (writes -EPIPE, reads EOF, poll POLLHUP; ECONNRESET once
 * when it closed with data unread or was never accepted).
 */
#include <uk/linux/ioctl.h>
#include <uk/uaccess.h>
#include <uk/syscall.h>
#include <string.h>
#include "unix.h"

static struct unix_sock *all_socks;

struct unix_sock *unix_all(void)
{
	return all_socks;
}

struct unix_sock *unix_new(int type)
{
	struct unix_sock *u = uk_calloc(unix_alloc(), 1, sizeof(*u));
	unsigned long irqf;

	if (!u)
		return NULL;
	if (type == UK_SOCK_STREAM) {
		u->buf = uk_malloc(unix_alloc(), UBUF);
		if (!u->buf) {
			uk_free(unix_alloc(), u);
			return NULL;
		}
	}
	u->refs = 1;
	u->s.ops = type == UK_SOCK_STREAM ? &unix_stream_ops :
		   type == UK_SOCK_SEQPACKET ? &unix_seqpacket_ops : &unix_dgram_ops;
	u->s.family = UK_AF_UNIX;
	u->s.type = type;
	u->s.protocol = 0;
	u->s.rcvbuf = u->s.sndbuf = UBUF;
#ifdef CONFIG_LIBUKLOCK
	uk_waitq_init(&u->peer_wait);
#endif
	irqf = ukplat_lcpu_save_irqf();
	u->anext = all_socks;
	if (all_socks)
		all_socks->aprev = &u->anext;
	u->aprev = &all_socks;
	all_socks = u;
	ukplat_lcpu_restore_irqf(irqf);
	return u;
}

void unix_get(struct unix_sock *u)
{
	unsigned long irqf = ukplat_lcpu_save_irqf();

	u->refs++;
	ukplat_lcpu_restore_irqf(irqf);
}

/* Unmasked: a stream's marks, with the files no receive took. */
static void free_marks(struct sock_scm *m)
{
	while (m) {
		struct sock_scm *n = m->next;

		sock_scm_free(m);
		m = n;
	}
}

/* Masked: takes w off o's list of connected datagram senders (if there). */
void unix_writer_del(struct unix_sock *o, struct unix_sock *w)
{
	struct unix_sock **pp;

	for (pp = &o->writers; *pp; pp = &(*pp)->wnext) {
		if (*pp == w) {
			*pp = w->wnext;
			w->wnext = NULL;
			return;
		}
	}
}

void unix_writer_add(struct unix_sock *o, struct unix_sock *w)
{
	w->wnext = o->writers;
	o->writers = w;
}

void unix_wake_writers(struct unix_sock *o)
{
	for (struct unix_sock *w = o->writers; w; w = w->wnext)
		sock_wake(&w->s);
}

static void free_dgrams(struct unix_dgram *d)
{
	while (d) {
		struct unix_dgram *n = d->next;

		unix_msg_free(d);
		d = n;
	}
}

void unix_put(struct unix_sock *u)
{
	unsigned long irqf;
	long left;

	if (!u)
		return;
	irqf = ukplat_lcpu_save_irqf();
	left = --u->refs;
	if (!left) {
		*u->aprev = u->anext;
		if (u->anext)
			u->anext->aprev = u->aprev;
	}
	ukplat_lcpu_restore_irqf(irqf);
	if (left)
		return;
	free_dgrams(u->dhead);
	free_marks(u->mhead);
	uk_free(unix_alloc(), u->buf);
	uk_free(unix_alloc(), u);
}

uint64_t unix_deadline(long ms)
{
	return ms > 0 ? uk_time_now_ns() + (uint64_t)ms * 1000000ull : 0;
}

int unix_wait(struct unix_sock *u, uint64_t deadline)
{
	int r;

	if (!deadline)
		return uk_file_wait_locked(u->s.file);
	r = uk_file_wait_until_locked(u->s.file, deadline);
	return r == -ETIMEDOUT ? -EAGAIN : r;
}

int unix_wait_peer(struct unix_sock *o __unused, uint64_t deadline __unused)
{
#ifdef CONFIG_LIBUKLOCK
	if (!deadline) {
		uk_waitq_wait_locked(&o->peer_wait);
		return 0;
	}
	return uk_waitq_wait_until_locked(&o->peer_wait, deadline) ? -EAGAIN : 0;
#else
	return -EAGAIN;
#endif
}

void unix_wake_peers(struct unix_sock *o __unused)
{
#ifdef CONFIG_LIBUKLOCK
	uk_waitq_wake_all(&o->peer_wait);
#endif
}

/* embryo: a connection never accepted (its client sees ECONNRESET) */
static void release_sock(struct unix_sock *u, bool embryo)
{
	unsigned long irqf = ukplat_lcpu_save_irqf();
	struct unix_sock *q, *dpeer = NULL;
	struct sock_scm *marks;
	struct unix_dgram *dq;
	struct uk_vnode *vn;

	u->dead = true;
	vn = unix_unbind_locked(u);
	q = u->qhead;
	u->qhead = u->qtail = NULL;
	u->qlen = 0;
	if (u->s.type != UK_SOCK_DGRAM) {
		struct unix_sock *p = u->peer;

		if (p) {
			p->shut = RCV_SHUT | SND_SHUT;
			if (u->len || u->dhead || embryo)
				p->err = ECONNRESET;
			p->peer = NULL;
			sock_wake(&p->s);
		}
	} else {
		dpeer = u->peer;
		if (dpeer)
			unix_writer_del(dpeer, u);
		/* senders connected here: a send is now ECONNREFUSED */
		while (u->writers) {
			struct unix_sock *w = u->writers;

			u->writers = w->wnext;
			w->wnext = NULL;
			sock_wake(&w->s);
		}
	}
	u->peer = NULL;
	marks = u->mhead;
	u->mhead = u->mtail = NULL;
	dq = u->dhead;
	u->dhead = u->dtail = NULL;
	u->dcount = 0;
	u->dbytes = 0;
	u->shut = RCV_SHUT | SND_SHUT;
	unix_wake_peers(u);
	ukplat_lcpu_restore_irqf(irqf);

	free_dgrams(dq);
	free_marks(marks);
	unix_put(dpeer);
	while (q) {
		struct unix_sock *n = q->qnext;

		release_sock(q, true);
		q = n;
	}
	unix_vnode_put(vn);
	unix_put(u);
}

void unix_release_sock(struct unix_sock *u)
{
	release_sock(u, false);
}

void unix_release(struct uk_sock *s)
{
	release_sock((struct unix_sock *)s, false);
}

int unix_passcred_autobind(struct unix_sock *u)
{
	struct uk_sockaddr_storage a = { .ss_family = UK_AF_UNIX };
	int r;

	if (!u->s.passcred || u->alen)
		return 0;
	r = unix_bind(&u->s, &a, sizeof(a.ss_family));
	return r == -EINVAL ? 0 : r;    /* named meanwhile */
}

int unix_shutdown(struct uk_sock *s, int how)
{
	struct unix_sock *u = (struct unix_sock *)s;
	unsigned long irqf = ukplat_lcpu_save_irqf();
	unsigned int mine = (how == UK_SHUT_RD ? RCV_SHUT : how == UK_SHUT_WR ? SND_SHUT
			     : RCV_SHUT | SND_SHUT);

	u->shut |= mine;
	/* a stream's peer sees the other half; a datagram peer nothing */
	if (u->peer && s->type != UK_SOCK_DGRAM) {
		u->peer->shut |= ((mine & RCV_SHUT) ? SND_SHUT : 0) |
				 ((mine & SND_SHUT) ? RCV_SHUT : 0);
		sock_wake(&u->peer->s);
	}
	sock_wake(s);
	unix_wake_peers(u);
	ukplat_lcpu_restore_irqf(irqf);
	return 0;
}

long unix_ioctl(struct uk_sock *s, unsigned int cmd, unsigned long arg)
{
	struct unix_sock *u = (struct unix_sock *)s;
	unsigned long irqf;
	int n;

	if (cmd != UK_FIONREAD)
		return -ENOTTY;
	if (u->state == U_LISTEN)
		return -EINVAL;
	irqf = ukplat_lcpu_save_irqf();
	/* a stream: bytes queued; seqpacket: every message's; datagrams: the
	 * next one's size (Linux's unix_inq_len) */
	if (s->type == UK_SOCK_STREAM) {
		n = (int)u->len;
	} else if (s->type == UK_SOCK_SEQPACKET) {
		n = (int)u->dbytes;
	} else {
		n = u->dhead ? (int)u->dhead->len : 0;
	}
	ukplat_lcpu_restore_irqf(irqf);
	return uk_copy_to_user((void *)arg, &n, sizeof(n));
}

int unix_getsockopt(struct uk_sock *s, int level, int name, void *val, unsigned int *len)
{
	struct unix_sock *u = (struct unix_sock *)s;

	if (level != UK_SOL_SOCKET)
		return -EOPNOTSUPP;
	if (name == UK_SO_ACCEPTCONN) {
		*(int *)val = u->state == U_LISTEN;
		*len = sizeof(int);
		return 0;
	}
	if (name == UK_SO_PEERCRED) {
		/* one process, root: the peer is this process, as it was when
		 * it connected (Linux: ENOTCONN... only for a stream never
		 * connected; an unconnected socket reads pid 0, ids -1) */
		struct uk_ucred c = { 0, (unsigned int)-1, (unsigned int)-1 };

		if (u->state == U_CONNECTED || u->state == U_LISTEN || u->peer) {
#ifdef CONFIG_LIBPOSIX_PROCESS
			c.pid = (int)uk_sys_getpid();
#else
			c.pid = 1;
#endif
			c.uid = c.gid = 0;
		}
		__builtin_memcpy(val, &c, sizeof(c));
		*len = sizeof(c);
		return 0;
	}
	return -ENOPROTOOPT;
}

int uk_unix_socket(int type, int protocol, struct uk_sock **sp)
{
	struct unix_sock *u;

	if (type == UK_SOCK_RAW)
		type = UK_SOCK_DGRAM;   /* as Linux (BSD had it) */
	if (type != UK_SOCK_STREAM && type != UK_SOCK_DGRAM && type != UK_SOCK_SEQPACKET)
		return -ESOCKTNOSUPPORT;
	if (protocol != 0 && protocol != UK_AF_UNIX)
		return -EPROTONOSUPPORT;
	u = unix_new(type);
	if (!u)
		return -ENOMEM;
	*sp = &u->s;
	return 0;
}

int uk_unix_socketpair(int type, int protocol, struct uk_sock **sa, struct uk_sock **sb)
{
	struct unix_sock *x, *y;
	int r;

	r = uk_unix_socket(type, protocol, sa);
	if (r)
		return r;
	r = uk_unix_socket(type, protocol, sb);
	if (r) {
		unix_put((struct unix_sock *)*sa);
		return r;
	}
	x = (struct unix_sock *)*sa;
	y = (struct unix_sock *)*sb;
	x->peer = y;
	y->peer = x;
	if (type == UK_SOCK_DGRAM) {
		x->refs++;      /* each holds the other (released by unix_release) */
		y->refs++;
		unix_writer_add(x, y);
		unix_writer_add(y, x);
	}
	x->state = y->state = U_CONNECTED;     /* both unnamed */
	return 0;
}
