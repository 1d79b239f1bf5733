/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * setsockopt and getsockopt. The SOL_SOCKET options every family shares
 * are kept here in struct uk_sock (and then offered to the family, which
 * applies what it can: SO_REUSEADDR, SO_KEEPALIVE to lwIP's pcb); every
 * other level goes to the family (TCP_NODELAY, TCP_CORK... in inet_tcp.c).
 * Values read back as on Linux: booleans as 0/1, SO_RCVBUF/SO_SNDBUF
 * doubled (Linux's bookkeeping overhead) within Linux's default limits.
 */
#include <uk/uaccess.h>
#include <uk/syscall.h>
#include "sock.h"

/* Linux's defaults: net.core.rmem_max / wmem_max and the minimums. */
#define BUF_MAX     212992
#define RCVBUF_MIN  2304
#define SNDBUF_MIN  4608

struct uk_sock *uk_sock_get(int fd, struct uk_file **fp, long *err);

struct timeval64 {
	long tv_sec;
	long tv_usec;
};

static int set_common(struct uk_sock *s, int name, const void *val, unsigned int len)
{
	int v = 0;

	if (name == UK_SO_LINGER) {
		if (len < sizeof(struct uk_linger))
			return -EINVAL;
		__builtin_memcpy(&s->linger, val, sizeof(s->linger));
		s->linger.l_onoff = !!s->linger.l_onoff;
		return 0;
	}
	if (name == UK_SO_RCVTIMEO || name == UK_SO_SNDTIMEO) {
		struct timeval64 tv;

		if (len < sizeof(tv))
			return -EINVAL;
		__builtin_memcpy(&tv, val, sizeof(tv));
		if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EDOM;
		if (tv.tv_sec < 0)
			tv.tv_sec = tv.tv_usec = 0;
		*(name == UK_SO_RCVTIMEO ? &s->rcvtimeo_ms : &s->sndtimeo_ms) =
			tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
		return 0;
	}
	if (len < sizeof(int))
		return -EINVAL;
	__builtin_memcpy(&v, val, sizeof(int));
	switch (name) {
	case UK_SO_REUSEADDR:
		s->reuseaddr = !!v;
		return 0;
	case UK_SO_REUSEPORT:
		s->reuseport = !!v;
		return 0;
	case UK_SO_KEEPALIVE:
		s->keepalive = !!v;
		return 0;
	case UK_SO_OOBINLINE:
		s->oobinline = !!v;
		return 0;
	case UK_SO_BROADCAST:
		s->broadcast = !!v;
		return 0;
	case UK_SO_PASSCRED:
		s->passcred = !!v;
		return 0;
	case UK_SO_RCVBUF:
		s->rcvbuf = UK_MAX(UK_MIN((unsigned int)v, BUF_MAX) * 2, RCVBUF_MIN);
		return 0;
	case UK_SO_SNDBUF:
		s->sndbuf = UK_MAX(UK_MIN((unsigned int)v, BUF_MAX) * 2, SNDBUF_MIN);
		return 0;
	case UK_SO_DEBUG:
	case UK_SO_DONTROUTE:
	case UK_SO_RCVLOWAT:
		return 0;       /* accepted, no effect */
	case UK_SO_TYPE:
	case UK_SO_ERROR:
	case UK_SO_DOMAIN:
	case UK_SO_PROTOCOL:
	case UK_SO_ACCEPTCONN:
		return -ENOPROTOOPT;    /* read-only */
	}
	return -ENOPROTOOPT;
}

long uk_sys_setsockopt(int fd, int level, int optname, char *optval, int optlen)
{
	char val[32];
	struct uk_file *f;
	long r;
	struct uk_sock *s = uk_sock_get(fd, &f, &r);

	if (!s)
		return r;
	r = 0;
	if (optlen < 0)
		r = -EINVAL;
	else if (uk_copy_from_user(val, optval, UK_MIN((size_t)optlen, sizeof(val))))
		r = -EFAULT;
	if (r)
		goto out;
	if (level == UK_SOL_SOCKET) {
		r = set_common(s, optname, val, (unsigned int)optlen);
		/* the family applies what it can; the value is kept anyway */
		if (!r && s->ops->setsockopt) {
			long fr = s->ops->setsockopt(s, level, optname, val,
						     UK_MIN((unsigned int)optlen, sizeof(val)));

			if (fr != -ENOPROTOOPT)
				r = fr;
		}
	} else {
		r = s->ops->setsockopt ? s->ops->setsockopt(s, level, optname, val,
							    UK_MIN((unsigned int)optlen, sizeof(val)))
				       : -EOPNOTSUPP;
	}
out:
	uk_file_put(f);
	return r;
}

static int get_common(struct uk_sock *s, int name, void *val, unsigned int *len)
{
	int v;

	switch (name) {
	case UK_SO_LINGER:
		__builtin_memcpy(val, &s->linger, sizeof(s->linger));
		*len = sizeof(s->linger);
		return 0;
	case UK_SO_RCVTIMEO:
	case UK_SO_SNDTIMEO: {
		long ms = name == UK_SO_RCVTIMEO ? s->rcvtimeo_ms : s->sndtimeo_ms;
		struct timeval64 tv = { ms / 1000, (ms % 1000) * 1000 };

		__builtin_memcpy(val, &tv, sizeof(tv));
		*len = sizeof(tv);
		return 0;
	}
	case UK_SO_TYPE:
		v = s->type;
		break;
	case UK_SO_DOMAIN:
		v = s->family;
		break;
	case UK_SO_PROTOCOL:
		v = s->protocol;
		break;
	case UK_SO_REUSEADDR:
		v = s->reuseaddr;
		break;
	case UK_SO_REUSEPORT:
		v = s->reuseport;
		break;
	case UK_SO_KEEPALIVE:
		v = s->keepalive;
		break;
	case UK_SO_OOBINLINE:
		v = s->oobinline;
		break;
	case UK_SO_BROADCAST:
		v = s->broadcast;
		break;
	case UK_SO_PASSCRED:
		v = s->passcred;
		break;
	case UK_SO_RCVBUF:
		v = s->rcvbuf;
		break;
	case UK_SO_SNDBUF:
		v = s->sndbuf;
		break;
	case UK_SO_ERROR:
	case UK_SO_ACCEPTCONN:
		v = 0;          /* the family's answer comes first */
		break;
	default:
		return -ENOPROTOOPT;
	}
	__builtin_memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

long uk_sys_getsockopt(int fd, int level, int optname, char *optval, int *optlen)
{
	char val[32];
	unsigned int len = 0;
	int room;
	struct uk_file *f;
	long r;
	struct uk_sock *s = uk_sock_get(fd, &f, &r);

	if (!s)
		return r;
	__builtin_memset(val, 0, sizeof(val));
	if (uk_copy_from_user(&room, optlen, sizeof(room))) {
		r = -EFAULT;
		goto out;
	}
	if (room < 0) {
		r = -EINVAL;
		goto out;
	}
	r = -ENOPROTOOPT;
	if (s->ops->getsockopt)
		r = s->ops->getsockopt(s, level, optname, val, &len);
	if (r == -ENOPROTOOPT && level == UK_SOL_SOCKET)
		r = get_common(s, optname, val, &len);
	else if (r == -ENOPROTOOPT && !s->ops->getsockopt)
		r = -EOPNOTSUPP;
	if (r)
		goto out;
	len = UK_MIN(len, (unsigned int)room);
	if (uk_copy_to_user(optval, val, len) || uk_copy_to_user(optlen, &len, sizeof(len)))
		r = -EFAULT;
out:
	uk_file_put(f);
	return r;
}
