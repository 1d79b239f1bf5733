/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uname(2). sysname is "Linux": programs branch on it to pick the Linux
 * ABI, which is the one served here. The node name and release are
 * Kconfig strings (CONFIG_LIBPOSIX_PROCESS_NODENAME, _RELEASE); the
 * machine is the architecture's name as Linux reports it.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/linux/utsname.h>
#include "user.h"

#if defined(__x86_64__)
#define MACHINE "x86_64"
#elif defined(__aarch64__)
#define MACHINE "aarch64"
#endif

static const struct uk_utsname uts = {
	.sysname = "Linux",
	.nodename = CONFIG_LIBPOSIX_PROCESS_NODENAME,
	.release = CONFIG_LIBPOSIX_PROCESS_RELEASE,
	.version = "#1 uniforge",
	.machine = MACHINE,
	.domainname = "(none)",
};

long uk_sys_uname(struct uk_utsname *name)
{
	return uk_copy_to_user(name, &uts, sizeof(uts)) ? -EFAULT : 0;
}
