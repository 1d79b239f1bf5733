/* SPDX-License-Identifier: BSD-3-Clause */
/* linuxu console (stdout/stdin of the process) and halt (exit_group). */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <linuxu/syscall.h>

static bool midline;

bool ukplat_cout_midline(void)
{
	return midline;
}

void ukplat_cout(const char *buf, size_t n)
{
	if (n)
		midline = buf[n - 1] != '\n';
	while (n > 0) {
		long r = linuxu_syscall3(LINUXU_SYS_write, 1, (long)buf, (long)n);

		if (r == -4)            /* EINTR */
			continue;
		if (r <= 0)
			return;
		buf += r;
		n -= (size_t)r;
	}
}

/* Never blocks: poll(2) with a zero timeout first. The host's EOF on fd 0
 * (or fd 0 closed) is the end of input: -1. */
int ukplat_cin(char *buf, size_t n)
{
	struct { int fd; short events, revents; } pfd = { 0, 0x1 /* POLLIN */, 0 };
	long r;

	if (!n)
		return 0;
	r = linuxu_syscall3(LINUXU_SYS_poll, (long)&pfd, 1, 0);
	if (r == 0 || r == -4 /* EINTR */)
		return 0;
	if (r < 0 || (pfd.revents & 0x20 /* POLLNVAL */))
		return -1;
	r = linuxu_syscall3(LINUXU_SYS_read, 0, (long)buf, (long)n);
	if (r == -4 || r == -11)        /* EINTR, EAGAIN */
		return 0;
	return r > 0 ? (int)r : -1;
}

void __noreturn_nosp ukplat_halt(int status)
{
	for (;;)
		linuxu_syscall1(LINUXU_SYS_exit_group, status & 0xff);
}
