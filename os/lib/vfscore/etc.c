/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The /etc files programs expect, made when the rootfs lacks them:
 * /etc/passwd and /etc/group (root), /etc/hostname (the app's name) and
 * /etc/localtime (UTC, a TZif file). Runs after the initrd was unpacked
 * (ukcpio: init class 4, prio 5), so a rootfs's own files win.
 */
#include <uk/init.h>
#include <uk/string.h>
#include "vfs_impl.h"

/*
 * UTC as RFC 8536 TZif version 2: a header with one time type and four
 * bytes of designation ("UTC\0"), the type (offset 0, not DST, name at
 * 0), the same again for the 64-bit section, then the POSIX TZ footer.
 */
#define TZ_HDR 'T', 'Z', 'i', 'f', '2', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, \
	0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,   /* isut isstd leap time */ \
	0, 0, 0, 1,  0, 0, 0, 4                                /* typecnt charcnt */
#define TZ_DATA 0, 0, 0, 0, 0, 0,  'U', 'T', 'C', 0
static const char tz_utc[] = { TZ_HDR, TZ_DATA, TZ_HDR, TZ_DATA, '\n', 'U', 'T', 'C', '0', '\n' };
_Static_assert(sizeof(tz_utc) == 114, "TZif UTC is 114 bytes");

static const char passwd[] = "root:x:0:0:root:/root:/bin/sh\n";
static const char group[] = "root:x:0:\n";
static const char hostname[] = CONFIG_UK_APPNAME "\n";

/* Creates path with the bytes unless it exists: 0 or -E... */
static int provide(const char *path, const char *data, size_t n)
{
	long fd = uk_sys_openat(UK_AT_FDCWD, path, UK_O_CREAT | UK_O_EXCL | UK_O_WRONLY, 0644);
	long w;

	if (fd == -EEXIST)
		return 0;
	if (fd < 0)
		return (int)fd;
	w = uk_sys_write((int)fd, data, n);
	uk_sys_close((int)fd);
	return w == (long)n ? 0 : (w < 0 ? (int)w : -ENOSPC);
}

static int etc_defaults(void)
{
	long r = uk_sys_mkdirat(UK_AT_FDCWD, "/etc", 0755);

	if (r && r != -EEXIST)
		return (int)r;
	r = provide("/etc/passwd", passwd, sizeof(passwd) - 1);
	if (!r)
		r = provide("/etc/group", group, sizeof(group) - 1);
	if (!r)
		r = provide("/etc/hostname", hostname, sizeof(hostname) - 1);
	if (!r)
		r = provide("/etc/localtime", tz_utc, sizeof(tz_utc));
	return (int)r;
}
uk_initcall(etc_defaults, UK_INIT_CLASS_ROOTFS, 9);
