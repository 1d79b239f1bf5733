/* SPDX-License-Identifier: BSD-3-Clause */
/* AF_UNIX ancillary data and datagram writability: SCM_RIGHTS on a stream
 * (the files travel with their write's bytes, a receive stops after
 * them, also when the write wraps around the receive buffer, MSG_PEEK, a part read, MSG_CMSG_CLOEXEC, a closed sender's fd
 * stays open in flight), a small control buffer (MSG_CTRUNC, the files
 * that did not fit closed), EBADF and EINVAL, 200 files in one message,
 * datagrams and records carrying files (a socket too), files in messages
 * never received released at close, SCM_CREDENTIALS with SO_PASSCRED (and
 * the name a sender with it gets), and
 * a datagram socket connected to a full peer polling not writable until
 * the peer reads (a poll in another thread woken).
 * Every value compared is one Linux and the unikernel must agree on. */
#include "pt.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* sendmsg of n bytes with nf descriptors (SCM_RIGHTS; none when nf 0). */
static long send_fds(int s, const void *d, size_t n, const int *fds, int nf)
{
	static char cbuf[CMSG_SPACE(sizeof(int) * 256)] __attribute__((aligned(8)));
	struct iovec iov = { (void *)d, n };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (nf) {
		struct cmsghdr *c;

		m.msg_control = cbuf;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * nf);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nf);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nf);
	}
	return sendmsg(s, &m, 0);
}

/* What one recvmsg gave. */
struct got {
	long r;
	int nfd, fds[256];
	int flags;
	size_t controllen;
	int ncred;
	struct ucred cred;
};

/* recvmsg into buf (n bytes) with a control buffer of clen bytes (none
 * when 0); the descriptors and credentials it carried in *g. */
static struct got recv_fds(int s, void *buf, size_t n, size_t clen, int flags)
{
	static char cbuf[4096] __attribute__((aligned(8)));
	struct iovec iov = { buf, n };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = clen ? cbuf : NULL, .msg_controllen = clen };
	struct got g = { 0 };

	g.r = recvmsg(s, &m, flags);
	g.flags = m.msg_flags & (MSG_CTRUNC | MSG_TRUNC);
	g.controllen = m.msg_controllen;
	if (g.r < 0)
		return g;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));

			memcpy(g.fds + g.nfd, CMSG_DATA(c), sizeof(int) * k);
			g.nfd += k;
		} else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
			   c->cmsg_len == CMSG_LEN(sizeof(struct ucred))) {
			memcpy(&g.cred, CMSG_DATA(c), sizeof(g.cred));
			g.ncred++;
		}
	}
	return g;
}

/* The lowest free descriptor now. */
static int lowest_free(void)
{
	int fd = dup(0);

	if (fd >= 0)
		close(fd);
	return fd;
}

