/* SPDX-License-Identifier: BSD-3-Clause */
/* Sockets: socketpair(AF_UNIX, SOCK_STREAM) (data, shutdown, EPIPE and
 * SIGPIPE, O_NONBLOCK, peek, FIONREAD), and TCP and UDP over 127.0.0.1:
 * connect/accept4 and their flags, names, non-blocking connect, refused
 * connects, a full send buffer, shutdown, socket options read back,
 * readv/writev and sendfile, a threaded 1 MiB echo, datagrams and
 * truncation, errno for misuse. Every value compared is one Linux and the
 * unikernel must agree on (never a port number or a timing). */
#include "pt.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static volatile int sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void sock_pair_data(void)
{
	int sv[2], n = -1, v = 0;
	socklen_t len = sizeof(v);
	struct stat st;
	char buf[16];

	PT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	PT_CHECK(write(sv[0], "hello", 5) == 5);
	PT_OK(ioctl(sv[1], FIONREAD, &n));
	PT_CHECK(n == 5);
	PT_CHECK(read(sv[1], buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5));
	PT_CHECK(send(sv[1], "back", 4, 0) == 4);
	PT_CHECK(recv(sv[0], buf, sizeof(buf), 0) == 4 && !memcmp(buf, "back", 4));
	PT_OK(fstat(sv[0], &st));
	PT_CHECK(S_ISSOCK(st.st_mode));
	PT_OK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &len));
	PT_CHECK(v == SOCK_STREAM && len == sizeof(int));
	PT_OK(getsockopt(sv[0], SOL_SOCKET, SO_DOMAIN, &v, &len));
	PT_CHECK(v == AF_UNIX);
	PT_ERRNO(lseek(sv[0], 0, SEEK_SET), ESPIPE);
	PT_OK(close(sv[0]));
	PT_OK(close(sv[1]));
}

static void sock_pair_shutdown(void)
{
	int sv[2];
	char buf[8];

	PT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	PT_OK(shutdown(sv[0], SHUT_WR));
	PT_CHECK(read(sv[1], buf, sizeof(buf)) == 0);            /* end of file */
	PT_ERRNO(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
	PT_CHECK(write(sv[1], "ok", 2) == 2);                     /* the other way still works */
	PT_CHECK(read(sv[0], buf, sizeof(buf)) == 2);
	PT_ERRNO(shutdown(sv[0], 7), EINVAL);
	PT_OK(close(sv[1]));
	PT_CHECK(read(sv[0], buf, sizeof(buf)) == 0);            /* peer gone: EOF */
	PT_OK(close(sv[0]));
}

static void sock_pair_sigpipe(void)
{
	struct sigaction sa = { .sa_handler = on_sigpipe }, old;
	int sv[2];

	PT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	PT_OK(close(sv[1]));
	PT_OK(sigaction(SIGPIPE, &sa, &old));
	sigpipes = 0;
	errno = 0;
	long r = write(sv[0], "x", 1);
	int e = errno;
	long r2 = send(sv[0], "x", 1, MSG_NOSIGNAL);
	int e2 = errno;
	sigaction(SIGPIPE, &old, NULL);
	PT_CHECK(r == -1 && e == EPIPE && sigpipes == 1);
	PT_CHECK(r2 == -1 && e2 == EPIPE && sigpipes == 1);      /* MSG_NOSIGNAL: no signal */
	PT_OK(close(sv[0]));
}

static void sock_pair_nonblock_cloexec(void)
{
	int sv[2];
	char buf[4096];
	long total = 0, r;

	PT_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv));
	PT_CHECK(fcntl(sv[0], F_GETFD) == FD_CLOEXEC);
	PT_CHECK(fcntl(sv[1], F_GETFL) & O_NONBLOCK);
	PT_ERRNO(read(sv[0], buf, sizeof(buf)), EAGAIN);
	memset(buf, 'z', sizeof(buf));
	while ((r = write(sv[0], buf, sizeof(buf))) > 0 && total < (64 << 20))
		total += r;
	PT_CHECK(r == -1 && errno == EAGAIN && total > 0);
	PT_CHECK(read(sv[1], buf, sizeof(buf)) > 0);
	PT_OK(close(sv[0]));
	PT_OK(close(sv[1]));
}

