/* SPDX-License-Identifier: BSD-3-Clause */
/* linuxu console (stdout/stdin of the process) and halt (exit_group). */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <linuxu/syscall.h>

void ukplat_cout(const char *buf, size_t n)
{
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

int ukplat_cin(char *buf, size_t n)
{
	long r = linuxu_syscall3(LINUXU_SYS_read, 0, (long)buf, (long)n);

	return r > 0 ? (int)r : 0;
}

void __noreturn_nosp ukplat_halt(int status)
{
	for (;;)
		linuxu_syscall1(LINUXU_SYS_exit_group, status & 0xff);
}