static void unix_scm_rights_stream(void)
{
	char buf[64];
	struct got g;
	int sv[2], p[2], want;

	PT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	PT_OK(pipe(p));
	/* plain bytes, bytes with a file, plain bytes again */
	PT_CHECK(write(sv[0], "aaa", 3) == 3);
	PT_CHECK(send_fds(sv[0], "bbb", 3, &p[0], 1) == 3);
	PT_CHECK(write(sv[0], "ccc", 3) == 3);
	PT_OK(close(p[0]));                     /* in flight: the pipe stays open */
	want = lowest_free();
	g = recv_fds(sv[1], buf, sizeof(buf), 64, 0);
	PT_CHECK(g.r == 6 && !memcmp(buf, "aaabbb", 6));        /* ends with the file's write */
	PT_CHECK(g.nfd == 1 && g.fds[0] == want && g.flags == 0);
	PT_CHECK(g.controllen == CMSG_SPACE(sizeof(int)));
	PT_CHECK(fcntl(g.fds[0], F_GETFD) == 0);
	PT_CHECK(write(p[1], "hi", 2) == 2 && read(g.fds[0], buf, sizeof(buf)) == 2 &&
		 !memcmp(buf, "hi", 2));
	PT_OK(close(g.fds[0]));
	g = recv_fds(sv[1], buf, sizeof(buf), 64, 0);
	PT_CHECK(g.r == 3 && !memcmp(buf, "ccc", 3) && g.nfd == 0 && g.controllen == 0);
	/* two writes with files: one receive each; a peek gets the file too;
	 * a part read takes it, the rest comes without */
	PT_CHECK(send_fds(sv[0], "dd", 2, &p[1], 1) == 2 && send_fds(sv[0], "ee", 2, &p[1], 1) == 2);
	g = recv_fds(sv[1], buf, sizeof(buf), 64, MSG_CMSG_CLOEXEC);
	PT_CHECK(g.r == 2 && !memcmp(buf, "dd", 2) && g.nfd == 1);
	PT_CHECK(fcntl(g.fds[0], F_GETFD) == FD_CLOEXEC);
	PT_OK(close(g.fds[0]));
	g = recv_fds(sv[1], buf, sizeof(buf), 64, MSG_PEEK);
	PT_CHECK(g.r == 2 && !memcmp(buf, "ee", 2) && g.nfd == 1);
	PT_OK(close(g.fds[0]));
	g = recv_fds(sv[1], buf, 1, 64, 0);
	PT_CHECK(g.r == 1 && g.nfd == 1);
	PT_OK(close(g.fds[0]));
	g = recv_fds(sv[1], buf, sizeof(buf), 64, 0);
	PT_CHECK(g.r == 1 && buf[0] == 'e' && g.nfd == 0);
	/* a read() of bytes with a file closes the file */
	PT_CHECK(send_fds(sv[0], "ff", 2, &p[1], 1) == 2);
	want = lowest_free();
	PT_CHECK(read(sv[1], buf, sizeof(buf)) == 2 && lowest_free() == want);
	/* a write with a file that wraps around the receiver's buffer (64 KiB
	 * in the guest) still comes whole with its file */
	{
		static char big[65500];
		size_t got = 0;
		long n;

		memset(big, 'g', sizeof(big));
		PT_CHECK(write(sv[0], big, sizeof(big)) == (long)sizeof(big));
		while (got < sizeof(big) && (n = read(sv[1], big, sizeof(big) - got)) > 0)
			got += (size_t)n;
		PT_CHECK(got == sizeof(big));
		memset(big, 'h', 100);
		PT_CHECK(send_fds(sv[0], big, 100, &p[1], 1) == 100);
		PT_CHECK(write(sv[0], "after", 5) == 5);
		g = recv_fds(sv[1], big, 200, 64, 0);
		PT_CHECK(g.r == 100 && g.nfd == 1 && big[99] == 'h');
		PT_OK(close(g.fds[0]));
		PT_CHECK(read(sv[1], buf, sizeof(buf)) == 5);
	}
	/* no data: nothing is sent, the file is dropped */
	PT_CHECK(send_fds(sv[0], "", 0, &p[1], 1) == 0);
	PT_ERRNO(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	int fds[] = { sv[0], sv[1], p[1] };
	for (unsigned i = 0; i < 3; i++)
		PT_OK(close(fds[i]));
}

static void unix_scm_rights_limits(void)
{
	static int many[200];
	char buf[16];
	struct got g;
	int sv[2], q[2], three[3], bad;

	PT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	PT_OK(pipe(q));
	/* room for two: the third (the pipe's only write end) is closed */
	three[0] = three[1] = sv[0];
	three[2] = q[1];
	PT_CHECK(send_fds(sv[0], "x", 1, three, 3) == 1);
	PT_OK(close(q[1]));
	g = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(int)), 0);
	PT_CHECK(g.r == 1 && g.nfd == 2 && g.flags == MSG_CTRUNC);
	PT_CHECK(g.controllen == CMSG_SPACE(sizeof(int)));
	PT_CHECK(read(q[0], buf, sizeof(buf)) == 0);           /* no writer left */
	PT_OK(close(g.fds[0]));
	PT_OK(close(g.fds[1]));
	/* no control buffer, or only a header's worth: none, MSG_CTRUNC */
	PT_CHECK(send_fds(sv[0], "y", 1, three, 2) == 1);
	g = recv_fds(sv[1], buf, sizeof(buf), 0, 0);
	PT_CHECK(g.r == 1 && g.nfd == 0 && g.flags == MSG_CTRUNC && g.controllen == 0);
	PT_CHECK(send_fds(sv[0], "z", 1, three, 2) == 1);
	g = recv_fds(sv[1], buf, sizeof(buf), sizeof(struct cmsghdr), 0);
	PT_CHECK(g.r == 1 && g.nfd == 0 && g.flags == MSG_CTRUNC && g.controllen == 0);
	/* a descriptor not open: EBADF, nothing sent */
	bad = lowest_free();
	PT_ERRNO(send_fds(sv[0], "b", 1, &bad, 1), EBADF);
	PT_ERRNO(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	/* a header longer than the buffer: EINVAL */
	{
		char cb[CMSG_SPACE(sizeof(int))] __attribute__((aligned(8)));
		struct iovec iov = { "c", 1 };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb,
				    .msg_controllen = sizeof(cb) };
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);

		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = sizeof(cb) + 8;
		PT_ERRNO(sendmsg(sv[0], &m, 0), EINVAL);
	}
	/* 200 in one message */
	for (int i = 0; i < 200; i++)
		many[i] = q[0];
	PT_CHECK(send_fds(sv[0], "m", 1, many, 200) == 1);
	g = recv_fds(sv[1], buf, sizeof(buf), 4096, 0);
	PT_CHECK(g.r == 1 && g.nfd == 200 && g.flags == 0);
	PT_CHECK(g.controllen == CMSG_SPACE(200 * sizeof(int)));
	for (int i = 0; i < 200; i++)
		PT_OK(close(g.fds[i]));
	int fds[] = { sv[0], sv[1], q[0] };
	for (unsigned i = 0; i < 3; i++)
		PT_OK(close(fds[i]));
}

