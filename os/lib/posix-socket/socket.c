/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The socket syscalls: socket, socketpair, bind, connect, listen, accept,
 * accept4, shutdown, getsockname, getpeername, sendto, recvfrom, sendmsg,
 * recvmsg; and the uk_file ops every socket shares (read, write, poll,
 * ioctl, fstat, release), so read/write/readv/writev/sendfile and the
 * event calls work on sockets. Each syscall checks and copies its
 * arguments, then calls the family's ops (sock.h). Options are sockopt.c.
 */
#include <uk/alloc.h>
#include <uk/fdtab.h>
#include <uk/uaccess.h>
#include <uk/syscall.h>
#include <uk/linux/ioctl.h>
#include "sock.h"

#define SIGPIPE 13

static uint64_t next_ino = 1;

/* --- the file side --------------------------------------------------- */

static bool nonblocking(struct uk_sock *s, int flags)
{
	return (s->file->flags & UK_O_NONBLOCK) || (flags & UK_MSG_DONTWAIT);
}

static long send_io(struct uk_sock *s, struct sock_io *io, int flags,
		    const struct uk_sockaddr_storage *to, unsigned int tolen)
{
	long r;

	if (!s->ops->sendmsg)
		return -EOPNOTSUPP;
	r = s->ops->sendmsg(s, io, flags, to, tolen, nonblocking(s, flags));
#ifdef CONFIG_LIBPOSIX_SIGNAL
	if (r == -EPIPE && !(flags & UK_MSG_NOSIGNAL))
		uk_sys_kill(0, SIGPIPE);
#endif
	return r;
}

/* Files received by a call with no control buffer (read, recv) are
 * closed, as Linux does; recvmsg (sock_scm_out) takes io->scm itself. */
static long recv_io(struct uk_sock *s, struct sock_io *io, int flags,
		    struct uk_sockaddr_storage *from, unsigned int *fromlen, unsigned int *mflags)
{
	unsigned int mf = 0, fl = 0;
	long r;

	if (!s->ops->recvmsg)
		return -EOPNOTSUPP;
	r = s->ops->recvmsg(s, io, flags, from, fromlen ? fromlen : &fl,
			    mflags ? mflags : &mf, nonblocking(s, flags));
	if (!mflags && io->scm) {
		sock_scm_free(io->scm);
		io->scm = NULL;
	}
	return r;
}

static long sock_read(struct uk_file *f, void *buf, size_t n, uint64_t *off __unused)
{
	struct sock_io io;
	int r = sock_io_init1(&io, buf, n, true);

	return r ? r : recv_io(f->priv, &io, 0, NULL, NULL, NULL);
}

static long sock_write(struct uk_file *f, const void *buf, size_t n, uint64_t *off __unused,
		       bool append __unused)
{
	struct sock_io io;
	int r = sock_io_init1(&io, (void *)buf, n, false);

	return r ? r : send_io(f->priv, &io, 0, NULL, 0);
}

static unsigned int sock_poll(struct uk_file *f)
{
	struct uk_sock *s = f->priv;

	return s->ops->poll ? s->ops->poll(s) : 0;
}

static long sock_ioctl(struct uk_file *f, unsigned int cmd, unsigned long arg)
{
	struct uk_sock *s = f->priv;

	return s->ops->ioctl ? s->ops->ioctl(s, cmd, arg) : -ENOTTY;
}

static int sock_fstat(struct uk_file *f, struct uk_stat *st)
{
	__builtin_memset(st, 0, sizeof(*st));
	st->st_mode = UK_S_IFSOCK | 0777;
	st->st_nlink = 1;
	st->st_ino = ((struct uk_sock *)f->priv)->ino;
	st->st_blksize = 4096;
	return 0;
}

static void sock_release(struct uk_file *f)
{
	struct uk_sock *s = f->priv;

	if (!s)         /* a file accept4 could not install: s lives on */
		return;
	s->file = NULL;
	s->ops->release(s);
}

static const struct uk_file_ops sock_file_ops = {
	.read = sock_read,
	.write = sock_write,
	.ioctl = sock_ioctl,
	.fstat = sock_fstat,
	.poll = sock_poll,
	.release = sock_release,
};

int sock_make_file(struct uk_sock *s, unsigned int oflags)
{
	struct uk_file *f = uk_file_alloc(&sock_file_ops, s,
					  UK_O_RDWR | (oflags & UK_O_NONBLOCK), 0);

	if (!f)
		return -ENOMEM;
	/* f->node stays NULL: vfscore's, and a socket names no dentry */
	s->ino = next_ino++;
	s->file = f;
	return 0;
}

/* s installed at the lowest free fd: the fd, or -EMFILE/-ENOMEM (s is then
 * released). */
