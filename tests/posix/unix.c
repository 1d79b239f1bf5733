/* SPDX-License-Identifier: BSD-3-Clause */
/* AF_UNIX sockets with names: bind makes a socket node (stat, EADDRINUSE,
 * unlink), stream listen/connect/accept (names on both ends, the backlog,
 * ECONNREFUSED, ENOENT, EISCONN, ENOTCONN, EPROTOTYPE, ECONNRESET from a
 * listener closed with a connection queued), a two-thread client/server
 * exchange, datagrams with their sender's name, connected datagram sockets
 * (EPERM, ECONNREFUSED once the peer closed), socketpair of both types,
 * abstract names and autobind, readiness through poll, select and epoll,
 * SO_RCVTIMEO/SO_SNDTIMEO, SOCK_SEQPACKET.
 * Every value compared is one Linux and the unikernel must agree on. */
#include "pt.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <stdio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define FAMILY_LEN offsetof(struct sockaddr_un, sun_path)

/* The sockaddr_un for the case's scratch path `rel`; *len its length as
 * programs pass it (family + path + NUL). */
static struct sockaddr_un named(const char *rel, socklen_t *len)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	strncpy(a.sun_path, pt_path(rel), sizeof(a.sun_path) - 1);
	*len = (socklen_t)(FAMILY_LEN + strlen(a.sun_path) + 1);
	return a;
}

/* A socket of `type` bound to `rel` (listening unless datagrams): fd or -1. */
static int bound_at(int type, const char *rel)
{
	socklen_t len;
	struct sockaddr_un a = named(rel, &len);
	int s = socket(AF_UNIX, type, 0);

	if (s < 0 || bind(s, (struct sockaddr *)&a, len) ||
	    (type != SOCK_DGRAM && listen(s, 8)))
		return -1;
	return s;
}

static int connect_to(int type, const char *rel)
{
	socklen_t len;
	struct sockaddr_un a = named(rel, &len);
	int s = socket(AF_UNIX, type, 0);

	if (s < 0 || connect(s, (struct sockaddr *)&a, len))
		return -1;
	return s;
}