/* Files in datagrams and records, a socket passed, and the files of
 * messages never received released when the receiver closes. */
static void unix_scm_rights_dgram_seqpacket(void)
{
	int types[] = { SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM };
	char buf[16];
	struct got g;
	int sv[2], q[2], other[2];

	PT_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	PT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, other));
	PT_CHECK(send_fds(sv[0], "one", 3, &other[0], 1) == 3);
	PT_CHECK(send_fds(sv[0], "two", 3, NULL, 0) == 3);
	PT_OK(close(other[0]));
	g = recv_fds(sv[1], buf, 2, 64, 0);                    /* cut: MSG_TRUNC */
	PT_CHECK(g.r == 2 && g.nfd == 1 && g.flags == MSG_TRUNC);
	PT_CHECK(write(g.fds[0], "via", 3) == 3 && read(other[1], buf, sizeof(buf)) == 3 &&
		 !memcmp(buf, "via", 3));
	PT_OK(close(g.fds[0]));
	g = recv_fds(sv[1], buf, sizeof(buf), 64, 0);
	PT_CHECK(g.r == 3 && g.nfd == 0 && g.controllen == 0);
	PT_OK(close(sv[0]));
	PT_OK(close(sv[1]));
	PT_OK(close(other[1]));
	for (unsigned i = 0; i < 3; i++) {
		PT_OK(socketpair(AF_UNIX, types[i], 0, sv));
		PT_OK(pipe(q));
		PT_CHECK(send_fds(sv[0], "r", 1, &q[1], 1) == 1);
		g = recv_fds(sv[1], buf, sizeof(buf), 64, MSG_PEEK);
		PT_CHECK(g.r == 1 && g.nfd == 1);
		PT_OK(close(g.fds[0]));
		PT_OK(close(q[1]));
		PT_OK(close(sv[1]));    /* the message is never received */
		PT_CHECK(read(q[0], buf, sizeof(buf)) == 0);
		PT_OK(close(sv[0]));
		PT_OK(close(q[0]));
	}
}

