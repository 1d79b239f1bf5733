/* httpreply: a small HTTP/1.1 server in one epoll loop.
 *
 *     httpreply [PORT [DOCROOT]]      # defaults: 80 and /www
 *
 * GET and HEAD. `/` is a fixed 612-byte page (page.c; the size of nginx's
 * default index.html, so benchmarks against nginx move the same bytes);
 * any other path is a regular file under DOCROOT (sent with sendfile,
 * read+write where sendfile cannot), or 404. Every response has a
 * Content-Length; connections stay open (HTTP/1.1 keep-alive, HTTP/1.0
 * with "Connection: keep-alive") until the client closes or asks to
 * close; pipelined requests are answered in order.
 *
 * Plain POSIX + Linux epoll: the same file runs in the guest (musl over
 * posix-socket and posix-event) and on Linux (musl-gcc -static), which is
 * how benchmarks/ compares the two. Prints "httpreply: listening port=P
 * root=DIR" once the socket listens; errors go to stderr and exit 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"

#define MAX_EVENTS 64

static char tag_listen;     /* epoll_data.ptr of the listening socket */
static const char *docroot = "/www";

static void watch(int ep, int op, int fd, unsigned events, void *ptr)
{
	struct epoll_event ev = { .events = events, .data.ptr = ptr };

	if (epoll_ctl(ep, op, fd, &ev) < 0) {
		fprintf(stderr, "httpreply: epoll_ctl: %s\n", strerror(errno));
		exit(1);
	}
}

/* Listens on *:port; exits with a message on failure. */
static int listen_on(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_ANY) };

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 511) < 0) {
		fprintf(stderr, "httpreply: port %d: %s\n", port, strerror(errno));
		exit(1);
	}
	return fd;
}

static void conn_close(struct conn *c)
{
	if (c->file_fd >= 0)
		close(c->file_fd);
	close(c->fd);           /* also leaves the epoll set */
	free(c);
}

static void accept_all(int ep, int lfd)
{
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED)
				fprintf(stderr, "httpreply: accept: %s\n", strerror(errno));
			return;
		}
		struct conn *c = calloc(1, sizeof(*c));
		if (!c) {       /* no memory for one more: refuse it, keep the rest */
			close(fd);
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c->fd = fd;
		c->file_fd = -1;
		c->events = EPOLLIN;
		watch(ep, EPOLL_CTL_ADD, fd, EPOLLIN, c);
	}
}

/* Sends what is pending: out[], then the file. 1: all sent, 0: the socket
 * is full, -1: the connection failed. */
static int send_pending(struct conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		c->out_off += (size_t)n;
	}
	c->out_off = c->out_len = 0;
	while (c->file_fd >= 0 && c->file_off < c->file_end) {
		off_t left = c->file_end - c->file_off;
		ssize_t n = c->no_sendfile ? -1 :
			sendfile(c->fd, c->file_fd, &c->file_off, (size_t)left);
		if (n < 0 && !c->no_sendfile && (errno == EINVAL || errno == ENOSYS))
			c->no_sendfile = 1;
		if (c->no_sendfile) {
			/* Bounce through out[]: the next loop above sends it. */
			n = pread(c->file_fd, c->out, sizeof(c->out) < (size_t)left ?
				  sizeof(c->out) : (size_t)left, c->file_off);
			if (n <= 0)
				return -1;     /* the file shrank: the length we sent is a lie */
			c->file_off += n;
			c->out_len = (size_t)n;
			return send_pending(c);
		}
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		if (n == 0)
			return -1;
	}
	if (c->file_fd >= 0) {
		close(c->file_fd);
		c->file_fd = -1;
	}
	return 1;
}

static void set_events(int ep, struct conn *c, unsigned events)
{
	if (c->events != events) {
		c->events = events;
		watch(ep, EPOLL_CTL_MOD, c->fd, events, c);
	}
}

/* Serves the connection until it would block or is done. */
static void on_conn(int ep, struct conn *c)
{
	for (;;) {
		int r = send_pending(c);
		if (r < 0)
			goto out;
		if (r == 0) {
			set_events(ep, c, EPOLLOUT);
			return;
		}
		if (c->close_after)
			goto out;
		/* Nothing pending: answer the next complete request. */
		int used = http_answer(c, docroot);
		if (used > 0) {
			memmove(c->in, c->in + used, c->in_len - (size_t)used);
			c->in_len -= (size_t)used;
			continue;
		}
		if (c->in_len == sizeof(c->in)) {
			http_error(c, 431, "Request Header Fields Too Large");
			continue;
		}
		ssize_t n = read(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len);
		if (n == 0)
			goto out;
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				goto out;
			set_events(ep, c, EPOLLIN);
			return;
		}
		c->in_len += (size_t)n;
	}
out:
	conn_close(c);
}

int main(int argc, char **argv)
{
	int port = 80;

	if (argc > 1) {
		char *end;
		long v = strtol(argv[1], &end, 10);
		if (*end || v < 1 || v > 65535) {
			fprintf(stderr, "httpreply: bad port '%s' (1-65535)\n", argv[1]);
			return 1;
		}
		port = (int)v;
	}
	if (argc > 2)
		docroot = argv[2];
	signal(SIGPIPE, SIG_IGN);      /* a client gone mid-reply is EPIPE, not death */

	int lfd = listen_on(port);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		fprintf(stderr, "httpreply: epoll_create1: %s\n", strerror(errno));
		return 1;
	}
	watch(ep, EPOLL_CTL_ADD, lfd, EPOLLIN, &tag_listen);
	printf("httpreply: listening port=%d root=%s\n", port, docroot);
	fflush(stdout);

	struct epoll_event evs[MAX_EVENTS];
	for (;;) {
		int n = epoll_wait(ep, evs, MAX_EVENTS, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "httpreply: epoll_wait: %s\n", strerror(errno));
			return 1;
		}
		for (int i = 0; i < n; i++) {
			if (evs[i].data.ptr == &tag_listen)
				accept_all(ep, lfd);
			else
				on_conn(ep, evs[i].data.ptr);
		}
	}
}