static long install(struct uk_sock *s, unsigned int oflags)
{
	long fd;

	fd = sock_make_file(s, oflags);
	if (fd) {
		s->ops->release(s);
		return fd;
	}
	fd = uk_fdtab_install(s->file, 0, oflags & UK_O_CLOEXEC);
	uk_file_put(s->file);   /* the table's reference is the only one */
	return fd;
}

/* The socket behind fd, with a reference on *fp: NULL and *err set when
 * fd is not open (-EBADF) or not a socket (-ENOTSOCK). */
struct uk_sock *uk_sock_get(int fd, struct uk_file **fp, long *err)
{
	struct uk_file *f = uk_fdtab_get(fd);

	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	if (f->ops != &sock_file_ops) {
		uk_file_put(f);
		*err = -ENOTSOCK;
		return NULL;
	}
	*fp = f;
	return f->priv;
}

/* --- addresses --------------------------------------------------------- */

static int addr_in(struct uk_sockaddr_storage *a, const void *ua, int len)
{
	if (len < 0 || (size_t)len > sizeof(*a))
		return -EINVAL;
	__builtin_memset(a, 0, sizeof(*a));
	return uk_copy_from_user(a, ua, (size_t)len);
}

/* Copies the address (len bytes of it, at most what the caller's *ulen
 * allows) out and stores len in *ulen. */
static int addr_out(void *ua, int *ulen, const struct uk_sockaddr_storage *a, unsigned int len)
{
	int room;

	if (!ua)
		return 0;
	if (uk_copy_from_user(&room, ulen, sizeof(room)))
		return -EFAULT;
	if (room < 0)
		return -EINVAL;
	if (uk_copy_to_user(ua, a, UK_MIN((unsigned int)room, len)))
		return -EFAULT;
	return uk_copy_to_user(ulen, &len, sizeof(int));
}

/* --- syscalls ----------------------------------------------------------- */

static int check_type_flags(int type)
{
	return (type & ~(UK_SOCK_TYPE_MASK | UK_SOCK_NONBLOCK | UK_SOCK_CLOEXEC)) ? -EINVAL : 0;
}

long uk_sys_socket(int family, int type, int protocol)
{
	struct uk_sock *s;
	int r = check_type_flags(type);

	if (r)
		return r;
	switch (family) {
	case UK_AF_INET:
	case UK_AF_INET6:
		r = uk_inet_socket(family, type & UK_SOCK_TYPE_MASK, protocol, &s);
		break;
	case UK_AF_UNIX:
		r = uk_unix_socket(type & UK_SOCK_TYPE_MASK, protocol, &s);
		break;
	default:
		r = -EAFNOSUPPORT;
	}
	if (r)
		return r;
	return install(s, (unsigned int)type & (UK_O_NONBLOCK | UK_O_CLOEXEC));
}