static void unix_scm_credentials(void)
{
	char buf[16], cb[CMSG_SPACE(sizeof(struct ucred))] __attribute__((aligned(8)));
	struct ucred me = { getpid(), getuid(), getgid() };
	int sv[2], one = 1, v = -1, p[2];
	socklen_t len = sizeof(v);
	struct got g;

	PT_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	PT_CHECK(send(sv[0], "a", 1, 0) == 1);
	g = recv_fds(sv[1], buf, sizeof(buf), 64, 0);
	PT_CHECK(g.r == 1 && g.ncred == 0 && g.controllen == 0);      /* not asked for */
	PT_OK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
	PT_OK(getsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &v, &len));
	PT_CHECK(v == 1 && len == sizeof(int));
	PT_CHECK(send(sv[0], "b", 1, 0) == 1);
	g = recv_fds(sv[1], buf, sizeof(buf), 64, 0);
	PT_CHECK(g.r == 1 && g.ncred == 1 && g.controllen == CMSG_SPACE(sizeof(struct ucred)));
	PT_CHECK(g.cred.pid == me.pid && g.cred.uid == me.uid && g.cred.gid == me.gid);
	/* the sender's own credentials, given explicitly */
	{
		struct iovec iov = { "c", 1 };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb,
				    .msg_controllen = sizeof(cb) };
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);

		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_CREDENTIALS;
		c->cmsg_len = CMSG_LEN(sizeof(me));
		memcpy(CMSG_DATA(c), &me, sizeof(me));
		PT_CHECK(sendmsg(sv[0], &m, 0) == 1);
		c->cmsg_len = CMSG_LEN(sizeof(me)) - 1;
		PT_ERRNO(sendmsg(sv[0], &m, 0), EINVAL);
	}
	g = recv_fds(sv[1], buf, sizeof(buf), 64, 0);
	PT_CHECK(g.r == 1 && g.ncred == 1 && g.cred.pid == me.pid);
	/* too small a buffer: the credentials cut, MSG_CTRUNC */
	PT_CHECK(send(sv[0], "d", 1, 0) == 1);
	g = recv_fds(sv[1], buf, sizeof(buf), sizeof(struct cmsghdr) + 4, 0);
	PT_CHECK(g.r == 1 && g.flags == MSG_CTRUNC && g.controllen == sizeof(struct cmsghdr) + 4);
	PT_OK(close(sv[0]));
	PT_OK(close(sv[1]));
	/* a stream: credentials first, then the files */
	PT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	PT_OK(pipe(p));
	PT_OK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
	PT_CHECK(send_fds(sv[0], "e", 1, &p[0], 1) == 1);
	g = recv_fds(sv[1], buf, sizeof(buf), 128, 0);
	PT_CHECK(g.r == 1 && g.ncred == 1 && g.nfd == 1 && g.cred.pid == me.pid);
	PT_CHECK(g.controllen == CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int)));
	PT_OK(close(g.fds[0]));
	/* end of file: zeroed credentials, as Linux reports them */
	PT_OK(close(sv[0]));
	g = recv_fds(sv[1], buf, sizeof(buf), 128, 0);
	PT_CHECK(g.r == 0 && g.ncred == 1 && g.cred.pid == 0 && g.cred.uid == 0 && g.cred.gid == 0);
	int fds[] = { sv[1], p[0], p[1] };
	for (unsigned i = 0; i < 3; i++)
		PT_OK(close(fds[i]));
}

/* Linux: a socket with SO_PASSCRED gets an abstract name (autobind,
 * "\0" + 5 hex digits) when it sends a datagram or connects unnamed, even
 * a connect that fails; the receiver's SO_PASSCRED names nobody. */
