/* SPDX-License-Identifier: BSD-3-Clause */
/* /proc/net/unix, which ss and netstat read: its header, and the lines of
 * this case's sockets (a listener, a connection not accepted yet, its
 * client, the accepted end, an abstract name) found by their path or
 * inode: flags, type, state, inode and name as Linux prints them.
 * Every value compared is one Linux and the unikernel must agree on. */
#include "pt.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

struct uline {
	unsigned flags, type, st;
	unsigned long ino;
	char path[128];
};

/* The lines of /proc/net/unix whose path is `path` (inode 0: any) or,
 * with path NULL, whose inode is `ino`: how many, the first max in out.
 * -1 if the file cannot be read or its header is not Linux's. */
static int find(const char *path, unsigned long ino, struct uline *out, int max)
{
	char l[512];
	int n = 0;
	FILE *f = fopen("/proc/net/unix", "r");

	if (!f)
		return -1;
	if (!fgets(l, sizeof(l), f) ||
	    strcmp(l, "Num       RefCount Protocol Flags    Type St Inode Path\n")) {
		fclose(f);
		return -1;
	}
	while (fgets(l, sizeof(l), f)) {
		struct uline u = { 0 };
		unsigned long num;
		unsigned refs, proto;
		int end = 0;

		if (sscanf(l, "%lx: %x %x %x %x %x %lu%n", &num, &refs, &proto, &u.flags, &u.type,
			   &u.st, &u.ino, &end) < 7)
			continue;
		if (l[end] == ' ')
			sscanf(l + end + 1, "%127[^\n]", u.path);
		if (path ? strcmp(u.path, path) || (ino && u.ino != ino) : u.ino != ino)
			continue;
		if (n < max)
			out[n] = u;
		n++;
	}
	fclose(f);
	return n;
}

static unsigned long ino_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : (unsigned long)st.st_ino;
}

static void unix_proc_net_unix(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct sockaddr_un ab = { .sun_family = AF_UNIX };
	struct uline u[4];
	socklen_t len;
	int l, c, s, d;

	strncpy(a.sun_path, pt_path("lst"), sizeof(a.sun_path) - 1);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(a.sun_path) + 1);
	PT_CHECK((l = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	PT_OK(bind(l, (struct sockaddr *)&a, len));
	PT_OK(listen(l, 4));
	PT_CHECK(find(a.sun_path, 0, u, 4) == 1);
	PT_CHECK(u[0].flags == 0x10000 && u[0].type == SOCK_STREAM && u[0].st == 1 &&
		 u[0].ino == ino_of(l));
	PT_CHECK((c = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	PT_OK(connect(c, (struct sockaddr *)&a, len));
	/* the queued connection: named as its listener, no socket yet */
	PT_CHECK(find(a.sun_path, 0, u, 4) == 2);
	PT_CHECK(find(NULL, ino_of(c), u, 4) == 1);
	PT_CHECK(u[0].flags == 0 && u[0].type == SOCK_STREAM && u[0].st == 3 && !u[0].path[0]);
	PT_CHECK(find(a.sun_path, 0, u, 4) == 2);
	PT_CHECK((u[0].st == 2 && u[0].ino == 0) || (u[1].st == 2 && u[1].ino == 0));
	PT_CHECK((s = accept(l, NULL, NULL)) >= 0);
	PT_CHECK(find(a.sun_path, ino_of(s), u, 4) == 1);
	PT_CHECK(u[0].flags == 0 && u[0].st == 3);
	/* an abstract datagram socket: '@' for its first byte and NULs */
	memcpy(ab.sun_path, "\0pt-proc\0x", 10);
	PT_CHECK((d = socket(AF_UNIX, SOCK_DGRAM, 0)) >= 0);
	PT_OK(bind(d, (struct sockaddr *)&ab, offsetof(struct sockaddr_un, sun_path) + 10));
	PT_CHECK(find("@pt-proc@x", ino_of(d), u, 4) == 1);
	PT_CHECK(u[0].type == SOCK_DGRAM && u[0].st == 1 && u[0].flags == 0);
	int fds[] = { l, c, s, d };
	for (unsigned i = 0; i < 4; i++)
		PT_OK(close(fds[i]));
	PT_CHECK(find(a.sun_path, 0, u, 4) == 0);
	PT_CHECK(find("@pt-proc@x", 0, u, 4) == 0);
}

const struct pt_case pt_unix_proc_cases[] = {
	PT_CASE(unix_proc_net_unix),
	PT_END
};