static void unix_bind_makes_socket_node(void)
{
	socklen_t len, glen;
	struct sockaddr_un a = named("sock", &len), g;
	struct stat st;
	mode_t um = umask(0);
	int s, t;

	umask(um);
	PT_CHECK((s = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	PT_OK(bind(s, (struct sockaddr *)&a, len));
	PT_OK(stat(a.sun_path, &st));
	PT_CHECK(S_ISSOCK(st.st_mode) && (st.st_mode & 07777) == (0777 & ~um) && st.st_nlink == 1);
	PT_OK(lstat(a.sun_path, &st));
	PT_CHECK(S_ISSOCK(st.st_mode));
	glen = sizeof(g);
	PT_OK(getsockname(s, (struct sockaddr *)&g, &glen));
	PT_CHECK(glen == len && g.sun_family == AF_UNIX && !strcmp(g.sun_path, a.sun_path));
	PT_ERRNO(bind(s, (struct sockaddr *)&a, len), EADDRINUSE);      /* the name first */
	socklen_t len2;
	struct sockaddr_un a2 = named("sock2", &len2);
	PT_ERRNO(bind(s, (struct sockaddr *)&a2, len2), EINVAL);        /* bound already */
	PT_ERRNO(stat(a2.sun_path, &st), ENOENT);                         /* no node left behind */
	PT_CHECK((t = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	PT_ERRNO(bind(t, (struct sockaddr *)&a, len), EADDRINUSE);      /* the name exists */
	PT_OK(pt_make_file("file", "x"));
	struct sockaddr_un f = named("file", &len);
	PT_ERRNO(bind(t, (struct sockaddr *)&f, len), EADDRINUSE);
	struct sockaddr_un m = named("no-dir/sock", &len);
	PT_ERRNO(bind(t, (struct sockaddr *)&m, len), ENOENT);
	PT_ERRNO(bind(t, (struct sockaddr *)&m, sizeof(m) + 1), EINVAL);  /* longer than sockaddr_un */
	PT_ERRNO(bind(t, (struct sockaddr *)&m, 1), EINVAL);
	m.sun_family = AF_INET;
	PT_ERRNO(bind(t, (struct sockaddr *)&m, sizeof(m)), EINVAL);
	PT_ERRNO(open(a.sun_path, O_RDWR), ENXIO);                      /* a name, not a file */
	/* the name is the path as bound, even with a short buffer */
	glen = FAMILY_LEN + 3;
	PT_OK(getsockname(s, (struct sockaddr *)&g, &glen));
	PT_CHECK(glen == FAMILY_LEN + strlen(a.sun_path) + 1);
	PT_OK(unlink(a.sun_path));
	PT_ERRNO(stat(a.sun_path, &st), ENOENT);
	len = FAMILY_LEN + strlen(a.sun_path) + 1;
	PT_OK(bind(t, (struct sockaddr *)&a, len));                       /* free again */
	PT_OK(close(s));
	PT_OK(close(t));
	PT_OK(stat(a.sun_path, &st));                                     /* close leaves the node */
	PT_CHECK(S_ISSOCK(st.st_mode));
}

static void unix_stream_connect_accept(void)
{
	socklen_t len, glen;
	struct sockaddr_un srv = named("srv", &len), g, cli;
	char buf[32];
	int l, c, a, c2, a2;

	PT_CHECK((l = bound_at(SOCK_STREAM, "srv")) >= 0);
	PT_CHECK((c = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	glen = sizeof(g);
	PT_ERRNO(getpeername(c, (struct sockaddr *)&g, &glen), ENOTCONN);
	PT_OK(connect(c, (struct sockaddr *)&srv, len));
	PT_ERRNO(connect(c, (struct sockaddr *)&srv, len), EISCONN);
	PT_CHECK(write(c, "early", 5) == 5);            /* before the accept */
	struct pollfd pf = { .fd = l, .events = POLLIN | POLLOUT };
	PT_CHECK(poll(&pf, 1, 5000) == 1 && pf.revents == POLLIN);
	glen = sizeof(g);
	PT_CHECK((a = accept(l, (struct sockaddr *)&g, &glen)) >= 0);
	PT_CHECK(glen == FAMILY_LEN && g.sun_family == AF_UNIX);        /* an unnamed client */
	pf.fd = l;
	PT_CHECK(poll(&pf, 1, 0) == 0);
	PT_CHECK(read(a, buf, sizeof(buf)) == 5 && !memcmp(buf, "early", 5));
	PT_CHECK(send(a, "reply", 5, 0) == 5);
	glen = sizeof(g);
	PT_CHECK(recvfrom(c, buf, sizeof(buf), 0, (struct sockaddr *)&g, &glen) == 5);
	PT_CHECK(!memcmp(buf, "reply", 5) && glen == len && !strcmp(g.sun_path, srv.sun_path));
	glen = sizeof(g);
	PT_OK(getpeername(c, (struct sockaddr *)&g, &glen));
	PT_CHECK(glen == len && !strcmp(g.sun_path, srv.sun_path));
	glen = sizeof(g);
	PT_OK(getsockname(c, (struct sockaddr *)&g, &glen));
	PT_CHECK(glen == FAMILY_LEN);
	glen = sizeof(g);
	PT_OK(getsockname(a, (struct sockaddr *)&g, &glen));             /* the listener's name */
	PT_CHECK(glen == len && !strcmp(g.sun_path, srv.sun_path));
	glen = sizeof(g);
	PT_OK(getpeername(a, (struct sockaddr *)&g, &glen));
	PT_CHECK(glen == FAMILY_LEN);
	/* a named client: accept and getpeername tell its name */
	socklen_t clen;
	cli = named("cli", &clen);
	PT_CHECK((c2 = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	PT_OK(bind(c2, (struct sockaddr *)&cli, clen));
	PT_OK(connect(c2, (struct sockaddr *)&srv, len));
	glen = sizeof(g);
	PT_CHECK((a2 = accept4(l, (struct sockaddr *)&g, &glen, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0);
	PT_CHECK(glen == clen && !strcmp(g.sun_path, cli.sun_path));
	PT_CHECK((fcntl(a2, F_GETFL) & O_NONBLOCK) && fcntl(a2, F_GETFD) == FD_CLOEXEC);
	PT_ERRNO(read(a2, buf, sizeof(buf)), EAGAIN);
	PT_ERRNO(listen(a2, 1), EINVAL);                                 /* connected */
	PT_OK(close(c2));
	PT_CHECK(read(a2, buf, sizeof(buf)) == 0);                      /* the client went: EOF */
	PT_ERRNO(send(a2, "x", 1, MSG_NOSIGNAL), EPIPE);
	glen = sizeof(g);
	PT_OK(getpeername(a2, (struct sockaddr *)&g, &glen));            /* kept after it went */
	PT_CHECK(glen == clen);
	PT_OK(close(a2));
	PT_OK(close(a));
	PT_OK(close(c));
	PT_OK(close(l));
}

static void unix_stream_errors(void)
{
	socklen_t len;
	struct sockaddr_un a;
	char c;
	int s, l, d;

	PT_CHECK((s = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	a = named("missing", &len);
	PT_ERRNO(connect(s, (struct sockaddr *)&a, len), ENOENT);
	PT_OK(pt_make_file("plain", ""));
	a = named("plain", &len);
	PT_ERRNO(connect(s, (struct sockaddr *)&a, len), ECONNREFUSED);   /* not a socket */
	PT_CHECK((l = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	a = named("bound", &len);
	PT_OK(bind(l, (struct sockaddr *)&a, len));
	PT_ERRNO(connect(s, (struct sockaddr *)&a, len), ECONNREFUSED);   /* not listening */
	PT_ERRNO(accept(l, NULL, NULL), EINVAL);
	PT_OK(close(l));
	PT_ERRNO(connect(s, (struct sockaddr *)&a, len), ECONNREFUSED);   /* its socket closed */
	PT_CHECK((d = bound_at(SOCK_DGRAM, "dgram")) >= 0);
	a = named("dgram", &len);
	PT_ERRNO(connect(s, (struct sockaddr *)&a, len), EPROTOTYPE);     /* another type */
	PT_ERRNO(connect(s, (struct sockaddr *)&a, FAMILY_LEN), EINVAL);
	PT_ERRNO(connect(s, (struct sockaddr *)&a, sizeof(a) + 1), EINVAL);
	PT_ERRNO(listen(s, 1), EINVAL);                                   /* unbound */
	PT_ERRNO(read(s, &c, 1), EINVAL);                                 /* not connected */
	PT_ERRNO(write(s, "x", 1), ENOTCONN);
	PT_ERRNO(send(s, "x", 1, MSG_NOSIGNAL), ENOTCONN);
	PT_ERRNO(sendto(s, "x", 1, 0, (struct sockaddr *)&a, len), EOPNOTSUPP);
	PT_ERRNO(listen(d, 1), EOPNOTSUPP);
	PT_ERRNO(accept(d, NULL, NULL), EOPNOTSUPP);
	struct pollfd pf = { .fd = s, .events = POLLIN | POLLOUT };
	PT_CHECK(poll(&pf, 1, 0) == 1 && pf.revents == (POLLOUT | POLLHUP));
	PT_ERRNO(socket(AF_UNIX, SOCK_STREAM, 7), EPROTONOSUPPORT);
	PT_ERRNO(openat(s, "x", O_RDONLY), ENOTDIR);                      /* a socket names no directory */
	PT_ERRNO(fchdir(s), ENOTDIR);
	PT_OK(close(d));
	PT_OK(close(s));
}

static void unix_stream_backlog_nonblock(void)
{
	int l, c[5], a, n = 0;
	socklen_t len;
	struct sockaddr_un sa = named("srv", &len);
	char buf[8];

	PT_CHECK((l = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0)) >= 0);
	PT_OK(bind(l, (struct sockaddr *)&sa, len));
	PT_OK(listen(l, 2));
	PT_ERRNO(accept(l, NULL, NULL), EAGAIN);
	for (n = 0; n < 5; n++) {
		PT_CHECK((c[n] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0)) >= 0);
		if (connect(c[n], (struct sockaddr *)&sa, len))
			break;
	}
	PT_CHECK(n == 3 && errno == EAGAIN);            /* backlog + 1 queued */
	PT_CHECK((a = accept(l, NULL, NULL)) >= 0);
	PT_OK(connect(c[n], (struct sockaddr *)&sa, len));    /* room again */
	PT_CHECK(write(c[1], "hi", 2) == 2);
	PT_OK(close(l));                                 /* three never accepted */
	PT_ERRNO(read(c[1], buf, sizeof(buf)), ECONNRESET);
	PT_CHECK(read(c[1], buf, sizeof(buf)) == 0);
	PT_ERRNO(connect(c[4] = socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&sa, len),
		 ECONNREFUSED);
	for (int i = 0; i <= 4; i++)
		PT_OK(close(c[i]));
	PT_OK(close(a));
}

struct echo_arg {
	int listener;
	long bytes;
};

static void *echo_server(void *p)
{
	struct echo_arg *e = p;
	char buf[4096];
	long r;
	int s = accept(e->listener, NULL, NULL);

	if (s < 0)
		return (void *)1;
	while ((r = read(s, buf, sizeof(buf))) > 0) {
		if (pt_write_all(s, buf, (size_t)r))
			return (void *)2;
		e->bytes += r;
	}
	close(s);
	return r ? (void *)3 : NULL;
}

static void unix_stream_threaded_echo(void)
{
	static char out[65536], in[65536];
	struct echo_arg e = { -1, 0 };
	pthread_t t;
	void *ret = (void *)9;
	long got = 0, sent = 0;
	int c;

	PT_CHECK((e.listener = bound_at(SOCK_STREAM, "echo")) >= 0);
	PT_OK(pthread_create(&t, NULL, echo_server, &e) ? -1 : 0);
	PT_CHECK((c = connect_to(SOCK_STREAM, "echo")) >= 0);
	for (int i = 0; i < (int)sizeof(out); i++)
		out[i] = (char)(i * 7 + i / 251);
	for (int round = 0; round < 8; round++) {
		/* 8 KiB at a time: never more in flight than both buffers hold */
		for (long off = 0; off < (long)sizeof(out); off += 8192) {
			PT_OK(pt_write_all(c, out + off, 8192));
			sent += 8192;
			for (long n = 0; n < 8192; ) {
				long r = read(c, in + off + n, 8192 - n);
				PT_CHECK(r > 0);
				n += r;
				got += r;
			}
		}
		PT_CHECK(!memcmp(in, out, sizeof(out)));
	}
	PT_OK(shutdown(c, SHUT_WR));
	PT_OK(pthread_join(t, &ret) ? -1 : 0);
	PT_CHECK(ret == NULL && e.bytes == sent && got == sent);
	char x;
	PT_CHECK(read(c, &x, 1) == 0);
	PT_OK(close(c));
	PT_OK(close(e.listener));
}

/* A thread blocked in accept, then in read, woken by the other side. */
static void *late_client(void *p)
{
	struct timespec ts = { 0, 50 * 1000000 };

	nanosleep(&ts, NULL);
	int c = connect_to(SOCK_STREAM, (const char *)p);
	nanosleep(&ts, NULL);
	if (c < 0 || write(c, "wake", 4) != 4)
		return (void *)1;
	close(c);
	return NULL;
}

static void unix_stream_blocking_accept_read(void)
{
	pthread_t t;
	void *ret = (void *)9;
	char buf[8];
	int l, a;

	PT_CHECK((l = bound_at(SOCK_STREAM, "late")) >= 0);
	/* the thread needs this case's path: pt_path's buffers rotate */
	static char rel[] = "late";
	PT_OK(pthread_create(&t, NULL, late_client, rel) ? -1 : 0);
	PT_CHECK((a = accept(l, NULL, NULL)) >= 0);
	PT_CHECK(read(a, buf, sizeof(buf)) == 4 && !memcmp(buf, "wake", 4));
	PT_CHECK(read(a, buf, sizeof(buf)) == 0);
	PT_OK(pthread_join(t, &ret) ? -1 : 0);
	PT_CHECK(ret == NULL);
	PT_OK(close(a));
	PT_OK(close(l));
}

static void unix_dgram_names(void)
{
	socklen_t alen, blen, glen;
	struct sockaddr_un an = named("a", &alen), bn = named("b", &blen), g;
	char buf[16];
	int a, b, u;

	PT_CHECK((a = bound_at(SOCK_DGRAM, "a")) >= 0);
	PT_CHECK((b = bound_at(SOCK_DGRAM, "b")) >= 0);
	PT_CHECK(sendto(a, "one", 3, 0, (struct sockaddr *)&bn, blen) == 3);
	PT_CHECK(sendto(a, "", 0, 0, (struct sockaddr *)&bn, blen) == 0);
	glen = sizeof(g);
	PT_CHECK(recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)&g, &glen) == 3);
	PT_CHECK(!memcmp(buf, "one", 3) && glen == alen && !strcmp(g.sun_path, an.sun_path));
	PT_CHECK(recv(b, buf, sizeof(buf), 0) == 0);                  /* an empty datagram */
	/* an unnamed sender: no name comes with it */
	PT_CHECK((u = socket(AF_UNIX, SOCK_DGRAM, 0)) >= 0);
	PT_ERRNO(send(u, "x", 1, 0), ENOTCONN);
	PT_CHECK(sendto(u, "anon", 4, 0, (struct sockaddr *)&bn, blen) == 4);
	glen = sizeof(g);
	PT_CHECK(recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)&g, &glen) == 4 && glen == 0);
	/* truncation */
	PT_CHECK(sendto(a, "0123456789", 10, 0, (struct sockaddr *)&bn, blen) == 10);
	struct iovec iov = { buf, 4 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_name = &g, .msg_namelen = sizeof(g) };
	PT_CHECK(recvmsg(b, &m, 0) == 4 && (m.msg_flags & MSG_TRUNC) && m.msg_namelen == alen);
	PT_CHECK(sendto(a, "0123456789", 10, 0, (struct sockaddr *)&bn, blen) == 10);
	PT_CHECK(recv(b, buf, 2, MSG_TRUNC) == 10);                    /* the real length */
	PT_ERRNO(recv(b, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	struct sockaddr_un miss = named("missing", &glen);
	PT_ERRNO(sendto(a, "x", 1, 0, (struct sockaddr *)&miss, glen), ENOENT);
	PT_ERRNO(sendto(a, "x", 1, 0, (struct sockaddr *)&bn, sizeof(bn) + 1), EINVAL);
	PT_OK(close(u));
	PT_OK(close(a));
	PT_OK(close(b));
}

static void unix_dgram_connected(void)
{
	socklen_t alen, blen, glen;
	struct sockaddr_un an = named("a", &alen), bn = named("b", &blen), g;
	char buf[16];
	int a, b, c;

	PT_CHECK((a = bound_at(SOCK_DGRAM, "a")) >= 0);
	PT_CHECK((b = bound_at(SOCK_DGRAM, "b")) >= 0);
	PT_CHECK((c = socket(AF_UNIX, SOCK_DGRAM, 0)) >= 0);
	glen = sizeof(g);
	PT_ERRNO(getpeername(a, (struct sockaddr *)&g, &glen), ENOTCONN);
	PT_OK(connect(a, (struct sockaddr *)&bn, blen));
	glen = sizeof(g);
	PT_OK(getpeername(a, (struct sockaddr *)&g, &glen));
	PT_CHECK(glen == blen && !strcmp(g.sun_path, bn.sun_path));
	PT_CHECK(send(a, "to-b", 4, 0) == 4);
	PT_CHECK(recv(b, buf, sizeof(buf), 0) == 4 && !memcmp(buf, "to-b", 4));
	/* b connected to a: only a may send to b */
	PT_OK(connect(b, (struct sockaddr *)&an, alen));
	PT_ERRNO(sendto(c, "x", 1, 0, (struct sockaddr *)&bn, blen), EPERM);
	PT_ERRNO(connect(c, (struct sockaddr *)&bn, blen), EPERM);
	PT_CHECK(send(b, "to-a", 4, 0) == 4);
	PT_CHECK(recv(a, buf, sizeof(buf), 0) == 4);
	/* AF_UNSPEC: b unconnected again, c may send */
	struct sockaddr un = { .sa_family = AF_UNSPEC };
	PT_OK(connect(b, &un, sizeof(un)));
	PT_ERRNO(send(b, "x", 1, 0), ENOTCONN);
	PT_CHECK(sendto(c, "from-c", 6, 0, (struct sockaddr *)&bn, blen) == 6);
	PT_CHECK(recv(b, buf, sizeof(buf), 0) == 6);
	/* a's peer closes: ECONNREFUSED once, then not connected */
	PT_OK(close(b));
	PT_ERRNO(send(a, "x", 1, 0), ECONNREFUSED);
	PT_ERRNO(send(a, "x", 1, 0), ENOTCONN);
	PT_OK(close(a));
	PT_OK(close(c));
}

static void unix_dgram_queue_full(void)
{
	socklen_t blen;
	struct sockaddr_un bn = named("b", &blen);
	char buf[8];
	int b, u, n = 0;

	PT_CHECK((b = bound_at(SOCK_DGRAM, "b")) >= 0);
	PT_CHECK((u = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0)) >= 0);
	while (n < 100 && sendto(u, "d", 1, 0, (struct sockaddr *)&bn, blen) == 1)
		n++;
	PT_CHECK(n == 11 && errno == EAGAIN);           /* net.unix.max_dgram_qlen 10, + 1 */
	struct pollfd pf = { .fd = b, .events = POLLIN };
	PT_CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN);
	PT_CHECK(recv(b, buf, sizeof(buf), 0) == 1);
	PT_CHECK(sendto(u, "d", 1, 0, (struct sockaddr *)&bn, blen) == 1);
	PT_OK(close(u));
	PT_OK(close(b));
}

static void unix_socketpair_dgram(void)
{
	int sv[2], v = 0;
	socklen_t len = sizeof(v);
	struct sockaddr_un g;
	char buf[16];

	PT_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	PT_OK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &len));
	PT_CHECK(v == SOCK_DGRAM);
	PT_CHECK(write(sv[0], "ab", 2) == 2 && write(sv[0], "cde", 3) == 3);
	PT_CHECK(read(sv[1], buf, sizeof(buf)) == 2 && read(sv[1], buf, sizeof(buf)) == 3);  /* boundaries kept */
	PT_CHECK(send(sv[1], "back", 4, 0) == 4);
	PT_CHECK(recv(sv[0], buf, sizeof(buf), 0) == 4);
	len = sizeof(g);
	PT_OK(getpeername(sv[0], (struct sockaddr *)&g, &len));
	PT_CHECK(len == FAMILY_LEN && g.sun_family == AF_UNIX);
	len = sizeof(g);
	PT_OK(getsockname(sv[0], (struct sockaddr *)&g, &len));
	PT_CHECK(len == FAMILY_LEN);
	PT_ERRNO(recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	PT_OK(close(sv[1]));
	PT_ERRNO(send(sv[0], "x", 1, 0), ECONNREFUSED);
	PT_OK(close(sv[0]));
	PT_ERRNO(socketpair(AF_UNIX, SOCK_RDM, 0, sv), ESOCKTNOSUPPORT);
}

static void unix_abstract_and_autobind(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX }, g;
	socklen_t alen, glen;
	char name[64], buf[8];
	int l, l2, c, s, t;

	/* a name unique to this process (the host's namespace is shared) */
	int n = snprintf(name, sizeof(name), "uniforge-posix-%d", (int)getpid());
	memcpy(a.sun_path + 1, name, (size_t)n);
	alen = (socklen_t)(FAMILY_LEN + 1 + n);
	PT_CHECK((l = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	PT_OK(bind(l, (struct sockaddr *)&a, alen));
	PT_OK(listen(l, 4));
	glen = sizeof(g);
	PT_OK(getsockname(l, (struct sockaddr *)&g, &glen));
	PT_CHECK(glen == alen && !g.sun_path[0] && !memcmp(g.sun_path + 1, name, (size_t)n));
	PT_CHECK((l2 = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	PT_ERRNO(bind(l2, (struct sockaddr *)&a, alen), EADDRINUSE);
	PT_CHECK((c = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	PT_OK(connect(c, (struct sockaddr *)&a, alen));
	PT_CHECK((s = accept(l, NULL, NULL)) >= 0);
	PT_CHECK(write(c, "abs", 3) == 3 && read(s, buf, sizeof(buf)) == 3);
	/* a name one byte shorter is another name */
	PT_ERRNO(connect(l2, (struct sockaddr *)&a, alen - 1), ECONNREFUSED);
	PT_OK(close(l));
	PT_CHECK((t = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	PT_ERRNO(connect(t, (struct sockaddr *)&a, alen), ECONNREFUSED);  /* gone with its socket */
	PT_OK(bind(l2, (struct sockaddr *)&a, alen));
	/* autobind: only the family: a "\0xxxxx" name of 5 hex digits */
	PT_OK(bind(t, (struct sockaddr *)&a, FAMILY_LEN));
	glen = sizeof(g);
	PT_OK(getsockname(t, (struct sockaddr *)&g, &glen));
	PT_CHECK(glen == FAMILY_LEN + 6 && !g.sun_path[0]);
	for (int i = 1; i <= 5; i++)
		PT_CHECK(strchr("0123456789abcdef", g.sun_path[i]) != NULL);
	int fds[] = { l2, c, s, t };
	for (unsigned i = 0; i < 4; i++)
		PT_OK(close(fds[i]));
}

static void unix_unlink_keeps_connections(void)
{
	socklen_t len;
	struct sockaddr_un a = named("srv", &len);
	char buf[8];
	int l, c, s, l2, c2;

	PT_CHECK((l = bound_at(SOCK_STREAM, "srv")) >= 0);
	PT_CHECK((c = connect_to(SOCK_STREAM, "srv")) >= 0);
	PT_OK(unlink(a.sun_path));
	PT_CHECK((c2 = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	PT_ERRNO(connect(c2, (struct sockaddr *)&a, len), ENOENT);
	PT_CHECK((s = accept(l, NULL, NULL)) >= 0);                      /* queued before */
	PT_CHECK(write(c, "still", 5) == 5 && read(s, buf, sizeof(buf)) == 5);
	PT_CHECK((l2 = bound_at(SOCK_STREAM, "srv")) >= 0);            /* a new node */
	PT_OK(connect(c2, (struct sockaddr *)&a, len));
	struct pollfd pf = { .fd = l, .events = POLLIN };
	PT_CHECK(poll(&pf, 1, 0) == 0);                                   /* the old listener got nothing */
	int fds[] = { l, c, s, l2, c2 };
	for (unsigned i = 0; i < 5; i++)
		PT_OK(close(fds[i]));
}

static void unix_readiness(void)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP }, out[2];
	char buf[8];
	int l, c, s, ep;

	PT_CHECK((l = bound_at(SOCK_STREAM, "srv")) >= 0);
	PT_CHECK((ep = epoll_create1(0)) >= 0);
	ev.data.fd = l;
	PT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev));
	PT_CHECK(epoll_wait(ep, out, 2, 0) == 0);
	PT_CHECK((c = connect_to(SOCK_STREAM, "srv")) >= 0);
	PT_CHECK(epoll_wait(ep, out, 2, 1000) == 1 && out[0].data.fd == l && out[0].events == EPOLLIN);
	PT_CHECK((s = accept4(l, NULL, NULL, SOCK_NONBLOCK)) >= 0);
	PT_CHECK(epoll_wait(ep, out, 2, 0) == 0);
	ev.data.fd = s;
	PT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev));
	PT_CHECK(epoll_wait(ep, out, 2, 0) == 0);
	PT_ERRNO(read(s, buf, sizeof(buf)), EAGAIN);
	PT_CHECK(write(c, "r", 1) == 1);
	PT_CHECK(epoll_wait(ep, out, 2, 1000) == 1 && out[0].data.fd == s && out[0].events == EPOLLIN);
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(s, &rd);
	struct timeval tv = { 1, 0 };
	PT_CHECK(select(s + 1, &rd, NULL, NULL, &tv) == 1 && FD_ISSET(s, &rd));
	PT_CHECK(read(s, buf, sizeof(buf)) == 1);
	PT_OK(shutdown(c, SHUT_WR));
	PT_CHECK(epoll_wait(ep, out, 2, 1000) == 1 && out[0].events == (EPOLLIN | EPOLLRDHUP));
	struct pollfd pf = { .fd = s, .events = POLLIN | POLLOUT | POLLRDHUP };
	PT_CHECK(poll(&pf, 1, 0) == 1 && pf.revents == (POLLIN | POLLOUT | POLLRDHUP));
	PT_CHECK(read(s, buf, sizeof(buf)) == 0);
	PT_OK(close(c));
	pf.events = POLLIN | POLLOUT;
	PT_CHECK(poll(&pf, 1, 0) == 1 && pf.revents == (POLLIN | POLLOUT | POLLHUP));
	int fds[] = { l, s, ep };
	for (unsigned i = 0; i < 3; i++)
		PT_OK(close(fds[i]));
}

static void unix_seqpacket(void)
{
	socklen_t len, glen;
	struct sockaddr_un a = named("seq", &len), g;
	struct iovec iov;
	struct msghdr m;
	char buf[16];
	int l, c, s, sv[2], n = -1;

	PT_CHECK((l = bound_at(SOCK_SEQPACKET, "seq")) >= 0);
	PT_CHECK((c = socket(AF_UNIX, SOCK_SEQPACKET, 0)) >= 0);
	PT_ERRNO(send(c, "x", 1, MSG_NOSIGNAL), ENOTCONN);
	PT_ERRNO(recv(c, buf, sizeof(buf), 0), ENOTCONN);
	PT_OK(connect(c, (struct sockaddr *)&a, len));
	PT_CHECK(send(c, "one", 3, 0) == 3 && send(c, "second", 6, 0) == 6 && send(c, "", 0, 0) == 0);
	PT_CHECK((s = accept(l, NULL, NULL)) >= 0);
	PT_OK(ioctl(s, FIONREAD, &n));
	PT_CHECK(n == 9);                                          /* every message's bytes */
	PT_CHECK(recv(s, buf, sizeof(buf), 0) == 3 && !memcmp(buf, "one", 3));   /* boundaries kept */
	iov = (struct iovec){ buf, 2 };
	m = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1 };
	PT_CHECK(recvmsg(s, &m, 0) == 2 && (m.msg_flags & MSG_TRUNC));          /* the rest is gone */
	PT_CHECK(recv(s, buf, sizeof(buf), MSG_DONTWAIT) == 0);                 /* the empty one */
	PT_ERRNO(recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	glen = sizeof(g);
	PT_OK(getpeername(c, (struct sockaddr *)&g, &glen));
	PT_CHECK(glen == len && !strcmp(g.sun_path, a.sun_path));
	PT_CHECK(write(s, "back", 4) == 4 && read(c, buf, sizeof(buf)) == 4);
	PT_OK(shutdown(c, SHUT_WR));
	PT_CHECK(recv(s, buf, sizeof(buf), 0) == 0);
	PT_OK(close(c));
	PT_ERRNO(send(s, "x", 1, MSG_NOSIGNAL), EPIPE);
	PT_OK(close(s));
	struct sockaddr_un d = named("dg", &glen);
	int dg = bound_at(SOCK_DGRAM, "dg"), x = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	PT_CHECK(dg >= 0 && x >= 0);
	PT_ERRNO(connect(x, (struct sockaddr *)&d, glen), EPROTOTYPE);
	PT_OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	PT_CHECK(write(sv[0], "ab", 2) == 2 && write(sv[0], "cd", 2) == 2);
	PT_CHECK(read(sv[1], buf, sizeof(buf)) == 2 && read(sv[1], buf, sizeof(buf)) == 2);
	int fds[] = { l, dg, x, sv[0], sv[1] };
	for (unsigned i = 0; i < 5; i++)
		PT_OK(close(fds[i]));
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* SO_RCVTIMEO bounds recv and accept, SO_SNDTIMEO a blocked write:
 * EAGAIN, never early. */
static void unix_timeouts(void)
{
	struct timeval tv = { 0, 150000 };
	char buf[4096];
	int sv[2], d, l;
	long t0, r;

	PT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	PT_OK(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	t0 = now_ms();
	PT_ERRNO(recv(sv[0], buf, sizeof(buf), 0), EAGAIN);
	PT_CHECK(now_ms() - t0 >= 140);
	PT_CHECK(write(sv[1], "x", 1) == 1 && read(sv[0], buf, sizeof(buf)) == 1);
	PT_OK(fcntl(sv[1], F_SETFL, O_NONBLOCK));
	memset(buf, 'f', sizeof(buf));
	while ((r = write(sv[1], buf, sizeof(buf))) > 0)
		;
	PT_CHECK(errno == EAGAIN);
	PT_OK(fcntl(sv[1], F_SETFL, 0));
	PT_OK(setsockopt(sv[1], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	t0 = now_ms();
	PT_ERRNO(write(sv[1], "y", 1), EAGAIN);
	PT_CHECK(now_ms() - t0 >= 140);
	PT_CHECK((d = bound_at(SOCK_DGRAM, "d")) >= 0);
	PT_OK(setsockopt(d, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	t0 = now_ms();
	PT_ERRNO(recv(d, buf, sizeof(buf), 0), EAGAIN);
	PT_CHECK(now_ms() - t0 >= 140);
	PT_CHECK((l = bound_at(SOCK_STREAM, "l")) >= 0);
	PT_OK(setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	t0 = now_ms();
	PT_ERRNO(accept(l, NULL, NULL), EAGAIN);
	PT_CHECK(now_ms() - t0 >= 140);
	int fds[] = { sv[0], sv[1], d, l };
	for (unsigned i = 0; i < 4; i++)
		PT_OK(close(fds[i]));
}

const struct pt_case pt_unix_cases[] = {
	PT_CASE(unix_bind_makes_socket_node),
	PT_CASE(unix_stream_connect_accept),
	PT_CASE(unix_stream_errors),
	PT_CASE(unix_stream_backlog_nonblock),
	PT_CASE(unix_stream_threaded_echo),
	PT_CASE(unix_stream_blocking_accept_read),
	PT_CASE(unix_dgram_names),
	PT_CASE(unix_dgram_connected),
	PT_CASE(unix_dgram_queue_full),
	PT_CASE(unix_socketpair_dgram),
	PT_CASE(unix_abstract_and_autobind),
	PT_CASE(unix_unlink_keeps_connections),
	PT_CASE(unix_readiness),
	PT_CASE(unix_timeouts),
	PT_CASE(unix_seqpacket),
	PT_END
};
