/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * struct stat and struct statx exactly as the kernel lays them out per
 * architecture (x86_64: its own 144-byte stat; arm64: asm-generic's 128
 * bytes), the file type and permission bits. UK_-prefixed.
 */
#ifndef UK_LINUX_STAT_H
#define UK_LINUX_STAT_H

#include <uk/essentials.h>

#define UK_S_IFMT   0170000
#define UK_S_IFSOCK 0140000
#define UK_S_IFLNK  0120000
#define UK_S_IFREG  0100000
#define UK_S_IFBLK  0060000
#define UK_S_IFDIR  0040000
#define UK_S_IFCHR  0020000
#define UK_S_IFIFO  0010000
#define UK_S_ISUID  04000
#define UK_S_ISGID  02000
#define UK_S_ISVTX  01000

#define UK_S_ISREG(m)  (((m) & UK_S_IFMT) == UK_S_IFREG)
#define UK_S_ISDIR(m)  (((m) & UK_S_IFMT) == UK_S_IFDIR)
#define UK_S_ISLNK(m)  (((m) & UK_S_IFMT) == UK_S_IFLNK)
#define UK_S_ISCHR(m)  (((m) & UK_S_IFMT) == UK_S_IFCHR)
#define UK_S_ISFIFO(m) (((m) & UK_S_IFMT) == UK_S_IFIFO)
#define UK_S_ISSOCK(m) (((m) & UK_S_IFMT) == UK_S_IFSOCK)

#if defined(__x86_64__)
struct uk_stat {
	unsigned long st_dev;
	unsigned long st_ino;
	unsigned long st_nlink;
	unsigned int st_mode;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned int __pad0;
	unsigned long st_rdev;
	long st_size;
	long st_blksize;
	long st_blocks;
	unsigned long st_atime;
	unsigned long st_atime_nsec;
	unsigned long st_mtime;
	unsigned long st_mtime_nsec;
	unsigned long st_ctime;
	unsigned long st_ctime_nsec;
	long __reserved[3];
};
_Static_assert(sizeof(struct uk_stat) == 144, "x86_64 struct stat");
#else
struct uk_stat {
	unsigned long st_dev;
	unsigned long st_ino;
	unsigned int st_mode;
	unsigned int st_nlink;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned long st_rdev;
	unsigned long __pad1;
	long st_size;
	int st_blksize;
	int __pad2;
	long st_blocks;
	long st_atime;
	unsigned long st_atime_nsec;
	long st_mtime;
	unsigned long st_mtime_nsec;
	long st_ctime;
	unsigned long st_ctime_nsec;
	unsigned int __reserved4;
	unsigned int __reserved5;
};
_Static_assert(sizeof(struct uk_stat) == 128, "asm-generic struct stat");
#endif

struct uk_statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t __reserved;
};

struct uk_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t __spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct uk_statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major;
	uint32_t stx_rdev_minor;
	uint32_t stx_dev_major;
	uint32_t stx_dev_minor;
	uint64_t __spare2[14];
};
_Static_assert(sizeof(struct uk_statx) == 256, "struct statx");

#define UK_STATX_TYPE        0x0001U
#define UK_STATX_MODE        0x0002U
#define UK_STATX_NLINK       0x0004U
#define UK_STATX_UID         0x0008U
#define UK_STATX_GID         0x0010U
#define UK_STATX_ATIME       0x0020U
#define UK_STATX_MTIME       0x0040U
#define UK_STATX_CTIME       0x0080U
#define UK_STATX_INO         0x0100U
#define UK_STATX_SIZE        0x0200U
#define UK_STATX_BLOCKS      0x0400U
#define UK_STATX_BASIC_STATS 0x07ffU
#define UK_STATX__RESERVED   0x80000000U

/* A device number as the kernel's new_encode_dev() packs it. */
static inline unsigned long uk_makedev(unsigned int major, unsigned int minor)
{
	return (minor & 0xff) | ((unsigned long)major << 8) | ((unsigned long)(minor & ~0xffU) << 12);
}

#endif
