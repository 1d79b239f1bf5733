/* SPDX-License-Identifier: BSD-3-Clause */
/* struct linux_dirent64 (getdents64's records) and the DT_ types. */
#ifndef UK_LINUX_DIRENT_H
#define UK_LINUX_DIRENT_H

#include <uk/essentials.h>

struct uk_linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

#define UK_DT_UNKNOWN 0
#define UK_DT_FIFO    1
#define UK_DT_CHR     2
#define UK_DT_DIR     4
#define UK_DT_BLK     6
#define UK_DT_REG     8
#define UK_DT_LNK     10
#define UK_DT_SOCK    12
/* The DT_ type of a mode's file type bits. */
#define UK_IFTODT(mode) (((mode) & 0170000) >> 12)

#endif
