/* echo: TCP and UDP echo servers in one epoll loop (RFC 862).
 *
 *     echo [TCPPORT [UDPPORT]]      # defaults: 7 and 7
 *
 * Plain POSIX + Linux epoll: the same file runs in the guest (musl over
 * posix-socket and posix-event) and on Linux (musl-gcc -static, or any
 * libc). TCP: every byte read is written back on the same connection, in
 * order; while a connection's echo is pending (the peer reads slower than
 * it writes) the server stops reading it, so memory per connection stays
 * one buffer. The connection closes when the peer has closed its side and
 * everything was echoed. UDP: each datagram goes back to its sender.
 *
 * Prints "echo: listening tcp=PORT udp=PORT" once both sockets are bound;
 * errors go to stderr and exit 1.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_SIZE 16384
#define MAX_EVENTS 64

struct conn {
	int fd;
	size_t len, off;           /* buf[off..len) still to be echoed */
	char buf[BUF_SIZE];
};

/* Tags in epoll_data.ptr for the two server sockets (connections carry
 * their struct conn). */
static char tag_listen, tag_udp;

static int port_arg(const char *s, int dflt)
{
	if (!s)
		return dflt;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < 1 || v > 65535) {
		fprintf(stderr, "echo: bad port '%s' (1-65535)\n", s);
		exit(1);
	}
	return (int)v;
}

/* A socket of `type` bound to *:port; exits with a message on failure. */
static int bound_socket(int type, int port)
{
	int fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_ANY) };

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		fprintf(stderr, "echo: %s port %d: %s\n", type == SOCK_STREAM ? "tcp" : "udp",
			port, strerror(errno));
		exit(1);
	}
	return fd;
}

static void watch(int ep, int op, int fd, unsigned events, void *ptr)
{
	struct epoll_event ev = { .events = events, .data.ptr = ptr };

	if (epoll_ctl(ep, op, fd, &ev) < 0) {
		fprintf(stderr, "echo: epoll_ctl: %s\n", strerror(errno));
		exit(1);
	}
}

static void conn_close(struct conn *c)
{
	close(c->fd);          /* also leaves the epoll set */
	free(c);
}

static void accept_all(int ep, int lfd)
{
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED)
				fprintf(stderr, "echo: accept: %s\n", strerror(errno));
			return;
		}
		struct conn *c = malloc(sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c->fd = fd;
		c->len = c->off = 0;
		watch(ep, EPOLL_CTL_ADD, fd, EPOLLIN, c);
	}
}

/* Writes what is pending. 1: all written, 0: the socket is full, -1: error. */
static int flush(struct conn *c)
{
	while (c->off < c->len) {
		ssize_t n = write(c->fd, c->buf + c->off, c->len - c->off);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		c->off += (size_t)n;
	}
	c->off = c->len = 0;
	return 1;
}

static void on_conn(int ep, struct conn *c, unsigned events)
{
	if (c->len) {                          /* waiting for room to write */
		int r = flush(c);
		if (r < 0)
			goto out;
		if (r == 1)
			watch(ep, EPOLL_CTL_MOD, c->fd, EPOLLIN, c);
		return;
	}
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	for (;;) {
		ssize_t n = read(c->fd, c->buf, sizeof(c->buf));
		if (n == 0)
			goto out;              /* the peer is done and has all its bytes */
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			goto out;
		}
		c->len = (size_t)n;
		c->off = 0;
		int r = flush(c);
		if (r < 0)
			goto out;
		if (r == 0) {
			watch(ep, EPOLL_CTL_MOD, c->fd, EPOLLOUT, c);
			return;
		}
	}
out:
	conn_close(c);
}

static void on_udp(int ufd)
{
	static char dgram[65536];

	for (;;) {
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(ufd, dgram, sizeof(dgram), 0, (struct sockaddr *)&from, &flen);
		if (n < 0)
			return;
		sendto(ufd, dgram, (size_t)n, 0, (struct sockaddr *)&from, flen);
	}
}

int main(int argc, char **argv)
{
	int tport = port_arg(argc > 1 ? argv[1] : NULL, 7);
	int uport = port_arg(argc > 2 ? argv[2] : NULL, 7);
	int lfd = bound_socket(SOCK_STREAM, tport);
	int ufd = bound_socket(SOCK_DGRAM, uport);
	int ep = epoll_create1(EPOLL_CLOEXEC);

	signal(SIGPIPE, SIG_IGN);      /* a peer gone mid-echo is EPIPE, not death */
	if (ep < 0 || listen(lfd, 511) < 0) {
		fprintf(stderr, "echo: %s\n", strerror(errno));
		return 1;
	}
	watch(ep, EPOLL_CTL_ADD, lfd, EPOLLIN, &tag_listen);
	watch(ep, EPOLL_CTL_ADD, ufd, EPOLLIN, &tag_udp);
	printf("echo: listening tcp=%d udp=%d\n", tport, uport);
	fflush(stdout);

	struct epoll_event evs[MAX_EVENTS];
	for (;;) {
		int n = epoll_wait(ep, evs, MAX_EVENTS, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "echo: epoll_wait: %s\n", strerror(errno));
			return 1;
		}
		for (int i = 0; i < n; i++) {
			void *p = evs[i].data.ptr;
			if (p == &tag_listen)
				accept_all(ep, lfd);
			else if (p == &tag_udp)
				on_udp(ufd);
			else
				on_conn(ep, p, evs[i].events);
		}
	}
}
