/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /tmp, made when the rootfs lacks it: a directory every user may write
 * in, sticky (01777, as on Linux), where tmpfile(), tmpnam(), mkstemp()
 * users and Lua's io.tmpfile/os.tmpname put their files. Runs after the
 * initrd was unpacked (ukcpio: init class 4, prio 5), so a rootfs's own
 * /tmp, and its mode, win.
 */
#include <uk/init.h>
#include "vfs_impl.h"

static int tmp_default(void)
{
	long r = uk_sys_mkdirat(UK_AT_FDCWD, "/tmp", 0);

	if (r == -EEXIST)
		return 0;
	if (r)
		return (int)r;
	/* mkdir's mode goes through the umask (022): set it whole */
	return (int)uk_sys_fchmodat(UK_AT_FDCWD, "/tmp", 01777);
}
uk_initcall(tmp_default, UK_INIT_CLASS_ROOTFS, 9);