static void unix_passcred_autobinds(void)
{
	struct sockaddr_un r = { .sun_family = AF_UNIX }, nx = { .sun_family = AF_UNIX }, g;
	socklen_t rlen = offsetof(struct sockaddr_un, sun_path) + 9, glen;
	const socklen_t auto_len = offsetof(struct sockaddr_un, sun_path) + 6;
	int one = 1, sv[2], rv, a, b, c, d;
	char buf[8];

	memcpy(r.sun_path, "\0pt-pcred", 9);
	strncpy(nx.sun_path, pt_path("none/x"), sizeof(nx.sun_path) - 1);
	PT_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	PT_OK(setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
	glen = sizeof(g);
	PT_OK(getsockname(sv[0], (struct sockaddr *)&g, &glen));
	PT_CHECK(glen == offsetof(struct sockaddr_un, sun_path));     /* not yet */
	PT_CHECK(send(sv[0], "a", 1, 0) == 1);
	glen = sizeof(g);
	PT_OK(getsockname(sv[0], (struct sockaddr *)&g, &glen));
	PT_CHECK(glen == auto_len && g.sun_path[0] == 0);
	PT_CHECK((rv = socket(AF_UNIX, SOCK_DGRAM, 0)) >= 0);
	PT_OK(bind(rv, (struct sockaddr *)&r, rlen));
	PT_OK(setsockopt(rv, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
	PT_CHECK((a = socket(AF_UNIX, SOCK_DGRAM, 0)) >= 0);
	PT_CHECK(sendto(a, "b", 1, 0, (struct sockaddr *)&r, rlen) == 1);
	glen = sizeof(g);
	PT_CHECK(recvfrom(rv, buf, sizeof(buf), 0, (struct sockaddr *)&g, &glen) == 1 && glen == 0);
	PT_CHECK((b = socket(AF_UNIX, SOCK_DGRAM, 0)) >= 0);
	PT_OK(setsockopt(b, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
	PT_CHECK(sendto(b, "c", 1, 0, (struct sockaddr *)&r, rlen) == 1);
	glen = sizeof(g);
	PT_CHECK(recvfrom(rv, buf, sizeof(buf), 0, (struct sockaddr *)&g, &glen) == 1);
	PT_CHECK(glen == auto_len && g.sun_path[0] == 0);
	PT_CHECK((c = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	PT_OK(setsockopt(c, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
	PT_ERRNO(connect(c, (struct sockaddr *)&nx, sizeof(nx)), ENOENT);
	glen = sizeof(g);
	PT_OK(getsockname(c, (struct sockaddr *)&g, &glen));
	PT_CHECK(glen == auto_len);
	PT_CHECK((d = socket(AF_UNIX, SOCK_DGRAM, 0)) >= 0);
	PT_OK(setsockopt(d, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
	PT_OK(connect(d, (struct sockaddr *)&r, rlen));
	glen = sizeof(g);
	PT_OK(getsockname(d, (struct sockaddr *)&g, &glen));
	PT_CHECK(glen == auto_len);
	int fds[] = { sv[0], sv[1], rv, a, b, c, d };
	for (unsigned i = 0; i < 7; i++)
		PT_OK(close(fds[i]));
}

struct poll_arg {
	int fd;
	int revents;
};

static void *poll_out(void *arg)
{
	struct poll_arg *a = arg;
	struct pollfd pf = { a->fd, POLLOUT, 0 };

	a->revents = poll(&pf, 1, 5000) == 1 ? pf.revents : -1;
	return NULL;
}

/* Linux's max_dgram_qlen (10): a connected sender's 12th datagram would
 * block; it then polls not writable until the receiver reads. */
static void unix_dgram_poll_full_peer(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct timespec ts = { 0, 100000000 };
	struct poll_arg pa = { -1, 0 };
	struct pollfd pf;
	char buf[8];
	pthread_t t;
	int r, s, n = 0;
	socklen_t len;

	strncpy(a.sun_path, pt_path("rcv"), sizeof(a.sun_path) - 1);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(a.sun_path) + 1);
	PT_CHECK((r = socket(AF_UNIX, SOCK_DGRAM, 0)) >= 0);
	PT_OK(bind(r, (struct sockaddr *)&a, len));
	PT_CHECK((s = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0)) >= 0);
	PT_OK(connect(s, (struct sockaddr *)&a, len));
	pf = (struct pollfd){ s, POLLOUT, 0 };
	PT_CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLOUT);
	while (send(s, "z", 1, 0) == 1)
		n++;
	PT_CHECK(errno == EAGAIN && n == 11);
	pf.revents = 0;
	PT_CHECK(poll(&pf, 1, 0) == 0);
	pf.events = POLLIN | POLLOUT;
	PT_CHECK(poll(&pf, 1, 0) == 0);
	/* a poll in another thread is woken by the receive */
	pa.fd = s;
	PT_OK(pthread_create(&t, NULL, poll_out, &pa) ? -1 : 0);
	nanosleep(&ts, NULL);
	PT_CHECK(recv(r, buf, sizeof(buf), 0) == 1);
	PT_OK(pthread_join(t, NULL) ? -1 : 0);
	PT_CHECK(pa.revents == POLLOUT);
	PT_CHECK(send(s, "y", 1, 0) == 1);
	PT_ERRNO(send(s, "y", 1, 0), EAGAIN);
	PT_OK(close(r));
	pf = (struct pollfd){ s, POLLOUT, 0 };
	PT_CHECK(poll(&pf, 1, 0) == 1 && (pf.revents & POLLOUT));    /* the peer went */
	PT_OK(close(s));
}

const struct pt_case pt_unix_scm_cases[] = {
	PT_CASE(unix_scm_rights_stream),
	PT_CASE(unix_scm_rights_limits),
	PT_CASE(unix_scm_rights_dgram_seqpacket),
	PT_CASE(unix_scm_credentials),
	PT_CASE(unix_passcred_autobinds),
	PT_CASE(unix_dgram_poll_full_peer),
	PT_END
};
