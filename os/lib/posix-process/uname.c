/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uname(2). sysname is "Linux": programs branch on it to pick the Linux
 * ABI, which is the one served here. The node name is the kernel
 * parameter posix-process.nodename= when given (`uniforge run BINARY`
 * passes the /etc/hostname it lays out, so that both agree), else the
 * Kconfig string CONFIG_LIBPOSIX_PROCESS_NODENAME, else (empty) the app's
 * name, what vfscore's default /etc/hostname holds; longer than 64 bytes,
 * it is cut there. The release is CONFIG_LIBPOSIX_PROCESS_RELEASE. The
 * machine is the architecture's name as Linux reports it.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/linux/utsname.h>
#include <uk/user.h>
#if defined(CONFIG_LIBUKLIBPARAM)
#include <uk/libparam.h>

static const char *nodename;
UK_LIB_PARAM(nodename, charp);
#endif

#if defined(__x86_64__)
#define MACHINE "x86_64"
#elif defined(__aarch64__)
#define MACHINE "aarch64"
#endif

static const struct uk_utsname uts = {
	.sysname = "Linux",
	.release = CONFIG_LIBPOSIX_PROCESS_RELEASE,
	.version = "#1 uniforge",
	.machine = MACHINE,
	.domainname = "(none)",
};

long uk_sys_uname(struct uk_utsname *name)
{
	static const char configured[] = CONFIG_LIBPOSIX_PROCESS_NODENAME;
	const char *n = sizeof(configured) > 1 ? configured : CONFIG_UK_APPNAME;
	struct uk_utsname u = uts;
	size_t i;

#if defined(CONFIG_LIBUKLIBPARAM)
	if (nodename && *nodename)
		n = nodename;
#endif
	for (i = 0; n[i] && i < sizeof(u.nodename) - 1; i++)
		u.nodename[i] = n[i];
	return uk_copy_to_user(name, &u, sizeof(u)) ? -EFAULT : 0;
}
