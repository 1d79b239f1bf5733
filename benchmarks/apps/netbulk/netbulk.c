/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP bulk transfer server for benchmarks/bench_net.py: one file for the
 * unikernel (musl + posix-socket), the Linux VM and the host (static musl).
 *
 *   netbulk [PORT]           (default 9000)
 *
 * Serves connections one after the other. Each starts with one command
 * line from the client:
 *
 *   "SINK\n"           the server reads until the client shuts its side
 *                      down, then answers "GOT <bytes>\n" and closes:
 *                      host -> guest;
 *   "SOURCE <bytes>\n" the server writes <bytes> bytes (a pattern) and
 *                      closes: guest -> host;
 *   "QUIT\n"           the server exits 0.
 *
 * Prints "NETBULK-LISTENING port=<p>" once listening; errors as
 * "NETBULK-ERROR <what>: <reason>" (the program then exits 1).
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF (64 * 1024)

static char buf[BUF];

static int fail(const char *what)
{
	printf("NETBULK-ERROR %s: %s\n", what, strerror(errno));
	fflush(stdout);
	return 1;
}

/* The command line, read a byte at a time so no payload is consumed.
 * Returns its length, or -1 on EOF/error before a newline. */
static int read_line(int c, char *line, int n)
{
	int i = 0;

	while (i < n - 1) {
		ssize_t r = read(c, line + i, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		if (line[i] == '\n')
			break;
		i++;
	}
	line[i] = '\0';
	return i;
}

static int write_all(int c, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(c, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void sink(int c)
{
	unsigned long long got = 0;
	char reply[64];

	for (;;) {
		ssize_t r = read(c, buf, BUF);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fail("read");
			return;
		}
		if (r == 0)
			break;
		got += (unsigned long long)r;
	}
	snprintf(reply, sizeof(reply), "GOT %llu\n", got);
	if (write_all(c, reply, strlen(reply)))
		fail("write");
}

static void source(int c, unsigned long long n)
{
	while (n) {
		size_t chunk = n < BUF ? (size_t)n : BUF;

		if (write_all(c, buf, chunk)) {
			fail("write");
			return;
		}
		n -= chunk;
	}
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 9000, one = 1, s;
	struct sockaddr_in a;
	char line[64];

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < BUF; i++)
		buf[i] = (char)('a' + i % 26);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		return fail("socket");
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)))
		return fail("bind");
	if (listen(s, 8))
		return fail("listen");
	printf("NETBULK-LISTENING port=%d\n", port);
	for (;;) {
		int c = accept(s, NULL, NULL);

		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return fail("accept");
		}
		if (read_line(c, line, sizeof(line)) < 0) {
			close(c);
			continue;
		}
		if (!strcmp(line, "SINK"))
			sink(c);
		else if (!strncmp(line, "SOURCE ", 7))
			source(c, strtoull(line + 7, NULL, 10));
		else if (!strcmp(line, "QUIT")) {
			close(c);
			close(s);
			return 0;
		}
		close(c);
	}
}