long uk_sys_socketpair(int family, int type, int protocol, int *usockvec)
{
	struct uk_sock *a, *b;
	int fds[2];
	long r = check_type_flags(type);

	if (r)
		return r;
	if (!uk_access_ok(usockvec, sizeof(fds), true))
		return -EFAULT;
	if (family == UK_AF_INET || family == UK_AF_INET6)
		return -EOPNOTSUPP;
	if (family != UK_AF_UNIX)
		return -EAFNOSUPPORT;
	r = uk_unix_socketpair(type & UK_SOCK_TYPE_MASK, protocol, &a, &b);
	if (r)
		return r;
	fds[0] = install(a, (unsigned int)type & (UK_O_NONBLOCK | UK_O_CLOEXEC));
	if (fds[0] < 0) {
		b->ops->release(b);
		return fds[0];
	}
	fds[1] = install(b, (unsigned int)type & (UK_O_NONBLOCK | UK_O_CLOEXEC));
	if (fds[1] < 0) {
		uk_fdtab_close(fds[0]);
		return fds[1];
	}
	if (uk_copy_to_user(usockvec, fds, sizeof(fds))) {
		uk_fdtab_close(fds[0]);
		uk_fdtab_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

/* The usual prologue: s and f from fd, or return the error. */
#define SOCK_OR_RETURN(fd, s, f) \
	struct uk_file *f; long r_; \
	struct uk_sock *s = uk_sock_get(fd, &f, &r_); \
	if (!s) \
		return r_

long uk_sys_bind(int fd, struct uk_sockaddr *umyaddr, int addrlen)
{
	struct uk_sockaddr_storage a;
	long r;
	SOCK_OR_RETURN(fd, s, f);

	r = addr_in(&a, umyaddr, addrlen);
	if (!r)
		r = s->ops->bind ? s->ops->bind(s, &a, (unsigned int)addrlen) : -EOPNOTSUPP;
	uk_file_put(f);
	return r;
}

long uk_sys_connect(int fd, struct uk_sockaddr *uservaddr, int addrlen)
{
	struct uk_sockaddr_storage a;
	long r;
	SOCK_OR_RETURN(fd, s, f);

	r = addr_in(&a, uservaddr, addrlen);
	if (!r)
		r = s->ops->connect ? s->ops->connect(s, &a, (unsigned int)addrlen,
						       nonblocking(s, 0)) : -EOPNOTSUPP;
	uk_file_put(f);
	return r;
}

long uk_sys_listen(int fd, int backlog)
{
	long r;
	SOCK_OR_RETURN(fd, s, f);

	r = s->ops->listen ? s->ops->listen(s, backlog) : -EOPNOTSUPP;
	uk_file_put(f);
	return r;
}

long uk_sys_accept4(int fd, struct uk_sockaddr *upeer_sockaddr, int *upeer_addrlen, int flags)
{
	struct uk_sockaddr_storage a;
	unsigned int len = 0;
	struct uk_sock *child;
	int room;
	long r;

	if (flags & ~(UK_SOCK_NONBLOCK | UK_SOCK_CLOEXEC))
		return -EINVAL;
	SOCK_OR_RETURN(fd, s, f);

	if (upeer_sockaddr && (uk_copy_from_user(&room, upeer_addrlen, sizeof(room)) ||
			       !uk_access_ok(upeer_sockaddr, room > 0 ? (size_t)room : 0, true))) {
		r = -EFAULT;
		goto out;
	}
	if (upeer_sockaddr && room < 0) {
		r = -EINVAL;
		goto out;
	}
	if (!s->ops->accept) {
		r = -EOPNOTSUPP;
		goto out;
	}
	__builtin_memset(&a, 0, sizeof(a));
	r = s->ops->accept(s, &child, &a, &len, nonblocking(s, 0));
	if (r)
		goto out;
	r = sock_make_file(child, (unsigned int)flags);
	if (!r) {
		r = uk_fdtab_install(child->file, 0, (unsigned int)flags & UK_O_CLOEXEC);
		if (r < 0) {
			/* no fd (EMFILE): the connection goes back to the queue,
			 * as Linux keeps it there */
			child->file->priv = NULL;
			uk_file_put(child->file);
			child->file = NULL;
		} else {
			uk_file_put(child->file);
		}
	}
	if (r < 0) {
		if (s->ops->unaccept)
			s->ops->unaccept(s, child);
		else
			child->ops->release(child);
	}
	if (r >= 0 && addr_out(upeer_sockaddr, upeer_addrlen, &a, len)) {
		uk_fdtab_close((int)r);
		r = -EFAULT;
	}
out:
	uk_file_put(f);
	return r;
}

long uk_sys_accept(int fd, struct uk_sockaddr *upeer_sockaddr, int *upeer_addrlen)
{
	return uk_sys_accept4(fd, upeer_sockaddr, upeer_addrlen, 0);
}

long uk_sys_shutdown(int fd, int how)
{
	long r;
	SOCK_OR_RETURN(fd, s, f);

	if (how < UK_SHUT_RD || how > UK_SHUT_RDWR)
		r = -EINVAL;
	else
		r = s->ops->shutdown ? s->ops->shutdown(s, how) : -EOPNOTSUPP;
	uk_file_put(f);
	return r;
}

static long getname(int fd, struct uk_sockaddr *ua, int *ulen, bool peer)
{
	struct uk_sockaddr_storage a;
	unsigned int len = 0;
	long r;
	SOCK_OR_RETURN(fd, s, f);

	__builtin_memset(&a, 0, sizeof(a));
	r = s->ops->getname ? s->ops->getname(s, &a, &len, peer) : -EOPNOTSUPP;
	if (!r)
		r = ua ? addr_out(ua, ulen, &a, len) : -EFAULT;
	uk_file_put(f);
	return r;
}

long uk_sys_getsockname(int fd, struct uk_sockaddr *usockaddr, int *usockaddr_len)
{
	return getname(fd, usockaddr, usockaddr_len, false);
}

long uk_sys_getpeername(int fd, struct uk_sockaddr *usockaddr, int *usockaddr_len)
{
	return getname(fd, usockaddr, usockaddr_len, true);
}

long uk_sys_sendto(int fd, void *buff, unsigned long len, unsigned int flags,
		   struct uk_sockaddr *addr, int addr_len)
{
	struct uk_sockaddr_storage a;
	struct sock_io io;
	long r;
	SOCK_OR_RETURN(fd, s, f);

	r = sock_io_init1(&io, buff, len, false);
	if (!r && addr)
		r = addr_in(&a, addr, addr_len);
	if (!r)
		r = send_io(s, &io, (int)flags, addr ? &a : NULL, addr ? (unsigned int)addr_len : 0);
	uk_file_put(f);
	return r;
}

long uk_sys_recvfrom(int fd, void *ubuf, unsigned long size, unsigned int flags,
		     struct uk_sockaddr *addr, int *addr_len)
{
	struct uk_sockaddr_storage a;
	unsigned int alen = 0;
	struct sock_io io;
	long r;
	SOCK_OR_RETURN(fd, s, f);

	r = sock_io_init1(&io, ubuf, size, true);
	if (!r) {
		__builtin_memset(&a, 0, sizeof(a));
		r = recv_io(s, &io, (int)flags, addr ? &a : NULL, &alen, NULL);
	}
	/* no sender's name (a TCP stream, an unnamed AF_UNIX sender): the
	 * length reads 0, as Linux writes it */
	if (r >= 0 && addr && addr_out(addr, addr_len, &a, alen))
		r = -EFAULT;
	uk_file_put(f);
	return r;
}

/* The message header and its vector copied in: 0 or -E... (*iov to free). */
static int msg_in(struct uk_msghdr *m, const struct uk_msghdr *um, struct uk_iovec **iov)
{
	*iov = NULL;
	if (uk_copy_from_user(m, um, sizeof(*m)))
		return -EFAULT;
	if (m->msg_iovlen > UK_IOV_MAX)
		return -EMSGSIZE;
	if (!m->msg_iovlen)
		return 0;
	*iov = uk_malloc(uk_alloc_get_default(), m->msg_iovlen * sizeof(**iov));
	if (!*iov)
		return -ENOMEM;
	return uk_copy_from_user(*iov, m->msg_iov, m->msg_iovlen * sizeof(**iov));
}

long uk_sys_sendmsg(int fd, struct uk_msghdr *msg, unsigned int flags)
{
	struct uk_sockaddr_storage a;
	struct uk_iovec *iov;
	struct uk_msghdr m;
	struct sock_io io;
	long r;
	SOCK_OR_RETURN(fd, s, f);

	io.scm = NULL;
	r = msg_in(&m, msg, &iov);
	if (!r)
		r = sock_io_init(&io, iov, m.msg_iovlen, false);
	if (!r && m.msg_name)
		r = addr_in(&a, m.msg_name, m.msg_namelen);
	if (!r)
		r = sock_scm_in(s, &m, &io.scm);
	if (!r)
		r = send_io(s, &io, (int)flags, m.msg_name ? &a : NULL,
			    m.msg_name ? (unsigned int)m.msg_namelen : 0);
	sock_scm_free(io.scm);          /* what the family did not keep */
	uk_free(uk_alloc_get_default(), iov);
	uk_file_put(f);
	return r;
}

long uk_sys_recvmsg(int fd, struct uk_msghdr *msg, unsigned int flags)
{
	struct uk_sockaddr_storage a;
	unsigned int alen = 0, mflags = 0;
	struct uk_iovec *iov;
	struct uk_msghdr m;
	struct sock_io io;
	long r;
	SOCK_OR_RETURN(fd, s, f);

	io.scm = NULL;
	r = msg_in(&m, msg, &iov);
	if (!r)
		r = sock_io_init(&io, iov, m.msg_iovlen, true);
	if (!r && m.msg_name && m.msg_namelen < 0)
		r = -EINVAL;
	if (!r) {
		__builtin_memset(&a, 0, sizeof(a));
		r = recv_io(s, &io, (int)flags, m.msg_name ? &a : NULL, &alen, &mflags);
	}
	if (r >= 0) {
		if (m.msg_name && alen &&
		    uk_copy_to_user(m.msg_name, &a, UK_MIN((unsigned int)m.msg_namelen, alen)))
			r = -EFAULT;
		m.msg_namelen = m.msg_name ? (int)alen : 0;
		if (sock_scm_out(s, &m, io.scm, flags, &mflags,
				 s->type == UK_SOCK_STREAM && r == 0 && io.left))
			r = -EFAULT;
		io.scm = NULL;
		m.msg_flags = mflags;
		if (r >= 0 && uk_copy_to_user(msg, &m, sizeof(m)))
			r = -EFAULT;
	}
	sock_scm_free(io.scm);          /* a failed receive's */
	uk_free(uk_alloc_get_default(), iov);
	uk_file_put(f);
	return r;
}

#ifndef CONFIG_LIBPOSIX_SOCKET_INET
int uk_inet_socket(int family __unused, int type __unused, int protocol __unused,
		   struct uk_sock **s __unused)
{
	return -EAFNOSUPPORT;   /* the image has no IP stack */
}
#endif
