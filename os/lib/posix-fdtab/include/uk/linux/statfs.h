/* SPDX-License-Identifier: BSD-3-Clause */
/* struct statfs (x86_64 and arm64: the same 120 bytes) and the magic
 * numbers of our file systems (f_type). */
#ifndef UK_LINUX_STATFS_H
#define UK_LINUX_STATFS_H

#include <uk/essentials.h>

struct uk_statfs {
	long f_type;
	long f_bsize;
	uint64_t f_blocks;
	uint64_t f_bfree;
	uint64_t f_bavail;
	uint64_t f_files;
	uint64_t f_ffree;
	int f_fsid[2];
	long f_namelen;
	long f_frsize;
	long f_flags;
	long f_spare[4];
};
_Static_assert(sizeof(struct uk_statfs) == 120, "struct statfs");

#define UK_RAMFS_MAGIC  0x858458f6
#define UK_TMPFS_MAGIC  0x01021994
#define UK_PROC_MAGIC   0x9fa0
#define UK_SYSFS_MAGIC  0x62656572

#endif