static void sock_pair_peek_dontwait(void)
{
	int sv[2];
	char buf[8];

	PT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	PT_ERRNO(recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	PT_CHECK(write(sv[1], "abc", 3) == 3);
	PT_CHECK(recv(sv[0], buf, 2, MSG_PEEK) == 2 && !memcmp(buf, "ab", 2));
	PT_CHECK(recv(sv[0], buf, sizeof(buf), 0) == 3 && !memcmp(buf, "abc", 3));
	PT_OK(close(sv[0]));
	PT_OK(close(sv[1]));
}

static void sock_misuse(void)
{
	int sv[2], p[2];
	struct sockaddr_in a = { .sin_family = AF_INET };

	PT_ERRNO(socket(12345, SOCK_STREAM, 0), EAFNOSUPPORT);
	PT_ERRNO(socket(AF_INET, SOCK_STREAM | 0x10000000, 0), EINVAL);
	PT_ERRNO(socketpair(AF_INET, SOCK_STREAM, 0, sv), EOPNOTSUPP);
	PT_OK(pipe(p));
	PT_ERRNO(bind(p[0], (struct sockaddr *)&a, sizeof(a)), ENOTSOCK);
	PT_ERRNO(listen(p[0], 1), ENOTSOCK);
	PT_ERRNO(shutdown(p[0], SHUT_RD), ENOTSOCK);
	PT_OK(close(p[0]));
	PT_OK(close(p[1]));
	PT_ERRNO(listen(p[0], 1), EBADF);
	PT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	PT_ERRNO(accept4(sv[0], NULL, NULL, 0x1), EINVAL);
	PT_OK(close(sv[0]));
	PT_OK(close(sv[1]));
}

/* --- TCP over 127.0.0.1 ----------------------------------------------- */

static struct sockaddr_in loopback(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A listening TCP socket on 127.0.0.1 at a free port (in *a): fd or -1. */
static int listener(struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	*a = loopback(0);
	if (s < 0 || bind(s, (struct sockaddr *)a, sizeof(*a)) || listen(s, 8) ||
	    getsockname(s, (struct sockaddr *)a, &len))
		return -1;
	return s;
}

/* A connected pair over loopback: 0 or -1. */
static int tcp_pair(int *client, int *server)
{
	struct sockaddr_in a;
	int l = listener(&a);

	if (l < 0)
		return -1;
	*client = socket(AF_INET, SOCK_STREAM, 0);
	if (*client < 0 || connect(*client, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	*server = accept(l, NULL, NULL);
	close(l);
	return *server < 0 ? -1 : 0;
}

static void tcp_connect_accept4_names(void)
{
	struct sockaddr_in a, c, p, s;
	socklen_t len;
	char buf[16];
	int l, cl, sv;

	PT_CHECK((l = listener(&a)) >= 0);
	PT_CHECK(a.sin_port != 0 && a.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
	PT_CHECK((cl = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	len = sizeof(p);
	PT_ERRNO(getpeername(cl, (struct sockaddr *)&p, &len), ENOTCONN);
	PT_OK(connect(cl, (struct sockaddr *)&a, sizeof(a)));
	PT_ERRNO(connect(cl, (struct sockaddr *)&a, sizeof(a)), EISCONN);
	len = sizeof(p);
	PT_CHECK((sv = accept4(l, (struct sockaddr *)&p, &len, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0);
	PT_CHECK(len == sizeof(p) && p.sin_family == AF_INET);
	PT_CHECK(fcntl(sv, F_GETFD) == FD_CLOEXEC && (fcntl(sv, F_GETFL) & O_NONBLOCK));
	PT_CHECK(!(fcntl(l, F_GETFL) & O_NONBLOCK));
	len = sizeof(c);
	PT_OK(getsockname(cl, (struct sockaddr *)&c, &len));
	PT_CHECK(c.sin_port == p.sin_port && c.sin_addr.s_addr == p.sin_addr.s_addr);
	len = sizeof(s);
	PT_OK(getpeername(cl, (struct sockaddr *)&s, &len));
	PT_CHECK(s.sin_port == a.sin_port && s.sin_addr.s_addr == a.sin_addr.s_addr);
	len = sizeof(s);
	PT_OK(getsockname(sv, (struct sockaddr *)&s, &len));
	PT_CHECK(s.sin_port == a.sin_port);
	len = 4;                                 /* a short buffer: cut, full length told */
	PT_OK(getsockname(sv, (struct sockaddr *)&s, &len));
	PT_CHECK(len == sizeof(struct sockaddr_in));
	PT_CHECK(send(cl, "ping", 4, 0) == 4);
	struct pollfd pf = { .fd = sv, .events = POLLIN };
	PT_CHECK(poll(&pf, 1, 5000) == 1 && (pf.revents & POLLIN));
	PT_CHECK(recv(sv, buf, sizeof(buf), 0) == 4 && !memcmp(buf, "ping", 4));
	PT_CHECK(write(sv, "pong", 4) == 4);
	PT_CHECK(read(cl, buf, sizeof(buf)) == 4 && !memcmp(buf, "pong", 4));
	PT_OK(close(cl));
	pf.events = POLLIN;
	PT_CHECK(poll(&pf, 1, 5000) == 1 && (pf.revents & POLLIN));
	PT_CHECK(read(sv, buf, sizeof(buf)) == 0);   /* the client closed */
	PT_OK(close(sv));
	PT_OK(close(l));
}

static void tcp_nonblocking_connect(void)
{
	struct sockaddr_in a;
	int err = -1, l, cl, sv;
	socklen_t len = sizeof(err);

	PT_CHECK((l = listener(&a)) >= 0);
	PT_CHECK((cl = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) >= 0);
	int r = connect(cl, (struct sockaddr *)&a, sizeof(a));
	PT_CHECK(r == 0 || errno == EINPROGRESS);
	struct pollfd pf = { .fd = cl, .events = POLLOUT };
	PT_CHECK(poll(&pf, 1, 5000) == 1 && pf.revents == POLLOUT);
	PT_OK(getsockopt(cl, SOL_SOCKET, SO_ERROR, &err, &len));
	PT_CHECK(err == 0);
	PT_CHECK((sv = accept(l, NULL, NULL)) >= 0);
	PT_OK(close(sv));
	PT_OK(close(cl));
	PT_OK(close(l));
}

static void tcp_connect_refused(void)
{
	struct sockaddr_in a;
	int err = -1, l, cl;
	socklen_t len = sizeof(err);

	PT_CHECK((l = listener(&a)) >= 0);
	PT_OK(close(l));                         /* nobody listens there now */
	PT_CHECK((cl = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	PT_ERRNO(connect(cl, (struct sockaddr *)&a, sizeof(a)), ECONNREFUSED);
	PT_OK(close(cl));
	PT_CHECK((cl = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) >= 0);
	int r = connect(cl, (struct sockaddr *)&a, sizeof(a));
	PT_CHECK(r == -1 && (errno == EINPROGRESS || errno == ECONNREFUSED));
	if (errno == EINPROGRESS) {
		struct pollfd pf = { .fd = cl, .events = POLLOUT };
		PT_CHECK(poll(&pf, 1, 5000) == 1 && (pf.revents & POLLERR));
		PT_OK(getsockopt(cl, SOL_SOCKET, SO_ERROR, &err, &len));
		PT_CHECK(err == ECONNREFUSED);
		PT_OK(getsockopt(cl, SOL_SOCKET, SO_ERROR, &err, &len));
		PT_CHECK(err == 0);                  /* read once, then cleared */
	}
	PT_OK(close(cl));
}

static void tcp_full_send_buffer_eagain(void)
{
	static char buf[16384];
	long total = 0, got = 0, r;
	int cl, sv;

	PT_OK(tcp_pair(&cl, &sv));
	PT_OK(fcntl(cl, F_SETFL, O_NONBLOCK));
	memset(buf, 'q', sizeof(buf));
	while ((r = send(cl, buf, sizeof(buf), 0)) > 0 && total < (256L << 20))
		total += r;
	PT_CHECK(r == -1 && errno == EAGAIN && total > 0);
	/* the reader drains it all; the sender can go on */
	PT_OK(fcntl(sv, F_SETFL, O_NONBLOCK));
	while (got < total) {
		struct pollfd pf = { .fd = sv, .events = POLLIN };
		PT_CHECK(poll(&pf, 1, 5000) == 1);
		r = recv(sv, buf, sizeof(buf), 0);
		PT_CHECK(r > 0);
		got += r;
	}
	PT_CHECK(got == total);
	struct pollfd pf = { .fd = cl, .events = POLLOUT };
	PT_CHECK(poll(&pf, 1, 5000) == 1 && (pf.revents & POLLOUT));
	PT_CHECK(send(cl, buf, 10, 0) == 10);
	PT_OK(close(cl));
	PT_OK(close(sv));
}

static void tcp_shutdown_semantics(void)
{
	int cl, sv, s;
	char buf[8];

	PT_CHECK((s = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	PT_ERRNO(shutdown(s, SHUT_RDWR), ENOTCONN);
	PT_OK(close(s));
	PT_OK(tcp_pair(&cl, &sv));
	PT_OK(shutdown(cl, SHUT_WR));
	PT_CHECK(read(sv, buf, sizeof(buf)) == 0);               /* FIN seen */
	PT_CHECK(write(sv, "late", 4) == 4);                      /* half-open: still flows back */
	PT_CHECK(read(cl, buf, sizeof(buf)) == 4 && !memcmp(buf, "late", 4));
	PT_ERRNO(send(cl, "x", 1, MSG_NOSIGNAL), EPIPE);
	PT_OK(close(cl));
	PT_OK(close(sv));
}

static int getint(int fd, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	return getsockopt(fd, level, name, &v, &len) ? -2 : v;
}

static void tcp_sockopts_read_back(void)
{
	int one = 1, zero = 0, v60 = 60, s;
	struct linger lg = { 1, 5 }, lg2;
	socklen_t len = sizeof(lg2);
	struct sockaddr_in a;

	PT_CHECK((s = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	PT_CHECK(getint(s, SOL_SOCKET, SO_TYPE) == SOCK_STREAM);
	PT_CHECK(getint(s, SOL_SOCKET, SO_DOMAIN) == AF_INET);
	PT_CHECK(getint(s, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_TCP);
	PT_CHECK(getint(s, SOL_SOCKET, SO_ERROR) == 0);
	PT_CHECK(getint(s, SOL_SOCKET, SO_REUSEADDR) == 0);
	PT_OK(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	PT_CHECK(getint(s, SOL_SOCKET, SO_REUSEADDR) == 1);
	PT_OK(setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)));
	PT_CHECK(getint(s, SOL_SOCKET, SO_REUSEPORT) == 1);
	PT_OK(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)));
	PT_CHECK(getint(s, SOL_SOCKET, SO_KEEPALIVE) == 1);
	PT_OK(setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &v60, sizeof(v60)));
	PT_CHECK(getint(s, IPPROTO_TCP, TCP_KEEPIDLE) == 60);
	PT_OK(setsockopt(s, IPPROTO_TCP, TCP_KEEPINTVL, &v60, sizeof(v60)));
	PT_CHECK(getint(s, IPPROTO_TCP, TCP_KEEPINTVL) == 60);
	PT_OK(setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &one, sizeof(one)));
	PT_CHECK(getint(s, IPPROTO_TCP, TCP_KEEPCNT) == 1);
	PT_CHECK(getint(s, IPPROTO_TCP, TCP_NODELAY) == 0);
	PT_OK(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)));
	PT_CHECK(getint(s, IPPROTO_TCP, TCP_NODELAY) == 1);
	PT_OK(setsockopt(s, IPPROTO_TCP, TCP_CORK, &one, sizeof(one)));
	PT_CHECK(getint(s, IPPROTO_TCP, TCP_CORK) == 1);
	PT_OK(setsockopt(s, IPPROTO_TCP, TCP_CORK, &zero, sizeof(zero)));
	PT_CHECK(getint(s, IPPROTO_TCP, TCP_CORK) == 0);
	int big = 65536;
	PT_OK(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big)));
	PT_CHECK(getint(s, SOL_SOCKET, SO_RCVBUF) == 2 * big);    /* Linux doubles it */
	PT_OK(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big)));
	PT_CHECK(getint(s, SOL_SOCKET, SO_SNDBUF) == 2 * big);
	PT_OK(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	PT_OK(getsockopt(s, SOL_SOCKET, SO_LINGER, &lg2, &len));
	PT_CHECK(len == sizeof(lg2) && lg2.l_onoff == 1 && lg2.l_linger == 5);
	PT_ERRNO(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, 2), EINVAL);
	PT_ERRNO(setsockopt(s, SOL_SOCKET, 9999, &one, sizeof(one)), ENOPROTOOPT);
	PT_ERRNO(setsockopt(s, IPPROTO_TCP, 9999, &one, sizeof(one)), ENOPROTOOPT);
	PT_CHECK(getint(s, SOL_SOCKET, SO_ACCEPTCONN) == 0);
	a = loopback(0);
	PT_OK(bind(s, (struct sockaddr *)&a, sizeof(a)));
	PT_OK(listen(s, 4));
	PT_CHECK(getint(s, SOL_SOCKET, SO_ACCEPTCONN) == 1);
	PT_OK(close(s));
}

static void tcp_bind_listen_errors(void)
{
	struct sockaddr_in a, b;
	int l, s, u;

	PT_CHECK((l = listener(&a)) >= 0);
	PT_CHECK((s = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	PT_ERRNO(bind(s, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE);
	b = loopback(0);
	PT_ERRNO(bind(s, (struct sockaddr *)&b, 4), EINVAL);
	PT_OK(bind(s, (struct sockaddr *)&b, sizeof(b)));
	PT_ERRNO(bind(s, (struct sockaddr *)&b, sizeof(b)), EINVAL);   /* bound already */
	PT_ERRNO(accept(s, NULL, NULL), EINVAL);                         /* not listening */
	PT_CHECK((u = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
	PT_ERRNO(listen(u, 1), EOPNOTSUPP);
	PT_ERRNO(accept(u, NULL, NULL), EOPNOTSUPP);
	PT_OK(close(u));
	PT_OK(close(s));
	PT_OK(close(l));
}

static void tcp_peek_dontwait_vectors(void)
{
	char a[3], b[4], buf[16];
	struct iovec out[2] = { { "abc", 3 }, { "defg", 4 } };
	struct iovec in[2] = { { a, 3 }, { b, 4 } };
	int cl, sv;

	PT_OK(tcp_pair(&cl, &sv));
	PT_ERRNO(recv(sv, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	PT_CHECK(writev(cl, out, 2) == 7);
	struct pollfd pf = { .fd = sv, .events = POLLIN };
	PT_CHECK(poll(&pf, 1, 5000) == 1);
	PT_CHECK(recv(sv, buf, 7, MSG_PEEK | MSG_WAITALL) == 7 && !memcmp(buf, "abcdefg", 7));
	PT_CHECK(readv(sv, in, 2) == 7);
	PT_CHECK(!memcmp(a, "abc", 3) && !memcmp(b, "defg", 4));
	struct msghdr m = { .msg_iov = out, .msg_iovlen = 2 };
	PT_CHECK(sendmsg(cl, &m, 0) == 7);
	struct msghdr r = { .msg_iov = in, .msg_iovlen = 2 };
	PT_CHECK(recvmsg(sv, &r, MSG_WAITALL) == 7 && r.msg_flags == 0);
	PT_CHECK(!memcmp(a, "abc", 3) && !memcmp(b, "defg", 4));
	PT_OK(close(cl));
	PT_OK(close(sv));
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void tcp_rcvtimeo_sndtimeo(void)
{
	struct timeval tv = { 0, 150000 }, got;
	socklen_t len = sizeof(got);
	char buf[8];
	int cl, sv;

	PT_OK(tcp_pair(&cl, &sv));
	PT_OK(setsockopt(sv, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	PT_OK(getsockopt(sv, SOL_SOCKET, SO_RCVTIMEO, &got, &len));
	PT_CHECK(len == sizeof(got) && got.tv_sec == 0 && got.tv_usec >= 150000);   /* Linux: jiffies, rounded up */
	long t0 = now_ms();
	PT_ERRNO(recv(sv, buf, sizeof(buf), 0), EAGAIN);        /* no data: the timeout */
	PT_CHECK(now_ms() - t0 >= 140);                           /* never early */
	PT_CHECK(write(cl, "x", 1) == 1);
	PT_CHECK(recv(sv, buf, sizeof(buf), 0) == 1);             /* data still comes */
	tv.tv_usec = 1000000;
	PT_ERRNO(setsockopt(sv, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)), EDOM);
	PT_OK(close(cl));
	PT_OK(close(sv));
}

struct drain_arg {
	int fd;
	char *buf;
	long cap, n, r;
};

/* Reads fd to its end into buf (another thread, so the sender never waits
 * on a buffer size). */
static void *drain(void *p)
{
	struct drain_arg *d = p;

	while ((d->r = read(d->fd, d->buf + d->n, (size_t)(d->cap - d->n))) > 0)
		d->n += d->r;
	return NULL;
}

static void tcp_sendfile_from_file(void)
{
	static char data[100000], got[100000];
	off_t off = 1000;
	int cl, sv, fd;
	pthread_t t;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7 + i / 251);
	PT_CHECK((fd = open(pt_path("f"), O_RDWR | O_CREAT, 0600)) >= 0);
	PT_OK(pt_write_all(fd, data, sizeof(data)));
	PT_OK(tcp_pair(&cl, &sv));
	struct drain_arg d = { cl, got, sizeof(got), 0, 0 };
	PT_CHECK(pthread_create(&t, NULL, drain, &d) == 0);
	long sent = sendfile(sv, fd, &off, sizeof(data));
	close(sv);
	pthread_join(t, NULL);
	PT_CHECK(sent == sizeof(data) - 1000 && off == sizeof(data));
	PT_CHECK(d.r == 0 && d.n == sizeof(data) - 1000 && !memcmp(got, data + 1000, (size_t)d.n));
	PT_OK(close(cl));
	PT_OK(close(fd));
}

struct echo_arg {
	int fd;
	long bytes;
};

static void *echo_server(void *p)
{
	struct echo_arg *e = p;
	char buf[3000];
	long r;

	while ((r = read(e->fd, buf, sizeof(buf))) > 0) {
		if (pt_write_all(e->fd, buf, (size_t)r))
			break;
		e->bytes += r;
	}
	shutdown(e->fd, SHUT_WR);
	return NULL;
}

struct feed_arg {
	int fd;
	const unsigned char *data;
	size_t len;
};

static void *feeder(void *p)
{
	struct feed_arg *f = p;
	size_t off = 0;

	while (off < f->len) {
		size_t c = f->len - off < 7000 ? f->len - off : 7000;
		if (pt_write_all(f->fd, f->data + off, c))
			break;
		off += c;
	}
	shutdown(f->fd, SHUT_WR);
	return NULL;
}

static void tcp_threaded_echo_1mib(void)
{
	static unsigned char data[1 << 20], back[1 << 20];
	struct echo_arg e = { 0 };
	struct feed_arg fa;
	pthread_t ts, tf;
	size_t n = 0;
	long r;
	int cl;

	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof(data); i++) {
		x = x * 1103515245 + 12345;
		data[i] = (unsigned char)(x >> 16);
	}
	PT_OK(tcp_pair(&cl, &e.fd));
	fa = (struct feed_arg){ cl, data, sizeof(data) };
	PT_CHECK(pthread_create(&ts, NULL, echo_server, &e) == 0);
	PT_CHECK(pthread_create(&tf, NULL, feeder, &fa) == 0);
	while ((r = read(cl, back + n, sizeof(back) - n)) > 0)
		n += (size_t)r;
	pthread_join(tf, NULL);
	pthread_join(ts, NULL);
	PT_CHECK(r == 0 && n == sizeof(data) && e.bytes == sizeof(data));
	PT_CHECK(!memcmp(data, back, sizeof(data)));
	PT_OK(close(cl));
	PT_OK(close(e.fd));
}

/* --- UDP ------------------------------------------------------------------ */

static void udp_datagrams(void)
{
	struct sockaddr_in a = loopback(0), b = loopback(0), from;
	socklen_t len = sizeof(a);
	char buf[64];
	int x, y, n = -1;

	PT_CHECK((x = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
	PT_CHECK((y = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) >= 0);
	PT_CHECK(getint(x, SOL_SOCKET, SO_TYPE) == SOCK_DGRAM);
	PT_CHECK(getint(x, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_UDP);
	PT_OK(bind(x, (struct sockaddr *)&a, sizeof(a)));
	PT_OK(getsockname(x, (struct sockaddr *)&a, &len));
	PT_OK(bind(y, (struct sockaddr *)&b, sizeof(b)));
	len = sizeof(b);
	PT_OK(getsockname(y, (struct sockaddr *)&b, &len));
	PT_ERRNO(recv(y, buf, sizeof(buf), 0), EAGAIN);
	PT_CHECK(sendto(x, "one", 3, 0, (struct sockaddr *)&b, sizeof(b)) == 3);
	PT_CHECK(sendto(x, "second", 6, 0, (struct sockaddr *)&b, sizeof(b)) == 6);
	struct pollfd pf = { .fd = y, .events = POLLIN };
	PT_CHECK(poll(&pf, 1, 5000) == 1);
	PT_OK(ioctl(y, FIONREAD, &n));
	PT_CHECK(n == 3);                                         /* the first datagram's size */
	len = sizeof(from);
	PT_CHECK(recvfrom(y, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len) == 3);
	PT_CHECK(!memcmp(buf, "one", 3) && len == sizeof(from) && from.sin_port == a.sin_port);
	/* a datagram cut to the buffer: MSG_TRUNC, the rest gone */
	struct iovec iv = { buf, 2 };
	struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iv,
			    .msg_iovlen = 1 };
	PT_CHECK(poll(&pf, 1, 5000) == 1);
	PT_CHECK(recvmsg(y, &m, 0) == 2 && (m.msg_flags & MSG_TRUNC) && !memcmp(buf, "se", 2));
	PT_ERRNO(recv(y, buf, sizeof(buf), 0), EAGAIN);
	/* connected: send/recv without addresses; sendmsg gathers into one datagram */
	PT_OK(connect(y, (struct sockaddr *)&a, sizeof(a)));
	len = sizeof(from);
	PT_OK(getpeername(y, (struct sockaddr *)&from, &len));
	PT_CHECK(from.sin_port == a.sin_port);
	struct iovec parts[3] = { { "ab", 2 }, { "", 0 }, { "cde", 3 } };
	struct msghdr sm = { .msg_iov = parts, .msg_iovlen = 3 };
	PT_CHECK(sendmsg(y, &sm, 0) == 5);
	PT_CHECK(recv(x, buf, sizeof(buf), 0) == 5 && !memcmp(buf, "abcde", 5));
	PT_CHECK(sendto(x, "peek", 4, 0, (struct sockaddr *)&b, sizeof(b)) == 4);
	PT_CHECK(poll(&pf, 1, 5000) == 1);
	PT_CHECK(recv(y, buf, sizeof(buf), MSG_PEEK) == 4);
	PT_CHECK(recv(y, buf, sizeof(buf), 0) == 4 && !memcmp(buf, "peek", 4));
	PT_OK(close(x));
	PT_OK(close(y));
}

const struct pt_case pt_socket_cases[] = {
	PT_CASE(sock_pair_data),
	PT_CASE(sock_pair_shutdown),
	PT_CASE(sock_pair_sigpipe),
	PT_CASE(sock_pair_nonblock_cloexec),
	PT_CASE(sock_pair_peek_dontwait),
	PT_CASE(sock_misuse),
	PT_CASE(tcp_connect_accept4_names),
	PT_CASE(tcp_nonblocking_connect),
	PT_CASE(tcp_connect_refused),
	PT_CASE(tcp_full_send_buffer_eagain),
	PT_CASE(tcp_shutdown_semantics),
	PT_CASE(tcp_sockopts_read_back),
	PT_CASE(tcp_bind_listen_errors),
	PT_CASE(tcp_peek_dontwait_vectors),
	PT_CASE(tcp_rcvtimeo_sndtimeo),
	PT_CASE(tcp_sendfile_from_file),
	PT_CASE(tcp_threaded_echo_1mib),
	PT_CASE(udp_datagrams),
	PT_END
};
