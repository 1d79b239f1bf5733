/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Semihosting calls the platform uses (include/arm64/semihosting.h):
 * SYS_EXIT with an exact status (A64 takes a parameter block
 * {ADP_Stopped_ApplicationExit, status}), SYS_GET_CMDLINE and SYS_HEAPINFO.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <arm64/semihosting.h>

void arm64_semihost_exit(int status)
{
	/* static: the guest is stopping, and a block on the stack would cost
	 * this function a stack protector canary for constant contents */
	static uint64_t block[2] = { SEMIHOST_ADP_Stopped_ApplicationExit };

	block[1] = (uint64_t)(status & 0xff);
	arm64_semihost(SEMIHOST_SYS_EXIT, block);
}

long arm64_semihost_cmdline(char *buf, size_t len)
{
	uint64_t block[2] = { (uintptr_t)buf, len };

	if (!len || arm64_semihost(SEMIHOST_SYS_GET_CMDLINE, block) != 0)
		return -EIO;
	buf[len - 1] = '\0';
	return (long)block[1];
}

uint64_t arm64_semihost_ram_end(void)
{
	/* heap base, heap limit, stack base, stack limit */
	uint64_t info[4] = { 0, 0, 0, 0 };
	uint64_t ptr = (uintptr_t)info;

	if (arm64_semihost(SEMIHOST_SYS_HEAPINFO, &ptr) != 0)
		return 0;
	return info[1];
}
